"""The Excel exporter: one worksheet of rows plus an "About this export" sheet.

Rows stream through once and xlsxwriter writes them in constant-memory mode, so memory stays flat however
many rows there are. Each column gets one cell writer, chosen once by its kind (dates, numbers, yes/no,
text), so a row costs its cells and little more. A list whose columns all name their database ``source``
exports from ``.values_list()`` tuples through per-column converters (``core.tables.values_plan``), with no
model object built for a row. Every text cell is written as a string, so text a spreadsheet would run as a
formula (``=``, ``+``, ``-``, ``@``) stays text; such cells also carry Excel's quote prefix, so editing
the cell does not turn it into a formula either. Missing values — ``None``, "", and pandas' NaN and NaT
(reports built with pandas pass them in) — are blank cells.

Every sheet prints as well as it reads (``set_print_setup``): A4, landscape when it has more than six
columns, scaled to one page wide (as many pages tall as it needs), its header rows repeated on every page,
and a footer with the export's title, its period and "Page n of N". Long text on the About sheet wraps
within column widths that fit the page.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import pandas as pd
import xlsxwriter
from django.conf import settings
from django.http import FileResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.tables import Column, ColumnKind

CHUNK_SIZE = 2000
MAX_COLUMN_WIDTH = 60
DATE_FORMAT = "dd mmm yyyy"
DATETIME_FORMAT = "dd mmm yyyy hh:mm"
MONEY_FORMAT = '"KES" #,##0.00'
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00##"
# Sheet names come out in the language of the person who asked (at most 31 characters each).
# Translators: the name of a worksheet (at most 31 characters).
ABOUT_SHEET = _("About this export")
# Translators: the name of the worksheet holding a list's rows (at most 31 characters).
DATA_SHEET = _("Data")
# A text cell starting with one of these is what a spreadsheet would run as a formula (OWASP CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PAPER_A4 = 9  # xlsxwriter's paper code for A4
WIDE_SHEET_COLUMNS = 6  # a sheet with more columns than this prints landscape
FOOTER_PART_CHARS = 80  # each part of the footer (title, period) is cut to this; Excel allows 255 in all
ABOUT_LABEL_WIDTH = 22
ABOUT_TEXT_WIDTH = 64  # with the label column, fits an A4 portrait page at 100 %
# Excel's day numbers: day 1 is 1 January 1900, and Excel counts a 29 February 1900 that never was (day 60),
# so every later date is one more than the days since 31 December 1899.
EXCEL_DAY_ZERO = dt.date(1899, 12, 31).toordinal()
EXCEL_FAKE_LEAP_DAY = 59
NUMERIC_KINDS = frozenset({ColumnKind.MONEY, ColumnKind.DECIMAL, ColumnKind.INTEGER})
DATE_KINDS = frozenset({ColumnKind.DATE, ColumnKind.DATETIME})


@dataclass
class AboutExport:
    """What the "About this export" sheet says: what it is, who made it, when, with which filters."""

    title: str
    exported_by: str
    exported_at: dt.datetime = field(default_factory=timezone.now)
    filters: Sequence[tuple[str, str]] = ()


@dataclass(frozen=True)
class PrintFooter:
    """What every printed page of a workbook says at its foot: the report (or list), its period, and
    "Page n of N"."""

    title: str
    period: str

    @property
    def code(self) -> str:
        """The footer in Excel's header/footer codes: left, centre and right parts (``&&`` is a literal &;
        ``&P`` and ``&N`` are Excel's page number and page count)."""
        # Translators: a printed page's footer; keep &P (this page's number) and &N (the number of pages).
        pages = gettext("Page &P of &N")
        return f"&L{_footer_part(self.title)}&C{_footer_part(self.period)}&R{pages}"

    @classmethod
    def for_export(cls, about: AboutExport) -> PrintFooter:
        """A list export's footer: its title, and its period filter or else when it was exported."""
        filters = {str(label): value for label, value in about.filters}
        period = filters.get(gettext("Period")) or filters.get("Period")
        if not period:
            moment = date_format(timezone.localtime(about.exported_at), "d M Y H:i")
            period = gettext("Exported %(moment)s") % {"moment": moment}
        return cls(str(about.title), str(period))


def _footer_part(text: str) -> str:
    flat = " ".join(str(text).split())
    if len(flat) > FOOTER_PART_CHARS:
        flat = flat[: FOOTER_PART_CHARS - 1] + "…"
    return flat.replace("&", "&&")


def set_print_setup(sheet: Any, footer: PrintFooter, *, columns: int, header_rows: int = 1) -> None:
    """How a worksheet prints: A4, landscape when wider than six columns, one page wide and as many tall
    as needed, the first ``header_rows`` rows repeated at the top of every page, and the footer."""
    sheet.set_paper(PAPER_A4)
    if columns > WIDE_SHEET_COLUMNS:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.fit_to_pages(1, 0)
    if header_rows:
        sheet.repeat_rows(0, header_rows - 1)
    sheet.set_footer(footer.code)


def _naive_local(value: Any) -> Any:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _is_blank(value: Any) -> bool:
    """``None``, "" and pandas' missing markers (NaN, NaT, NA), which reports built with pandas pass in."""
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and not value


