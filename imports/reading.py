"""Read a register file (.xlsx or .csv) into rows of values, one kind's columns at a time.

The whole file is checked before any row is read: its size (``IMPORT_MAX_BYTES``), its type, and for an
.xlsx its zip directory and then its XML as it expands (``core.uploads.check_workbook``: a decompression
bomb is refused from the declared sizes before openpyxl opens it). Then rows are read one at a time
(openpyxl's read-only mode, the csv module): the header row is matched to the kind's columns ignoring
case and spacing, each data row's cells go through ``Column.parse``, and a cell that cannot be read
becomes a ``RowError`` naming its row and column. Blank rows are skipped; formulas are refused cell by
cell (their values are not in the file as the tracker reads it).

A CSV file that is not UTF-8 is read as Windows-1252 (what Excel's plain "CSV" writes on Windows) and the
preview says so, so that a name with an accent can be checked before anything is saved.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from core.exceptions import UploadRefused
from core.uploads import UploadLimits, check_size, check_workbook, read_only_workbook, sheet_values
from imports.kinds.base import CellError, CellValue, Column, ImportKind, ParsedRow, RowError
from imports.values import shown

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv",)
# Rows looked at, at the top of each sheet, to find the header row.
HEADER_SEARCH_ROWS = 20


class FileRefused(UploadRefused):
    """A register file that cannot be imported as a whole: the message says why and what to do."""


@dataclass
class ReadNotes:
    """What the reader noticed about the whole file, shown above the preview."""

    notes: list[str] = field(default_factory=list)
    sheet: str = ""


def import_limits() -> UploadLimits:
    """The bounds of a register file: the imports' settings, the other upload settings otherwise."""
    return UploadLimits.from_settings(
        max_bytes=int(settings.IMPORT_MAX_BYTES),
        max_rows=int(settings.IMPORT_MAX_ROWS) + HEADER_SEARCH_ROWS + 1,
        max_cells=int(settings.IMPORT_MAX_CELLS),
        max_seconds=float(settings.IMPORT_MAX_SECONDS),
        max_uncompressed_bytes=int(settings.IMPORT_MAX_UNCOMPRESSED_BYTES),
    )


def check_file(name: str, size: int) -> None:
    """Refuse, before reading a byte, a file of the wrong type, empty, or over the size limit."""
    if not name.lower().endswith(EXCEL_SUFFIXES + CSV_SUFFIXES):
        raise FileRefused(_("Upload the register as an Excel workbook (.xlsx) or a CSV file (.csv)."))
    check_size(size, import_limits())


def normalised_heading(heading: object) -> str:
    """A heading as headings are compared: lower case, single spaces, no required-marker ``*``."""
    text = re.sub(r"\s+", " ", str(heading if heading is not None else "").replace("_", " ")).strip().lower()
    return text.rstrip("*").strip()


