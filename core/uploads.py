"""Uploaded files, read within bounds: size, rows, columns, time, and what a zip archive may expand to.

Every upload the tracker reads (bank statements today; documents and imports tomorrow) goes through
here, so a hostile or broken file costs a bounded amount of memory and time and is refused with a clear
message (``core.exceptions.UploadRefused``) rather than tying up a worker:

- ``check_size``: the file's size, before anything reads it.
- ``check_archive``: an ``.xlsx`` is a zip archive; its central directory says how large each member is
  once expanded. A "decompression bomb" (a 1.7 MB workbook of a million rows, hundreds of MB once
  expanded) is refused from those figures, before any XML is parsed. Python's ``zipfile`` never expands
  a member beyond the size its directory declares, so the declared figures are the real bound.
- ``check_workbook``: then each sheet and the shared strings are scanned as they are expanded (expat,
  in chunks, nothing kept) and the workbook is refused at the first row, cell or text past the limits, or
  at any DTD (Excel never writes one; it is how "billion laughs" entity expansion starts). openpyxl parses
  a whole sheet just to find its size when the sheet does not declare it, so only a workbook that passed
  this scan is handed to it.
- ``table_rows``: the rows of a CSV or Excel file, streamed (openpyxl's read-only mode, the ``csv``
  module), at most ``max_rows`` of them and ``max_columns`` cells each, within ``max_seconds``.
- ``read_only_workbook`` and ``sheet_values``: openpyxl's read-only workbook, its shared-strings table (every
  distinct text of the workbook, needed for the whole read) kept compactly (``SharedStrings``), and a sheet's
  rows read with each row's parsed element let go once read — so that reading a workbook takes memory that
  does not grow with its rows beyond a few bytes per distinct text.
- ``LimitedUploadHandler``: put first in ``FILE_UPLOAD_HANDLERS``, it stops reading a request body
  larger than ``UPLOAD_MAX_REQUEST_BYTES`` (a 400) before Django spools it to disk.

The limits are settings (``UPLOAD_MAX_BYTES`` …, in ``config/settings.py``, each read from the environment
with a default); a caller may narrow them for its own kind of file (``UploadLimits.from_settings(max_rows=…)``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
import zipfile
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pyexpat import ExpatError, ParserCreate
from typing import IO, Any, overload

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _
from openpyxl.cell.text import Text
from openpyxl.reader.excel import ExcelReader
from openpyxl.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from core.exceptions import UploadRefused

MB = 1024 * 1024

CSV_SUFFIXES = (".csv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
EXCEL_CELL_CHARACTERS = 32_767  # the most text Excel itself puts in a cell
SCAN_CHUNK = 64 * 1024


def _setting(name: str) -> Any:
    return getattr(settings, name)


def _too_many_rows(limit: int) -> str:
    return _("The file has more than %(limit)s rows; split it by month.") % {"limit": f"{limit:,}"}


def _too_many_cells(limit: int) -> str:
    return _("The file has more than %(limit)s cells; split it by month.") % {"limit": f"{limit:,}"}


def _size(count: int) -> str:
    """A byte count as people read it: 512 bytes, 34 KB, 2.5 MB, 200 MB."""
    if count < 1024:
        return _("%(count)s bytes") % {"count": count}
    if count < MB:
        return f"{count // 1024} KB"
    return f"{count // MB} MB" if count >= 10 * MB or count % MB == 0 else f"{count / MB:.1f} MB"


@dataclass(frozen=True)
class UploadLimits:
    """How much of an upload the tracker will read."""

    max_bytes: int
    max_rows: int
    max_columns: int
    max_cells: int
    max_seconds: float
    max_uncompressed_bytes: int
    max_compression_ratio: float
    max_archive_members: int

    @classmethod
    def from_settings(cls, **narrower: Any) -> UploadLimits:
        """The project's limits (settings), with any given here instead."""
        limits = cls(
            max_bytes=int(_setting("UPLOAD_MAX_BYTES")),
            max_rows=int(_setting("UPLOAD_MAX_ROWS")),
            max_columns=int(_setting("UPLOAD_MAX_COLUMNS")),
            max_cells=int(_setting("UPLOAD_MAX_CELLS")),
            max_seconds=float(_setting("UPLOAD_MAX_SECONDS")),
            max_uncompressed_bytes=int(_setting("UPLOAD_MAX_UNCOMPRESSED_BYTES")),
            max_compression_ratio=float(_setting("UPLOAD_MAX_COMPRESSION_RATIO")),
            max_archive_members=int(_setting("UPLOAD_MAX_ARCHIVE_MEMBERS")),
        )
        return replace(limits, **narrower)


