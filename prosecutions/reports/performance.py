"""ODPP performance (financial year): cases registered, concluded and pending; the conviction rate by
offence section; the time from charge to judgment; adjournments by reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd
from django.db.models import Count, Q

from core import charts
from core.access import AnyUser
from core.reports import (
    PERCENT,
    ExcelChart,
    Figure,
    Period,
    PeriodKind,
    Report,
    ReportChart,
    ReportData,
    ReportTable,
    register_report,
)
from core.tables import Column, ColumnKind
from prosecutions.choices import (
    ACQUITTALS,
    CONVICTIONS,
    AdjournmentReason,
    ClosureReason,
    Disposition,
    FineRelation,
    HearingOutcome,
    SentenceOverrideGround,
    Stage,
    Statute,
)
from prosecutions.models import Case, Charge, Hearing, Sentence, StageChange
from prosecutions.reports.definitions import (
    DEF_ACQUITTAL,
    DEF_ADJOURNMENT,
    DEF_CONCLUDED,
    DEF_CONVICTION,
    DEF_MEDIAN_DAYS,
    DEF_OVERRIDE,
    DEF_PENDING,
    DEF_PERIOD_FINANCIAL,
    DEF_RATE,
    DEF_REGISTERED,
)
from prosecutions.reports.shared import (
    CTIP_SHORT,
    PROSECUTION_REPORT_READERS,
    cases_charged_between,
    count_column,
    first_charged_on,
    frame,
    median,
    rate,
)

SECTION_COLUMNS = (
    Column("section", "Offence section"),
    count_column("convicted", "Counts convicted"),
    count_column("acquitted", "Counts acquitted"),
    count_column("other", "Withdrawn, discharged or abated"),
    Column("rate", "Conviction rate", kind=PERCENT),
    Column("median_days", "Median days charge to judgment", kind=ColumnKind.DECIMAL),
)
OVERRIDE_COLUMNS = (
    Column("case", "Case"),
    Column("count", "Count"),
    Column("section", "Offence section"),
    Column("sentence", "Sentence"),
    Column("sentenced_on", "Sentenced on", kind=ColumnKind.DATE),
    Column("ground", "Override ground"),
    Column("reason", "Reason"),
)
OVERRIDE_FIELDS = [
    "charge__accused__case__reference",
    "charge__count_number",
    "charge__offence__statute",
    "charge__offence__section",
    "custodial_months",
    "life_imprisonment",
    "fine_amount",
    "fine_relation",
    "sentenced_on",
    "override_ground",
    "override_reason",
]
COUNT_FIELDS = ["offence__statute", "offence__section", "disposition", "disposition_date", "accused__case_id"]


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


# --- the steps -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Caseload:
    registered: int
    concluded_by_reason: dict[str, int]
    pending: int

    @property
    def concluded(self) -> int:
        return sum(self.concluded_by_reason.values())

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"measure": "Registered", "cases": self.registered},
            {"measure": "Concluded", "cases": self.concluded},
            {"measure": "Pending at year end", "cases": self.pending},
        ]


def _caseload(start: dt.date, end: dt.date) -> _Caseload:
    """Cases charged in the period, charged cases closed in it (by reason), and those open at its end."""
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
    pending = (
        Case.objects.filter(pk__in=first_charged_on().filter(charged_on__lte=end).values("case_id"))
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=end))
        .count()
    )
    return _Caseload(registered, concluded_by_reason, pending)


def _disposed_counts(start: dt.date, end: dt.date) -> pd.DataFrame:
    """The counts disposed of in the period, each marked convicted / acquitted / other, with the days from
    its case's charge to a verdict (None for a count that was not a verdict)."""
    count_rows = list(
        Charge.objects.filter(disposition_date__gte=start, disposition_date__lte=end)
        .exclude(disposition=Disposition.PENDING)
        .order_by()
        .values(*COUNT_FIELDS)
    )
    charged_on = {
        row["case_id"]: row["charged_on"]
        for row in first_charged_on().filter(
            case_id__in=Charge.objects.filter(disposition_date__gte=start, disposition_date__lte=end)
            .order_by()
            .values("accused__case_id")
        )
    }
    counts = frame(count_rows, COUNT_FIELDS)
    if counts.empty:
        return counts
    counts["convicted"] = counts["disposition"].isin(list(CONVICTIONS))
    counts["acquitted"] = counts["disposition"].isin(list(ACQUITTALS))
    counts["other"] = ~(counts["convicted"] | counts["acquitted"])
    counts["charged_on"] = counts["accused__case_id"].map(charged_on)
    verdict = counts["convicted"] | counts["acquitted"]
    counts["days"] = [
        (decided - charged).days if is_verdict and charged is not None and not pd.isna(charged) else None
        for decided, charged, is_verdict in zip(counts["disposition_date"], counts["charged_on"], verdict, strict=True)
    ]
    return counts


