"""Reading a register file: header matching, cells, and every kind of bad file — each refused with a clear
message, nothing saved, memory bounded."""

from __future__ import annotations

import datetime as dt
import io
import tracemalloc
import zipfile
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from core.exceptions import UploadRefused
from imports.reading import FileRefused, ReadNotes, check_file, parsed_rows
from tests.imports.conftest import HEADERS, CourtRegister, court_rows, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

KIND = CourtRegister()


def read(name: str, content: bytes, notes: ReadNotes | None = None) -> list[Any]:
    return list(parsed_rows(name, content, KIND, notes))


def test_an_xlsx_register_is_read_into_values_by_column() -> None:
    rows = read(
        "courts.xlsx",
        xlsx_bytes([["Mombasa Law Courts", "high court", "Mombasa", "Mombasa", "1-Mar-2024", "KES 1,200"]]),
    )
    assert len(rows) == 1
    assert rows[0].row == 2 and rows[0].errors == []
    assert rows[0].values == {
        "name": "Mombasa Law Courts",
        "level": "hc",
        "station": "Mombasa",
        "county": "Mombasa",
        "opened_on": dt.date(2024, 3, 1),
        "budget": Decimal("1200.00"),
    }


def test_headings_match_ignoring_case_spacing_order_and_the_required_star() -> None:
    headers = ["  budget", "COURT *", "level", "County", "Opened   on", "station"]
    content = csv_bytes([["5", "Kibera Law Courts", "HC", "Nairobi", "2024-03-01", "Kibera"]], headers=headers)
    (row,) = read("courts.csv", content)
    assert row.values["name"] == "Kibera Law Courts" and row.values["budget"] == Decimal("5.00")


def test_unknown_and_missing_columns_are_refused_listing_the_headings_expected() -> None:
    content = csv_bytes([["x", "y"]], headers=["Court", "Magistrate"])
    with pytest.raises(FileRefused) as refused:
        read("courts.csv", content)
    message = refused.value.message
    assert "Magistrate" in message  # the unknown one
    assert "required columns missing: Level, County" in message
    assert "Court (required), Level (required), Station, County (required), Opened on, Budget" in message


def test_cell_errors_name_their_row_and_column_and_blank_rows_are_skipped() -> None:
    rows: list[list[Any]] = [
        ["Kibera Law Courts", "High Court", "", "Nairobi", "01/03/2024", ""],
        [None, None, None, None, None, None],  # a blank row: row 3, skipped
        ["Milimani", "Hihg Court", "", "Nairobi", "31/02/2024", "-4"],
        ["", "High Court", "", "Nairobi", "", ""],
    ]
    parsed = read("courts.xlsx", xlsx_bytes(rows))
    assert [row.row for row in parsed] == [2, 4, 5]
    assert parsed[0].errors == []
    messages = {(error.column, error.row): error.message for error in parsed[1].errors}
    assert messages[("Level", 4)] == "'Hihg Court' is not a level of court; did you mean High Court?"
    assert "'31/02/2024' is not a date in the calendar" in messages[("Opened on", 4)]
    assert "negative" in messages[("Budget", 4)]
    assert [(e.column, e.message) for e in parsed[2].errors] == [("Court", "this column must be filled")]
    assert str(parsed[1].errors[0]).startswith("row 4, ")


def test_formulas_are_refused_cell_by_cell() -> None:
    rows = [["Kibera Law Courts", "High Court", "", "Nairobi", "01/03/2024", "=100*12"]]
    (row,) = read("courts.xlsx", xlsx_bytes(rows))
    assert [(e.row, e.column, e.message) for e in row.errors] == [
        (2, "Budget", "formulas are not imported — paste values")
    ]
    (row,) = read("courts.csv", csv_bytes(rows))
    assert row.errors[0].message == "formulas are not imported — paste values"


def test_excel_date_cells_and_number_cells_are_read_as_typed() -> None:
    rows = [["Kibera Law Courts", "High Court", 1234, "Nairobi", dt.datetime(2024, 3, 1), 1200.5]]
    (row,) = read("courts.xlsx", xlsx_bytes(rows))
    assert row.errors == []
    assert row.values["station"] == "1234"
    assert row.values["opened_on"] == dt.date(2024, 3, 1)
    assert row.values["budget"] == Decimal("1200.50")


