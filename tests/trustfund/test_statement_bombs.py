"""A hostile statement file costs bounded memory and time, and is refused with a clear message (issue 13,
item 5). A 1.74 MB workbook of a million rows took 84 s and 670 MB before being refused; under gunicorn a
4.7 MB one killed the worker.

Each bomb is built here, at test time: a workbook whose shared strings expand a thousandfold, one whose
zip directory lies about its sizes, one whose sheet declares a million rows and sixteen thousand columns,
XML entity expansion ("billion laughs"), and CSV and Excel files past the row limit (set low through the
settings, so the test stays fast). Each is refused before or while it is read, within a memory bound
measured with ``tracemalloc``, and nothing is saved — neither through the parser nor through the page.
"""

from __future__ import annotations

import io
import itertools
import struct
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import xlsxwriter
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.exceptions import UploadRefused
from core.uploads import UploadLimits, check_archive, table_rows
from tests.helpers import table_counts
from tests.trustfund.conftest import statement_csv
from trustfund import statements
from trustfund.exceptions import StatementFileError
from trustfund.models import BankStatement

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
# What reading a refused file may cost at most, whatever it claims to hold.
MEMORY_BOUND = 30 * MB
TIME_BOUND = 5.0  # seconds


# ---------------------------------------------------------------------------------------------------------
# Workbooks, built at test time.


def small_workbook(rows: int = 2) -> bytes:
    """An ordinary statement workbook (xlsxwriter, constant memory) of ``rows`` lines."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Date", "Description", "Reference", "Amount"])
    for row in range(1, rows + 1):
        sheet.write_row(row, 0, ["2026-07-01", "RTGS credit", f"REF-{row}", "100.00"])
    book.close()
    return buffer.getvalue()


def _replace_member(workbook: bytes, member: str, data: bytes | Callable[[Any], None]) -> bytes:
    """``workbook`` with one member (say the first sheet) replaced by ``data``, or written by ``data``."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename != member:
                target.writestr(info, source.read(info.filename))
            elif callable(data):
                with target.open(member, "w", force_zip64=True) as handle:
                    data(handle)
            else:
                target.writestr(member, data)
    return buffer.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>Date</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>Amount</t></is></c></row>'
)
SHEET_TAIL = b"</sheetData></worksheet>"


