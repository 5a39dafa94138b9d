"""ODPP performance for a financial year (or any dates): cases by offence section — registered, brought
forward, concluded by outcome, pending — with the conviction rate by case beside the rate by count, compared
with the previous period and the average of the three before; verdicts on counts by section, the time from
charge to judgment, adjournments by reason and the sentences outside the statutory range.

The case figures are ODPP's (``caseload``): each case once, under the section of its lead count."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd
from django.db.models import Count, Q
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

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
    Disposition,
    FineRelation,
    HearingOutcome,
    SentenceOverrideGround,
)
from prosecutions.models import Hearing, Sentence
from prosecutions.reports.caseload import (
    MEASURES,
    PREVIOUS_PERIODS,
    CaseFigures,
    average_of,
    case_outcomes,
    counts_of_cases,
    dated_between,
    figures_of,
    section_label,
    section_rows,
    section_sort_key,
)
from prosecutions.reports.definitions import (
    DEF_ACQUITTAL,
    DEF_ADJOURNMENT_PERIOD,
    DEF_BROUGHT_FORWARD,
    DEF_CASE_CONCLUDED,
    DEF_CASE_OUTCOME,
    DEF_CASE_PENDING,
    DEF_CASE_RATE,
    DEF_CASE_REGISTERED,
    DEF_COMPLAINANT_WITHDREW,
    DEF_CONVICTION,
    DEF_COUNT_RATE,
    DEF_LEAD_COUNT,
    DEF_MEDIAN_DAYS_PERIOD,
    DEF_OVERRIDE_PERIOD,
    DEF_PERIOD_FINANCIAL_OR_DATES,
    DEF_PREVIOUS,
)
from prosecutions.reports.shared import PROSECUTION_REPORT_READERS, count_column, median, rate

CASE_COLUMNS = (
    Column("section", _("Offence section (lead count)")),
    *(count_column(key, label) for key, label in MEASURES),
    Column("rate", _("Conviction rate by case"), kind=PERCENT),
)
COUNT_SECTION_COLUMNS = (
    Column("section", _("Offence section (each count)")),
    count_column("convicted", _("Counts convicted")),
    count_column("acquitted", _("Counts acquitted")),
    count_column("other", _("Withdrawn, discharged or abated")),
    Column("rate", _("Conviction rate by count"), kind=PERCENT),
    Column("median_days", _("Median days charge to judgment"), kind=ColumnKind.DECIMAL),
)
OVERRIDE_COLUMNS = (
    Column("case", _("Case")),
    Column("count", _("Count")),
    Column("section", _("Offence section")),
    Column("sentence", _("Sentence")),
    Column("sentenced_on", _("Sentenced on"), kind=ColumnKind.DATE),
    Column("ground", _("Override ground")),
    Column("reason", _("Reason")),
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


def period_name(period: Period) -> str:
    """A short name for a column heading: "2025/26", "2025", or the chosen dates."""
    if period.is_chosen_dates:
        return period.dates
    if period.kind == PeriodKind.CALENDAR_YEAR:
        return str(period.start_year)
    return f"{period.start_year}/{(period.start_year + 1) % 100:02d}"


# --- verdicts on counts ------------------------------------------------------------------------------


def _disposed_counts(counts: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The counts with an outcome dated in the period, each marked convicted / acquitted / other, with the
    days from its case's charge to a verdict (None for an outcome that is not a verdict)."""
    in_period = dated_between(counts["disposition_date"], start, end)
    disposed = counts[in_period & (counts["disposition"] != Disposition.PENDING)].copy()
    disposed["convicted"] = disposed["disposition"].isin(list(CONVICTIONS))
    disposed["acquitted"] = disposed["disposition"].isin(list(ACQUITTALS))
    disposed["other"] = ~(disposed["convicted"] | disposed["acquitted"])
    verdict = disposed["convicted"] | disposed["acquitted"]
    disposed["days"] = [
        int((decided - charged).days) if is_verdict and pd.notna(charged) else None
        for decided, charged, is_verdict in zip(
            disposed["disposition_date"], disposed["charged_on"], verdict, strict=True
        )
    ]
    return disposed


