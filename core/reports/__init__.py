"""The reports registry: statistical reports owned by the apps whose data they read.

core imports no domain app. Each app declares its reports in ``<app>/reports.py`` and registers them
when its ``AppConfig.ready`` runs (import the module from ``registrations.py``). core then gives every
report the same things: a page with a period picker, headline figures, tables and Vega-Lite charts,
a definitions footer, access by role, an entry on the Reports index, and an Excel workbook whose
sheets hold the same tables (with native Excel charts) — see ``write_report_workbook``.

How an app registers a report (this is the whole contract)::

    # trustfund/reports.py
    from core import charts
    from core.reports import (
        ExcelChart, Figure, Period, PeriodKind, Report, ReportChart, ReportData, ReportTable,
        register_report,
    )
    from core.tables import Column, ColumnKind, format_value

    def fund_statement(period: Period, user: AnyUser) -> ReportData:
        rows = [...]  # aggregated in the database for period.start .. period.end (inclusive)
        frame = pandas.DataFrame(rows)
        return ReportData(
            figures=[Figure("closing", "Closing balance", closing, ColumnKind.MONEY)],
            tables=[ReportTable("income", "Income by source", COLUMNS, rows, total={...})],
            charts=[
                ReportChart(
                    "income", "Income by source",
                    charts.bar(frame, "source", "amount", value_title="KES", money=True),
                    excel=ExcelChart("income", "source", ("amount",)),   # plots table "income"
                )
            ],
        )

    register_report(Report(
        key="fund_statement", title="Fund statement", url_name="trustfund:statement",
        roles=frozenset({Role.FUND_ADMINISTRATOR, Role.FUND_APPROVER, Role.AUDITOR}),
        app="trustfund", period_kind=PeriodKind.FINANCIAL_YEAR, compute=fund_statement,
        description="Income and payments of the fund for a financial year.",
        definitions=(("Receipt", "Money recorded as received on its receipt date."),),
    ))

    # trustfund/urls.py
    from core.views.reports import report_view
    path("statement/", report_view("fund_statement"), name="statement"),

A home-page panel that draws a chart builds its spec with ``core.charts``, renders it with
``{% load charts %}{% vega_chart "key" ctx.chart "Label" %}`` and registers ``Panel(..., has_chart=True)``
so the home page loads the chart library.

The page takes its period as ``?period=2026`` (calendar year) or ``?period=2026-27`` (financial year),
and ``&export=xlsx`` downloads the workbook. ``compute`` must aggregate in the database (or in one
pandas pass over one query) so that it runs a fixed number of queries whatever the data size.

Report sources: when a report needs figures from an app above its own (apps depend downward only),
the upper app registers a *source* under an agreed key and the report reads it, showing "not
available" until it is registered. Two keys are agreed:

- ``RECOVERY_RECEIPTS`` — registered by the trust fund: ``register_source(RECOVERY_RECEIPTS, fn)`` with
  ``fn(start: date, end: date) -> Iterable[tuple[int, date, Decimal]]`` yielding, for every receipt of
  forfeited proceeds dated in ``start .. end`` (inclusive) that cites a ``Realisation``, the tuple
  ``(realisation_pk, receipt_date, amount_kes)``. One query, e.g.
  ``Receipt.objects.filter(realisation__isnull=False, received_on__range=(start, end))
  .values_list("realisation_id", "received_on", "amount")``. The asset recovery report reads it
  for its "received by the fund" column.
- ``ASSETS_BY_ACCUSED_ROLE`` — registered by assets for the prosecutions network-role report:
  ``fn(start, end) -> Mapping[str, tuple[int, Decimal]]``: per accused network role, the number and
  KES value of assets seized from accused of that role in ``start .. end``.
"""

from core.reports.data import (
    PERCENT,
    ExcelChart,
    Figure,
    ReportChart,
    ReportData,
    ReportTable,
    ScreenTable,
    format_cell,
)
from core.reports.periods import EARLIEST_YEAR, LATEST_YEAR, InvalidPeriod, Period, PeriodKind
from core.reports.registry import (
    ASSETS_BY_ACCUSED_ROLE,
    RECOVERY_RECEIPTS,
    Report,
    ReportCompute,
    get_report,
    get_source,
    register_report,
    register_source,
    registered_reports,
    report_readers,
    reports_for,
    unregister_report,
)
from core.reports.workbook import SUMMARY_SHEET, write_report_workbook

__all__ = [
    "ASSETS_BY_ACCUSED_ROLE",
    "EARLIEST_YEAR",
    "LATEST_YEAR",
    "PERCENT",
    "RECOVERY_RECEIPTS",
    "SUMMARY_SHEET",
    "ExcelChart",
    "Figure",
    "InvalidPeriod",
    "Period",
    "PeriodKind",
    "Report",
    "ReportChart",
    "ReportCompute",
    "ReportData",
    "ReportTable",
    "ScreenTable",
    "format_cell",
    "get_report",
    "get_source",
    "register_report",
    "register_source",
    "registered_reports",
    "report_readers",
    "reports_for",
    "unregister_report",
    "write_report_workbook",
]