def _cell(value: Any) -> CellValue:
    """A raw cell as readers take it: stripped text (empty → None), numbers, dates."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, bool | int | float | Decimal | dt.date):
        return value
    if isinstance(value, dt.time):
        return value.isoformat()
    return str(value).strip() or None


def _is_formula(value: CellValue) -> bool:
    return isinstance(value, str) and value.startswith("=") and len(value) > 1


def _decoded(content: bytes, notes: ReadNotes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = content.decode("cp1252")
    except UnicodeDecodeError as error:
        raise FileRefused(
            _("The file is neither UTF-8 nor Windows-1252 text; in Excel, save it as “CSV UTF-8 (Comma delimited)”.")
        ) from error
    notes.notes.append(
        _(
            "The file is not UTF-8: it was read as Windows-1252 (Excel's plain “CSV”). Check names with accents "
            "below; to be sure, save it from Excel as “CSV UTF-8”."
        )
    )
    return text


def _csv_rows(content: bytes, limits: UploadLimits, notes: ReadNotes) -> Iterator[list[CellValue]]:
    text = _decoded(content, notes)
    if "\x00" in text:
        raise FileRefused(_("The file holds binary data, not CSV text."))
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            yield [_cell(value) for value in row[: limits.max_columns]]
    except csv.Error as error:
        raise FileRefused(_("The file cannot be read as CSV (%(error)s).") % {"error": error}) from error


def _header_of(rows: Iterator[tuple[Any, ...]]) -> list[str]:
    for _number, row in zip(range(HEADER_SEARCH_ROWS), rows, strict=False):
        cells = [normalised_heading(value) for value in row]
        if any(cells):
            return cells
    return []


def _excel_rows(content: bytes, kind: ImportKind, limits: UploadLimits, notes: ReadNotes) -> Iterator[list[CellValue]]:
    check_workbook(content, limits)  # the zip directory first, then the XML as it expands: nothing kept
    try:
        workbook = read_only_workbook(content, data_only=False)
    except Exception as error:
        raise FileRefused(
            _("The file is not a readable Excel workbook (%(problem)s).") % {"problem": type(error).__name__}
        ) from error
    try:
        known = {normalised_heading(column.header) for column in kind.columns}
        chosen = None
        for sheet in workbook.worksheets:
            header = _header_of(sheet_values(sheet, limits.max_columns))  # its declared size is not trusted
            if known & set(header):
                chosen = sheet
                break
        if chosen is None:
            chosen = workbook.worksheets[0] if workbook.worksheets else None
        if chosen is None:
            return
        notes.sheet = str(chosen.title)
        for row in sheet_values(chosen, limits.max_columns):
            yield [_cell(value) for value in row]
    except UploadRefused:
        raise
    except Exception as error:
        raise FileRefused(
            _("The workbook cannot be read (%(problem)s).") % {"problem": type(error).__name__}
        ) from error
    finally:
        workbook.close()


def _raw_rows(name: str, content: bytes, kind: ImportKind, notes: ReadNotes) -> Iterator[list[CellValue]]:
    limits = import_limits()
    check_file(name, len(content))
    if name.lower().endswith(EXCEL_SUFFIXES):
        if not content.startswith(b"PK"):
            raise FileRefused(_("The file is named .xlsx but is not an Excel workbook; save it again from Excel."))
        return _excel_rows(content, kind, limits, notes)
    return _csv_rows(content, limits, notes)


def expected_headings(kind: ImportKind) -> str:
    # Translators: after a column heading the file must have, e.g. "OB number (required)".
    required = _("(required)")
    return ", ".join(f"{column.header} {required}" if column.required else column.header for column in kind.columns)


def _match_header(header: list[CellValue], kind: ImportKind) -> dict[int, Column]:
    """The position of each of the kind's columns in the file; refuses unknown, repeated or missing headings."""
    by_heading = {normalised_heading(column.header): column for column in kind.columns}
    found: dict[int, Column] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    seen: set[str] = set()
    for position, raw in enumerate(header):
        heading = normalised_heading(raw)
        if not heading:
            continue
        column = by_heading.get(heading)
        if column is None:
            unknown.append(shown(raw if raw is not None else ""))
        elif column.key in seen:
            repeated.append(column.header)
        else:
            seen.add(column.key)
            found[position] = column
    missing = [column.header for column in kind.columns if column.required and column.key not in seen]
    problems: list[str] = []
    if unknown:
        problems.append(_("columns the register does not have: %(names)s") % {"names": ", ".join(unknown)})
    if repeated:
        problems.append(_("columns given twice: %(names)s") % {"names": ", ".join(repeated)})
    if missing:
        problems.append(_("required columns missing: %(names)s") % {"names": ", ".join(missing)})
    if problems:
        raise FileRefused(
            _("The header row does not match the %(kind)s: %(problems)s. The headings expected are: %(expected)s.")
            % {"kind": kind.title, "problems": "; ".join(problems), "expected": expected_headings(kind)}
        )
    return found


def _parsed(number: int, cells: list[CellValue], columns: dict[int, Column], kind: ImportKind) -> ParsedRow:
    values: dict[str, object] = {column.key: None for column in kind.columns}
    errors: list[RowError] = []
    for position, column in columns.items():
        value = cells[position] if position < len(cells) else None
        if value is None:
            if column.required:
                errors.append(RowError(number, column.header, _("this column must be filled")))
            continue
        if _is_formula(value):
            errors.append(RowError(number, column.header, _("formulas are not imported — paste values")))
            continue
        try:
            values[column.key] = column.parse(value)
        except CellError as error:
            errors.append(RowError(number, column.header, error.message))
    return ParsedRow(row=number, values=values, errors=errors)


def parsed_rows(name: str, content: bytes, kind: ImportKind, notes: ReadNotes | None = None) -> Iterator[ParsedRow]:
    """The data rows of a register file, read one at a time, as the kind's values with their cell errors.

    Raises ``FileRefused`` for a file that cannot be imported at all (wrong type, empty, too large, a
    workbook bomb, broken, a header that is not the kind's, no data rows, too many rows).
    """
    notes = notes if notes is not None else ReadNotes()
    max_rows = int(settings.IMPORT_MAX_ROWS)
    columns: dict[int, Column] | None = None
    data_rows = 0
    for number, cells in enumerate(_raw_rows(name, content, kind, notes), start=1):
        if not any(cell is not None for cell in cells):
            continue
        if columns is None:
            columns = _match_header(cells, kind)
            continue
        data_rows += 1
        if data_rows > max_rows:
            raise FileRefused(
                _("The file has more than %(limit)s rows; split it into files of at most %(limit)s rows.")
                % {"limit": f"{max_rows:,}"}
            )
        yield _parsed(number, cells, columns, kind)
    if columns is None:
        raise FileRefused(
            _("The file is empty: it has no header row. The headings expected are: %(expected)s.")
            % {"expected": expected_headings(kind)}
        )
    if not data_rows:
        raise FileRefused(_("The file has a header row but no rows to import."))
