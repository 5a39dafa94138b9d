"""The Excel exporter: what someone opening the downloaded workbook sees."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import tracemalloc
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.test import Client
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from core.exporter import ABOUT_SHEET, AboutExport, write_workbook
from core.tables import Column, ColumnKind

NAIROBI = ZoneInfo("Africa/Nairobi")

COLUMNS: tuple[Column, ...] = (
    Column("reference", "Reference"),
    Column("seized_on", "Seized on", kind=ColumnKind.DATE),
    Column("recorded_at", "Recorded at", kind=ColumnKind.DATETIME),
    Column("value", "Estimated value", kind=ColumnKind.MONEY),
    Column("count", "Items", kind=ColumnKind.INTEGER),
    Column("forfeited", "Forfeited", kind=ColumnKind.BOOLEAN),
)


def _row(**values: Any) -> dict[str, Any]:
    row = dict.fromkeys(("reference", "seized_on", "recorded_at", "value", "count", "forfeited"))
    row.update(values)
    return row


def _export(rows: Iterable[dict[str, Any]], about: AboutExport | None = None) -> Workbook:
    buffer = io.BytesIO()
    write_workbook(
        buffer,
        COLUMNS,
        rows,
        about or AboutExport(title="Seized assets", exported_by="Achieng Otieno (achieng)"),
    )
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


def _width(sheet: Worksheet, column_number: int) -> float | None:
    """The width Excel will show for a column (xlsxwriter groups equal neighbours into one range)."""
    for dimension in sheet.column_dimensions.values():
        if dimension.min is not None and dimension.min <= column_number <= (dimension.max or dimension.min):
            return float(dimension.width)
    return None


def _about(workbook: Workbook) -> dict[str, list[Any]]:
    """The About sheet as {label: [values...]}; continuation lines belong to the label above."""
    about: dict[str, list[Any]] = {}
    label: Any = ""
    for key, value in workbook[str(ABOUT_SHEET)].iter_rows(values_only=True):
        label = key or label
        about.setdefault(label, []).append(value)
    return about


SAMPLE = [
    _row(
        reference="AST/2026/0001",
        seized_on=dt.date(2026, 3, 14),
        recorded_at=dt.datetime(2026, 3, 14, 6, 30, tzinfo=dt.UTC),
        value=Decimal("1250000.50"),
        count=3,
        forfeited=True,
    ),
    _row(reference="AST/2026/0002", value=Decimal("0.10"), count=0, forfeited=False),
]


def test_the_header_row_has_the_column_labels_in_bold() -> None:
    sheet = _export(SAMPLE)["Data"]
    header = next(sheet.iter_rows(min_row=1, max_row=1))
    assert [cell.value for cell in header] == [c.label for c in COLUMNS]
    assert all(cell.font.b for cell in header)
    assert not any(cell.font.b for cell in next(sheet.iter_rows(min_row=2, max_row=2)))


def test_the_header_row_stays_frozen_and_carries_the_autofilter() -> None:
    sheet = _export(SAMPLE)["Data"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(COLUMNS))}{len(SAMPLE) + 1}"


def test_every_column_has_a_width_wide_enough_for_its_label() -> None:
    sheet = _export(SAMPLE)["Data"]
    for number, column in enumerate(COLUMNS, start=1):
        width = _width(sheet, number)
        assert width is not None, f"no width set for {column.label}"
        assert width >= len(column.label)


def test_a_long_text_widens_its_column_up_to_a_limit() -> None:
    sheet = _export([_row(reference="x" * 30), _row(reference="y" * 500)])["Data"]
    width = _width(sheet, 1)
    assert width is not None
    assert 30 < width <= 61


def test_dates_are_real_dates_with_a_date_format() -> None:
    sheet = _export(SAMPLE)["Data"]
    seized = sheet["B2"]
    assert seized.is_date
    assert seized.value == dt.datetime(2026, 3, 14)
    assert "yyyy" in seized.number_format and "mm" in seized.number_format


def test_date_times_are_shown_in_nairobi_time() -> None:
    sheet = _export(SAMPLE)["Data"]
    recorded = sheet["C2"]
    assert recorded.is_date
    assert recorded.value == dt.datetime(2026, 3, 14, 9, 30)  # 06:30 UTC is 09:30 in Nairobi
    assert "hh:mm" in recorded.number_format


def test_money_is_a_number_formatted_in_kes() -> None:
    sheet = _export(SAMPLE)["Data"]
    amount, tiny = sheet["D2"], sheet["D3"]
    assert amount.data_type == "n"
    assert amount.value == pytest.approx(1250000.50)
    assert "KES" in amount.number_format and "#,##0.00" in amount.number_format
    assert tiny.value == pytest.approx(0.10)
    assert sheet["E3"].value == 0  # a zero is a value, not a blank
    assert sheet["E3"].data_type == "n"


def test_blank_values_leave_blank_cells() -> None:
    sheet = _export(SAMPLE)["Data"]
    assert sheet["B3"].value is None
    assert sheet["C3"].value is None


def test_yes_no_columns_read_yes_or_no() -> None:
    sheet = _export(SAMPLE)["Data"]
    assert (sheet["F2"].value, sheet["F3"].value) == ("Yes", "No")


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil.example","click")', "+1", "-2", "@SUM(A1)", "=1+1"])
def test_text_a_spreadsheet_would_run_as_a_formula_stays_text(text: str) -> None:
    sheet = _export([_row(reference=text)])["Data"]
    cell = sheet["A2"]
    assert cell.data_type == "s"
    assert cell.value == text
    assert cell.quotePrefix  # Excel keeps it text even when the cell is edited


def test_ordinary_text_carries_no_quote_prefix() -> None:
    cell = _export([_row(reference="Republic v. Otieno")])["Data"]["A2"]
    assert cell.value == "Republic v. Otieno"
    assert not cell.quotePrefix


def test_missing_values_from_pandas_are_blank_cells() -> None:
    pandas = pytest.importorskip("pandas")
    sheet = _export([_row(reference=float("nan"), seized_on=pandas.NaT, value=float("nan"))])["Data"]
    assert [sheet.cell(row=2, column=n).value for n in (1, 2, 4)] == [None, None, None]


def test_the_about_sheet_says_who_when_which_filters_and_how_many_rows() -> None:
    moment = dt.datetime(2026, 5, 4, 7, 15, tzinfo=dt.UTC)
    workbook = _export(
        SAMPLE,
        AboutExport(
            title="Seized assets",
            exported_by="Achieng Otieno (achieng)",
            exported_at=moment,
            filters=[("Status", "Preserved"), ("County", "Mombasa")],
        ),
    )
    assert workbook.sheetnames == ["Data", ABOUT_SHEET]
    about = _about(workbook)
    assert about["Export"] == ["Seized assets"]
    assert about["Exported by"] == ["Achieng Otieno (achieng)"]
    assert about["Exported at"] == [dt.datetime(2026, 5, 4, 10, 15)]
    assert about["Rows"] == [len(SAMPLE)]
    assert about["Filters"] == ["Status: Preserved", "County: Mombasa"]
    assert about["Time zone"] == ["Africa/Nairobi"]


def test_the_about_sheet_says_when_no_filter_was_applied() -> None:
    about = _about(_export([]))
    assert about["Rows"] == [0]
    assert about["Filters"] == ["None (all rows you may see)"]


def test_a_formula_in_a_filter_value_stays_text_on_the_about_sheet() -> None:
    workbook = _export([], AboutExport(title="=cmd|' /C calc'!A0", exported_by="x", filters=[("Name", "=1+1")]))
    sheet = workbook[str(ABOUT_SHEET)]
    assert sheet["B1"].data_type == "s" and sheet["B1"].quotePrefix


def test_an_empty_export_still_has_its_header_and_filter() -> None:
    sheet = _export([])["Data"]
    assert [cell.value for cell in next(sheet.iter_rows(min_row=1, max_row=1))] == [c.label for c in COLUMNS]
    assert sheet.max_row <= 2
    assert sheet.auto_filter.ref


def test_write_workbook_returns_the_number_of_rows() -> None:
    assert write_workbook(io.BytesIO(), COLUMNS[:1], ({"reference": str(n)} for n in range(5)), _about_stub()) == 5


def _about_stub() -> AboutExport:
    return AboutExport(title="t", exported_by="e")


# --- memory -------------------------------------------------------------------------------------------------


def _peak_memory_for(row_count: int) -> int:
    columns = [
        Column("reference", "Reference", accessor=lambda n: f"AST/2026/{n:06d}"),
        Column("value", "Value", accessor=lambda n: Decimal(n) / 100, kind=ColumnKind.MONEY),
    ]
    with tempfile.TemporaryFile() as target:
        tracemalloc.start()
        try:
            written = write_workbook(target, columns, iter(range(row_count)), _about_stub())
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert written == row_count
    return peak


def test_memory_stays_flat_as_the_export_grows_tenfold() -> None:
    small = _peak_memory_for(3_000)
    large = _peak_memory_for(30_000)
    # Holding every cell would cost tens of megabytes more for the larger export (about 700 bytes a row).
    assert large - small < 512 * 1024, f"peak grew from {small:,} to {large:,} bytes"


# --- the County list download ------------------------------------------------------------------------------


def _download(client: Client, query: dict[str, str]) -> tuple[Any, Workbook]:
    response = client.get("/counties/", {**query, "export": "xlsx"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response, openpyxl.load_workbook(io.BytesIO(content))


def test_the_county_list_downloads_as_an_excel_attachment(client: Client, prosecutor: Any) -> None:
    client.force_login(prosecutor)
    response, workbook = _download(client, {})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="counties-')
    rows = list(workbook["Data"].iter_rows(values_only=True))
    assert rows[0] == ("Code", "County")
    assert len(rows) == 1 + 47
    assert rows[1] == ("001", "Mombasa")  # codes stay text: the leading zeros survive
    assert rows[-1] == ("047", "Nairobi City")


def test_the_download_holds_exactly_the_rows_on_screen(client: Client, prosecutor: Any) -> None:
    client.force_login(prosecutor)
    screen = client.get("/counties/", {"q": "ka"})
    on_screen = [(county.code, county.name) for county in screen.context["object_list"]]
    assert 1 < len(on_screen) < 47
    _, workbook = _download(client, {"q": "ka"})
    assert list(workbook["Data"].iter_rows(min_row=2, values_only=True)) == on_screen


def test_the_download_says_who_exported_it_and_with_which_filter(client: Client, prosecutor: Any) -> None:
    client.force_login(prosecutor)
    _, workbook = _download(client, {"q": "Nairobi"})
    about = _about(workbook)
    assert about["Export"] == ["Counties"]
    assert about["Exported by"] == ["Achieng Otieno (achieng)"]
    assert about["Filters"] == ["Name or code: Nairobi"]
    assert about["Rows"] == [1]
    exported_at = about["Exported at"][0]
    now = dt.datetime.now(NAIROBI).replace(tzinfo=None)
    assert abs(now - exported_at) < dt.timedelta(minutes=5)


def test_the_page_offers_a_download_of_the_filtered_rows(client: Client, prosecutor: Any) -> None:
    client.force_login(prosecutor)
    page = client.get("/counties/", {"q": "Nairobi", "page": "1"}).content.decode()
    assert 'href="?q=Nairobi&amp;export=xlsx"' in page
