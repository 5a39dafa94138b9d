"""The asset recovery report (financial year) and the asset figures other reports read.

Value seized → preserved → forfeited → realised → received by the fund, for the chosen financial
year and the four before it, and per case for the chosen year. Each stage counts in the year its own
step happened (seizure date, first preservation order, first forfeiture or confiscation order, sale,
receipt), so a year's row says what the unit achieved that year. Each stage is one query over the
five-year window, shaped by pandas; "received by the fund" comes from the trust fund through the
``RECOVERY_RECEIPTS`` report source (assets never imports the trust fund).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd
from django.db.models import Count, Min, Sum

from assets.access import ASSET_READERS
from assets.choices import FORFEITING_ORDERS, AssetStatus, OrderType, RecoveryStage
from assets.models import Asset, AssetStatusChange, CourtOrder, Realisation
from core import charts, guards
from core.access import AnyUser
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

ZERO = Decimal("0")
TREND_YEARS = 5
STAGES: tuple[tuple[str, str], ...] = tuple(RecoveryStage.choices)
NOT_AVAILABLE = (
    "Received by the fund: not available — the trust fund has not registered its receipts of forfeited "
    "proceeds with the reports yet."
)


def _fy_start(days: pd.Series) -> pd.Series:
    moments = pd.to_datetime(days)
    return moments.dt.year - (moments.dt.month < 7).astype(int)


def _stage_frame(rows: Iterable[dict[str, Any]], stage: str) -> pd.DataFrame:
    """Rows of (case, date, value) for one stage, with their financial year."""
    columns = ["case_id", "reference", "title", "day", "value"]
    frame = pd.DataFrame(list(rows), columns=columns)
    frame["stage"] = stage
    frame["fy"] = _fy_start(frame["day"]) if not frame.empty else pd.Series(dtype="int64")
    return frame


def _money(values: Iterable[Any]) -> Decimal:
    return sum((Decimal(v) for v in values if v is not None and not pd.isna(v)), ZERO)


def _rate(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if not denominator:
        return None
    return (numerator / denominator).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _first_order_rows(order_types: Iterable[str], start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Per asset, its first order of these types when that falls in ``start .. end`` (one query)."""
    return [
        {
            "case_id": row["asset__case_id"],
            "reference": row["asset__case__reference"],
            "title": row["asset__case__title"],
            "day": row["first"],
            "value": row["asset__estimated_value_kes"],
        }
        for row in CourtOrder.objects.filter(order_type__in=list(order_types))
        .order_by()
        .values(
            "asset_id", "asset__case_id", "asset__case__reference", "asset__case__title", "asset__estimated_value_kes"
        )
        .annotate(first=Min("granted_on"))
        .filter(first__gte=start, first__lte=end)
    ]


def _case_row(row: Mapping[str, Any], day: str, value: str, case: str = "asset__case") -> dict[str, Any]:
    """One dated value of a case, from a ``values()`` row reaching the case through ``case``."""
    return {
        "case_id": row[f"{case}_id"],
        "reference": row[f"{case}__reference"],
        "title": row[f"{case}__title"],
        "day": row[day],
        "value": row[value],
    }


def _seized_rows(start: dt.date, end: dt.date) -> Iterable[dict[str, Any]]:
    """Assets seized in ``start .. end``, at their estimated value (one query)."""
    rows = (
        Asset.objects.filter(seized_on__gte=start, seized_on__lte=end)
        .order_by()
        .values("case_id", "case__reference", "case__title", "seized_on", "estimated_value_kes")
    )
    return [_case_row(row, "seized_on", "estimated_value_kes", case="case") for row in rows]


def _realised_rows(start: dt.date, end: dt.date) -> Iterable[dict[str, Any]]:
    """Net proceeds of the sales dated in ``start .. end`` (one query)."""
    rows = (
        Realisation.objects.filter(realised_on__gte=start, realised_on__lte=end)
        .order_by()
        .values("asset__case_id", "asset__case__reference", "asset__case__title", "realised_on", "net_proceeds_kes")
    )
    return [_case_row(row, "realised_on", "net_proceeds_kes") for row in rows]


def _received_rows(start: dt.date, end: dt.date) -> tuple[list[dict[str, Any]], bool]:
    """The trust fund's receipts of realisation proceeds in ``start .. end``, by case, and whether the
    fund has registered its receipts at all (assets never imports the trust fund)."""
    source = get_source(RECOVERY_RECEIPTS)
    if source is None:
        return [], False
    receipts = list(source(start, end))
    if not receipts:
        return [], True
    cases = {
        row["pk"]: row
        for row in Realisation.objects.filter(pk__in={pk for pk, _, _ in receipts})
        .order_by()
        .values("pk", "asset__case_id", "asset__case__reference", "asset__case__title")
    }
    received = [
        _case_row({**cases[pk], "day": day, "value": amount}, "day", "value")
        for pk, day, amount in receipts
        if pk in cases
    ]
    return received, True


