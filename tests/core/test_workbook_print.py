"""Workbooks print as well as they read: every sheet of every registered report's workbook (and of a list
export) carries a print setup — A4, landscape when wider than six columns, one page wide, header rows
repeated, a footer with the report, its period and the page number — and every chart sits below its
table, at a fixed size, after a manual page break and inside the print area, so it prints whole.

The reports are read from the registry, so a report registered tomorrow is checked without a new test.
Where LibreOffice is installed, one workbook is also printed to PDF and read back with pypdf.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from openpyxl.utils import column_index_from_string
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from core.exporter import ABOUT_SHEET, WIDE_SHEET_COLUMNS
from core.models import User
from core.reports import SUMMARY_SHEET, Period, Report, registered_reports
from core.reports.workbook import CHART_HEIGHT_PX
from tests.factories import UserFactory
from tests.prosecutions.test_reports import build_worked_example

pytestmark = pytest.mark.django_db

A4 = 9
PAGE_NUMBER = "Page &P of &N"
EMU_PER_PX = 9525
ROW_PX = 20


def _period(report: Report) -> Period:
    """2025 or 2025-26: the year the worked example fills."""
    return Period.parse(report.period_kind, "2025")


def _download(client: Client, user: User, url: str, query: str) -> Workbook:
    client.force_login(user)
    response: Any = client.get(f"{url}?{query}&export=xlsx")
    assert response.status_code == 200, url
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _reader(report: Report, auditor: User) -> User:
    if report.may_read(auditor):
        return auditor
    return UserFactory.create(roles=[sorted(report.roles)[0]])


def _header_width(sheet: Worksheet) -> int:
    """How many columns the sheet's header row spans."""
    return sum(1 for cell in sheet[1] if cell.value is not None)


def _cell_range(print_area: str) -> tuple[int, int, int, int]:
    """(first row, first column, last row, last column), 0-based, of ``'Sheet'!$A$1:$G$40``."""
    first, last = print_area.rsplit("!", 1)[-1].replace("$", "").split(":")

    def split(ref: str) -> tuple[int, int]:
        letters, digits = re.fullmatch(r"([A-Z]+)(\d+)", ref).groups()  # type: ignore[union-attr]
        return int(digits) - 1, column_index_from_string(letters) - 1

    (r1, c1), (r2, c2) = split(first), split(last)
    return r1, c1, r2, c2


@dataclass(frozen=True)
class _PlacedChart:
    """Where openpyxl found a chart: its first and last rows and columns (0-based), and its height in
    pixels (the rows it spans are empty, so default height: 20 pixels each)."""

    from_row: int
    from_col: int
    to_row: int
    to_col: int
    height_px: int


def _charts(sheet: Worksheet) -> list[_PlacedChart]:
    placed = []
    for chart in sheet._charts:  # type: ignore[attr-defined]
        start, end = chart.anchor._from, chart.anchor.to
        height = (end.row - start.row) * ROW_PX + round((end.rowOff - start.rowOff) / EMU_PER_PX)
        placed.append(_PlacedChart(start.row, start.col, end.row, end.col, height))
    return placed


def _footer(sheet: Worksheet) -> tuple[str, str, str]:
    """The printed footer's left, centre and right parts."""
    footer = sheet.oddFooter
    assert footer is not None, sheet.title
    return (str(footer.left.text or ""), str(footer.center.text or ""), str(footer.right.text or ""))


def _assert_page_setup(sheet: Worksheet, *, landscape: bool, title_rows: str, footer: tuple[str, str]) -> None:
    where = sheet.title
    setup = sheet.page_setup
    assert setup.orientation == ("landscape" if landscape else "portrait"), where
    assert setup.paperSize == A4, where
    assert sheet.sheet_properties.pageSetUpPr is not None and sheet.sheet_properties.pageSetUpPr.fitToPage, where
    assert setup.fitToWidth in (None, 1) and setup.fitToHeight == 0, where  # OOXML's default width is 1
    assert sheet.print_title_rows == title_rows, where
    assert _footer(sheet) == (*footer, PAGE_NUMBER), where


def _assert_charts_print_whole(sheet: Worksheet) -> int:
    """Each chart starts in column A below the last row of its table, right after a manual page break,
    ends before the next break, and lies inside the print area. Returns how many charts there were."""
    charts = _charts(sheet)
    if not charts:
        return 0
    breaks = sorted(brk.id for brk in sheet.row_breaks.brk)
    last_table_row = max(
        row for row in range(1, sheet.max_row + 1) if any(c.value is not None for c in sheet[row])
    )  # 1-based, includes the total row and any note
    first_row, first_col, last_row, last_col = _cell_range(str(sheet.print_area))
    assert (first_row, first_col) == (0, 0), sheet.title
    for chart in charts:
        assert chart.from_col == 0, sheet.title
        assert chart.from_row >= last_table_row, sheet.title  # below the table (0-based row after its last)
        assert chart.from_row in breaks, sheet.title  # a page of its own
        assert not [b for b in breaks if chart.from_row < b <= chart.to_row], sheet.title  # not split
        assert chart.to_row <= last_row and chart.to_col <= last_col, sheet.title  # printed
        assert chart.height_px == CHART_HEIGHT_PX and chart.to_col > chart.from_col, sheet.title
    return len(charts)


