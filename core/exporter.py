"""The Excel exporter: one worksheet of rows plus an "About this export" sheet.

Rows are read in chunks; pandas shapes each chunk into typed columns (dates, numbers) and
xlsxwriter writes it in constant-memory mode, so memory stays flat however many rows there are.
Every text cell is written as a string, so text a spreadsheet would run as a formula
(``=``, ``+``, ``-``, ``@``) stays text; such cells also carry Excel's quote prefix, so editing
the cell does not turn it into a formula either. Values pandas marks as missing (NaN, NaT) are blank.

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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import IO, Any

import pandas as pd
import xlsxwriter
from django.conf import settings
from django.http import FileResponse
from django.utils import timezone

from core.tables import Column, ColumnKind

CHUNK_SIZE = 2000
MAX_COLUMN_WIDTH = 60
DATE_FORMAT = "dd mmm yyyy"
DATETIME_FORMAT = "dd mmm yyyy hh:mm"
MONEY_FORMAT = '"KES" #,##0.00'
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00##"
ABOUT_SHEET = "About this export"
# A text cell starting with one of these is what a spreadsheet would run as a formula (OWASP CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PAPER_A4 = 9  # xlsxwriter's paper code for A4
WIDE_SHEET_COLUMNS = 6  # a sheet with more columns than this prints landscape
FOOTER_PART_CHARS = 80  # each part of the footer (title, period) is cut to this; Excel allows 255 in all
ABOUT_LABEL_WIDTH = 22
ABOUT_TEXT_WIDTH = 64  # with the label column, fits an A4 portrait page at 100 %
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
        """The footer in Excel's header/footer codes: left, centre and right parts (``&&`` is a literal &)."""
        return f"&L{_footer_part(self.title)}&C{_footer_part(self.period)}&RPage &P of &N"

    @classmethod
    def for_export(cls, about: AboutExport) -> PrintFooter:
        """A list export's footer: its title, and its period filter or else when it was exported."""
        period = dict(about.filters).get("Period") or f"Exported {timezone.localtime(about.exported_at):%d %b %Y %H:%M}"
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


