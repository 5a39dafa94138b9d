"""A report as an Excel workbook: Summary sheet, one sheet per table with its native charts, About sheet.

Every sheet prints (``core.exporter.set_print_setup``): A4, landscape when wide, one page wide, header rows
repeated, a footer with the report, its period and "Page n of N". Each chart sits below its table at a
fixed size, after a manual page break, so it prints whole on a page of its own; the print area takes in
the table and its charts.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.exporter import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    DECIMAL_FORMAT,
    FORMULA_TRIGGERS,
    INTEGER_FORMAT,
    MAX_COLUMN_WIDTH,
    MONEY_FORMAT,
    AboutExport,
    PrintFooter,
    _sheet_title,
    _TextWriter,
    _write_about,
    set_print_setup,
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
# Translators: the name of a worksheet (at most 31 characters).
SUMMARY_SHEET = _("Summary")
SUMMARY_LABEL_WIDTH = 30
SUMMARY_TEXT_WIDTH = 60  # with the label column, fits an A4 portrait page at 100 %
CHART_WIDTH_PX = 576  # 6 inches: fits an A4 portrait page at 100 %
CHART_HEIGHT_PX = 320
ROW_HEIGHT_PX = 20  # Excel's default row (15 points)
CHART_ROWS = math.ceil(CHART_HEIGHT_PX / ROW_HEIGHT_PX) + 2  # a chart and the gap below it
DEFAULT_COLUMN_WIDTH = 8.43  # Excel's default column width, in characters
LINE_HEIGHT_PT = 15


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
            sheet.write_string(row, col, gettext("Yes") if value else gettext("No"), self.bold if bold else None)
        elif bold:
            text = str(value)
            sheet.write_string(row, col, text, self.bold_quoted if text.startswith(FORMULA_TRIGGERS) else self.bold)
        else:
            self.text.write(sheet, row, col, str(value))


@dataclass
class _PlacedTable:
    """Where a table landed: its sheet, the rows of its data (after the header row), its column widths
    (characters), and the rows below it where its charts go (``next_chart_row``, ``page_breaks``)."""

    sheet_name: str
    sheet: Any
    first_row: int
    last_row: int
    widths: list[float]
    next_chart_row: int
    page_breaks: list[int] = field(default_factory=list)
    last_printed_col: int = 0

    @property
    def last_printed_row(self) -> int:
        return self.next_chart_row - 1


def write_report_workbook(
    target: str | IO[bytes], report: Report, period: Period, data: ReportData, about: AboutExport
) -> None:
    """The report as a workbook: a Summary sheet (period, headline figures, notes, definitions), one
    sheet per table (formatted header, frozen header row, autofilter, total row) with its native Excel
    charts below it, each on a printed page of its own, and the "About this export" sheet (which also
    states every definition)."""
    workbook = xlsxwriter.Workbook(target)
    footer = PrintFooter(str(report.title), f"{period.label} ({period.dates})")
    try:
        cells = _Cells(workbook)
        _write_summary(workbook, cells, report, period, data, footer)
        placed = _write_tables(workbook, cells, data.tables, footer)
        _write_charts(workbook, data, placed)
        for where in placed.values():
            _set_print_area(where)
        rows = sum(len(table.rows) for table in data.tables)
        _write_about(workbook, cells.text, about, rows, footer, _definitions(report))
    finally:
        workbook.close()


def _definitions(report: Report) -> list[tuple[str, str]]:
    """The report's definitions as text in the reader's language."""
    return [(str(term), str(meaning)) for term, meaning in report.definitions]


def _write_summary(
    workbook: Any, cells: _Cells, report: Report, period: Period, data: ReportData, footer: PrintFooter
) -> None:
    """The first sheet: title, period, the headline figures, the notes and the definitions (long text
    wraps within its column, so the sheet prints whole on portrait pages)."""
    summary = workbook.add_worksheet(str(SUMMARY_SHEET))
    summary.set_column(0, 0, SUMMARY_LABEL_WIDTH)
    summary.set_column(1, 1, SUMMARY_TEXT_WIDTH)
    set_print_setup(summary, footer, columns=2, header_rows=2)
    cells.text.write(summary, 0, 0, str(report.title))
    summary.set_row(0, None, workbook.add_format({"bold": True, "font_size": 14}))
    summary.write_string(1, 0, gettext("Report period"), cells.bold)
    cells.text.write(summary, 1, 1, f"{period.label} ({period.dates})", wrap=True)
    row = 3
    summary.write_string(row, 0, gettext("Figure"), cells.header)
    summary.write_string(row, 1, gettext("Value"), cells.header)
    for figure in data.figures:
        row += 1
        cells.text.write(summary, row, 0, str(figure.label), wrap=True)
        cells.write(summary, row, 1, figure.value, figure.kind)
    for note in data.notes:
        row += 2
        summary.write_string(row, 0, gettext("Note"), cells.bold)
        cells.text.write(summary, row, 1, str(note), wrap=True)
    if report.definitions:
        row += 2
        summary.write_string(row, 0, gettext("Definitions"), cells.bold)
        for term, meaning in _definitions(report):
            row += 1
            cells.text.write(summary, row, 0, term, wrap=True)
            cells.text.write(summary, row, 1, meaning, wrap=True)


def _write_tables(
    workbook: Any, cells: _Cells, tables: list[ReportTable], footer: PrintFooter
) -> dict[str, _PlacedTable]:
    """One sheet per table: header, rows, frozen header, autofilter, total row, note, print setup."""
    used: set[str] = {str(SUMMARY_SHEET)}
    placed: dict[str, _PlacedTable] = {}
    for table in tables:
        name = _unique_sheet(str(table.sheet or table.title), used)
        sheet = workbook.add_worksheet(name)
        widths = _column_widths(table)
        for col, column in enumerate(table.columns):
            sheet.write_string(0, col, str(column.label), cells.header)
            sheet.set_column(col, col, widths[col])
        for offset, record in enumerate(table.rows, start=1):
            for col, column in enumerate(table.columns):
                cells.write(sheet, offset, col, column.value(record), column.kind)
        last = len(table.rows)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(last, 1), len(table.columns) - 1)
        set_print_setup(sheet, footer, columns=len(table.columns))
        if table.total is not None:
            for col, column in enumerate(table.columns):
                cells.write(sheet, last + 1, col, column.value(table.total), column.kind, bold=True)
        if table.note:
            _write_note(sheet, cells, last + 3, str(table.note), widths)
        placed[table.key] = _PlacedTable(name, sheet, 1, last, widths, next_chart_row=last + 5)
    return placed


def _column_widths(table: ReportTable) -> list[float]:
    """Each column wide enough for its label and its longest text (up to the exporter's limit, beyond which
    text is cut on screen and in print): the first column at least 28 characters, the others 14."""
    rows = [*table.rows, *([table.total] if table.total is not None else [])]
    widths = []
    for col, column in enumerate(table.columns):
        longest = max((len(value) for value in map(column.value, rows) if isinstance(value, str)), default=0)
        widest = max(len(str(column.label)), longest) + 2
        widths.append(float(min(max(widest, 14 if col else 28), MAX_COLUMN_WIDTH)))
    return widths


def _write_note(sheet: Any, cells: _Cells, row: int, note: str, widths: list[float]) -> None:
    """A table's note, wrapped across the table's columns, in a row tall enough to print it whole."""
    chars_per_line = max(sum(widths) * 0.85, 20)
    lines = math.ceil(len(note) / chars_per_line)
    if len(widths) > 1:
        sheet.merge_range(row, 0, row, len(widths) - 1, "", cells.text.wrapped)
    cells.text.write(sheet, row, 0, note, wrap=True)
    sheet.set_row(row, LINE_HEIGHT_PT * lines + 3)


def _write_charts(workbook: Any, data: ReportData, placed: dict[str, _PlacedTable]) -> None:
    """Each chart with an Excel form, drawn from its table's cells and set below that table at a fixed
    size, after a manual page break: it prints whole, on a page of its own (under the repeated header)."""
    for chart in data.charts:
        spec = chart.excel
        if spec is None or spec.table not in placed:
            continue
        where = placed[spec.table]
        if where.last_row < where.first_row:
            continue  # nothing to plot
        excel_chart = _excel_chart(workbook, chart, data.table(spec.table), where)
        excel_chart.set_size({"width": CHART_WIDTH_PX, "height": CHART_HEIGHT_PX})
        row = where.next_chart_row
        where.sheet.insert_chart(row, 0, excel_chart, {"object_position": 2})  # moves with cells, keeps its size
        where.page_breaks.append(row)
        where.next_chart_row = row + CHART_ROWS
        where.last_printed_col = max(where.last_printed_col, _columns_spanned(where.widths, CHART_WIDTH_PX) - 1)


def _set_print_area(where: _PlacedTable) -> None:
    """Print the table and every chart below it, with a page break before each chart."""
    if where.page_breaks:
        where.sheet.set_h_pagebreaks(where.page_breaks)
    last_col = max(where.last_printed_col, len(where.widths) - 1)
    where.sheet.print_area(0, 0, where.last_printed_row, last_col)


def _column_px(width: float) -> int:
    """A column's width on screen, in pixels, from its width in characters (as Excel converts it)."""
    return int(width * 12 + 0.5) if width < 1 else int(width * 7 + 0.5) + 5


def _columns_spanned(widths: list[float], pixels: int) -> int:
    """How many columns, from the first, an object ``pixels`` wide covers (default-width ones after the table)."""
    covered, count = 0, 0
    while covered < pixels:
        covered += _column_px(widths[count] if count < len(widths) else DEFAULT_COLUMN_WIDTH)
        count += 1
    return count


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
    excel_chart.set_title({"name": str(chart.title)})
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