def _lapse_rows(start: dt.date, end: dt.date) -> Iterable[dict[str, Any]]:
    """Preservation orders lapsed in ``start .. end``, at the asset's estimated value (one query)."""
    rows = (
        AssetStatusChange.objects.filter(to_status=AssetStatus.LAPSED, effective_on__gte=start, effective_on__lte=end)
        .order_by()
        .values(
            "asset__case_id",
            "asset__case__reference",
            "asset__case__title",
            "effective_on",
            "asset__estimated_value_kes",
        )
    )
    return [_case_row(row, "effective_on", "asset__estimated_value_kes") for row in rows]


def recovery_frames(start: dt.date, end: dt.date) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    """Every stage's dated values in ``start .. end`` (one frame), the lapses, and whether the fund's
    receipts were available."""
    received, available = _received_rows(start, end)
    frame = pd.concat(
        [
            _stage_frame(_seized_rows(start, end), RecoveryStage.SEIZED.value),
            _stage_frame(_first_order_rows([OrderType.PRESERVATION], start, end), RecoveryStage.PRESERVED.value),
            _stage_frame(_first_order_rows(FORFEITING_ORDERS, start, end), RecoveryStage.FORFEITED.value),
            _stage_frame(_realised_rows(start, end), RecoveryStage.REALISED.value),
            _stage_frame(received, RecoveryStage.RECEIVED.value),
        ],
        ignore_index=True,
    )
    return frame, _stage_frame(_lapse_rows(start, end), "lapsed"), available


def _measures(frame: pd.DataFrame, lapses: pd.DataFrame, available: bool) -> dict[str, Any]:
    values: dict[str, Any] = {stage: _money(frame.loc[frame["stage"] == stage, "value"]) for stage, _ in STAGES}
    if not available:
        values["received"] = None
    values["lapsed"] = len(lapses)
    values["lapsed_value"] = _money(lapses["value"])
    values["rate"] = _rate(values["realised"], values["forfeited"])
    return values


def _year_rows(frame: pd.DataFrame, lapses: pd.DataFrame, first_year: Period, available: bool) -> list[dict[str, Any]]:
    """The measures of each financial year of the trend, oldest first."""
    rows = []
    for offset in range(TREND_YEARS):
        year = first_year.shifted(offset)
        in_year = frame[frame["fy"] == year.start_year]
        lapsed_in_year = lapses[lapses["fy"] == year.start_year]
        rows.append(
            {"year": year.label.replace("Financial year ", "FY "), **_measures(in_year, lapsed_in_year, available)}
        )
    return rows


def _case_rows(frame: pd.DataFrame, lapses: pd.DataFrame, period: Period, available: bool) -> list[dict[str, Any]]:
    """The measures of each case with something in the chosen year, by case number."""
    current = frame[frame["fy"] == period.start_year]
    current_lapses = lapses[lapses["fy"] == period.start_year]
    # One groupby per measure (sums stay Decimal: the column holds Decimals, so pandas adds them exactly).
    sums = current.groupby(["case_id", "stage"])["value"].sum().to_dict() if not current.empty else {}
    lapse_counts = current_lapses.groupby("case_id").size().to_dict() if not current_lapses.empty else {}
    lapse_sums = current_lapses.groupby("case_id")["value"].sum().to_dict() if not current_lapses.empty else {}
    labels = pd.concat([current, current_lapses])[["case_id", "reference", "title"]].drop_duplicates("case_id")
    rows = []
    for case_id, reference, title in sorted(labels.itertuples(index=False, name=None), key=lambda r: str(r[1])):
        values: dict[str, Any] = {stage: Decimal(sums.get((case_id, stage), ZERO)) for stage, _ in STAGES}
        if not available:
            values["received"] = None
        values["lapsed"] = int(lapse_counts.get(case_id, 0))
        values["lapsed_value"] = Decimal(lapse_sums.get(case_id, ZERO))
        values["rate"] = _rate(values["realised"], values["forfeited"])
        rows.append({"reference": reference, "title": title, **values})
    return rows


def _recovery_tables(
    period: Period, year_rows: list[dict[str, Any]], case_rows: list[dict[str, Any]], funnel_rows: list[dict[str, Any]]
) -> list[ReportTable]:
    """The stages of the chosen year, the trend by year, and the chosen year by case."""
    money = ColumnKind.MONEY
    stage_columns = [Column(stage, f"{label} (KES)", kind=money) for stage, label in STAGES]
    tail = [
        Column("rate", "Recovery rate", kind=PERCENT),
        Column("lapsed", "Orders lapsed", kind=ColumnKind.INTEGER),
        Column("lapsed_value", "Value lapsed (KES)", kind=money),
    ]
    funnel_table = ReportTable(
        "funnel",
        "Recovery stages",
        (Column("stage", "Stage"), Column("value", "Value (KES)", kind=money)),
        funnel_rows,
        sheet="Stages",
    )
    year_table = ReportTable(
        "years",
        "By financial year",
        (Column("year", "Financial year"), *stage_columns, *tail),
        year_rows,
        sheet="By year",
    )
    case_table = ReportTable(
        "cases",
        f"By case, {period.label.lower()}",
        (Column("reference", "Case"), Column("title", "Title"), *stage_columns, *tail),
        case_rows,
        total={"reference": "All cases", "title": "", **year_rows[-1]},
        sheet="By case",
    )
    return [funnel_table, year_table, case_table]


