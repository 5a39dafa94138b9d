"""An uploaded workbook is read (``core.uploads.read_only_workbook`` and ``sheet_values``) to the same values as
openpyxl's own read-only reader gives, in memory that does not grow with the rows: the shared-strings table
(every distinct text of the cells) kept compactly — a few bytes per distinct text instead of the hundred and
more of openpyxl's list — and each row's parsed element let go once read."""

from __future__ import annotations

import datetime as dt
import gc
import io
import tracemalloc
from collections.abc import Callable
from functools import partial
from typing import Any

import openpyxl
import pytest
import xlsxwriter

from core.uploads import SharedStrings, read_only_workbook, sheet_values


def workbook(texts: list[str], rich: bool = False) -> bytes:
    """A workbook of one column of ``texts`` (in the shared-strings table, as Excel writes them), and a
    second column with a rich-text cell and a number when ``rich``."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = book.add_worksheet("Register")
    for row, text in enumerate(texts):
        sheet.write_string(row, 0, text)
    if rich:
        bold = book.add_format({"bold": True})
        sheet.write_rich_string(0, 1, "Juma ", bold, "Mwakideu", " (alias)")
        sheet.write_number(1, 1, 42)
    book.close()
    return output.getvalue()


def values(content: bytes, read: Callable[[bytes], Any], width: int = 2) -> list[tuple[Any, ...]]:
    book = read(content)
    try:
        return list(sheet_values(book.worksheets[0], width))
    finally:
        book.close()


def openpyxls(content: bytes, width: int = 2, data_only: bool = False) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=data_only)
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        return list(sheet.iter_rows(max_col=width, values_only=True))
    finally:
        book.close()


def test_a_workbook_reads_the_same_as_with_openpyxls_own_table() -> None:
    texts = ["OB 12/3/2021", "Criminal Case E45 of 2021", "Mwanaisha wa Kazi — “Mama Sofi”", "", "😀 kifungu 3(1)"]
    texts += [f"Accused {n}" for n in range(50)] + ["OB 12/3/2021"]
    content = workbook(texts, rich=True)

    ours = values(content, lambda data: read_only_workbook(data, data_only=False))
    assert ours == openpyxls(content)
    assert ours[0] == ("OB 12/3/2021", "Juma Mwakideu (alias)")
    assert ours[1] == ("Criminal Case E45 of 2021", 42)
    assert ours[4][0] == "😀 kifungu 3(1)"


def test_the_table_is_a_sequence_of_its_texts() -> None:
    table = SharedStrings(iter(["OB 1", "", "Mombasa", "Kilifi"]))
    assert len(table) == 4
    assert (table[0], table[1], table[2], table[-1]) == ("OB 1", "", "Mombasa", "Kilifi")
    assert table[1:3] == ["", "Mombasa"]
    assert list(table) == ["OB 1", "", "Mombasa", "Kilifi"]
    with pytest.raises(IndexError):
        table[4]


def test_the_table_is_joined_piece_by_piece(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SharedStrings, "JOIN_EVERY", 3)
    texts = [f"text {n}" * (n % 3) for n in range(10)]
    assert list(SharedStrings(iter(texts))) == texts


def peak_reading(content: bytes, read: Callable[[bytes], Any], rows: Callable[[Any], Any]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        book = read(content)
        for _row in rows(book.worksheets[0]):
            pass
        book.close()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_grows_by_a_few_bytes_per_row_of_distinct_text() -> None:
    """Each row a distinct text, as a register's OB numbers are: 18,000 rows more cost openpyxl's own reader
    well over a hundred bytes each (its table of texts, and every row's emptied element); ours, the text's
    characters and where it ends."""
    small, large = (workbook([f"OB {n}/{n % 12 + 1}/2021" for n in range(size)]) for size in (2_000, 20_000))
    ours = [
        peak_reading(content, lambda data: read_only_workbook(data, data_only=False), lambda s: sheet_values(s, 1))
        for content in (small, large)
    ]
    theirs = [
        peak_reading(
            content,
            lambda data: openpyxl.load_workbook(io.BytesIO(data), read_only=True),
            lambda s: s.iter_rows(values_only=True),
        )
        for content in (small, large)
    ]
    per_row_ours = (ours[1] - ours[0]) / 18_000
    per_row_theirs = (theirs[1] - theirs[0]) / 18_000
    assert per_row_ours < 30, per_row_ours  # ~15 characters and a 4-byte end per text
    assert per_row_theirs > 100, per_row_theirs  # what is saved


def test_a_sheet_reads_as_openpyxl_reads_it_dates_numbers_formulas_blanks_and_all() -> None:
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = book.add_worksheet("Register")
    dated = book.add_format({"num_format": "dd/mm/yyyy"})
    timed = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    sheet.write_string(0, 0, "OB number")
    sheet.write_string(0, 1, "Date reported")
    sheet.write_string(0, 2, "Count")
    sheet.write_string(1, 0, "OB 1/2021")
    sheet.write_datetime(1, 1, dt.datetime(2021, 3, 4), dated)
    sheet.write_number(1, 2, 2)
    sheet.write_formula(2, 2, "=C2+1", None, 3)
    sheet.write_boolean(2, 0, True)
    sheet.write_datetime(2, 1, dt.datetime(2021, 3, 4, 9, 30), timed)
    sheet.write_string(6, 1, "after four blank rows")  # rows 4–6 are not in the file at all
    sheet.write_string(7, 5, "past the columns read")
    sheet.set_row(8, 30)  # a row with only a height
    sheet.write_number(9, 0, 1.5)
    book.close()
    content = output.getvalue()

    for data_only in (False, True):
        ours = values(content, partial(read_only_workbook, data_only=data_only), width=3)
        assert ours == openpyxls(content, width=3, data_only=data_only)
    ours = values(content, lambda data: read_only_workbook(data, data_only=False), width=3)
    assert ours[1] == ("OB 1/2021", dt.datetime(2021, 3, 4), 2)
    assert ours[2] == (True, dt.datetime(2021, 3, 4, 9, 30), "=C2+1")
    assert ours[3:6] == [(None, None, None)] * 3
    assert ours[6] == (None, "after four blank rows", None)
    assert ours[7] == (None, None, None)
    assert ours[9] == (1.5, None, None)
    assert len(ours) == 10
