"""The prosecution reports: TIP statistics (calendar year), ODPP performance and organisers versus
small fish (financial year). Registered with ``core.reports`` when the app is ready.

Every figure is aggregated in the database, or shaped by pandas in one pass over one query, so each
report runs the same number of queries however many cases there are. No report reads a name: victims
have none, accused appear only as counts per role, and witness records are never joined.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd
from django.db.models import Case as Switch
from django.db.models import Count, Max, Min, Q, QuerySet, Value, When

from core import charts
from core.reports import (
    ASSETS_BY_ACCUSED_ROLE,
    PERCENT,
    ExcelChart,
    Figure,
    Period,
    PeriodKind,
    Report,
    ReportChart,
    ReportData,
    ReportTable,
    get_source,
    register_report,
)
from core.roles import PROSECUTION_ROLES, Role
from core.tables import Column, ColumnKind
from prosecutions.choices import (
    ACQUITTALS,
    CONVICTIONS,
    DISCHARGES,
    AdjournmentReason,
    ClosureReason,
    Disposition,
    ExploitationType,
    HearingOutcome,
    NetworkRole,
    Scope,
    Sex,
    Stage,
    Statute,
)
from prosecutions.models import Accused, Case, Charge, Hearing, Sentence, StageChange, Victim

PROSECUTION_REPORT_READERS = frozenset({*PROSECUTION_ROLES, Role.AUDITOR})
ZERO = Decimal("0")
CTIP_SHORT = "CTIP Act"

DEF_PERIOD_CALENDAR = (
    "Period",
    "A calendar year, 1 January – 31 December; each event counts in the year of its own date.",
)
DEF_PERIOD_FINANCIAL = (
    "Period",
    "Kenya's financial year, 1 July – 30 June; each event counts in the year of its own date.",
)
DEF_INVESTIGATION = ("Investigation", "A case file opened in the tracker (dated by its opening date).")
DEF_PROSECUTION = (
    "Prosecution",
    "An accused person facing at least one count, counted in the year their case was first charged in court "
    "(the date it entered the pre-trial stage).",
)
DEF_CONVICTION = (
    "Conviction",
    "A count disposed of as convicted after trial, on own plea or on a plea agreement, in the year of the "
    "disposition date. An accused is convicted in a year when at least one of their counts was.",
)
DEF_ACQUITTAL = (
    "Acquittal",
    "A count acquitted (no case to answer s.210, after defence s.215, or withdrawn after defence s.87(b)). "
    "An accused is acquitted in a year when a count of theirs was acquitted then and none of their counts "
    "has ever been a conviction. Discharges (s.87(a), s.82) and abatements are neither.",
)
DEF_CONCLUDED = (
    "Concluded case",
    "A charged case closed during the year, whatever the closure reason (judgment on every count, withdrawal, "
    "nolle prosequi, abatement, diversion). Cases closed without ever being charged are not counted.",
)
DEF_REGISTERED = ("Case registered", "A case first charged in court (entered pre-trial) during the year.")
DEF_PENDING = ("Pending case", "A case charged by the end of the year and not closed by then.")
DEF_RATE = (
    "Conviction rate",
    "Convicted counts ÷ (convicted + acquitted counts) with a verdict in the year; withdrawals, discharges and "
    "abatements are not verdicts and are left out.",
)
DEF_MEDIAN_DAYS = (
    "Days from charge to judgment",
    "For each count with a verdict in the year, the days from the date its case was charged in court to the "
    "verdict; the median of those.",
)
DEF_SENTENCE = (
    "Sentence",
    "One sentence per convicted count, counted in the year it was passed. Bands are by the custodial term; "
    "a fine with imprisonment in the alternative counts by its term.",
)
DEF_VICTIM = (
    "Victim identified",
    "A victim recorded on a case, counted in the year identified. Victims are recorded by code only; "
    "a child was under 18 when exploited; Kenyan means nationality recorded as Kenyan, foreign any other, "
    "not recorded when blank.",
)


# --- shared pieces --------------------------------------------------------------------------------


def first_charged_on() -> QuerySet[Any]:
    """Per case, the date it first entered pre-trial (the charge sheet was filed in court)."""
    return (
        StageChange.objects.filter(to_stage=Stage.PRE_TRIAL)
        .order_by()
        .values("case_id")
        .annotate(charged_on=Min("effective_on"))
    )


def cases_charged_between(start: dt.date, end: dt.date) -> QuerySet[Any]:
    """Ids of cases first charged in ``start .. end`` (a subquery, not a list)."""
    return first_charged_on().filter(charged_on__gte=start, charged_on__lte=end).values("case_id")


def _rate(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _median(values: Iterable[Any]) -> Decimal | None:
    series = pd.Series(list(values), dtype="float64").dropna()
    if series.empty:
        return None
    return Decimal(str(series.median())).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _frame(rows: list[Any], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def accused_outcomes(start: dt.date, end: dt.date) -> pd.DataFrame:
    """One row per accused with a count disposed of in the period: whether they were convicted or
    acquitted in it (see the definitions). One query over the counts of those accused."""
    rows = list(
        Charge.objects.filter(
            accused_id__in=Charge.objects.filter(disposition_date__gte=start, disposition_date__lte=end)
            .order_by()
            .values("accused_id")
        )
        .order_by()
        .values("accused_id", "accused__network_role", "disposition", "disposition_date")
    )
    frame = _frame(rows, ["accused_id", "accused__network_role", "disposition", "disposition_date"])
    if frame.empty:
        return pd.DataFrame(columns=["accused_id", "network_role", "convicted", "acquitted"])
    in_period = frame["disposition_date"].notna() & frame["disposition_date"].between(start, end)
    frame["conv_in"] = in_period & frame["disposition"].isin(list(CONVICTIONS))
    frame["acq_in"] = in_period & frame["disposition"].isin(list(ACQUITTALS))
    frame["conv_ever"] = frame["disposition"].isin(list(CONVICTIONS))
    per = frame.groupby("accused_id").agg(
        network_role=("accused__network_role", "first"),
        conv_in=("conv_in", "any"),
        acq_in=("acq_in", "any"),
        conv_ever=("conv_ever", "any"),
    )
    per["convicted"] = per["conv_in"]
    per["acquitted"] = per["acq_in"] & ~per["conv_ever"]
    return per.reset_index()[["accused_id", "network_role", "convicted", "acquitted"]]


def _count_column(key: str, label: str) -> Column:
    return Column(key, label, kind=ColumnKind.INTEGER)


# --- TIP statistics -------------------------------------------------------------------------------

SENTENCE_BANDS = (
    ("life", "Life imprisonment"),
    ("30y", "30 years or more"),
    ("15y", "15 to under 30 years"),
    ("5y", "5 to under 15 years"),
    ("under5", "Under 5 years"),
    ("none", "No custodial term (fine, compensation or deportation only)"),
)
SEX_LABELS = dict(Sex.choices)
NATIONALITY_GROUPS = (("kenyan", "Kenyan"), ("foreign", "Foreign"), ("unknown", "Not recorded"))
KENYAN_SPELLINGS = ("kenyan", "kenya")


def _nationality_group() -> Switch:
    return Switch(
        *[When(nationality__iexact=spelling, then=Value("kenyan")) for spelling in KENYAN_SPELLINGS],
        When(nationality="", then=Value("unknown")),
        default=Value("foreign"),
    )


def _band() -> Switch:
    return Switch(
        When(life_imprisonment=True, then=Value("life")),
        When(custodial_months__gte=360, then=Value("30y")),
        When(custodial_months__gte=180, then=Value("15y")),
        When(custodial_months__gte=60, then=Value("5y")),
        When(custodial_months__gte=1, then=Value("under5")),
        default=Value("none"),
    )


def tip_statistics(period: Period, user: Any) -> ReportData:
    start, end = period.start, period.end

    by_scope = dict(
        Case.objects.filter(opened_on__gte=start, opened_on__lte=end)
        .order_by()
        .values_list("scope")
        .annotate(n=Count("id"))
    )
    investigations = sum(by_scope.values())

    charged = Accused.objects.filter(case_id__in=cases_charged_between(start, end), charges__isnull=False).aggregate(
        accused=Count("id", distinct=True), counts=Count("charges", distinct=True)
    )

    outcomes = accused_outcomes(start, end)
    counts_by_outcome = dict(
        Charge.objects.filter(disposition_date__gte=start, disposition_date__lte=end)
        .order_by()
        .values_list("disposition")
        .annotate(n=Count("id"))
    )
    convicted_counts = sum(counts_by_outcome.get(d, 0) for d in CONVICTIONS)
    acquitted_counts = sum(counts_by_outcome.get(d, 0) for d in ACQUITTALS)
    discharged_counts = sum(counts_by_outcome.get(d, 0) for d in DISCHARGES)
    convicted_accused = int(outcomes["convicted"].sum()) if not outcomes.empty else 0
    acquitted_accused = int(outcomes["acquitted"].sum()) if not outcomes.empty else 0

    sentences = Sentence.objects.filter(sentenced_on__gte=start, sentenced_on__lte=end)
    bands = dict(sentences.annotate(band=_band()).order_by().values_list("band").annotate(n=Count("id")))
    terms = sentences.aggregate(shortest=Min("custodial_months"), longest=Max("custodial_months"))

    victim_rows = list(
        Victim.objects.filter(identified_on__gte=start, identified_on__lte=end)
        .annotate(group=_nationality_group())
        .order_by()
        .values("sex", "is_child", "exploitation_type", "group")
        .annotate(n=Count("id"))
    )
    victims = _frame(victim_rows, ["sex", "is_child", "exploitation_type", "group", "n"])
    total_victims = int(victims["n"].sum()) if not victims.empty else 0

    def victims_by(column: str, groups: Iterable[tuple[Any, str]]) -> list[dict[str, Any]]:
        sums = victims.groupby(column)["n"].sum().to_dict() if not victims.empty else {}
        return [{"group": label, "victims": int(sums.get(key, 0))} for key, label in groups]

    by_sex = victims_by("sex", Sex.choices)
    by_age = victims_by("is_child", ((True, "Child (under 18)"), (False, "Adult")))
    by_type = victims_by("exploitation_type", ExploitationType.choices)
    by_nationality = victims_by("group", NATIONALITY_GROUPS)

    scope_rows = [{"group": label, "cases": by_scope.get(value, 0)} for value, label in Scope.choices]
    outcome_rows = [
        {"measure": "Prosecuted (charged)", "accused": charged["accused"], "counts": charged["counts"]},
        {"measure": "Convicted", "accused": convicted_accused, "counts": convicted_counts},
        {"measure": "Acquitted", "accused": acquitted_accused, "counts": acquitted_counts},
        {
            "measure": "Discharged (withdrawn s.87(a), nolle prosequi s.82)",
            "accused": None,
            "counts": discharged_counts,
        },
    ]
    band_rows = [{"band": label, "sentences": bands.get(key, 0)} for key, label in SENTENCE_BANDS]
    group_columns = (Column("group", "Group"), _count_column("victims", "Victims"))

    def victim_table(key: str, title: str, rows: list[dict[str, Any]], sheet: str) -> ReportTable:
        total = {"group": "Total", "victims": total_victims}
        return ReportTable(key, title, group_columns, rows, total=total, sheet=sheet)

    tables = [
        ReportTable(
            "investigations",
            "Investigations opened, by scope",
            (Column("group", "Scope"), _count_column("cases", "Cases")),
            scope_rows,
            total={"group": "Total", "cases": investigations},
            sheet="Investigations",
        ),
        ReportTable(
            "prosecutions",
            "Prosecutions, convictions and acquittals",
            (Column("measure", "Measure"), _count_column("accused", "Accused"), _count_column("counts", "Counts")),
            outcome_rows,
            sheet="Prosecutions",
        ),
        ReportTable(
            "sentences",
            "Sentences passed, by custodial term",
            (Column("band", "Term"), _count_column("sentences", "Sentences")),
            band_rows,
            total={"band": "Total", "sentences": sum(bands.values())},
            note=_term_note(terms["shortest"], terms["longest"]),
            sheet="Sentences",
        ),
        victim_table("victims_sex", "Victims identified, by sex", by_sex, "Victims by sex"),
        victim_table("victims_age", "Victims identified, by age group", by_age, "Victims by age"),
        victim_table("victims_type", "Victims identified, by form of exploitation", by_type, "Victims by exploitation"),
        victim_table(
            "victims_nationality", "Victims identified, by nationality", by_nationality, "Victims by nationality"
        ),
    ]
    figures = [
        Figure("investigations", "Investigations opened", investigations),
        Figure("prosecuted", "Accused prosecuted", charged["accused"]),
        Figure("convicted", "Accused convicted", convicted_accused),
        Figure("acquitted", "Accused acquitted", acquitted_accused),
        Figure("convicted_counts", "Counts convicted", convicted_counts),
        Figure("victims", "Victims identified", total_victims),
    ]
    chart_list = [
        ReportChart(
            "outcomes",
            "Accused prosecuted, convicted and acquitted",
            charts.grouped_bar(
                pd.DataFrame(outcome_rows[:3]),
                "measure",
                {"accused": "Accused", "counts": "Counts"},
                value_title="Number",
            ),
            excel=ExcelChart("prosecutions", "measure", ("accused", "counts")),
        ),
        ReportChart(
            "sentences",
            "Sentences by custodial term",
            charts.bar(pd.DataFrame(band_rows), "band", "sentences", value_title="Sentences", horizontal=True),
            excel=ExcelChart("sentences", "band", ("sentences",), chart_type="bar"),
        ),
        ReportChart(
            "victims_sex",
            "Victims by sex",
            charts.donut(pd.DataFrame(by_sex), "group", "victims"),
            excel=ExcelChart("victims_sex", "group", ("victims",), chart_type="pie"),
        ),
        ReportChart(
            "victims_age",
            "Victims by age group",
            charts.bar(pd.DataFrame(by_age), "group", "victims", value_title="Victims"),
            excel=ExcelChart("victims_age", "group", ("victims",)),
        ),
        ReportChart(
            "victims_type",
            "Victims by form of exploitation",
            charts.bar(pd.DataFrame(by_type), "group", "victims", value_title="Victims", horizontal=True),
            excel=ExcelChart("victims_type", "group", ("victims",), chart_type="bar"),
        ),
        ReportChart(
            "victims_nationality",
            "Victims by nationality",
            charts.bar(pd.DataFrame(by_nationality), "group", "victims", value_title="Victims"),
            excel=ExcelChart("victims_nationality", "group", ("victims",)),
        ),
        ReportChart(
            "scope",
            "Investigations by scope",
            charts.bar(pd.DataFrame(scope_rows), "group", "cases", value_title="Cases"),
            excel=ExcelChart("investigations", "group", ("cases",)),
        ),
    ]
    return ReportData(figures=figures, tables=tables, charts=chart_list)


def _term_note(shortest: int | None, longest: int | None) -> str:
    if shortest is None:
        return ""
    return f"Custodial terms (excluding life) ranged from {_months(shortest)} to {_months(longest or shortest)}."


def _months(months: int) -> str:
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if rest or not years:
        parts.append(f"{rest} month{'s' if rest != 1 else ''}")
    return " ".join(parts)


# --- ODPP performance ------------------------------------------------------------------------------


def _section_label(statute: Any, section: Any) -> str:
    short = {
        Statute.CTIP: CTIP_SHORT,
        Statute.SEXUAL_OFFENCES: "SOA",
        Statute.CHILDREN: "Children Act",
        Statute.IMMIGRATION: "Immigration Act",
        Statute.PENAL_CODE: "Penal Code",
    }.get(Statute(statute), statute)
    return f"{short} s.{section}"


def _section_sort_key(statute: Any, section: Any) -> tuple[int, str, tuple[int, str]]:
    digits = "".join(ch for ch in section if ch.isdigit()) or "0"
    leading = int("".join(ch for ch in section.split("(")[0] if ch.isdigit()) or digits)
    return (0 if statute == Statute.CTIP else 1, statute, (leading, section))


def performance(period: Period, user: Any) -> ReportData:
    start, end = period.start, period.end
    charged_first = first_charged_on()

    registered = Case.objects.filter(pk__in=cases_charged_between(start, end)).count()
    concluded_by_reason = dict(
        Case.objects.filter(
            stage=Stage.CLOSED,
            closed_on__gte=start,
            closed_on__lte=end,
            pk__in=StageChange.objects.filter(to_stage=Stage.PRE_TRIAL).values("case_id"),
        )
        .order_by()
        .values_list("closure_reason")
        .annotate(n=Count("id"))
    )
    concluded = sum(concluded_by_reason.values())
    pending = (
        Case.objects.filter(pk__in=charged_first.filter(charged_on__lte=end).values("case_id"))
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=end))
        .count()
    )

    count_rows = list(
        Charge.objects.filter(disposition_date__gte=start, disposition_date__lte=end)
        .exclude(disposition=Disposition.PENDING)
        .order_by()
        .values("offence__statute", "offence__section", "disposition", "disposition_date", "accused__case_id")
    )
    charged_on = {
        row["case_id"]: row["charged_on"]
        for row in charged_first.filter(
            case_id__in=Charge.objects.filter(disposition_date__gte=start, disposition_date__lte=end)
            .order_by()
            .values("accused__case_id")
        )
    }
    counts = _frame(
        count_rows, ["offence__statute", "offence__section", "disposition", "disposition_date", "accused__case_id"]
    )
    section_rows: list[dict[str, Any]] = []
    overall = {"convicted": 0, "acquitted": 0, "other": 0}
    all_days: list[int] = []
    if not counts.empty:
        counts["convicted"] = counts["disposition"].isin(list(CONVICTIONS))
        counts["acquitted"] = counts["disposition"].isin(list(ACQUITTALS))
        counts["other"] = ~(counts["convicted"] | counts["acquitted"])
        counts["charged_on"] = counts["accused__case_id"].map(charged_on)
        verdict = counts["convicted"] | counts["acquitted"]
        counts["days"] = [
            (decided - charged).days if is_verdict and charged is not None and not pd.isna(charged) else None
            for decided, charged, is_verdict in zip(
                counts["disposition_date"], counts["charged_on"], verdict, strict=True
            )
        ]
        grouped = counts.groupby(["offence__statute", "offence__section"])
        for (statute, section), group in sorted(grouped, key=lambda item: _section_sort_key(*item[0])):
            convicted, acquitted, other = (int(group[c].sum()) for c in ("convicted", "acquitted", "other"))
            section_rows.append(
                {
                    "section": _section_label(statute, section),
                    "convicted": convicted,
                    "acquitted": acquitted,
                    "other": other,
                    "rate": _rate(convicted, convicted + acquitted),
                    "median_days": _median(group["days"]),
                }
            )
            overall["convicted"] += convicted
            overall["acquitted"] += acquitted
            overall["other"] += other
        all_days = [d for d in counts["days"] if d is not None and not pd.isna(d)]
    overall_rate = _rate(overall["convicted"], overall["convicted"] + overall["acquitted"])
    median_days = _median(all_days)

    adjourned = list(
        Hearing.objects.filter(date__gte=start, date__lte=end, outcome=HearingOutcome.ADJOURNED)
        .order_by()
        .values("adjournment_reason")
        .annotate(n=Count("id"), late=Count("id", filter=Q(exceeds_adjournment_limit=True)))
    )
    by_reason = {row["adjournment_reason"]: row for row in adjourned}
    reason_rows = [
        {
            "reason": label,
            "adjournments": by_reason.get(value, {}).get("n", 0),
            "late": by_reason.get(value, {}).get("late", 0),
        }
        for value, label in AdjournmentReason.choices
    ]
    adjournments = sum(row["adjournments"] for row in reason_rows)

    caseload_rows = [
        {"measure": "Registered", "cases": registered},
        {"measure": "Concluded", "cases": concluded},
        {"measure": "Pending at year end", "cases": pending},
    ]
    closure_rows = [
        {"reason": label, "cases": concluded_by_reason.get(value, 0)} for value, label in ClosureReason.choices
    ]
    figures = [
        Figure("registered", "Cases registered", registered),
        Figure("concluded", "Cases concluded", concluded),
        Figure("pending", "Cases pending at year end", pending),
        Figure("conviction_rate", "Conviction rate", overall_rate, PERCENT),
        Figure("median_days", "Median days, charge to judgment", median_days, ColumnKind.DECIMAL),
        Figure("adjournments", "Adjournments", adjournments),
    ]
    section_columns = (
        Column("section", "Offence section"),
        _count_column("convicted", "Counts convicted"),
        _count_column("acquitted", "Counts acquitted"),
        _count_column("other", "Withdrawn, discharged or abated"),
        Column("rate", "Conviction rate", kind=PERCENT),
        Column("median_days", "Median days charge to judgment", kind=ColumnKind.DECIMAL),
    )
    tables = [
        ReportTable(
            "caseload",
            "Caseload",
            (Column("measure", "Measure"), _count_column("cases", "Cases")),
            caseload_rows,
            sheet="Caseload",
        ),
        ReportTable(
            "sections",
            "Conviction rate by offence section",
            section_columns,
            section_rows,
            total={"section": "All sections", **overall, "rate": overall_rate, "median_days": median_days},
            sheet="By section",
        ),
        ReportTable(
            "closures",
            "Cases concluded, by closure reason",
            (Column("reason", "Closure reason"), _count_column("cases", "Cases")),
            closure_rows,
            total={"reason": "Total", "cases": concluded},
            sheet="Concluded by reason",
        ),
        ReportTable(
            "adjournments",
            "Adjournments, by reason",
            (
                Column("reason", "Reason"),
                _count_column("adjournments", "Adjournments"),
                _count_column("late", "Beyond the CPC s.205 limit"),
            ),
            reason_rows,
            total={
                "reason": "Total",
                "adjournments": adjournments,
                "late": sum(row["late"] for row in reason_rows),
            },
            sheet="Adjournments",
        ),
    ]
    rate_frame = pd.DataFrame(
        [{"section": r["section"], "rate": float(r["rate"] * 100)} for r in section_rows if r["rate"] is not None],
        columns=["section", "rate"],
    )
    chart_list = [
        ReportChart(
            "caseload",
            "Cases registered, concluded and pending",
            charts.bar(pd.DataFrame(caseload_rows), "measure", "cases", value_title="Cases"),
            excel=ExcelChart("caseload", "measure", ("cases",)),
        ),
        ReportChart(
            "sections",
            "Counts convicted and acquitted, by section",
            charts.grouped_bar(
                pd.DataFrame(section_rows, columns=["section", "convicted", "acquitted"]),
                "section",
                {"convicted": "Convicted", "acquitted": "Acquitted"},
                value_title="Counts",
                stacked=True,
                horizontal=True,
            ),
            excel=ExcelChart("sections", "section", ("convicted", "acquitted"), chart_type="bar", subtype="stacked"),
        ),
        ReportChart(
            "rates",
            "Conviction rate by section (%)",
            charts.bar(rate_frame, "section", "rate", value_title="%", horizontal=True),
        ),
        ReportChart(
            "adjournments",
            "Adjournments by reason",
            charts.bar(
                pd.DataFrame(reason_rows), "reason", "adjournments", value_title="Adjournments", horizontal=True
            ),
            excel=ExcelChart("adjournments", "reason", ("adjournments",), chart_type="bar"),
        ),
    ]
    return ReportData(figures=figures, tables=tables, charts=chart_list)


# --- Organisers versus small fish ---------------------------------------------------------------


def network_roles(period: Period, user: Any) -> ReportData:
    start, end = period.start, period.end
    charged = dict(
        Accused.objects.filter(case_id__in=cases_charged_between(start, end), charges__isnull=False)
        .order_by()
        .values_list("network_role")
        .annotate(n=Count("id", distinct=True))
    )
    outcomes = accused_outcomes(start, end)
    convicted = outcomes[outcomes["convicted"]].groupby("network_role").size().to_dict() if not outcomes.empty else {}
    acquitted = outcomes[outcomes["acquitted"]].groupby("network_role").size().to_dict() if not outcomes.empty else {}
    sentence_rows = list(
        Sentence.objects.filter(sentenced_on__gte=start, sentenced_on__lte=end)
        .order_by()
        .values("charge__accused__network_role", "custodial_months", "life_imprisonment")
    )
    sentences = _frame(sentence_rows, ["charge__accused__network_role", "custodial_months", "life_imprisonment"])
    source = get_source(ASSETS_BY_ACCUSED_ROLE)
    seized: dict[str, tuple[int, Decimal]] = dict(source(start, end)) if source else {}
    notes = (
        [] if source else ["Assets seized by network role are not available: the assets app has not registered them."]
    )

    rows: list[dict[str, Any]] = []
    for value, label in NetworkRole.choices:
        mine = sentences[sentences["charge__accused__network_role"] == value] if not sentences.empty else sentences
        terms = mine[(mine["life_imprisonment"] == False) & mine["custodial_months"].notna()]  # noqa: E712
        count, worth = seized.get(value, (0, ZERO))
        rows.append(
            {
                "role": label,
                "charged": charged.get(value, 0),
                "convicted": int(convicted.get(value, 0)),
                "acquitted": int(acquitted.get(value, 0)),
                "median_months": _median(terms["custodial_months"]) if not mine.empty else None,
                "life": int(mine["life_imprisonment"].sum()) if not mine.empty else 0,
                "assets": count,
                "assets_value": worth,
            }
        )
    total = {
        "role": "All roles",
        "charged": sum(r["charged"] for r in rows),
        "convicted": sum(r["convicted"] for r in rows),
        "acquitted": sum(r["acquitted"] for r in rows),
        "median_months": _median(
            sentences.loc[
                (sentences["life_imprisonment"] == False) & sentences["custodial_months"].notna(),  # noqa: E712
                "custodial_months",
            ]
        )
        if not sentences.empty
        else None,
        "life": sum(r["life"] for r in rows),
        "assets": sum(r["assets"] for r in rows),
        "assets_value": sum((r["assets_value"] for r in rows), ZERO),
    }
    organisers = next(r for r in rows if r["role"] == NetworkRole.ORGANISER.label)
    columns = (
        Column("role", "Network role"),
        _count_column("charged", "Accused charged"),
        _count_column("convicted", "Convicted"),
        _count_column("acquitted", "Acquitted"),
        Column("median_months", "Median custodial term (months)", kind=ColumnKind.DECIMAL),
        _count_column("life", "Life sentences"),
        _count_column("assets", "Assets seized from them"),
        Column("assets_value", "Value of assets seized", kind=ColumnKind.MONEY),
    )
    figures = [
        Figure("organisers_charged", "Organisers / financiers charged", organisers["charged"]),
        Figure("organisers_convicted", "Organisers / financiers convicted", organisers["convicted"]),
        Figure(
            "organiser_share",
            "Organisers' share of convictions",
            _rate(organisers["convicted"], total["convicted"]),
            PERCENT,
        ),
        Figure("charged", "Accused charged", total["charged"]),
        Figure("convicted", "Accused convicted", total["convicted"]),
        Figure("assets_value", "Assets seized from accused", total["assets_value"], ColumnKind.MONEY),
    ]
    frame = pd.DataFrame(rows)
    chart_list = [
        ReportChart(
            "outcomes",
            "Charged, convicted and acquitted, by network role",
            charts.grouped_bar(
                frame,
                "role",
                {"charged": "Charged", "convicted": "Convicted", "acquitted": "Acquitted"},
                value_title="Accused",
            ),
            excel=ExcelChart("roles", "role", ("charged", "convicted", "acquitted")),
        ),
        ReportChart(
            "sentences",
            "Median custodial term by role (months)",
            charts.bar(
                frame.assign(median_months=frame["median_months"].map(lambda v: float(v) if v is not None else 0.0)),
                "role",
                "median_months",
                value_title="Months",
            ),
            excel=ExcelChart("roles", "role", ("median_months",)),
        ),
        ReportChart(
            "assets",
            "Value of assets seized, by role of the owner (KES)",
            charts.bar(frame, "role", "assets_value", value_title="KES", money=True, horizontal=True),
            excel=ExcelChart("roles", "role", ("assets_value",), chart_type="bar"),
        ),
    ]
    table = ReportTable("roles", "Accused by network role", columns, rows, total=total, sheet="By network role")
    return ReportData(figures=figures, tables=[table], charts=chart_list, notes=notes)


register_report(
    Report(
        key="tip_statistics",
        title="TIP statistics",
        url_name="prosecutions:tip_statistics",
        roles=PROSECUTION_REPORT_READERS,
        app="prosecutions",
        period_kind=PeriodKind.CALENDAR_YEAR,
        compute=tip_statistics,
        description=(
            "The figures the US Trafficking in Persons report and UNODC ask for: investigations, prosecutions, "
            "convictions, sentences and victims identified."
        ),
        definitions=(
            DEF_PERIOD_CALENDAR,
            DEF_INVESTIGATION,
            DEF_PROSECUTION,
            DEF_CONVICTION,
            DEF_ACQUITTAL,
            DEF_SENTENCE,
            DEF_VICTIM,
        ),
        order=10,
    )
)
register_report(
    Report(
        key="performance",
        title="ODPP performance",
        url_name="prosecutions:performance",
        roles=PROSECUTION_REPORT_READERS,
        app="prosecutions",
        period_kind=PeriodKind.FINANCIAL_YEAR,
        compute=performance,
        description="Cases registered, concluded and pending; conviction rate by section; time to judgment.",
        definitions=(
            DEF_PERIOD_FINANCIAL,
            DEF_REGISTERED,
            DEF_CONCLUDED,
            DEF_PENDING,
            DEF_CONVICTION,
            DEF_ACQUITTAL,
            DEF_RATE,
            DEF_MEDIAN_DAYS,
            ("Adjournment", "A hearing dated in the year whose outcome was recorded as adjourned."),
        ),
        order=20,
    )
)
register_report(
    Report(
        key="network_roles",
        title="Organisers versus small fish",
        url_name="prosecutions:network_roles",
        roles=PROSECUTION_REPORT_READERS,
        app="prosecutions",
        period_kind=PeriodKind.FINANCIAL_YEAR,
        compute=network_roles,
        description="Accused by their role in the trafficking network: is the unit reaching the organisers?",
        definitions=(
            DEF_PERIOD_FINANCIAL,
            DEF_PROSECUTION,
            DEF_CONVICTION,
            DEF_ACQUITTAL,
            (
                "Median custodial term",
                "Over the sentences passed in the year on counts of accused of that role, excluding life "
                "imprisonment (counted on its own) and sentences with no custodial term.",
            ),
            (
                "Assets seized from them",
                "Assets whose recorded owner is an accused of that role, seized in the year, at their estimated "
                "value in KES.",
            ),
        ),
        order=30,
    )
)


# --- Dashboard charts (home-page panels of the prosecution roles) ----------------------------------

HEARING_WEEKS = 6


def stage_pipeline_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Open cases by stage, in the order a case moves (the rows of the "Cases by stage" panel)."""
    frame = pd.DataFrame([row for row in rows if row["stage"] != Stage.CLOSED], columns=["stage", "label", "count"])
    spec = charts.bar(frame, "label", "count", value_title="Open cases", horizontal=True)
    spec["height"] = {"step": 18}
    return spec


def hearings_by_week_chart(cases: QuerySet[Case], today: dt.date) -> dict[str, Any]:
    """Scheduled hearings of these cases per week over the next weeks (one aggregate query)."""
    last = today + dt.timedelta(weeks=HEARING_WEEKS)
    counts = (
        Hearing.objects.filter(case__in=cases, date__gte=today, date__lt=last, outcome=HearingOutcome.SCHEDULED)
        .order_by()
        .values_list("date")
        .annotate(n=Count("id"))
    )
    frame = charts.weekly_counts(counts, today, HEARING_WEEKS)
    spec = charts.bar(frame, "week", "count", category_title="Week starting", value_title="Hearings")
    spec["height"] = 140
    return spec
