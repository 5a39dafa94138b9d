"""The asset recovery report on screen: totals whole, the by-case detail page by page (``?cases_page=N``);
the Excel workbook keeps every case; the same queries whatever the number of cases."""

from __future__ import annotations

import io
import re
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assets import reports as asset_reports
from tests.assets.test_reports import build_worked_example

pytestmark = pytest.mark.django_db

URL = "assets:recovery"
PERIOD = "2025-26"


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(asset_reports, "CASES_PER_PAGE", 2)
    return 2


def case_cells(html: str) -> list[str]:
    """The case numbers in the by-case table's body, in order."""
    table = html[html.index('data-testid="table-cases"') :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    return re.findall(r"<tr><td>([^<]+)</td>", body)


def page(client: Client, **params: str) -> tuple[Any, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(URL), {"period": PERIOD, **params})
    assert response.status_code == 200
    return response, str(len(queries))


def test_the_by_case_table_pages_and_the_totals_stay_whole(client: Client, unit_head: Any, small_pages: int) -> None:
    for _ in range(3):
        build_worked_example(unit_head)  # two cases with something in 2025/26 each: six in all
    client.force_login(unit_head)
    first, _ = page(client)
    html = first.content.decode()
    every = [row["reference"] for row in first.context["data"].table("cases").rows]
    assert len(every) == 6
    assert case_cells(html) == every[:2]
    assert "Rows 1–2 of 6; every row is in the Excel workbook." in html
    assert 'data-testid="total-cases"' in html and "All cases" in html
    assert 'data-testid="previous-cases"' not in html
    next_link = re.search(r'href="\?([^"]+)" data-testid="next-cases"', html)
    assert next_link is not None and "period=2025-26" in next_link.group(1).replace("&amp;", "&")

    last, _ = page(client, cases_page="3")
    html = last.content.decode()
    assert case_cells(html) == every[4:]
    assert "Rows 5–6 of 6" in html and 'data-testid="next-cases"' not in html
    assert 'data-testid="total-cases"' in html
    # Past the end shows the last page; nonsense shows the first.
    assert case_cells(page(client, cases_page="99")[0].content.decode()) == every[4:]
    assert case_cells(page(client, cases_page="x")[0].content.decode()) == every[:2]


def test_the_workbook_keeps_every_case(client: Client, unit_head: Any, small_pages: int) -> None:
    for _ in range(3):
        build_worked_example(unit_head)
    client.force_login(unit_head)
    response: Any = client.get(reverse(URL), {"period": PERIOD, "export": "xlsx", "cases_page": "2"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [row for row in book["By case"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert len([row for row in rows if row[0] != "All cases"]) == 6


def test_a_page_costs_the_same_queries_whatever_the_cases(client: Client, unit_head: Any, small_pages: int) -> None:
    client.force_login(unit_head)
    build_worked_example(unit_head)
    few = page(client)[1]
    for _ in range(5):
        build_worked_example(unit_head)
    assert page(client)[1] == page(client, cases_page="4")[1] == few


def test_a_short_table_shows_whole_with_no_pager(client: Client, unit_head: Any) -> None:
    build_worked_example(unit_head)
    client.force_login(unit_head)
    html = page(client)[0].content.decode()
    assert len(case_cells(html)) == 2
    assert 'data-testid="pager-cases"' not in html