def _recovery_figures(totals: dict[str, Any], available: bool) -> list[Figure]:
    money = ColumnKind.MONEY
    return [
        Figure("seized", "Value seized", totals["seized"], money),
        Figure("forfeited", "Value forfeited", totals["forfeited"], money),
        Figure("realised", "Net proceeds realised", totals["realised"], money),
        Figure("received", "Received by the fund", totals["received"], money, "" if available else "not available"),
        Figure("rate", "Recovery rate", totals["rate"], PERCENT),
        Figure("lapsed", "Preservation orders lapsed", totals["lapsed"]),
    ]


def _recovery_charts(
    year_rows: list[dict[str, Any]], funnel_rows: list[dict[str, Any]], available: bool
) -> list[ReportChart]:
    """The funnel of the chosen year, and the trend and the lapses by year."""
    trend = pd.DataFrame(year_rows)
    trend_series = {"seized": "Seized", "forfeited": "Forfeited", "realised": "Realised"}
    if available:
        trend_series["received"] = "Received by the fund"
    return [
        ReportChart(
            "funnel",
            "From seizure to the fund (KES)",
            charts.bar(pd.DataFrame(funnel_rows), "stage", "value", value_title="KES", money=True, horizontal=True),
            excel=ExcelChart("funnel", "stage", ("value",), chart_type="bar"),
        ),
        ReportChart(
            "trend",
            "Recovery by financial year (KES)",
            charts.grouped_bar(trend, "year", trend_series, value_title="KES", money=True),
            excel=ExcelChart("years", "year", tuple(trend_series)),
        ),
        ReportChart(
            "lapsed",
            "Preservation orders lapsed, by financial year",
            charts.bar(trend, "year", "lapsed", value_title="Orders lapsed"),
            excel=ExcelChart("years", "year", ("lapsed",)),
        ),
    ]


def asset_recovery(period: Period, user: AnyUser) -> ReportData:
    first_year = period.shifted(-(TREND_YEARS - 1))
    frame, lapses, available = recovery_frames(first_year.start, period.end)
    year_rows = _year_rows(frame, lapses, first_year, available)
    case_rows = _case_rows(frame, lapses, period, available)
    totals = year_rows[-1]
    funnel_rows = [{"stage": label, "value": totals[stage] or ZERO} for stage, label in STAGES]
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

register_report(
    Report(
        key="asset_recovery",
        title="Asset recovery",
        url_name="assets:recovery",
        roles=ASSET_READERS,
        app="assets",
        period_kind=PeriodKind.FINANCIAL_YEAR,
        compute=asset_recovery,
        description="Value seized, preserved, forfeited, realised and received by the fund, per year and per case.",
        definitions=(
            ("Period", "Kenya's financial year, 1 July – 30 June; each step counts in the year it happened."),
            ("Seized", "Assets seized in the year, at their current estimated value in KES."),
            ("Preserved", "Assets whose first preservation order was granted in the year, at their estimated value."),
            (
                "Forfeited",
                "Assets whose first forfeiture or confiscation order was granted in the year, at their estimated "
                "value.",
            ),
            ("Realised", "Net proceeds in KES (gross less costs) of sales and conversions dated in the year."),
            (
                "Received by the fund",
                "Receipts of the trust fund dated in the year that cite a realisation (CTIP s.17 proceeds).",
            ),
            ("Recovery rate", "Net proceeds realised in the year ÷ value forfeited in the year."),
            ("Orders lapsed", "Assets whose preservation order expired with no forfeiture application, in the year."),
            ("Who may read it", "Prosecutors, the unit head, auditors and the fund's officers (case numbers only)."),
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
    frame = charts.weekly_counts(((day, 1) for day in expiries), today, DEADLINE_WEEKS, overdue="Expired")
    spec = charts.bar(frame, "week", "count", category_title="Week starting", value_title="Orders")
    spec["height"] = 140
    return spec


def recovery_panel_context(user: AnyUser) -> dict[str, Any]:
    """This financial year's recovery funnel, for the home page of the roles that read assets."""
    period = Period.containing(PeriodKind.FINANCIAL_YEAR, guards.today())
    frame, lapses, available = recovery_frames(period.start, period.end)
    totals = _measures(frame, lapses, available)
    rows = [{"stage": label, "key": stage, "value": totals[stage] or ZERO} for stage, label in STAGES]
    spec = charts.bar(pd.DataFrame(rows), "stage", "value", value_title="KES", money=True, horizontal=True)
    return {
        "period": period,
        "rows": rows,
        "stages": RecoveryStage,
        "available": available,
        "lapsed": totals["lapsed"],
        "chart": spec,
    }
