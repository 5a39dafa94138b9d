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
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd
from django.db.models import Count, Min, Sum

from assets.access import ASSET_READERS
from assets.choices import FORFEITING_ORDERS, AssetStatus, OrderType
from assets.models import Asset, AssetStatusChange, CourtOrder, Realisation
from core import charts
from core.registry import Panel, register_panel
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
STAGES = (
    ("seized", "Seized"),
    ("preserved", "Preserved"),
    ("forfeited", "Forfeited"),
    ("realised", "Realised (net)"),
    ("received", "Received by the fund"),
)
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


def recovery_frames(start: dt.date, end: dt.date) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    """Every stage's dated values in ``start .. end`` (one frame), the lapses, and whether the fund's
    receipts were available."""
    seized = (
        {
            "case_id": row["case_id"],
            "reference": row["case__reference"],
            "title": row["case__title"],
            "day": row["seized_on"],
            "value": row["estimated_value_kes"],
        }
        for row in Asset.objects.filter(seized_on__gte=start, seized_on__lte=end)
        .order_by()
        .values("case_id", "case__reference", "case__title", "seized_on", "estimated_value_kes")
    )
    realised_rows = list(
        Realisation.objects.filter(realised_on__gte=start, realised_on__lte=end)
        .order_by()
        .values("asset__case_id", "asset__case__reference", "asset__case__title", "realised_on", "net_proceeds_kes")
    )
    realised = (
        {
            "case_id": row["asset__case_id"],
            "reference": row["asset__case__reference"],
            "title": row["asset__case__title"],
            "day": row["realised_on"],
            "value": row["net_proceeds_kes"],
        }
        for row in realised_rows
    )
    source = get_source(RECOVERY_RECEIPTS)
    received: list[dict[str, Any]] = []
    if source is not None:
        receipts = list(source(start, end))
        if receipts:
            cases = {
                row["pk"]: row
                for row in Realisation.objects.filter(pk__in={pk for pk, _, _ in receipts})
                .order_by()
                .values("pk", "asset__case_id", "asset__case__reference", "asset__case__title")
            }
            received = [
                {
                    "case_id": cases[pk]["asset__case_id"],
                    "reference": cases[pk]["asset__case__reference"],
                    "title": cases[pk]["asset__case__title"],
                    "day": day,
                    "value": amount,
                }
                for pk, day, amount in receipts
                if pk in cases
            ]
    frame = pd.concat(
        [
            _stage_frame(seized, "seized"),
            _stage_frame(_first_order_rows([OrderType.PRESERVATION], start, end), "preserved"),
            _stage_frame(_first_order_rows(FORFEITING_ORDERS, start, end), "forfeited"),
            _stage_frame(realised, "realised"),
            _stage_frame(received, "received"),
        ],
        ignore_index=True,
    )
    lapses = _stage_frame(
        (
            {
                "case_id": row["asset__case_id"],
                "reference": row["asset__case__reference"],
                "title": row["asset__case__title"],
                "day": row["effective_on"],
                "value": row["asset__estimated_value_kes"],
            }
            for row in AssetStatusChange.objects.filter(
                to_status=AssetStatus.LAPSED, effective_on__gte=start, effective_on__lte=end
            )
            .order_by()
            .values(
                "asset__case_id",
                "asset__case__reference",
                "asset__case__title",
                "effective_on",
                "asset__estimated_value_kes",
            )
        ),
        "lapsed",
    )
    return frame, lapses, source is not None


def _measures(frame: pd.DataFrame, lapses: pd.DataFrame, available: bool) -> dict[str, Any]:
    values: dict[str, Any] = {stage: _money(frame.loc[frame["stage"] == stage, "value"]) for stage, _ in STAGES}
    if not available:
        values["received"] = None
    values["lapsed"] = len(lapses)
    values["lapsed_value"] = _money(lapses["value"])
    values["rate"] = _rate(values["realised"], values["forfeited"])
    return values