def _chunks(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _naive_local(value: Any) -> Any:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _is_blank(value: Any) -> bool:
    """``None`` and pandas' missing markers (NaN, NaT, NA), which reports built with pandas pass in."""
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def _frame(chunk: list[Any], columns: Sequence[Column]) -> pd.DataFrame:
    """The chunk as a DataFrame with one typed column per ``Column``; missing values are ``None``/NaN."""
    data: dict[str, Any] = {}
    for column in columns:
        values = [None if _is_blank(v) else v for v in (column.value(row) for row in chunk)]
        if column.kind in NUMERIC_KINDS:
            data[column.key] = pd.to_numeric(
                pd.Series([float(v) if isinstance(v, Decimal) else v for v in values], dtype="object"),
                errors="coerce",
            )
        elif column.kind in DATE_KINDS:
            data[column.key] = pd.Series([_naive_local(v) for v in values], dtype="object")
        elif column.kind == ColumnKind.BOOLEAN:
            data[column.key] = pd.Series(
                [None if v is None else ("Yes" if v else "No") for v in values], dtype="object"
            )
        else:
            data[column.key] = pd.Series([None if v is None else str(v) for v in values], dtype="object")
    return pd.DataFrame(data)


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


def write_workbook(
    target: str | IO[bytes],
    columns: Sequence[Column],
    rows: Iterable[Any],
    about: AboutExport,
    sheet_name: str = "Data",
) -> int:
    """Write ``rows`` as an Excel workbook to ``target``; returns the number of data rows.

    ``rows`` may be any iterable (a ``QuerySet.iterator()``, a generator): it is read once, in chunks.
    """
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
    try:
        header = workbook.add_format({"bold": True, "bg_color": "#1F3B57", "font_color": "#FFFFFF", "border": 1})
        text = _TextWriter(workbook)
        formats = {
            ColumnKind.DATE: workbook.add_format({"num_format": DATE_FORMAT}),
            ColumnKind.DATETIME: workbook.add_format({"num_format": DATETIME_FORMAT}),
            ColumnKind.MONEY: workbook.add_format({"num_format": MONEY_FORMAT}),
            ColumnKind.INTEGER: workbook.add_format({"num_format": INTEGER_FORMAT}),
            ColumnKind.DECIMAL: workbook.add_format({"num_format": DECIMAL_FORMAT}),
        }
        sheet = workbook.add_worksheet(_sheet_title(sheet_name))
        widths = [max(len(str(column.label)) + 2, 10) for column in columns]
        for col, column in enumerate(columns):
            sheet.write_string(0, col, str(column.label), header)
        sheet.freeze_panes(1, 0)

        row_number = 0
        for chunk in _chunks(rows, CHUNK_SIZE):
            frame = _frame(chunk, columns)
            for record in frame.itertuples(index=False, name=None):
                row_number += 1
                for col, (column, value) in enumerate(zip(columns, record, strict=True)):
                    if _is_blank(value):
                        continue
                    kind = column.kind
                    if kind in DATE_KINDS and isinstance(value, dt.date):
                        moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
                        sheet.write_datetime(row_number, col, moment, formats[kind])
                        widths[col] = max(widths[col], 17 if kind == ColumnKind.DATETIME else 12)
                    elif kind in NUMERIC_KINDS and not isinstance(value, str):
                        sheet.write_number(row_number, col, float(value), formats[kind])
                        widths[col] = max(widths[col], min(len(f"{value:,.2f}") + 5, MAX_COLUMN_WIDTH))
                    else:
                        cell = str(value)
                        text.write(sheet, row_number, col, cell)
                        widths[col] = max(widths[col], min(len(cell) + 2, MAX_COLUMN_WIDTH))
        # Column widths and the autofilter are written when the workbook closes, so setting them
        # after the rows have streamed out works in constant-memory mode.
        for col, width in enumerate(widths):
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
    sheet = workbook.add_worksheet(ABOUT_SHEET)
    bold = workbook.add_format({"bold": True, "valign": "top"})
    moment = workbook.add_format({"num_format": DATETIME_FORMAT, "align": "left"})
    sheet.set_column(0, 0, ABOUT_LABEL_WIDTH)
    sheet.set_column(1, 1, ABOUT_TEXT_WIDTH)
    set_print_setup(sheet, footer, columns=2)
    sheet.write_string(0, 0, "Export", bold)
    text.write(sheet, 0, 1, str(about.title), wrap=True)
    sheet.write_string(1, 0, "Exported by", bold)
    text.write(sheet, 1, 1, str(about.exported_by))
    sheet.write_string(2, 0, "Exported at", bold)
    sheet.write_datetime(2, 1, _naive_local(about.exported_at), moment)
    sheet.write_string(3, 0, "Rows", bold)
    sheet.write_number(3, 1, row_count)
    sheet.write_string(4, 0, "Filters", bold)
    if not about.filters:
        sheet.write_string(4, 1, "None (all rows you may see)")
    for offset, (label, value) in enumerate(about.filters):
        text.write(sheet, 4 + offset, 1, f"{label}: {value}", wrap=True)
    row = 4 + max(len(about.filters), 1)
    sheet.write_string(row, 0, "Time zone", bold)
    sheet.write_string(row, 1, settings.TIME_ZONE)
    if definitions:
        row += 2
        sheet.write_string(row, 0, "Definitions", bold)
    for term, meaning in definitions:
        row += 1
        text.write(sheet, row, 0, str(term), wrap=True)
        text.write(sheet, row, 1, str(meaning), wrap=True)


def xlsx_response(filename: str, columns: Sequence[Column], rows: Iterable[Any], about: AboutExport) -> FileResponse:
    """An HTTP download of the workbook, built in a temporary file rather than in memory."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    write_workbook(spool, columns, rows, about)
    spool.seek(0)
    stamp = timezone.localtime(about.exported_at).strftime("%Y%m%d-%H%M")
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"{filename}-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