def check_size(size: int, limits: UploadLimits | None = None) -> None:
    """Refuse a file larger than ``max_bytes`` (or an empty one)."""
    limits = limits or UploadLimits.from_settings()
    if size == 0:
        raise UploadRefused(_("The file is empty."))
    if size > limits.max_bytes:
        raise UploadRefused(
            _("The file is %(size)s; the largest accepted is %(limit)s.")
            % {"size": _size(size), "limit": _size(limits.max_bytes)}
        )


def check_archive(content: bytes, limits: UploadLimits | None = None) -> None:
    """Refuse a zip archive (an ``.xlsx``) whose directory declares more than it should expand to: too many
    members, too much in total, or too much for its size. Reads the directory only, never a member."""
    limits = limits or UploadLimits.from_settings()
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        raise UploadRefused(_("The file is not a readable Excel workbook (.xlsx).")) from error
    if len(members) > limits.max_archive_members:
        raise UploadRefused(
            _("The workbook holds %(count)s parts; the most accepted is %(limit)s.")
            % {"count": f"{len(members):,}", "limit": f"{limits.max_archive_members:,}"}
        )
    expanded = sum(member.file_size for member in members)
    if expanded > limits.max_uncompressed_bytes:
        raise UploadRefused(
            _(
                "The workbook would expand to %(size)s when opened; the most accepted is %(limit)s. "
                "Save it again from Excel, or as CSV, or split it by month."
            )
            % {"size": _size(expanded), "limit": _size(limits.max_uncompressed_bytes)}
        )
    if expanded > limits.max_compression_ratio * max(len(content), 1):
        raise UploadRefused(
            _(
                "The workbook would expand %(ratio)s times its size when opened, far more than a statement "
                "does; it is refused as a possible decompression bomb."
            )
            % {"ratio": f"{expanded / max(len(content), 1):,.0f}"}
        )