@dataclass
class _Sections:
    """Verdicts on counts by offence section, and over all sections."""

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
    grouped = counts.groupby(["statute", "section"])
    for (statute, section), group in sorted(grouped, key=lambda item: section_sort_key(*item[0])):
        convicted, acquitted, other = (int(group[c].sum()) for c in ("convicted", "acquitted", "other"))
        sections.rows.append(
            {
                "section": section_label(statute, section),
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
            "reason": str(label),
            "adjournments": by_reason.get(value, {}).get("n", 0),
            "late": by_reason.get(value, {}).get("late", 0),
        }
        for value, label in AdjournmentReason.choices
    ]


def _sentence_text(row: dict[str, Any]) -> str:
    """The term and fine of a sentence row, as the case page words them."""
    parts = []
    if row["life_imprisonment"]:
        parts.append(gettext("Life imprisonment"))
    elif row["custodial_months"]:
        years, months = divmod(row["custodial_months"], 12)
        term = (
            ngettext("%(years)s yr", "%(years)s yr", years) % {"years": years} if years else "",
            ngettext("%(months)s mo", "%(months)s mo", months) % {"months": months} if months else "",
        )
        parts.append(" ".join(p for p in term if p))
    if row["fine_amount"]:
        relation = dict(FineRelation.choices).get(row["fine_relation"], "")
        parts.append(
            gettext("fine KES %(amount)s (%(relation)s)")
            % {"amount": f"{row['fine_amount']:,.2f}", "relation": str(relation).lower()}
        )
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
            "count": gettext("Count %(number)s") % {"number": row["charge__count_number"]},
            "section": section_label(row["charge__offence__statute"], row["charge__offence__section"]),
            "sentence": _sentence_text(row),
            "sentenced_on": row["sentenced_on"],
            "ground": str(grounds.get(row["override_ground"], row["override_ground"])),
            "reason": row["override_reason"],
        }
        for row in rows
    ]


# --- the report ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Compared:
    """The case figures of the period, of the one before, and the average of the three before."""

    period: Period
    current: CaseFigures
    previous: CaseFigures
    average: CaseFigures

    @property
    def columns(self) -> tuple[Column, Column, Column]:
        """This period, the previous one and the average, named for the column headings."""
        earlier = earlier_periods(self.period)
        if self.period.is_chosen_dates:
            average = gettext("Average, same dates in the %(years)s years before") % {"years": PREVIOUS_PERIODS}
        else:
            average = gettext("Average %(first)s–%(last)s") % {
                "first": period_name(earlier[-1]),
                "last": period_name(earlier[0]),
            }
        return (
            count_column("current", period_name(self.period)),
            count_column("previous", period_name(earlier[0])),
            Column("average", average, kind=ColumnKind.DECIMAL),
        )

    def measure_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "measure": str(label),
                "current": self.current.values[key],
                "previous": self.previous.values[key],
                "average": self.average.values[key],
            }
            for key, label in MEASURES
        ]

    def rate_rows(self) -> list[dict[str, Any]]:
        figures = {"current": self.current, "previous": self.previous, "average": self.average}
        return [
            {"measure": gettext("Conviction rate by case"), **{key: f.case_rate for key, f in figures.items()}},
            {"measure": gettext("Conviction rate by count"), **{key: f.count_rate for key, f in figures.items()}},
        ]


def earlier_periods(period: Period) -> list[Period]:
    """The periods compared with this one, the most recent first: the same dates 1, 2 and 3 years earlier."""
    return [period.shifted(-n) for n in range(1, PREVIOUS_PERIODS + 1)]


def _compare(period: Period, counts: pd.DataFrame, cases: pd.DataFrame) -> _Compared:
    earlier = earlier_periods(period)
    return _Compared(
        period,
        figures_of(cases, counts, period.start, period.end),
        figures_of(cases, counts, earlier[0].start, earlier[0].end),
        average_of(cases, counts, [(p.start, p.end) for p in earlier]),
    )