def _sheet_title(name: str) -> str:
    """A worksheet name Excel accepts: no ``[]:*?/\\``, at most 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", "-", name).strip("'")[:31] or "Data"


class _TextWriter:
    """Writes text cells as strings, never as formulas. Text a spreadsheet would run as a formula also
    gets Excel's quote prefix, so it stays text even when someone edits the cell and presses Enter.
    ``wrap=True`` wraps long text within the column (top-aligned), so it prints whole."""

    def __init__(self, workbook: Any) -> None:
        self.quoted = workbook.add_format({"quote_prefix": True})
        self.wrapped = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.wrapped_quoted = workbook.add_format({"text_wrap": True, "valign": "top", "quote_prefix": True})

    def write(self, sheet: Any, row: int, col: int, text: str, wrap: bool = False) -> None:
        formula_like = text.startswith(FORMULA_TRIGGERS)
        if wrap:
            sheet.write_string(row, col, text, self.wrapped_quoted if formula_like else self.wrapped)
        else:
            sheet.write_string(row, col, text, self.quoted if formula_like else None)


class _ColumnWriters:
    """One cell writer per column, chosen once by the column's kind; it also widens the column to fit."""

    def __init__(self, workbook: Any, sheet: Any, columns: Sequence[Column], text: _TextWriter) -> None:
        self.sheet = sheet
        self.text = text
        self.formats: dict[str, Any] = {
            ColumnKind.DATE: workbook.add_format({"num_format": DATE_FORMAT}),
            ColumnKind.DATETIME: workbook.add_format({"num_format": DATETIME_FORMAT}),
            ColumnKind.MONEY: workbook.add_format({"num_format": MONEY_FORMAT}),
            ColumnKind.INTEGER: workbook.add_format({"num_format": INTEGER_FORMAT}),
            ColumnKind.DECIMAL: workbook.add_format({"num_format": DECIMAL_FORMAT}),
        }
        self.widths = [max(len(str(column.label)) + 2, 10) for column in columns]
        # Numbers widen their column to the widest of them formatted ("1,250,000.50"): the extremes decide.
        self.lowest: list[float | None] = [None] * len(columns)
        self.highest: list[float | None] = [None] * len(columns)
        self.writers: list[Any] = [self._writer(col, column.kind) for col, column in enumerate(columns)]

    def _writer(self, col: int, kind: str) -> Any:
        sheet, widths = self.sheet, self.widths
        write_string = sheet.write_string
        quoted = self.text.quoted

        def write_text(row: int, value: Any) -> None:
            if value.__class__ is not str:
                if _is_blank(value):
                    return
                value = str(value)
            elif not value:
                return
            write_string(row, col, value, quoted if value.startswith(FORMULA_TRIGGERS) else None)
            width = len(value) + 2
            if width > widths[col]:
                widths[col] = min(width, MAX_COLUMN_WIDTH)

        if kind in DATE_KINDS:
            date_format = self.formats[kind]
            date_width = 17 if kind == ColumnKind.DATETIME else 12
            write_datetime, write_number = sheet.write_datetime, sheet.write_number
            combine, midnight = dt.datetime.combine, dt.time()

            def write_date(row: int, value: Any) -> None:
                if value.__class__ is dt.date:
                    # A date cell is its Excel day number under a date format (what write_datetime writes).
                    day = value.toordinal() - EXCEL_DAY_ZERO
                    write_number(row, col, float(day + 1 if day > EXCEL_FAKE_LEAP_DAY else day), date_format)
                elif _is_blank(value):  # before the datetime test: pandas' NaT is a datetime too
                    return
                elif isinstance(value, dt.datetime):
                    write_datetime(row, col, _naive_local(value), date_format)
                elif isinstance(value, dt.date):
                    write_datetime(row, col, combine(value, midnight), date_format)
                else:
                    write_text(row, value)
                    return
                if widths[col] < date_width:
                    widths[col] = date_width

            return write_date
        if kind in NUMERIC_KINDS:
            number_format = self.formats[kind]
            write_number = sheet.write_number
            lowest, highest = self.lowest, self.highest

            def write_numeric(row: int, value: Any) -> None:
                if isinstance(value, str):
                    try:
                        value = float(value)
                    except ValueError:
                        return  # text in a number column is no number: blank, as it always was
                elif _is_blank(value):
                    return
                number = float(value)
                if math.isnan(number):
                    return
                write_number(row, col, number, number_format)
                low, high = lowest[col], highest[col]
                if low is None or number < low:
                    lowest[col] = number
                if high is None or number > high:
                    highest[col] = number

            return write_numeric
        if kind == ColumnKind.BOOLEAN:
            yes, no = gettext("Yes"), gettext("No")

            def write_yes_no(row: int, value: Any) -> None:
                if not _is_blank(value):
                    write_text(row, yes if value else no)

            return write_yes_no
        return write_text

    def finish(self) -> list[int]:
        """The columns' widths, numbers' included."""
        for col, (low, high) in enumerate(zip(self.lowest, self.highest, strict=True)):
            for number in (low, high):
                if number is not None:
                    self.widths[col] = max(self.widths[col], min(len(f"{number:,.2f}") + 5, MAX_COLUMN_WIDTH))
        return self.widths