class _Clock:
    """The time a read may take."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise UploadRefused(
                _("Reading the file took longer than %(seconds)s seconds; split it by month.")
                % {"seconds": f"{self.seconds:.0f}"}
            )


class _PartScan:
    """Counts, as expat reads one part of a workbook, its rows, its cells (or shared strings) and the
    length of each run of text, and refuses at the first one past the limits."""

    def __init__(self, limits: UploadLimits, clock: _Clock, is_sheet: bool) -> None:
        self.limits, self.clock, self.is_sheet = limits, clock, is_sheet
        self.rows = self.cells = self.text = 0
        self.parser = ParserCreate()
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.characters
        self.parser.StartDoctypeDeclHandler = self.doctype
        self.parser.EntityDeclHandler = self.doctype

    def start(self, name: str, attributes: Any) -> None:
        tag = name.rpartition(":")[2]
        self.text = 0
        if self.is_sheet and tag == "row":
            self.rows += 1
            if self.rows > self.limits.max_rows:
                raise UploadRefused(_too_many_rows(self.limits.max_rows))
        elif tag == ("c" if self.is_sheet else "si"):
            self.cells += 1
            if self.cells > self.limits.max_cells:
                raise UploadRefused(_too_many_cells(self.limits.max_cells))

    def end(self, name: str) -> None:
        self.text = 0

    def characters(self, data: str) -> None:
        self.text += len(data)
        if self.text > EXCEL_CELL_CHARACTERS:
            raise UploadRefused(
                _("A cell of the workbook holds more than %(limit)s characters, more than Excel allows.")
                % {"limit": f"{EXCEL_CELL_CHARACTERS:,}"}
            )

    def doctype(self, *args: Any) -> None:
        raise UploadRefused(_("The workbook declares XML entities, which Excel never writes; it is refused."))

    def feed(self, stream: Any) -> None:
        while chunk := stream.read(SCAN_CHUNK):
            self.parser.Parse(chunk, False)
            self.clock.check()
        self.parser.Parse(b"", True)


def _scanned(name: str) -> bool | None:
    """Whether a workbook part is a sheet (True), the shared strings (False), or not scanned (None)."""
    lower = name.lower()
    if lower.startswith("xl/worksheets/") and lower.endswith(".xml"):
        return True
    return False if lower == "xl/sharedstrings.xml" else None


def check_workbook(content: bytes, limits: UploadLimits | None = None) -> None:
    """Refuse a workbook (``.xlsx``) past the limits: first from its zip directory (``check_archive``),
    then by scanning its sheets and shared strings as they expand, keeping nothing."""
    limits = limits or UploadLimits.from_settings()
    check_archive(content, limits)
    clock = _Clock(limits.max_seconds)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for info in archive.infolist():
                is_sheet = _scanned(info.filename)
                if is_sheet is None:
                    continue
                with archive.open(info) as stream:
                    _PartScan(limits, clock, is_sheet).feed(stream)
    except ExpatError as error:
        raise UploadRefused(_("The workbook cannot be read: its XML is broken.")) from error
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as error:
        raise UploadRefused(
            _("The file is not a readable Excel workbook (%(error)s).") % {"error": type(error).__name__}
        ) from error


class SharedStrings(Sequence[str]):
    """A workbook's shared-strings table — every distinct text of its cells, which a sheet refers to by
    number — kept compactly: the texts end to end in one string, and where each ends in a typed array. About
    a byte a character and four bytes a text, where openpyxl's own table keeps a Python string per text
    (some fifty bytes beside its characters) and its parsed element (seventy more): a register's OB and court
    case numbers and names are distinct texts, so that table grew with the file."""

    JOIN_EVERY = 4096  # texts joined into one piece at a time while the table is read

    def __init__(self, texts: Iterable[str]) -> None:
        pieces: list[str] = []
        waiting: list[str] = []
        self._ends = array("I")
        end = 0
        for text in texts:
            waiting.append(text)
            end += len(text)
            self._ends.append(end)
            if len(waiting) >= self.JOIN_EVERY:
                pieces.append("".join(waiting))
                waiting.clear()
        pieces.append("".join(waiting))
        self._text = "".join(pieces)

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        end = self._ends[index]  # IndexError past the end, as a list
        return self._text[self._ends[index - 1] if index else 0 : end]


def _shared_texts(source: IO[bytes]) -> Iterator[str]:
    """The texts of a shared-strings part in order, as openpyxl reads each (runs of rich text joined), every
    element let go once read."""
    text_tag = f"{{{SHEET_MAIN_NS}}}si"
    root = None
    for event, node in iterparse(source, events=("start", "end")):
        if root is None:
            root = node
        elif event == "end" and node.tag == text_tag:
            text = Text.from_tree(node)
            yield (text.content if text is not None else "").replace("x005F_", "")
            root.clear()


class _CompactExcelReader(ExcelReader):
    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            with self.archive.open(part.PartName[1:]) as source:
                # openpyxl reads the table only by number (``shared_strings[int(value)]``).
                self.shared_strings = SharedStrings(_shared_texts(source))  # type: ignore[assignment]


def read_only_workbook(content: bytes, *, data_only: bool) -> Workbook:
    """``openpyxl.load_workbook(…, read_only=True)`` of ``content``, its shared strings kept compactly."""
    reader = _CompactExcelReader(io.BytesIO(content), read_only=True, data_only=data_only)
    reader.read()
    workbook: Workbook = reader.wb
    return workbook


ROW_TAG = f"{{{SHEET_MAIN_NS}}}row"
SHEET_DATA_TAG = f"{{{SHEET_MAIN_NS}}}sheetData"


class _RowParser(WorkSheetParser):
    """openpyxl's sheet parser, for the rows only: each row parsed by openpyxl (``parse_row``: values, dates,
    shared strings, formulas) and then let go. openpyxl's own ``parse`` empties each row's element but keeps it
    under the sheet's data until the whole sheet is read — some ninety bytes a row."""

    def rows(self) -> Iterator[tuple[int, list[dict[str, Any]]]]:
        data = None
        for event, element in iterparse(self.source, events=("start", "end")):
            if event == "start":
                if element.tag == SHEET_DATA_TAG:
                    data = element
            elif element.tag == ROW_TAG:
                row = self.parse_row(element)
                self.row_dimensions.clear()  # a row's height and style, kept by openpyxl for each row
                if data is not None:
                    data.clear()
                yield row
            elif element.tag == SHEET_DATA_TAG:
                return  # what follows the rows (merged cells, print settings) is not read