def performance(period: Period, user: AnyUser) -> ReportData:
    start, end = period.start, period.end
    counts = counts_of_cases(earlier_periods(period)[-1].start, end)
    cases = case_outcomes(counts)
    compared = _compare(period, counts, cases)
    sections = _sections(_disposed_counts(counts, start, end))
    reasons = _adjournments(start, end)
    adjournments = sum(row["adjournments"] for row in reasons)
    tables = _performance_tables(compared, section_rows(cases, start, end), sections, reasons, adjournments)
    tables.append(
        ReportTable(
            "overrides",
            gettext("Sentences outside the statutory range (overrides)"),
            OVERRIDE_COLUMNS,
            _overrides(start, end),
            note=gettext(
                "Each passed below the mandatory minimum or above the maximum of the offence version in force, "
                "on the ground and for the reason recorded with the sentence."
            ),
            sheet=gettext("Sentence overrides"),
        )
    )
    return ReportData(
        figures=_figures(compared, sections, adjournments),
        tables=tables,
        charts=_performance_charts(tables, compared, sections, reasons),
    )


def _figures(compared: _Compared, sections: _Sections, adjournments: int) -> list[Figure]:
    """The headline figures of the period (the comparison with earlier periods is in the tables)."""
    current = compared.current
    return [
        Figure("registered", gettext("Cases registered"), current.values["registered"]),
        Figure("brought_forward", gettext("Cases brought forward"), current.values["brought_forward"]),
        Figure("concluded", gettext("Cases concluded"), current.values["concluded"]),
        Figure("pending", gettext("Cases pending at the end"), current.values["pending"]),
        Figure("case_conviction_rate", gettext("Conviction rate by case"), current.case_rate, PERCENT),
        Figure("conviction_rate", gettext("Conviction rate by count"), current.count_rate, PERCENT),
        Figure("median_days", gettext("Median days, charge to judgment"), sections.median_days, ColumnKind.DECIMAL),
        Figure("adjournments", gettext("Adjournments"), adjournments),
    ]


def _performance_tables(
    compared: _Compared,
    case_rows: list[dict[str, Any]],
    sections: _Sections,
    reasons: list[dict[str, Any]],
    adjournments: int,
) -> list[ReportTable]:
    comparison_columns = (Column("measure", gettext("Cases")), *compared.columns)
    return [
        ReportTable(
            "cases",
            gettext("Cases by offence section (section of the lead count)"),
            CASE_COLUMNS,
            case_rows,
            total={"section": gettext("All sections"), **compared.current.values, "rate": compared.current.case_rate},
            note=gettext("Each case once, under the section of its lead count; — : not recorded by the tracker."),
            sheet=gettext("Cases by section"),
        ),
        ReportTable(
            "comparison",
            gettext("Cases compared with the previous periods"),
            comparison_columns,
            compared.measure_rows(),
            sheet=gettext("Cases compared"),
        ),
        ReportTable(
            "rates",
            gettext("Conviction rates compared with the previous periods"),
            (
                Column("measure", gettext("Conviction rate")),
                *(Column(c.key, c.label, kind=PERCENT) for c in compared.columns),
            ),
            compared.rate_rows(),
            sheet=gettext("Rates compared"),
        ),
        ReportTable(
            "sections",
            gettext("Verdicts on counts, by offence section (conviction rate by count)"),
            COUNT_SECTION_COLUMNS,
            sections.rows,
            total={
                "section": gettext("All sections"),
                **sections.overall,
                "rate": sections.conviction_rate,
                "median_days": sections.median_days,
            },
            sheet=gettext("Counts by section"),
        ),
        ReportTable(
            "adjournments",
            gettext("Adjournments, by reason"),
            (
                Column("reason", gettext("Reason")),
                count_column("adjournments", gettext("Adjournments")),
                count_column("late", gettext("Beyond the CPC s.205 limit")),
            ),
            reasons,
            total={
                "reason": gettext("Total"),
                "adjournments": adjournments,
                "late": sum(row["late"] for row in reasons),
            },
            sheet=gettext("Adjournments"),
        ),
    ]


