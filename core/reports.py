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

    def fund_statement(period: Period, user: Any) -> ReportData:
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

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from django.db import models
from django.urls import reverse

from core.access import roles_of
from core.exceptions import DomainError
from core.exporter import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    DECIMAL_FORMAT,
    FORMULA_TRIGGERS,
    INTEGER_FORMAT,
    MONEY_FORMAT,
    AboutExport,
    _sheet_title,
    _TextWriter,
    _write_about,
)
from core.registry import NavItem, Panel, register_nav, register_panel
from core.tables import Column, ColumnKind, format_value

PERCENT_FORMAT = "0.0%"
# Keys of report sources registered by apps above the report's own (see the module docstring).
RECOVERY_RECEIPTS = "recovery_receipts"
ASSETS_BY_ACCUSED_ROLE = "assets_by_accused_role"


class PeriodKind(models.TextChoices):
    CALENDAR_YEAR = "calendar_year", "Calendar year"
    FINANCIAL_YEAR = "financial_year", "Financial year (1 July – 30 June)"


class InvalidPeriod(DomainError):
    """The period asked for is not a year the report can show."""


EARLIEST_YEAR = 2010  # the CTIP Act was passed in 2010; nothing before it is reported
LATEST_YEAR = 2100


@dataclass(frozen=True)
class Period:
    """A reporting year: a calendar year (1 January – 31 December) or Kenya's financial year
    (1 July – 30 June, named by its first year: ``2026-27`` starts on 1 July 2026)."""

    kind: PeriodKind
    start_year: int

    @property
    def start(self) -> dt.date:
        if self.kind == PeriodKind.CALENDAR_YEAR:
            return dt.date(self.start_year, 1, 1)
        return dt.date(self.start_year, 7, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the period (inclusive)."""
        if self.kind == PeriodKind.CALENDAR_YEAR:
            return dt.date(self.start_year, 12, 31)
        return dt.date(self.start_year + 1, 6, 30)

    @property
    def param(self) -> str:
        """As written in the URL: ``2026`` or ``2026-27``."""
        if self.kind == PeriodKind.CALENDAR_YEAR:
            return str(self.start_year)
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.CALENDAR_YEAR:
            return f"Calendar year {self.start_year}"
        return f"Financial year {self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def dates(self) -> str:
        return f"{self.start:%d %b %Y} – {self.end:%d %b %Y}"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def shifted(self, years: int) -> Period:
        return Period(self.kind, self.start_year + years)

    @classmethod
    def containing(cls, kind: PeriodKind | str, day: dt.date) -> Period:
        kind = PeriodKind(kind)
        if kind == PeriodKind.CALENDAR_YEAR:
            return cls(kind, day.year)
        return cls(kind, day.year if day.month >= 7 else day.year - 1)

    @classmethod
    def parse(cls, kind: PeriodKind | str, text: str) -> Period:
        """``2026`` for a calendar year; ``2026-27`` (or ``2026/27``, or just ``2026``) for a financial
        year. Raises ``InvalidPeriod`` with a message a person can act on."""
        kind = PeriodKind(kind)
        raw = (text or "").strip().replace("/", "-")
        first, _, second = raw.partition("-")
        if not first.isdigit() or len(first) != 4 or (second and not second.isdigit()):
            example = "2026" if kind == PeriodKind.CALENDAR_YEAR else "2026-27"
            raise InvalidPeriod(f"“{text}” is not a period this report understands; write it like {example}.")
        year = int(first)
        if kind == PeriodKind.CALENDAR_YEAR and second:
            raise InvalidPeriod(f"“{text}” is not a calendar year; write it like 2026.")
        if second and int(second) != (year + 1) % (10 ** len(second)):
            raise InvalidPeriod(f"“{text}” is not a financial year: the second year must follow the first.")
        if not EARLIEST_YEAR <= year <= LATEST_YEAR:
            raise InvalidPeriod(f"Reports cover {EARLIEST_YEAR} onwards; {year} is out of range.")
        return cls(kind, year)

    @classmethod
    def recent(cls, kind: PeriodKind | str, today: dt.date, count: int = 8) -> list[Period]:
        """The period containing ``today`` and the ``count - 1`` before it, newest first."""
        current = cls.containing(kind, today)
        return [current.shifted(-n) for n in range(count) if current.start_year - n >= EARLIEST_YEAR]


@dataclass(frozen=True)
class Figure:
    """A headline number of a report ("Convictions: 21")."""

    key: str
    label: str
    value: Any
    kind: str = ColumnKind.INTEGER
    note: str = ""

    @property
    def display(self) -> str:
        return format_cell(self.value, self.kind)


# A percentage is a ``Decimal`` fraction (0.25 = 25 %).
PERCENT = ColumnKind.PERCENT
_NUMERIC = frozenset({ColumnKind.MONEY, ColumnKind.INTEGER, ColumnKind.DECIMAL, ColumnKind.PERCENT})


def format_cell(value: Any, kind: str) -> str:
    return format_value(value, kind)


@dataclass(frozen=True)
class ReportTable:
    """A table of a report: rows are mappings keyed by the columns' keys; ``total`` is an optional
    last row shown in bold (same keys)."""

    key: str
    title: str
    columns: Sequence[Column]
    rows: Sequence[Mapping[str, Any]]
    total: Mapping[str, Any] | None = None
    note: str = ""
    sheet: str = ""  # a short worksheet name (Excel allows 31 characters); the title when blank

    def cells(self, row: Mapping[str, Any]) -> list[tuple[str, bool]]:
        """The row as (text, is a number) pairs, for the screen."""
        return [(format_cell(column.value(row), column.kind), column.kind in _NUMERIC) for column in self.columns]

    @property
    def header(self) -> list[tuple[str, bool]]:
        return [(str(column.label), column.kind in _NUMERIC) for column in self.columns]

    @property
    def display_rows(self) -> list[list[tuple[str, bool]]]:
        return [self.cells(row) for row in self.rows]

    @property
    def display_total(self) -> list[tuple[str, bool]] | None:
        return self.cells(self.total) if self.total is not None else None


@dataclass(frozen=True)
class ExcelChart:
    """A native Excel chart drawn from a table of the workbook: ``categories`` is the key of the
    column holding the labels, ``values`` the keys of the columns plotted (one series each)."""

    table: str
    categories: str
    values: Sequence[str]
    chart_type: str = "column"  # xlsxwriter chart types: column, bar, line, pie
    subtype: str | None = None  # e.g. "stacked"


@dataclass(frozen=True)
class ReportChart:
    """A chart on screen (a Vega-Lite specification, see ``core.charts``) and, optionally, in Excel."""

    key: str
    title: str
    spec: Mapping[str, Any]
    excel: ExcelChart | None = None


@dataclass
class ReportData:
    """What a report's ``compute`` returns for one period."""

    figures: list[Figure] = field(default_factory=list)
    tables: list[ReportTable] = field(default_factory=list)
    charts: list[ReportChart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)

    def table(self, key: str) -> ReportTable:
        return next(t for t in self.tables if t.key == key)


ReportCompute = Callable[[Period, Any], ReportData]


@dataclass(frozen=True)
class Report:
    """A report: who may read it, which app owns it, what period it takes and how it is computed.

    ``compute(period, user)`` returns the ``ReportData``; ``definitions`` are (term, meaning) pairs
    printed in the page footer and the workbook (what counts as a prosecution, a conviction…).
    """

    key: str
    title: str
    url_name: str
    roles: frozenset[str]
    app: str
    period_kind: PeriodKind
    compute: ReportCompute
    description: str = ""
    definitions: Sequence[tuple[str, str]] = ()
    order: int = 100

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    @property
    def period_kind_label(self) -> str:
        return str(PeriodKind(self.period_kind).label)

    def may_read(self, user: Any) -> bool:
        return bool(roles_of(user) & self.roles)


_reports: dict[str, Report] = {}
_sources: dict[str, Callable[..., Any]] = {}


def register_report(report: Report) -> None:
    """Add (or replace) a report, and keep the "Reports" navigation item open to its readers."""
    _reports[report.key] = report
    _refresh_index_entries()


def unregister_report(key: str) -> None:
    """Take a report off the registry (tests register made-up ones)."""
    _reports.pop(key, None)
    _refresh_index_entries()


def _refresh_index_entries() -> None:
    """The "Reports" menu item and home-page panel, open to whoever may read at least one report."""
    readers = frozenset().union(*(r.roles for r in _reports.values()))
    register_nav(NavItem("reports", "Reports", "core:report_index", readers, order=700))
    register_panel(
        Panel(
            "reports",
            "Reports",
            "core/panels/reports.html",
            readers,
            lambda user: {"reports": reports_for(user)},
            order=600,
        )
    )


def get_report(key: str) -> Report:
    return _reports[key]


def registered_reports() -> list[Report]:
    return sorted(_reports.values(), key=lambda r: (r.order, r.title))


def reports_for(user: Any) -> list[Report]:
    """The reports this user may read, in index order."""
    return [report for report in registered_reports() if report.may_read(user)]


def register_source(key: str, function: Callable[..., Any]) -> None:
    """An upper app offers data to a lower app's report (see the module docstring)."""
    _sources[key] = function


def get_source(key: str) -> Callable[..., Any] | None:
    """The registered source, or ``None`` when its app has not registered it (yet)."""
    return _sources.get(key)


# --- Excel -------------------------------------------------------------------------------------

_KIND_FORMATS = {
    ColumnKind.DATE: DATE_FORMAT,
    ColumnKind.DATETIME: DATETIME_FORMAT,
    ColumnKind.MONEY: MONEY_FORMAT,
    ColumnKind.INTEGER: INTEGER_FORMAT,
    ColumnKind.DECIMAL: DECIMAL_FORMAT,
    PERCENT: PERCENT_FORMAT,
}
SUMMARY_SHEET = "Summary"


class _Cells:
    """Writes one typed value per cell: numbers as numbers, dates as dates, text never as a formula."""

    def __init__(self, workbook: Any) -> None:
        self.text = _TextWriter(workbook)
        self.formats = {kind: workbook.add_format({"num_format": fmt}) for kind, fmt in _KIND_FORMATS.items()}
        self.bold_formats = {
            kind: workbook.add_format({"num_format": fmt, "bold": True}) for kind, fmt in _KIND_FORMATS.items()
        }
        self.bold = workbook.add_format({"bold": True})
        self.bold_quoted = workbook.add_format({"bold": True, "quote_prefix": True})

    def write(self, sheet: Any, row: int, col: int, value: Any, kind: str, bold: bool = False) -> None:
        if value is None:
            return
        formats = self.bold_formats if bold else self.formats
        if kind in _NUMERIC and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            sheet.write_number(row, col, float(value), formats[ColumnKind(kind)])
        elif isinstance(value, dt.datetime):
            sheet.write_datetime(row, col, value.replace(tzinfo=None), formats[ColumnKind.DATETIME])
        elif isinstance(value, dt.date):
            sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), formats[ColumnKind.DATE])
        elif kind == ColumnKind.BOOLEAN:
            sheet.write_string(row, col, "Yes" if value else "No", self.bold if bold else None)
        elif bold:
            text = str(value)
            sheet.write_string(row, col, text, self.bold_quoted if text.startswith(FORMULA_TRIGGERS) else self.bold)
        else:
            self.text.write(sheet, row, col, str(value))