def expanding_workbook(expanded: int = 200 * MB) -> bytes:
    """A real bomb: a sheet that expands to ``expanded`` bytes (one cell of a very long run of spaces) from
    a file of a few hundred KB."""
    chunk = b" " * MB

    def write(handle: Any) -> None:
        handle.write(SHEET_HEAD + b'<row r="2"><c r="A2" t="inlineStr"><is><t>')
        for _ in range(expanded // MB):
            handle.write(chunk)
        handle.write(b"</t></is></c></row>" + SHEET_TAIL)

    return _replace_member(small_workbook(), SHEET, write)


def million_row_workbook() -> bytes:
    """The issue's bomb, in miniature on disk: a sheet of a million rows of one cell each, written as
    Excel would (row numbers that differ), about 1.5 MB zipped."""

    def write(handle: Any) -> None:
        handle.write(SHEET_HEAD)
        block = 10_000
        for start in range(2, 1_000_002, block):
            handle.write(
                b"".join(b'<row r="%d"><c r="B%d"><v>1</v></c></row>' % (n, n) for n in range(start, start + block))
            )
        handle.write(SHEET_TAIL)

    return _replace_member(small_workbook(), SHEET, write)


def lying_workbook() -> bytes:
    """A sheet of 20 MB whose zip directory (and local header) claim it is 2 KB: ``zipfile`` never expands
    a member past its declared size, so the claim is the bound — and the lie is caught by the CRC."""
    honest = _replace_member(small_workbook(), SHEET, SHEET_HEAD + b"<row/>" * (20 * MB // 6) + SHEET_TAIL)
    data = bytearray(honest)
    info = zipfile.ZipFile(io.BytesIO(honest)).getinfo(SHEET)
    struct.pack_into("<I", data, info.header_offset + 22, 2048)  # local file header: uncompressed size
    directory = data.find(b"PK\x01\x02")
    while directory != -1:  # central directory entry of the sheet: uncompressed size at offset 24
        name_length = struct.unpack_from("<H", data, directory + 28)[0]
        if data[directory + 46 : directory + 46 + name_length] == SHEET.encode():
            struct.pack_into("<I", data, directory + 24, 2048)
        directory = data.find(b"PK\x01\x02", directory + 4)
    return bytes(data)


def laughing_workbook() -> bytes:
    """XML entity expansion ("billion laughs") in the sheet: a few hundred bytes that expand to gigabytes."""
    entities = b'<!ENTITY lol "lollollollollollollollollollol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10) for n in range(1, 10)
    )
    sheet = (
        b'<?xml version="1.0"?><!DOCTYPE worksheet [' + entities + b"]>"
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    return _replace_member(small_workbook(), SHEET, sheet)


def huge_dimensions_workbook() -> bytes:
    """A sheet declaring A1:XFD1048576 with a cell in the last row and the last column: read naively, a
    million rows of sixteen thousand cells."""
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1:XFD1048576"/><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>Date</t></is></c><c r="B1" t="inlineStr"><is><t>Amount</t></is></c>'
        b'<c r="XFD1"><v>1</v></c></row>'
        b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
        b"</sheetData></worksheet>"
    )
    return _replace_member(small_workbook(), SHEET, sheet)


# ---------------------------------------------------------------------------------------------------------
# Measuring a refusal.


def refused(read: Callable[[], Any], words: str) -> tuple[int, float]:
    """Run ``read``, which must be refused with ``words`` in the message; its peak memory and time."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises((StatementFileError, UploadRefused)) as caught:
            read()
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert words in caught.value.message, caught.value.message
    return peak, elapsed


def _parse(name: str, content: bytes) -> Callable[[], Any]:
    return lambda: statements.parse_statement(name, content)


def _import(user: Any, name: str, content: bytes) -> Callable[[], Any]:
    return lambda: statements.import_statement(user, name=name, content=content)


@pytest.fixture
def nothing_saved(fund_admin: Any) -> Iterator[None]:
    before = table_counts("trustfund")
    yield
    assert table_counts("trustfund") == before
    assert not BankStatement.objects.exists()


# ---------------------------------------------------------------------------------------------------------
# The bombs.


def test_a_workbook_that_would_expand_a_thousandfold_is_refused_from_its_zip_directory(
    fund_admin: Any, nothing_saved: None
) -> None:
    bomb = expanding_workbook()
    assert len(bomb) < 2 * MB
    peak, elapsed = refused(_import(fund_admin, "bomb.xlsx", bomb), "would expand to 200 MB")
    assert peak < MEMORY_BOUND and elapsed < TIME_BOUND


def test_a_workbook_that_expands_far_beyond_its_size_is_refused_even_under_the_total(settings: Any) -> None:
    settings.UPLOAD_MAX_UNCOMPRESSED_BYTES = 500 * MB
    bomb = expanding_workbook(120 * MB)
    peak, elapsed = refused(_parse("bomb.xlsx", bomb), "possible decompression bomb")
    assert peak < MEMORY_BOUND and elapsed < TIME_BOUND


def test_the_issues_million_row_workbook_is_refused_fast(fund_admin: Any, nothing_saved: None) -> None:
    """Within the upload size, the expanded size and the ratio: the scan of the sheet stops at the row limit,
    before openpyxl (which would parse the whole sheet to learn its size) sees it."""
    bomb = million_row_workbook()
    assert len(bomb) < 5 * MB
    peak, elapsed = refused(_import(fund_admin, "million.xlsx", bomb), "more than 20,000 rows; split it by month")
    assert peak < MEMORY_BOUND and elapsed < TIME_BOUND


def test_too_many_cells_are_refused_before_the_sheet_is_parsed(settings: Any) -> None:
    settings.UPLOAD_MAX_CELLS = 1000
    peak, elapsed = refused(_parse("million.xlsx", million_row_workbook()), "more than 1,000 cells")
    assert peak < MEMORY_BOUND and elapsed < TIME_BOUND
    text = b"Date,Amount\n" + b"2026-07-01,1" + b"," * 5000 + b"\n"
    refused(_parse("wide.csv", text), "more than 1,000 cells")


def test_a_zip_directory_that_understates_a_sheet_cannot_make_it_expand_further() -> None:
    bomb = lying_workbook()
    check_archive(bomb, UploadLimits.from_settings())  # the directory looks harmless …
    peak, elapsed = refused(_parse("liar.xlsx", bomb), "not a readable Excel workbook")  # … and it is a lie
    assert peak < MEMORY_BOUND and elapsed < TIME_BOUND


def test_xml_entity_expansion_in_a_sheet_is_refused() -> None:
    peak, elapsed = refused(_parse("laughs.xlsx", laughing_workbook()), "declares XML entities")
    assert peak < MEMORY_BOUND and elapsed < TIME_BOUND


def test_a_sheet_declaring_a_million_rows_and_sixteen_thousand_columns_is_read_within_bounds(settings: Any) -> None:
    settings.UPLOAD_MAX_ROWS = 1000
    peak, elapsed = refused(_parse("wide.xlsx", huge_dimensions_workbook()), "more than 1,000 rows")
    assert peak < MEMORY_BOUND and elapsed < TIME_BOUND
    first_rows = itertools.islice(table_rows("wide.xlsx", huge_dimensions_workbook()), 3)
    assert [len(row) for row in first_rows] == [UploadLimits.from_settings().max_columns, 0, 0]


def test_rows_past_the_limit_are_refused_in_excel_and_csv(settings: Any, fund_admin: Any, nothing_saved: None) -> None:
    settings.UPLOAD_MAX_ROWS = 50
    workbook = small_workbook(rows=1000)
    text = statement_csv([("2026-07-01", "RTGS credit", f"REF-{n}", "100.00") for n in range(1000)])
    for name, content in (("rows.xlsx", workbook), ("rows.csv", text)):
        peak, elapsed = refused(_import(fund_admin, name, content), "more than 50 rows; split it by month")
        assert peak < MEMORY_BOUND and elapsed < TIME_BOUND
    # At the limit, the file is read.
    settings.UPLOAD_MAX_ROWS = 1001
    assert len(statements.parse_statement("rows.xlsx", workbook).lines) == 1000


def test_a_file_larger_than_the_upload_limit_is_refused_before_it_is_read(settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 64 * 1024
    text = statement_csv([("2026-07-01", "RTGS credit", f"REF-{n}", "100.00") for n in range(5000)])
    peak, elapsed = refused(_parse("big.csv", text), "the largest accepted is 64 KB")
    assert peak < MEMORY_BOUND and elapsed < TIME_BOUND


def test_a_read_that_takes_too_long_is_stopped(settings: Any) -> None:
    settings.UPLOAD_MAX_SECONDS = 0
    refused(_parse("slow.xlsx", small_workbook(rows=10)), "took longer than")


def test_a_file_that_is_not_a_workbook_is_refused_clearly() -> None:
    refused(_parse("fake.xlsx", b"PK\x03\x04 this is no zip"), "not a readable Excel workbook")
    refused(_parse("latin.csv", "Date,Amount\n2026-07-01,caf\xe9\n".encode("latin-1")), "not text in UTF-8")


# ---------------------------------------------------------------------------------------------------------
# Through the page: a clear form error, nothing saved, nothing kept in storage.


def _upload(client: Client, name: str, content: bytes) -> Any:
    return client.post(
        reverse("trustfund:statement_import"),
        {"file": SimpleUploadedFile(name, content, content_type="application/octet-stream")},
    )


def test_the_import_page_refuses_a_bomb_with_a_form_error(client: Client, fund_admin: Any, nothing_saved: None) -> None:
    client.force_login(fund_admin)
    response = _upload(client, "bomb.xlsx", expanding_workbook())
    assert response.status_code == 200
    assert any("would expand to 200 MB" in error for error in response.context["form"].errors["file"])
    assert "would expand to 200 MB" in response.content.decode()
    assert "confirm" not in response.context
    assert not default_storage.exists("trustfund/pending") or not default_storage.listdir("trustfund/pending")[1]


def test_a_request_body_past_the_limit_is_refused_before_it_is_spooled(
    client: Client, fund_admin: Any, settings: Any, nothing_saved: None
) -> None:
    settings.FILE_UPLOAD_HANDLERS = [
        "core.uploads.LimitedUploadHandler",
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ]
    settings.UPLOAD_MAX_REQUEST_BYTES = 256 * 1024
    client.force_login(fund_admin)
    ordinary = _upload(client, "july.csv", statement_csv([("2026-07-01", "RTGS", "R1", "10.00")]))
    assert ordinary.status_code == 200 and "confirm" in ordinary.context
    response = _upload(client, "huge.csv", b"Date,Amount\n" + b"2026-07-01,10.00\n" * 40_000)
    assert response.status_code == 400


def test_the_import_page_applies_the_configured_size_limit(
    client: Client, fund_admin: Any, settings: Any, nothing_saved: None
) -> None:
    settings.UPLOAD_MAX_BYTES = 1024
    client.force_login(fund_admin)
    text = statement_csv([("2026-07-01", "RTGS credit", f"REF-{n}", "100.00") for n in range(200)])
    response = _upload(client, "big.csv", text)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors == [
        f"The file is {len(text) // 1024} KB; the largest accepted is 1 KB. Split the statement by month."
    ]