def _performance_charts(
    tables: list[ReportTable], compared: _Compared, sections: _Sections, reasons: list[dict[str, Any]]
) -> list[ReportChart]:
    by_key = {table.key: table for table in tables}
    flows = {
        "registered": gettext("Registered"),
        "concluded": gettext("Concluded"),
        "pending": gettext("Pending at the end"),
    }
    periods = {column.key: str(column.label) for column in compared.columns}
    rates = pd.DataFrame(
        [
            {"measure": row["measure"], **{k: None if row[k] is None else float(row[k] * 100) for k in periods}}
            for row in by_key["rates"].rows
        ]
    )
    return [
        ReportChart(
            "cases",
            gettext("Cases by section: registered, concluded and pending"),
            charts.grouped_bar(
                pd.DataFrame(by_key["cases"].rows, columns=["section", *flows]),
                "section", flows, category_title=gettext("Offence section"), value_title=gettext("Cases"),
                horizontal=True,
            ),
            excel=ExcelChart("cases", "section", tuple(flows), chart_type="bar"),
        ),
        ReportChart(
            "rates",
            gettext("Conviction rates compared (%)"),
            charts.grouped_bar(rates, "measure", periods, category_title=gettext("Measure"), value_title="%"),
            excel=ExcelChart("rates", "measure", tuple(periods)),
        ),
        ReportChart(
            "sections",
            gettext("Counts convicted and acquitted, by section"),
            charts.grouped_bar(
                pd.DataFrame(sections.rows, columns=["section", "convicted", "acquitted"]),
                "section", {"convicted": gettext("Convicted"), "acquitted": gettext("Acquitted")},
                category_title=gettext("Offence section"), value_title=gettext("Counts"), stacked=True,
                horizontal=True,
            ),
            excel=ExcelChart("sections", "section", ("convicted", "acquitted"), chart_type="bar", subtype="stacked"),
        ),
        ReportChart(
            "adjournments",
            gettext("Adjournments by reason"),
            charts.bar(
                pd.DataFrame(reasons), "reason", "adjournments", category_title=gettext("Reason"),
                value_title=gettext("Adjournments"), horizontal=True,
            ),
            excel=ExcelChart("adjournments", "reason", ("adjournments",), chart_type="bar"),
        ),
    ]  # fmt: skip


register_report(
    Report(
        key="performance",
        title=_("ODPP performance"),
        url_name="prosecutions:performance",
        roles=PROSECUTION_REPORT_READERS,
        app="prosecutions",
        period_kind=PeriodKind.FINANCIAL_YEAR,
        any_dates=True,
        compute=performance,
        description=_(
            "Cases by offence section — registered, brought forward, concluded by outcome, pending — with "
            "the conviction rate by case and by count, compared with the previous periods; verdicts on counts; time "
            "to judgment; adjournments; sentence overrides."
        ),
        definitions=(
            DEF_PERIOD_FINANCIAL_OR_DATES,
            DEF_LEAD_COUNT,
            DEF_CASE_REGISTERED,
            DEF_BROUGHT_FORWARD,
            DEF_CASE_CONCLUDED,
            DEF_CASE_PENDING,
            DEF_CASE_OUTCOME,
            DEF_COMPLAINANT_WITHDREW,
            DEF_CASE_RATE,
            DEF_CONVICTION,
            DEF_ACQUITTAL,
            DEF_COUNT_RATE,
            DEF_PREVIOUS,
            DEF_MEDIAN_DAYS_PERIOD,
            DEF_ADJOURNMENT_PERIOD,
            DEF_OVERRIDE_PERIOD,
        ),
        order=20,
    )
)