def write_report_workbook(
    target: str | IO[bytes], report: Report, period: Period, data: ReportData, about: AboutExport
) -> None:
    """The report as a workbook: a Summary sheet (period, headline figures, notes, definitions), one
    sheet per table (formatted header, frozen header row, autofilter, total row) with its native Excel
    charts beside it, and the "About this export" sheet."""
    workbook = xlsxwriter.Workbook(target)
    try:
        header = workbook.add_format({"bold": True, "bg_color": "#1F3B57", "font_color": "#FFFFFF", "border": 1})
        heading = workbook.add_format({"bold": True, "font_size": 14})
        cells = _Cells(workbook)

        summary = workbook.add_worksheet(SUMMARY_SHEET)
        summary.set_column(0, 0, 44)
        summary.set_column(1, 1, 60)
        cells.text.write(summary, 0, 0, report.title)
        summary.set_row(0, None, heading)
        summary.write_string(1, 0, "Report period", cells.bold)
        cells.text.write(summary, 1, 1, f"{period.label} ({period.dates})")
        row = 3
        summary.write_string(row, 0, "Figure", header)
        summary.write_string(row, 1, "Value", header)
        for figure in data.figures:
            row += 1
            cells.text.write(summary, row, 0, figure.label)
            cells.write(summary, row, 1, figure.value, figure.kind)
        for note in data.notes:
            row += 2
            cells.text.write(summary, row, 0, note)
        if report.definitions:
            row += 2
            summary.write_string(row, 0, "Definitions", cells.bold)
            for term, meaning in report.definitions:
                row += 1
                cells.text.write(summary, row, 0, term)
                cells.text.write(summary, row, 1, meaning)

        used: set[str] = {SUMMARY_SHEET}
        placed: dict[str, tuple[str, int, int]] = {}  # table key -> (sheet name, first data row, last data row)
        sheets: dict[str, Any] = {}
        total_rows = 0
        for table in data.tables:
            name = _unique_sheet(table.sheet or table.title, used)
            sheet = workbook.add_worksheet(name)
            sheets[table.key] = sheet
            for col, column in enumerate(table.columns):
                sheet.write_string(0, col, str(column.label), header)
                sheet.set_column(col, col, max(len(str(column.label)) + 2, 14 if col else 28))
            for offset, record in enumerate(table.rows, start=1):
                for col, column in enumerate(table.columns):
                    cells.write(sheet, offset, col, column.value(record), column.kind)
            last = len(table.rows)
            total_rows += last
            sheet.freeze_panes(1, 0)
            sheet.autofilter(0, 0, max(last, 1), len(table.columns) - 1)
            if table.total is not None:
                for col, column in enumerate(table.columns):
                    cells.write(sheet, last + 1, col, column.value(table.total), column.kind, bold=True)
            if table.note:
                cells.text.write(sheet, last + 3, 0, table.note)
            placed[table.key] = (name, 1, last)

        for chart in data.charts:
            spec = chart.excel
            if spec is None or spec.table not in placed:
                continue
            table = data.table(spec.table)
            name, first, last = placed[spec.table]
            if last < first:
                continue  # nothing to plot
            keys = [column.key for column in table.columns]
            options: dict[str, Any] = {"type": spec.chart_type}
            if spec.subtype:
                options["subtype"] = spec.subtype
            excel_chart = workbook.add_chart(options)
            category_col = keys.index(spec.categories)
            for value_key in spec.values:
                col = keys.index(value_key)
                excel_chart.add_series(
                    {
                        "name": [name, 0, col],
                        "categories": [name, first, category_col, last, category_col],
                        "values": [name, first, col, last, col],
                    }
                )
            excel_chart.set_title({"name": chart.title})
            excel_chart.set_legend({"position": "bottom" if len(spec.values) > 1 else "none"})
            anchor_row = 1 + 16 * sum(
                1 for c in data.charts[: data.charts.index(chart)] if c.excel and c.excel.table == spec.table
            )
            sheets[spec.table].insert_chart(anchor_row, len(table.columns) + 1, excel_chart)

        _write_about(workbook, cells.text, about, total_rows)
    finally:
        workbook.close()


def _unique_sheet(title: str, used: set[str]) -> str:
    base = _sheet_title(title)
    name, n = base, 2
    while name.lower() in {u.lower() for u in used}:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name)
    return name
