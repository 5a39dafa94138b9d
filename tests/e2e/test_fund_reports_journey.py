"""An auditor opens the fund statement and the fund reconciliation from the Reports menu, sees their
figures and charts drawn, changes the financial year and sees both change, and downloads the workbook,
whose figures match the screen; then sees the fund's balance drawn on the home page.

The data are the trust fund's worked example (tests/trustfund/test_reports.py), whose figures were
worked out by hand there: two closed financial years (2024/25 and 2025/26) and bank statements for both.
"""

from __future__ import annotations

import io
import re
from typing import Any

import openpyxl
import pytest

from tests.e2e.conftest import login
from tests.e2e.test_reports_journey import figures, wait_for_charts
from tests.trustfund.test_reports import build_worked_example, summary_of

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-test-password"

# report title → (first period, its figures, second period, its figures, a workbook figure of the first).
JOURNEYS: dict[str, tuple[str, dict[str, str], str, dict[str, str], tuple[str, float]]] = {
    "Fund statement": (
        "2024-25",
        {
            "opening": "KES 0.00",
            "receipts": "KES 2,500,000.00",
            "payments": "KES 450,000.50",
            "closing": "KES 2,049,999.50",
        },
        "2025-26",
        {
            "opening": "KES 2,049,999.50",
            "receipts": "KES 849,999.50",
            "payments": "KES 100,000.00",
            "closing": "KES 2,799,999.00",
        },
        ("Closing balance, 30 Jun 2025", 2049999.5),
    ),
    "Fund reconciliation": (
        "2024-25",
        {
            "ledger": "KES 2,049,999.50",
            "statement": "KES 1,699,750.00",
            "difference": "KES -350,249.50",
            "matched": "2",
        },
        "2025-26",
        {
            "ledger": "KES 2,799,999.00",
            "statement": "KES 2,399,750.00",
            "difference": "KES -400,249.00",
            "matched": "4",
        },
        ("Difference (bank − ledger)", -350249.5),
    ),
}


def test_an_auditor_reads_the_fund_reports_changes_the_year_and_downloads_them(
    page: Any, live_server: Any, fund_admin: Any, fund_approver: Any, auditor: Any, browser_log: Any
) -> None:
    build_worked_example(fund_admin, fund_approver)
    console_errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            console_errors.append(message.text)
            if message.type == "error" and not message.location.get("url", "").endswith("favicon.ico")
            else None
        ),
    )
    login(page, live_server, auditor.username, PASSWORD)

    for title, (first, first_figures, second, second_figures, (label, value)) in JOURNEYS.items():
        page.locator('[data-section="reports"]').click()
        page.get_by_test_id("report-index").get_by_role("link", name=re.compile(re.escape(title))).click()
        assert page.get_by_test_id("report-title").inner_text() == title

        page.get_by_test_id("period-select").select_option(first)
        page.wait_for_url(re.compile(rf"period={re.escape(first)}"))
        charts = wait_for_charts(page)
        assert charts == 2
        assert figures(page, first_figures) == first_figures, title
        first_spec = page.locator("script[type='application/json']").first.inner_text()

        with page.expect_download() as download_info:
            page.get_by_test_id("export-xlsx").click()
        download = download_info.value
        assert download.suggested_filename.endswith(".xlsx") and first in download.suggested_filename
        book = openpyxl.load_workbook(io.BytesIO(open(download.path(), "rb").read()))  # noqa: SIM115
        summary = summary_of(book)
        screen_labels = page.locator(".report-figure .small.text-muted").all_inner_texts()
        assert all(text in summary for text in screen_labels if not text.startswith("No statement"))
        assert summary[label] == value, title
        sheets: list[Any] = list(book.worksheets)
        assert sum(len(sheet._charts) for sheet in sheets) >= 1

        page.get_by_test_id("period-select").select_option(second)
        page.wait_for_url(re.compile(rf"period={re.escape(second)}"))
        assert wait_for_charts(page) == charts
        assert figures(page, second_figures) == second_figures, title
        assert page.locator("script[type='application/json']").first.inner_text() != first_spec
        assert page.get_by_test_id("report-definitions").is_visible()

    # The home page draws this financial year's bank balance on the fund summary panel.
    page.goto(f"{live_server.url}/")
    chart = page.locator("#chart-fund-balance")
    page.wait_for_function("() => document.querySelector('#chart-fund-balance').dataset.rendered === 'true'")
    assert chart.locator("svg").count() >= 1
    assert page.get_by_test_id("fund-balance").inner_text() == "KES 5,799,999.00"

    assert not browser_log.failed and not browser_log.off_site and not browser_log.page_errors
    assert not console_errors