def test_the_sheet_with_the_headings_is_read_when_instructions_come_first() -> None:
    workbook = openpyxl.Workbook()
    instructions = workbook.active
    assert instructions is not None
    instructions.title = "Instructions"
    instructions.append(["Fill the Courts sheet"])
    data = workbook.create_sheet("Courts")
    data.append(HEADERS)
    data.append(["Kibera Law Courts", "High Court", "", "Nairobi", "", ""])
    out = io.BytesIO()
    workbook.save(out)
    notes = ReadNotes()
    (row,) = read("courts.xlsx", out.getvalue(), notes)
    assert row.values["name"] == "Kibera Law Courts" and notes.sheet == "Courts"


def test_a_utf8_csv_with_a_byte_order_mark_is_read_without_a_note() -> None:
    notes = ReadNotes()
    (row,) = read("courts.csv", b"\xef\xbb\xbf" + csv_bytes([["Kérubo Court", "HC", "", "Nairobi", "", ""]]), notes)
    assert row.values["name"] == "Kérubo Court" and notes.notes == []


def test_a_windows_1252_csv_is_read_with_a_visible_note() -> None:
    notes = ReadNotes()
    (row,) = read("courts.csv", csv_bytes([["Kérubo Court", "HC", "", "Nairobi", "", ""]], encoding="cp1252"), notes)
    assert row.values["name"] == "Kérubo Court"
    assert len(notes.notes) == 1 and "Windows-1252" in notes.notes[0]


def test_a_csv_in_neither_encoding_is_refused() -> None:
    content = csv_bytes([["Court \x81", "HC", "", "Nairobi", "", ""]], encoding="latin-1")
    with pytest.raises(FileRefused, match="CSV UTF-8"):
        read("courts.csv", content)


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(UploadRefused, match="empty"):
        read("courts.csv", b"")
    with pytest.raises(FileRefused, match="empty: it has no header row"):
        read("courts.csv", b"\n\n,,,\n")
    with pytest.raises(FileRefused, match="no rows to import"):
        read("courts.xlsx", xlsx_bytes([]))


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(settings: Any) -> None:
    settings.IMPORT_MAX_BYTES = 1024
    with pytest.raises(UploadRefused, match="the largest accepted is 1 KB"):
        check_file("courts.csv", 50 * 1024 * 1024)
    with pytest.raises(UploadRefused, match="largest accepted"):
        read("courts.csv", csv_bytes(court_rows(100)))


@pytest.mark.parametrize("name", ["courts.pdf", "courts.xls", "courts"])
def test_a_file_neither_xlsx_nor_csv_is_refused(name: str) -> None:
    with pytest.raises(FileRefused, match=r"\.xlsx\) or a CSV file"):
        read(name, b"%PDF-1.4")


def test_a_file_named_xlsx_that_is_not_a_workbook_is_refused() -> None:
    with pytest.raises(FileRefused, match="not an Excel workbook"):
        read("courts.xlsx", csv_bytes(court_rows(2)))


def test_a_corrupt_workbook_is_refused() -> None:
    content = xlsx_bytes(court_rows(3))
    with pytest.raises(UploadRefused):
        read("courts.xlsx", content[: len(content) // 2])
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData><row><c>")
    with pytest.raises(UploadRefused, match="XML is broken"):
        read("courts.xlsx", broken.getvalue())


def test_a_zip_bomb_is_refused_from_its_directory_before_openpyxl_opens_it(monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (60 * 1024 * 1024))
    content = bomb.getvalue()
    assert len(content) < 200 * 1024

    def never(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("openpyxl opened a bomb")

    monkeypatch.setattr("imports.reading.read_only_workbook", never)
    tracemalloc.start()
    try:
        with pytest.raises(UploadRefused, match="decompression bomb"):
            read("courts.xlsx", content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024  # nothing was expanded


def test_too_many_rows_are_refused(settings: Any) -> None:
    settings.IMPORT_MAX_ROWS = 5
    assert len(read("courts.csv", csv_bytes(court_rows(5)))) == 5
    with pytest.raises(FileRefused, match="more than 5 rows"):
        read("courts.csv", csv_bytes(court_rows(6)))
    with pytest.raises(UploadRefused, match="rows"):
        read("courts.xlsx", xlsx_bytes(court_rows(40)))


def test_memory_stays_flat_as_an_xlsx_grows() -> None:
    """Peak memory of reading 4,000 rows is well under twice that of 1,000: rows stream, the file is bounded."""

    def peak(count: int) -> int:
        content = xlsx_bytes(court_rows(count))
        tracemalloc.start()
        try:
            for _row in parsed_rows("courts.xlsx", content, KIND):
                pass
            return tracemalloc.get_traced_memory()[1] - len(content)
        finally:
            tracemalloc.stop()

    small, large = peak(1000), peak(4000)
    assert large < 2 * small, (small, large)