def write_workbook(
    target: str | IO[bytes],
    columns: Sequence[Column],
    rows: Iterable[Any],
    about: AboutExport,
    sheet_name: str | None = None,
    *,
    cells: bool = False,
) -> int:
    """Write ``rows`` as an Excel workbook to ``target``; returns the number of data rows. Sheet names,
    headers and the About sheet are in the active language (the requester's).

    ``rows`` may be any iterable (a ``QuerySet.iterator()``, a generator): it is read once, row by row.
    Each row is a record whose cells ``Column.value`` reads, or — with ``cells=True`` — already the
    sequence of its cell values, in the order of ``columns`` (``core.tables.ValuesPlan.cells``).
    """
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
    try:
        header = workbook.add_format({"bold": True, "bg_color": "#1F3B57", "font_color": "#FFFFFF", "border": 1})
        text = _TextWriter(workbook)
        sheet = workbook.add_worksheet(_sheet_title(str(sheet_name or DATA_SHEET)))
        writers = _ColumnWriters(workbook, sheet, columns, text)
        for col, column in enumerate(columns):
            sheet.write_string(0, col, str(column.label), header)
        sheet.freeze_panes(1, 0)

        numbered = list(enumerate(writers.writers))
        row_number = 0
        if cells:
            for row_number, values in enumerate(rows, 1):
                for col, write in numbered:
                    value = values[col]
                    if value is not None:
                        write(row_number, value)
        else:
            readers = [column.value for column in columns]
            for row_number, record in enumerate(rows, 1):
                for (_col, write), read in zip(numbered, readers, strict=True):
                    value = read(record)
                    if value is not None:
                        write(row_number, value)
        # Column widths and the autofilter are written when the workbook closes, so setting them
        # after the rows have streamed out works in constant-memory mode.
        for col, width in enumerate(writers.finish()):
            sheet.set_column(col, col, width)
        sheet.autofilter(0, 0, max(row_number, 1), max(len(columns) - 1, 0))
        footer = PrintFooter.for_export(about)
        set_print_setup(sheet, footer, columns=len(columns))

        _write_about(workbook, text, about, row_number, footer)
    finally:
        workbook.close()
    return row_number


def _write_about(
    workbook: Any,
    text: _TextWriter,
    about: AboutExport,
    row_count: int,
    footer: PrintFooter,
    definitions: Sequence[tuple[str, str]] = (),
) -> None:
    """The "About this export" sheet: what, who, when, how many rows, which filters, the time zone and —
    for a report — what each figure counts. Long text wraps; it prints portrait, one page wide."""
    sheet = workbook.add_worksheet(_sheet_title(str(ABOUT_SHEET)))
    bold = workbook.add_format({"bold": True, "valign": "top"})
    moment = workbook.add_format({"num_format": DATETIME_FORMAT, "align": "left"})
    sheet.set_column(0, 0, ABOUT_LABEL_WIDTH)
    sheet.set_column(1, 1, ABOUT_TEXT_WIDTH)
    set_print_setup(sheet, footer, columns=2)
    # Translators: a label on the About sheet, beside the title of what was exported.
    sheet.write_string(0, 0, gettext("Export"), bold)
    text.write(sheet, 0, 1, str(about.title), wrap=True)
    sheet.write_string(1, 0, gettext("Exported by"), bold)
    text.write(sheet, 1, 1, str(about.exported_by))
    sheet.write_string(2, 0, gettext("Exported at"), bold)
    sheet.write_datetime(2, 1, _naive_local(about.exported_at), moment)
    sheet.write_string(3, 0, gettext("Rows"), bold)
    sheet.write_number(3, 1, row_count)
    sheet.write_string(4, 0, gettext("Filters"), bold)
    if not about.filters:
        sheet.write_string(4, 1, gettext("None (all rows you may see)"))
    for offset, (label, value) in enumerate(about.filters):
        line = gettext("%(filter)s: %(value)s") % {"filter": label, "value": value}
        text.write(sheet, 4 + offset, 1, line, wrap=True)
    row = 4 + max(len(about.filters), 1)
    sheet.write_string(row, 0, gettext("Time zone"), bold)
    sheet.write_string(row, 1, settings.TIME_ZONE)
    if definitions:
        row += 2
        sheet.write_string(row, 0, gettext("Definitions"), bold)
    for term, meaning in definitions:
        row += 1
        text.write(sheet, row, 0, str(term), wrap=True)
        text.write(sheet, row, 1, str(meaning), wrap=True)


def xlsx_response(
    filename: str, columns: Sequence[Column], rows: Iterable[Any], about: AboutExport, *, cells: bool = False
) -> FileResponse:
    """An HTTP download of the workbook, built in a temporary file rather than in memory (``cells`` as in
    ``write_workbook``)."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    write_workbook(spool, columns, rows, about, cells=cells)
    spool.seek(0)
    stamp = timezone.localtime(about.exported_at).strftime("%Y%m%d-%H%M")
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"{filename}-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
