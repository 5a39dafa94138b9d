"""The asset recovery report (financial year) and the asset figures other reports read.

Value seized → preserved → forfeited → realised → received by the fund, for the chosen financial
year and the four before it, and per case for the chosen year. Each stage counts in the year its own
step happened (seizure date, first preservation order, first forfeiture or confiscation order, sale,
receipt), so a year's row says what the unit achieved that year. Each stage is summed in the database,
by financial year over the five-year window and by case for the chosen year (two grouped queries a
stage, whatever the number of assets); "received by the fund" comes from the trust fund through the
``RECOVERY_RECEIPTS`` report source (assets never imports the trust fund). On screen the by-case table
shows a page at a time; the workbook lists every case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assets.access import ASSET_READERS
from assets.choices import FORFEITED_STATUSES, FORFEITING_ORDERS, AssetStatus, OrderType, RecoveryStage
from assets.models import Asset, AssetStatusChange, CourtOrder, Realisation
from core import charts, guards
from core.access import AnyUser
from core.labels import Label
from core.reports import (
    ASSETS_BY_ACCUSED_ROLE,
    PERCENT,
    RECOVERY_RECEIPTS,
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
    register_source,
)
from core.tables import Column, ColumnKind
from prosecutions.choices import NetworkRole
from prosecutions.models import Accused
from prosecutions.reports.network import ASSETS_RECOVERED_BY_PERSON_ROLE

ZERO = Decimal("0")
TREND_YEARS = 5
CASES_PER_PAGE = 50  # the by-case table on screen; the workbook lists every case
STAGES: tuple[tuple[str, Label], ...] = tuple(RecoveryStage.choices)
LAPSED = "lapsed"  # preservation orders lapsed: counted beside the stages
NOT_AVAILABLE = gettext_lazy(
    "Received by the fund: not available — the trust fund has not registered its receipts of forfeited "
    "proceeds with the reports yet."
)


def _fy_of(day: str) -> Any:
    """The financial year (by the calendar year it starts in) of the date ``day``: from July, the year's own."""
    return ExtractYear(day) - Case(When(**{f"{day}__month__lt": 7}, then=Value(1)), default=Value(0))


def fy_start_year(day: dt.date) -> int:
    return day.year - (day.month < 7)