@dataclass
class _Sections:
    """Verdicts by offence section, and over all sections."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    overall: dict[str, int] = field(default_factory=lambda: {"convicted": 0, "acquitted": 0, "other": 0})
    days: list[int] = field(default_factory=list)

    @property
    def conviction_rate(self) -> Decimal | None:
        return rate(self.overall["convicted"], self.overall["convicted"] + self.overall["acquitted"])

    @property
    def median_days(self) -> Decimal | None:
        return median(self.days)


def _sections(counts: pd.DataFrame) -> _Sections:
    sections = _Sections()
    if counts.empty:
        return sections
    grouped = counts.groupby(["offence__statute", "offence__section"])
    for (statute, section), group in sorted(grouped, key=lambda item: _section_sort_key(*item[0])):
        convicted, acquitted, other = (int(group[c].sum()) for c in ("convicted", "acquitted", "other"))
        sections.rows.append(
            {
                "section": _section_label(statute, section),
                "convicted": convicted,
                "acquitted": acquitted,
                "other": other,
                "rate": rate(convicted, convicted + acquitted),
                "median_days": median(group["days"]),
            }
        )
        sections.overall["convicted"] += convicted
        sections.overall["acquitted"] += acquitted
        sections.overall["other"] += other
    sections.days = [d for d in counts["days"] if d is not None and not pd.isna(d)]
    return sections


def _adjournments(start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Hearings of the period adjourned, by reason, and how many of them beyond the CPC s.205 limit."""
    adjourned = list(
        Hearing.objects.filter(date__gte=start, date__lte=end, outcome=HearingOutcome.ADJOURNED)
        .order_by()
        .values("adjournment_reason")
        .annotate(n=Count("id"), late=Count("id", filter=Q(exceeds_adjournment_limit=True)))
    )
    by_reason = {row["adjournment_reason"]: row for row in adjourned}
    return [
        {
            "reason": label,
            "adjournments": by_reason.get(value, {}).get("n", 0),
            "late": by_reason.get(value, {}).get("late", 0),
        }
        for value, label in AdjournmentReason.choices
    ]


def _sentence_text(row: dict[str, Any]) -> str:
    """The term and fine of a sentence row, as the case page words them."""
    parts = []
    if row["life_imprisonment"]:
        parts.append("Life imprisonment")
    elif row["custodial_months"]:
        years, months = divmod(row["custodial_months"], 12)
        parts.append(" ".join(p for p in (f"{years} yr" if years else "", f"{months} mo" if months else "") if p))
    if row["fine_amount"]:
        relation = dict(FineRelation.choices).get(row["fine_relation"], "")
        parts.append(f"fine KES {row['fine_amount']:,.2f} ({str(relation).lower()})")
    return "; ".join(parts) or "—"