def asset_recovery(period: Period, user: Any) -> ReportData:
    first_year = period.shifted(-(TREND_YEARS - 1))
    frame, lapses, available = recovery_frames(first_year.start, period.end)

    year_rows = []
    for offset in range(TREND_YEARS):
        year = first_year.shifted(offset)
        in_year = frame[frame["fy"] == year.start_year]
        lapsed_in_year = lapses[lapses["fy"] == year.start_year]
        year_rows.append(
            {"year": year.label.replace("Financial year ", "FY "), **_measures(in_year, lapsed_in_year, available)}
        )
    totals = year_rows[-1]

    current = frame[frame["fy"] == period.start_year]
    current_lapses = lapses[lapses["fy"] == period.start_year]
    # One groupby per measure (sums stay Decimal: the column holds Decimals, so pandas adds them exactly).
    sums = current.groupby(["case_id", "stage"])["value"].sum().to_dict() if not current.empty else {}
    lapse_counts = current_lapses.groupby("case_id").size().to_dict() if not current_lapses.empty else {}
    lapse_sums = current_lapses.groupby("case_id")["value"].sum().to_dict() if not current_lapses.empty else {}
    labels = pd.concat([current, current_lapses])[["case_id", "reference", "title"]].drop_duplicates("case_id")
    case_rows = []
    for case_id, reference, title in sorted(labels.itertuples(index=False, name=None), key=lambda r: str(r[1])):
        values: dict[str, Any] = {stage: Decimal(sums.get((case_id, stage), ZERO)) for stage, _ in STAGES}
        if not available:
            values["received"] = None
        values["lapsed"] = int(lapse_counts.get(case_id, 0))
        values["lapsed_value"] = Decimal(lapse_sums.get(case_id, ZERO))
        values["rate"] = _rate(values["realised"], values["forfeited"])
        case_rows.append({"reference": reference, "title": title, **values})

    money = ColumnKind.MONEY
    stage_columns = [Column(stage, f"{label} (KES)", kind=money) for stage, label in STAGES]
    tail = [
        Column("rate", "Recovery rate", kind=PERCENT),
        Column("lapsed", "Orders lapsed", kind=ColumnKind.INTEGER),
        Column("lapsed_value", "Value lapsed (KES)", kind=money),
    ]
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
        total={"reference": "All cases", "title": "", **totals},
        sheet="By case",
    )
    funnel_rows = [{"stage": label, "value": totals[stage] or ZERO} for stage, label in STAGES]
    funnel_table = ReportTable(
        "funnel",
        "Recovery stages",
        (Column("stage", "Stage"), Column("value", "Value (KES)", kind=money)),
        funnel_rows,
        sheet="Stages",
    )
    figures = [
        Figure("seized", "Value seized", totals["seized"], money),
        Figure("forfeited", "Value forfeited", totals["forfeited"], money),
        Figure("realised", "Net proceeds realised", totals["realised"], money),
        Figure("received", "Received by the fund", totals["received"], money, "" if available else "not available"),
        Figure("rate", "Recovery rate", totals["rate"], PERCENT),
        Figure("lapsed", "Preservation orders lapsed", totals["lapsed"]),
    ]
    trend = pd.DataFrame(year_rows)
    trend_series = {"seized": "Seized", "forfeited": "Forfeited", "realised": "Realised"}
    if available:
        trend_series["received"] = "Received by the fund"
    chart_list = [
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
    return ReportData(
        figures=figures,
        tables=[funnel_table, year_table, case_table],
        charts=chart_list,
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


def recovery_panel_context(user: Any) -> dict[str, Any]:
    """This financial year's recovery funnel, for the home page of the roles that read assets."""
    from django.utils import timezone

    period = Period.containing(PeriodKind.FINANCIAL_YEAR, timezone.localdate())
    frame, lapses, available = recovery_frames(period.start, period.end)
    totals = _measures(frame, lapses, available)
    rows = [{"stage": label, "value": totals[stage] or ZERO} for stage, label in STAGES]
    spec = charts.bar(pd.DataFrame(rows), "stage", "value", value_title="KES", money=True, horizontal=True)
    return {"period": period, "rows": rows, "available": available, "lapsed": totals["lapsed"], "chart": spec}


register_panel(
    Panel(
        "asset_recovery",
        "Asset recovery this financial year",
        "assets/panels/recovery.html",
        ASSET_READERS,
        recovery_panel_context,
        order=45,
        has_chart=True,
    )
)