def sheet_values(sheet: ReadOnlyWorksheet, max_columns: int) -> Iterator[tuple[Any, ...]]:
    """The values of a read-only sheet's rows, each ``max_columns`` wide, a row the sheet skips as a blank row:
    as ``sheet.iter_rows(max_col=max_columns, values_only=True)`` of a sheet whose declared size is not trusted
    (``reset_dimensions``), in memory that does not grow with the rows."""
    private: Any = sheet  # openpyxl's own reading state, which its type stubs leave out
    book = private.parent
    blank: tuple[Any, ...] = (None,) * max_columns
    with private._get_source() as source:
        parser = _RowParser(
            source,
            private._shared_strings,
            data_only=book.data_only,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        expected = 1
        for number, cells in parser.rows():
            if number < expected:
                continue  # out of order: openpyxl skips it too
            for _skipped in range(expected, number):
                yield blank
            values = list(blank)
            for cell in cells:
                column = cell["column"]
                if 1 <= column <= max_columns:
                    values[column - 1] = cell["value"]
            yield tuple(values)
            expected = number + 1


def _text(value: Any) -> str:
    """A cell as text, as the bank's file shows it: dates as ISO dates, whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e18 else repr(value)
    return str(value)


def _excel_rows(content: bytes, limits: UploadLimits) -> Iterator[list[str]]:
    check_workbook(content, limits)
    try:
        workbook = read_only_workbook(content, data_only=True)
    except Exception as error:
        raise UploadRefused(
            _("The file is not a readable Excel workbook (%(error)s).") % {"error": type(error).__name__}
        ) from error
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            return
        # The sheet's declared dimensions are not trusted (a bomb declares a million rows and columns): rows
        # are read as they come, each cut to max_columns.
        for row in sheet_values(sheet, limits.max_columns):
            # Rows the sheet skips come back as blanks, as many as it skipped: cheaply.
            yield [_text(value) for value in row] if any(value is not None for value in row) else []
    except UploadRefused:
        raise
    except Exception as error:
        raise UploadRefused(_("The workbook cannot be read (%(error)s).") % {"error": type(error).__name__}) from error
    finally:
        workbook.close()


def _csv_rows(content: bytes, limits: UploadLimits) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UploadRefused(_("The file is not text in UTF-8; save it from Excel as “CSV UTF-8”.")) from error
    # A row is built whole by the csv module: bound the cells (one more than the commas, at most) first.
    if text.count(",") > limits.max_cells:
        raise UploadRefused(_too_many_cells(limits.max_cells))
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            yield row[: limits.max_columns]
    except csv.Error as error:
        raise UploadRefused(_("The file cannot be read as CSV (%(error)s).") % {"error": error}) from error


def table_rows(name: str, content: bytes, limits: UploadLimits | None = None) -> Iterator[list[str]]:
    """The rows of a CSV or Excel file as lists of text cells, the header first, read one at a time.

    Refuses (``UploadRefused``), before or while reading: a file too large, a workbook that would expand
    too far, more than ``max_rows`` rows (blank ones included), a read longer than ``max_seconds``. Cells
    beyond ``max_columns`` are not read.
    """
    limits = limits or UploadLimits.from_settings()
    check_size(len(content), limits)
    lower = name.lower()
    if lower.endswith(EXCEL_SUFFIXES):
        rows = _excel_rows(content, limits)
    elif lower.endswith(CSV_SUFFIXES):
        rows = _csv_rows(content, limits)
    else:
        raise UploadRefused(_("Upload a CSV (.csv) or Excel (.xlsx) file."))
    clock = _Clock(limits.max_seconds)
    for count, row in enumerate(rows, start=1):
        if count > limits.max_rows:
            raise UploadRefused(_too_many_rows(limits.max_rows))
        clock.check()
        yield row


class LimitedUploadHandler(FileUploadHandler):
    """Refuses (400) a request body carrying files that is larger than ``UPLOAD_MAX_REQUEST_BYTES``: by its
    declared length before reading it, and by counting as it arrives when no length is declared.
    Forms still check each file's own size (``check_size``) and say so clearly."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.limit = int(_setting("UPLOAD_MAX_REQUEST_BYTES"))
        self.received = 0

    def handle_raw_input(
        self, input_data: Any, META: dict[str, Any], content_length: int, boundary: Any, encoding: str | None = None
    ) -> None:
        if content_length and content_length > self.limit:
            raise RequestDataTooBig(f"Request body larger than {self.limit} bytes.")

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            raise RequestDataTooBig(f"Uploaded files larger than {self.limit} bytes.")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