def _overrides(start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Sentences passed in the period outside the statutory range, with the ground and reason given (one
    query). Accused are not named: the case and the count identify the sentence."""
    rows = (
        Sentence.objects.filter(sentenced_on__gte=start, sentenced_on__lte=end)
        .exclude(override_ground="")
        .order_by("sentenced_on", "id")
        .values(*OVERRIDE_FIELDS)
    )
    grounds = dict(SentenceOverrideGround.choices)
    return [
        {
            "case": row["charge__accused__case__reference"],
            "count": f"Count {row['charge__count_number']}",
            "section": _section_label(row["charge__offence__statute"], row["charge__offence__section"]),
            "sentence": _sentence_text(row),
            "sentenced_on": row["sentenced_on"],
            "ground": str(grounds.get(row["override_ground"], row["override_ground"])),
            "reason": row["override_reason"],
        }
        for row in rows
    ]


# --- the report ------------------------------------------------------------------------------------


def performance(period: Period, user: AnyUser) -> ReportData:
    start, end = period.start, period.end
    caseload = _caseload(start, end)
    sections = _sections(_disposed_counts(start, end))
    reasons = _adjournments(start, end)
    adjournments = sum(row["adjournments"] for row in reasons)
    figures = [
        Figure("registered", "Cases registered", caseload.registered),
        Figure("concluded", "Cases concluded", caseload.concluded),
        Figure("pending", "Cases pending at year end", caseload.pending),
        Figure("conviction_rate", "Conviction rate", sections.conviction_rate, PERCENT),
        Figure("median_days", "Median days, charge to judgment", sections.median_days, ColumnKind.DECIMAL),
        Figure("adjournments", "Adjournments", adjournments),
    ]
    tables = _performance_tables(caseload, sections, reasons, adjournments)
    tables.append(
        ReportTable(
            "overrides",
            "Sentences outside the statutory range (overrides)",
            OVERRIDE_COLUMNS,
            _overrides(start, end),
            note="Each passed below the mandatory minimum or above the maximum of the offence version in force, "
            "on the ground and for the reason recorded with the sentence.",
            sheet="Sentence overrides",
        )
    )
    return ReportData(figures=figures, tables=tables, charts=_performance_charts(caseload, sections, reasons))


def _performance_tables(
    caseload: _Caseload, sections: _Sections, reasons: list[dict[str, Any]], adjournments: int
) -> list[ReportTable]:
    closure_rows = [
        {"reason": label, "cases": caseload.concluded_by_reason.get(value, 0)} for value, label in ClosureReason.choices
    ]
    return [
        ReportTable(
            "caseload",
            "Caseload",
            (Column("measure", "Measure"), count_column("cases", "Cases")),
            caseload.rows(),
            sheet="Caseload",
        ),
        ReportTable(
            "sections",
            "Conviction rate by offence section",
            SECTION_COLUMNS,
            sections.rows,
            total={
                "section": "All sections",
                **sections.overall,
                "rate": sections.conviction_rate,
                "median_days": sections.median_days,
            },
            sheet="By section",
        ),
        ReportTable(
            "closures",
            "Cases concluded, by closure reason",
            (Column("reason", "Closure reason"), count_column("cases", "Cases")),
            closure_rows,
            total={"reason": "Total", "cases": caseload.concluded},
            sheet="Concluded by reason",
        ),
        ReportTable(
            "adjournments",
            "Adjournments, by reason",
            (
                Column("reason", "Reason"),
                count_column("adjournments", "Adjournments"),
                count_column("late", "Beyond the CPC s.205 limit"),
            ),
            reasons,
            total={"reason": "Total", "adjournments": adjournments, "late": sum(row["late"] for row in reasons)},
            sheet="Adjournments",
        ),
    ]


def _performance_charts(caseload: _Caseload, sections: _Sections, reasons: list[dict[str, Any]]) -> list[ReportChart]:
    rate_frame = pd.DataFrame(
        [{"section": r["section"], "rate": float(r["rate"] * 100)} for r in sections.rows if r["rate"] is not None],
        columns=["section", "rate"],
    )
    return [
        ReportChart(
            "caseload",
            "Cases registered, concluded and pending",
            charts.bar(pd.DataFrame(caseload.rows()), "measure", "cases", value_title="Cases"),
            excel=ExcelChart("caseload", "measure", ("cases",)),
        ),
        ReportChart(
            "sections",
            "Counts convicted and acquitted, by section",
            charts.grouped_bar(
                pd.DataFrame(sections.rows, columns=["section", "convicted", "acquitted"]),
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
            charts.bar(pd.DataFrame(reasons), "reason", "adjournments", value_title="Adjournments", horizontal=True),
            excel=ExcelChart("adjournments", "reason", ("adjournments",), chart_type="bar"),
        ),
    ]


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
            DEF_ADJOURNMENT,
            DEF_OVERRIDE,
        ),
        order=20,
    )
)
