"""A report as an Excel workbook: Summary sheet, one sheet per table with its native charts, About sheet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

import xlsxwriter

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
from core.reports.data import _NUMERIC, PERCENT, PERCENT_FORMAT, ReportChart, ReportData, ReportTable
from core.reports.periods import Period
from core.reports.registry import Report
from core.tables import ColumnKind

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
        self.header = workbook.add_format({"bold": True, "bg_color": "#1F3B57", "font_color": "#FFFFFF", "border": 1})
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


@dataclass(frozen=True)
class _PlacedTable:
    """Where a table landed: its sheet, and the rows of its data (after the header row)."""

    sheet_name: str
    sheet: Any
    first_row: int
    last_row: int


def write_report_workbook(
    target: str | IO[bytes], report: Report, period: Period, data: ReportData, about: AboutExport
) -> None:
    """The report as a workbook: a Summary sheet (period, headline figures, notes, definitions), one
    sheet per table (formatted header, frozen header row, autofilter, total row) with its native Excel
    charts beside it, and the "About this export" sheet."""
    workbook = xlsxwriter.Workbook(target)
    try:
        cells = _Cells(workbook)
        _write_summary(workbook, cells, report, period, data)
        placed = _write_tables(workbook, cells, data.tables)
        _write_charts(workbook, data, placed)
        _write_about(workbook, cells.text, about, sum(len(table.rows) for table in data.tables))
    finally:
        workbook.close()


def _write_summary(workbook: Any, cells: _Cells, report: Report, period: Period, data: ReportData) -> None:
    """The first sheet: title, period, the headline figures, the notes and the definitions."""
    summary = workbook.add_worksheet(SUMMARY_SHEET)
    summary.set_column(0, 0, 44)
    summary.set_column(1, 1, 60)
    cells.text.write(summary, 0, 0, report.title)
    summary.set_row(0, None, workbook.add_format({"bold": True, "font_size": 14}))
    summary.write_string(1, 0, "Report period", cells.bold)
    cells.text.write(summary, 1, 1, f"{period.label} ({period.dates})")
    row = 3
    summary.write_string(row, 0, "Figure", cells.header)
    summary.write_string(row, 1, "Value", cells.header)
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


def _write_tables(workbook: Any, cells: _Cells, tables: list[ReportTable]) -> dict[str, _PlacedTable]:
    """One sheet per table: header, rows, frozen header, autofilter, total row, note."""
    used: set[str] = {SUMMARY_SHEET}
    placed: dict[str, _PlacedTable] = {}
    for table in tables:
        name = _unique_sheet(table.sheet or table.title, used)
        sheet = workbook.add_worksheet(name)
        for col, column in enumerate(table.columns):
            sheet.write_string(0, col, str(column.label), cells.header)
            sheet.set_column(col, col, max(len(str(column.label)) + 2, 14 if col else 28))
        for offset, record in enumerate(table.rows, start=1):
            for col, column in enumerate(table.columns):
                cells.write(sheet, offset, col, column.value(record), column.kind)
        last = len(table.rows)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(last, 1), len(table.columns) - 1)
        if table.total is not None:
            for col, column in enumerate(table.columns):
                cells.write(sheet, last + 1, col, column.value(table.total), column.kind, bold=True)
        if table.note:
            cells.text.write(sheet, last + 3, 0, table.note)
        placed[table.key] = _PlacedTable(name, sheet, 1, last)
    return placed


def _write_charts(workbook: Any, data: ReportData, placed: dict[str, _PlacedTable]) -> None:
    """Each chart with an Excel form, drawn from its table's cells and set beside that table."""
    charts_per_table: dict[str, int] = {}
    for chart in data.charts:
        spec = chart.excel
        if spec is None or spec.table not in placed:
            continue
        where = placed[spec.table]
        if where.last_row < where.first_row:
            continue  # nothing to plot
        table = data.table(spec.table)
        excel_chart = _excel_chart(workbook, chart, table, where)
        stacked = charts_per_table.get(spec.table, 0)
        charts_per_table[spec.table] = stacked + 1
        where.sheet.insert_chart(1 + 16 * stacked, len(table.columns) + 1, excel_chart)


def _excel_chart(workbook: Any, chart: ReportChart, table: ReportTable, where: _PlacedTable) -> Any:
    spec = chart.excel
    assert spec is not None
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
                "name": [where.sheet_name, 0, col],
                "categories": [where.sheet_name, where.first_row, category_col, where.last_row, category_col],
                "values": [where.sheet_name, where.first_row, col, where.last_row, col],
            }
        )
    excel_chart.set_title({"name": chart.title})
    excel_chart.set_legend({"position": "bottom" if len(spec.values) > 1 else "none"})
    return excel_chart


def _unique_sheet(title: str, used: set[str]) -> str:
    base = _sheet_title(title)
    name, n = base, 2
    while name.lower() in {u.lower() for u in used}:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name)
    return name