def _rate(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if not denominator:
        return None
    return (numerator / denominator).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _dated(records: QuerySet[Any], day: Any, value: str, case: str) -> QuerySet[Any]:
    """``records`` as dated values of a case: ``day``, ``value`` (KES) and the case's id, number and title."""
    return records.annotate(
        day=day,
        value=F(value),
        case_key=F(f"{case}_id"),
        case_ref=F(f"{case}__reference"),
        case_title=F(f"{case}__title"),
    )


def _first_order(order_types: Iterable[str]) -> QuerySet[Any]:
    """Each asset's first order of these types (the earliest granted; the first recorded on a tie), dated
    by its grant, at the asset's estimated value. An anti-join, not a grouped subquery: it stays one pass
    over the orders however many assets there are."""
    types = list(order_types)
    earlier = CourtOrder.objects.filter(asset=OuterRef("asset"), order_type__in=types).filter(
        Q(granted_on__lt=OuterRef("granted_on")) | Q(granted_on=OuterRef("granted_on"), pk__lt=OuterRef("pk"))
    )
    firsts = CourtOrder.objects.filter(order_type__in=types).filter(~Exists(earlier))
    return _dated(firsts, F("granted_on"), "asset__estimated_value_kes", "asset__case")


def _stage_records() -> dict[str, QuerySet[Any]]:
    """Every stage the database can count (all but the fund's receipts), and the lapses: dated values."""
    return {
        RecoveryStage.SEIZED.value: _dated(Asset.objects.all(), F("seized_on"), "estimated_value_kes", "case"),
        RecoveryStage.PRESERVED.value: _first_order([OrderType.PRESERVATION]),
        RecoveryStage.FORFEITED.value: _first_order(FORFEITING_ORDERS),
        RecoveryStage.REALISED.value: _dated(
            Realisation.objects.all(), F("realised_on"), "net_proceeds_kes", "asset__case"
        ),
        LAPSED: _dated(
            AssetStatusChange.objects.filter(to_status=AssetStatus.LAPSED),
            F("effective_on"),
            "asset__estimated_value_kes",
            "asset__case",
        ),
    }


@dataclass
class RecoveryTotals:
    """Per stage (and ``lapsed``): the count and KES value by financial year of the trend, and by case for
    the chosen year — summed in the database, one query per stage and view, whatever the number of assets."""

    years: dict[str, dict[int, tuple[int, Decimal]]] = field(default_factory=dict)
    cases: dict[str, dict[int, tuple[int, Decimal]]] = field(default_factory=dict)
    labels: dict[int, tuple[str, str]] = field(default_factory=dict)  # case id → (number, title)
    available: bool = True

    def add_case(self, stage: str, case: int, label: tuple[str, str], count: int, value: Decimal) -> None:
        held = self.cases.setdefault(stage, {}).get(case, (0, ZERO))
        self.cases[stage][case] = (held[0] + count, held[1] + value)
        self.labels[case] = label


def _received(start: dt.date, end: dt.date, period: Period | None, totals: RecoveryTotals) -> None:
    """The trust fund's receipts of realisation proceeds (through the report source; assets never imports
    the trust fund), by year and, for ``period``, by case (the cases looked up for that year's only)."""
    source = get_source(RECOVERY_RECEIPTS)
    stage = RecoveryStage.RECEIVED.value
    totals.available = source is not None
    receipts = list(source(start, end)) if source is not None else []
    years = totals.years.setdefault(stage, {})
    totals.cases.setdefault(stage, {})
    for _stage, day, amount in receipts:
        count, value = years.get(fy_start_year(day), (0, ZERO))
        years[fy_start_year(day)] = (count + 1, value + Decimal(amount))
    if period is None:
        return
    chosen = [(pk, Decimal(amount)) for pk, day, amount in receipts if period.start <= day <= period.end]
    cases = {
        row["pk"]: row
        for row in Realisation.objects.filter(pk__in={pk for pk, _ in chosen})
        .order_by()
        .values("pk", "asset__case_id", "asset__case__reference", "asset__case__title")
    }
    for pk, amount in chosen:
        row = cases[pk]
        label = (row["asset__case__reference"], row["asset__case__title"])
        totals.add_case(stage, row["asset__case_id"], label, 1, amount)


def recovery_totals(first_year: Period, period: Period, by_case: bool = True) -> RecoveryTotals:
    """Each stage's count and value per financial year from ``first_year`` to ``period``, and per case for
    ``period`` (unless ``by_case`` is off): two grouped queries per stage."""
    totals = RecoveryTotals()
    start, end = first_year.start, period.end
    for stage, records in _stage_records().items():
        in_window = records.filter(day__gte=start, day__lte=end).order_by()
        rows = in_window.annotate(fy=_fy_of("day")).values("fy").annotate(n=Count("pk"), total=Sum("value"))
        totals.years[stage] = {row["fy"]: (row["n"], row["total"] or ZERO) for row in rows}
        totals.cases.setdefault(stage, {})
        if by_case:
            chosen = in_window.filter(day__gte=period.start, day__lte=period.end)
            grouped = chosen.values("case_key", "case_ref", "case_title").annotate(n=Count("pk"), total=Sum("value"))
            for row in grouped:
                label = (row["case_ref"], row["case_title"])
                totals.add_case(stage, row["case_key"], label, row["n"], row["total"] or ZERO)
    _received(start, end, period if by_case else None, totals)
    return totals


def _measures(values: Mapping[str, tuple[int, Decimal]], available: bool) -> dict[str, Any]:
    """A year's or a case's row of the report from its (count, value) per stage and ``lapsed``."""
    row: dict[str, Any] = {stage: values.get(stage, (0, ZERO))[1] for stage, _ in STAGES}
    if not available:
        row["received"] = None
    row["lapsed"], row["lapsed_value"] = values.get(LAPSED, (0, ZERO))
    row["rate"] = _rate(row["realised"], row["forfeited"])
    return row


def _year_rows(totals: RecoveryTotals, first_year: Period) -> list[dict[str, Any]]:
    """The measures of each financial year of the trend, oldest first."""
    rows = []
    for offset in range(TREND_YEARS):
        year = first_year.shifted(offset)
        values = {stage: by_year.get(year.start_year, (0, ZERO)) for stage, by_year in totals.years.items()}
        rows.append({"year": year.label.replace("Financial year ", "FY "), **_measures(values, totals.available)})
    return rows


def _case_rows(totals: RecoveryTotals) -> list[dict[str, Any]]:
    """The measures of each case with something in the chosen year, by case number."""
    rows = []
    for case, (reference, title) in sorted(totals.labels.items(), key=lambda item: str(item[1][0])):
        values = {stage: by_case[case] for stage, by_case in totals.cases.items() if case in by_case}
        rows.append({"reference": reference, "title": title, **_measures(values, totals.available)})
    return rows


def _recovery_tables(
    period: Period, year_rows: list[dict[str, Any]], case_rows: list[dict[str, Any]], funnel_rows: list[dict[str, Any]]
) -> list[ReportTable]:
    """The stages of the chosen year, the trend by year, and the chosen year by case."""
    money = ColumnKind.MONEY
    stage_columns = [Column(stage, _("%(stage)s (KES)") % {"stage": label}, kind=money) for stage, label in STAGES]
    tail = [
        Column("rate", _("Recovery rate"), kind=PERCENT),
        Column("lapsed", _("Orders lapsed"), kind=ColumnKind.INTEGER),
        Column("lapsed_value", _("Value lapsed (KES)"), kind=money),
    ]
    funnel_table = ReportTable(
        "funnel",
        _("Recovery stages"),
        (Column("stage", _("Stage")), Column("value", _("Value (KES)"), kind=money)),
        funnel_rows,
        sheet=_("Stages"),
    )
    year_table = ReportTable(
        "years",
        _("By financial year"),
        (Column("year", _("Financial year")), *stage_columns, *tail),
        year_rows,
        sheet=_("By year"),
    )
    case_table = ReportTable(
        "cases",
        _("By case, %(period)s") % {"period": period.label.lower()},
        (Column("reference", _("Case")), Column("title", _("Title")), *stage_columns, *tail),
        case_rows,
        total={"reference": _("All cases"), "title": "", **year_rows[-1]},
        sheet=_("By case"),
        page_size=CASES_PER_PAGE,
    )
    return [funnel_table, year_table, case_table]


def _recovery_figures(totals: dict[str, Any], available: bool) -> list[Figure]:
    money = ColumnKind.MONEY
    return [
        Figure("seized", _("Value seized"), totals["seized"], money),
        Figure("forfeited", _("Value forfeited"), totals["forfeited"], money),
        Figure("realised", _("Net proceeds realised"), totals["realised"], money),
        Figure(
            "received", _("Received by the fund"), totals["received"], money, "" if available else _("not available")
        ),
        Figure("rate", _("Recovery rate"), totals["rate"], PERCENT),
        Figure("lapsed", _("Preservation orders lapsed"), totals["lapsed"]),
    ]


def _recovery_charts(
    year_rows: list[dict[str, Any]], funnel_rows: list[dict[str, Any]], available: bool
) -> list[ReportChart]:
    """The funnel of the chosen year, and the trend and the lapses by year."""
    trend = pd.DataFrame(year_rows)
    trend_series = {"seized": _("Seized"), "forfeited": _("Forfeited"), "realised": _("Realised")}
    if available:
        trend_series["received"] = _("Received by the fund")
    return [
        ReportChart(
            "funnel",
            _("From seizure to the fund (KES)"),
            charts.bar(pd.DataFrame(funnel_rows), "stage", "value", value_title="KES", money=True, horizontal=True),
            excel=ExcelChart("funnel", "stage", ("value",), chart_type="bar"),
        ),
        ReportChart(
            "trend",
            _("Recovery by financial year (KES)"),
            charts.grouped_bar(trend, "year", trend_series, value_title="KES", money=True),
            excel=ExcelChart("years", "year", tuple(trend_series)),
        ),
        ReportChart(
            "lapsed",
            _("Preservation orders lapsed, by financial year"),
            charts.bar(trend, "year", "lapsed", value_title=_("Orders lapsed")),
            excel=ExcelChart("years", "year", ("lapsed",)),
        ),
    ]


def asset_recovery(period: Period, user: AnyUser) -> ReportData:
    first_year = period.shifted(-(TREND_YEARS - 1))
    recovery = recovery_totals(first_year, period)
    available = recovery.available
    year_rows = _year_rows(recovery, first_year)
    case_rows = _case_rows(recovery)
    totals = year_rows[-1]
    funnel_rows = [{"stage": str(label), "value": totals[stage] or ZERO} for stage, label in STAGES]
    return ReportData(
        figures=_recovery_figures(totals, available),
        tables=_recovery_tables(period, year_rows, case_rows, funnel_rows),
        charts=_recovery_charts(year_rows, funnel_rows, available),
        notes=[] if available else [NOT_AVAILABLE],
    )


def assets_by_accused_role(start: dt.date, end: dt.date) -> dict[str, tuple[int, Decimal]]:
    """For the network-role report: number and KES value of assets seized from accused, per role."""
    rows = (
        Asset.objects.filter(seized_on__gte=start, seized_on__lte=end, owner__isnull=False)
        .order_by()
        .values("owner__network_role")
        .annotate(n=Count("id"), value=Sum("estimated_value_kes"))
    )
    return {row["owner__network_role"]: (row["n"], row["value"] or ZERO) for row in rows}


register_source(ASSETS_BY_ACCUSED_ROLE, assets_by_accused_role)


def assets_recovered_by_person_role(start: dt.date, end: dt.date) -> dict[str, tuple[int, Decimal]]:
    """For the network-role report's section by person: number and KES value of assets seized in the period
    and forfeited to the state (forfeited, realised, transferred) whose holder or owner is a person of the
    index, per network role — the owner's role in the asset's case, else the holder's in their latest case."""
    rows = list(
        Asset.objects.filter(seized_on__gte=start, seized_on__lte=end, status__in=list(FORFEITED_STATUSES))
        .filter(Q(holder_person__isnull=False) | Q(owner__person__isnull=False))
        .order_by()
        .values_list("owner__network_role", "holder_person_id", "estimated_value_kes")
    )
    holders = {holder for role, holder, _value in rows if not role and holder is not None}
    latest: dict[int, str] = {}
    for person_id, role in (
        Accused.objects.filter(person_id__in=holders)
        .order_by("case__opened_on", "pk")
        .values_list("person_id", "network_role")
    ):
        latest[person_id] = role
    result: dict[str, tuple[int, Decimal]] = {}
    for role, holder, value in rows:
        key = role or latest.get(holder or 0) or NetworkRole.OTHER
        n, worth = result.get(key, (0, ZERO))
        result[key] = (n + 1, worth + (value or ZERO))
    return result


register_source(ASSETS_RECOVERED_BY_PERSON_ROLE, assets_recovered_by_person_role)

register_report(
    Report(
        key="asset_recovery",
        title=gettext_lazy("Asset recovery"),
        url_name="assets:recovery",
        roles=ASSET_READERS,
        app="assets",
        period_kind=PeriodKind.FINANCIAL_YEAR,
        compute=asset_recovery,
        description=gettext_lazy(
            "Value seized, preserved, forfeited, realised and received by the fund, per year and per case."
        ),
        definitions=(
            (
                gettext_lazy("Period"),
                gettext_lazy("Kenya's financial year, 1 July – 30 June; each step counts in the year it happened."),
            ),
            (
                gettext_lazy("Seized"),
                gettext_lazy("Assets seized in the year, at their current estimated value in KES."),
            ),
            (
                gettext_lazy("Preserved"),
                gettext_lazy(
                    "Assets whose first preservation order was granted in the year, at their estimated value."
                ),
            ),
            (
                gettext_lazy("Forfeited"),
                gettext_lazy(
                    "Assets whose first forfeiture or confiscation order was granted in the year, at their "
                    "estimated value."
                ),
            ),
            (
                gettext_lazy("Realised"),
                gettext_lazy("Net proceeds in KES (gross less costs) of sales and conversions dated in the year."),
            ),
            (
                gettext_lazy("Received by the fund"),
                gettext_lazy(
                    "Receipts of the trust fund dated in the year that cite a realisation (CTIP s.17 proceeds)."
                ),
            ),
            (
                gettext_lazy("Recovery rate"),
                gettext_lazy("Net proceeds realised in the year ÷ value forfeited in the year."),
            ),
            (
                gettext_lazy("Orders lapsed"),
                gettext_lazy("Assets whose preservation order expired with no forfeiture application, in the year."),
            ),
            (
                gettext_lazy("Who may read it"),
                gettext_lazy("Prosecutors, the unit head, auditors and the fund's officers (case numbers only)."),
            ),
        ),
        order=40,
    )
)


# --- Dashboard charts (home-page panels) ----------------------------------------------------------

DEADLINE_WEEKS = 6


def deadline_expiries(orders: Any) -> list[dt.date]:
    """The expiry dates of a deadline queryset (``assets.deadlines.deadline_orders_for``), one query."""
    return [day for day in orders.order_by().values_list("expires_on", flat=True) if day is not None]


def deadlines_by_week_chart(expiries: Iterable[dt.date], today: dt.date) -> dict[str, Any]:
    """Preservation orders by the week they expire, the expired ones first."""
    frame = charts.weekly_counts(((day, 1) for day in expiries), today, DEADLINE_WEEKS, overdue=_("Expired"))
    spec = charts.bar(frame, "week", "count", category_title=_("Week starting"), value_title=_("Orders"))
    spec["height"] = 140
    return spec


def recovery_panel_context(user: AnyUser) -> dict[str, Any]:
    """This financial year's recovery funnel, for the home page of the roles that read assets."""
    period = Period.containing(PeriodKind.FINANCIAL_YEAR, guards.today())
    recovery = recovery_totals(period, period, by_case=False)
    available = recovery.available
    totals = _year_rows(recovery, period.shifted(-(TREND_YEARS - 1)))[-1]
    rows = [{"stage": str(label), "key": stage, "value": totals[stage] or ZERO} for stage, label in STAGES]
    spec = charts.bar(pd.DataFrame(rows), "stage", "value", value_title="KES", money=True, horizontal=True)
    return {
        "period": period,
        "rows": rows,
        "stages": RecoveryStage,
        "available": available,
        "lapsed": totals["lapsed"],
        "chart": spec,
    }