@pytest.fixture
def worked(unit_head: User) -> dict[str, Any]:
    return build_worked_example(unit_head)


def test_every_sheet_of_every_report_workbook_prints_one_page_wide_with_a_footer(
    client: Client, auditor: User, worked: Any
) -> None:
    reports = registered_reports()
    assert {"tip_statistics", "performance", "network_roles", "asset_recovery"} <= {r.key for r in reports}
    charts_seen = 0
    for report in reports:
        period = _period(report)
        book = _download(client, _reader(report, auditor), report.url, period.query)
        footer = (str(report.title), f"{period.label} ({period.dates})")
        assert book.sheetnames[0] == SUMMARY_SHEET and book.sheetnames[-1] == ABOUT_SHEET, report.key
        _assert_page_setup(book[str(SUMMARY_SHEET)], landscape=False, title_rows="$1:$2", footer=footer)
        _assert_page_setup(book[str(ABOUT_SHEET)], landscape=False, title_rows="$1:$1", footer=footer)
        for sheet in book.worksheets[1:-1]:
            wide = _header_width(sheet) > WIDE_SHEET_COLUMNS
            _assert_page_setup(sheet, landscape=wide, title_rows="$1:$1", footer=footer)
            charts_seen += _assert_charts_print_whole(sheet)
    assert charts_seen >= 7  # the worked example fills the TIP charts at least: the check above had work to do


def test_a_wide_table_prints_landscape_and_a_narrow_one_portrait(client: Client, auditor: User, worked: Any) -> None:
    from core.reports import get_report

    report = get_report("performance")
    book = _download(client, auditor, report.url, _period(report).query)
    orientations = {sheet.title: sheet.page_setup.orientation for sheet in book.worksheets}
    widths = {sheet.title: _header_width(sheet) for sheet in book.worksheets}
    assert any(widths[name] > WIDE_SHEET_COLUMNS and o == "landscape" for name, o in orientations.items())
    assert orientations[str(SUMMARY_SHEET)] == "portrait"


def test_the_definitions_wrap_in_columns_that_fit_a_portrait_page(client: Client, auditor: User, worked: Any) -> None:
    from core.reports import get_report

    report = get_report("tip_statistics")
    book = _download(client, auditor, report.url, _period(report).query)
    for name in (SUMMARY_SHEET, ABOUT_SHEET):
        sheet = book[str(name)]
        rows = [row for row in sheet.iter_rows() if row[0].value == "Definitions"]
        assert rows, name
        start = int(rows[0][0].row or 0)
        meanings = [sheet.cell(row=r, column=2) for r in range(start + 1, start + 1 + len(report.definitions))]
        assert [cell.value for cell in meanings] == [meaning for _, meaning in report.definitions], name
        assert all(cell.alignment.wrap_text for cell in meanings), name
        # Two columns of at most ~95 characters print on A4 portrait at 100 % (6.9 printable inches).
        total = sum(float(sheet.column_dimensions[letter].width or 0) for letter in ("A", "B"))
        assert total <= 95, name


def test_a_list_export_prints_with_its_title_and_page_numbers(client: Client, prosecutor: User) -> None:
    client.force_login(prosecutor)
    response: Any = client.get(reverse("core:county_list"), {"export": "xlsx"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    data = book.worksheets[0]
    title, period, page = _footer(data)
    assert title and period.startswith("Exported ") and page == PAGE_NUMBER
    wide = _header_width(data) > WIDE_SHEET_COLUMNS
    _assert_page_setup(data, landscape=wide, title_rows="$1:$1", footer=(title, period))
    _assert_page_setup(book[str(ABOUT_SHEET)], landscape=False, title_rows="$1:$1", footer=(title, period))


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed on this machine")
def test_libreoffice_prints_the_tip_workbook_with_whole_charts_and_definitions(
    client: Client, auditor: User, worked: Any, tmp_path: Any
) -> None:
    import pypdf

    from core.reports import get_report

    report = get_report("tip_statistics")
    client.force_login(auditor)
    response: Any = client.get(report.url, {"period": "2025", "export": "xlsx"})
    workbook = tmp_path / "tip.xlsx"
    workbook.write_bytes(b"".join(response.streaming_content))
    subprocess.run(
        [str(SOFFICE), "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(workbook)],
        check=True,
        timeout=180,
        capture_output=True,
    )
    pdf = pypdf.PdfReader(str(tmp_path / "tip.pdf"))
    pages = [page.extract_text() for page in pdf.pages]
    book = openpyxl.load_workbook(workbook)
    charts = sum(len(sheet._charts) for sheet in book.worksheets)  # type: ignore[attr-defined,misc]
    # Every sheet starts a page, every chart has a page of its own: at least one page per sheet and chart.
    assert len(pages) >= len(book.worksheets) + charts
    text = " ".join(" ".join(page.split()) for page in pages)
    for term, meaning in report.definitions:
        assert " ".join(meaning.split())[:60] in text, term  # the definition printed, not cut at the edge
    assert all("Page" in page and "TIP statistics" in page for page in pages)  # the footer on every page
