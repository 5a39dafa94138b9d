"""An auditor opens each report from the Reports menu, sees its figures and its charts drawn, changes
the period and sees both change, and downloads the workbook, whose figures match the screen.

The data are the worked examples of the report tests (tests/prosecutions/test_reports.py and
tests/assets/test_reports.py), whose figures were worked out by hand there. Together: the asset
example's two cases add two investigations opened in 2025 (5 in all), and the prosecution example's
three seizures of 2025/26 (KES 1,349,999) add to the asset example's KES 1,130,000 seized.
"""

from __future__ import annotations

import io
import re
from typing import Any

import openpyxl
import pytest

from tests.assets.test_reports import build_worked_example as build_assets
from tests.e2e.conftest import login
from tests.prosecutions.test_reports import build_worked_example as build_prosecutions

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-test-password"

# report title → (first period, its figures, second period, its figures); figures keyed by test id.
JOURNEYS: dict[str, tuple[str, dict[str, str], str, dict[str, str]]] = {
    "TIP statistics": (
        "2025",
        {"investigations": "5", "prosecuted": "3", "convicted": "2", "acquitted": "1", "victims": "3"},
        "2024",
        {"investigations": "1", "prosecuted": "1", "convicted": "0", "acquitted": "0", "victims": "0"},
    ),
    "ODPP performance": (
        "2025-26",
        {"registered": "1", "concluded": "2", "pending": "2", "conviction_rate": "33.33 %", "median_days": "184.0"},
        "2024-25",
        {"registered": "2", "concluded": "0", "pending": "3", "conviction_rate": "100.00 %", "median_days": "40.0"},
    ),
    "Organisers versus small fish": (
        "2025-26",
        {"organisers_convicted": "1", "charged": "1", "assets_value": "KES 1,250,000.00"},
        "2024-25",
        {"organisers_convicted": "0", "charged": "3", "assets_value": "KES 0.00"},
    ),
    "Asset recovery": (
        "2025-26",
        {"seized": "KES 2,479,999.00", "forfeited": "KES 1,130,000.00", "realised": "KES 800,000.00", "lapsed": "1"},
        "2024-25",
        {"seized": "KES 500,000.00", "forfeited": "KES 0.00", "realised": "KES 0.00", "lapsed": "0"},
    ),
}


def figures(page: Any, keys: dict[str, str]) -> dict[str, str]:
    return {key: page.get_by_test_id(f"figure-{key}").inner_text().strip() for key in keys}


def wait_for_charts(page: Any) -> int:
    """Every chart container drawn by vega-embed as an SVG; returns how many there are."""
    containers = page.locator(".report-chart")
    count = containers.count()
    assert count > 0
    page.wait_for_function(
        "() => [...document.querySelectorAll('.report-chart')].every(el => el.dataset.rendered === 'true')"
    )
    for index in range(count):
        assert containers.nth(index).locator("svg").count() >= 1
    return count


def test_an_auditor_reads_each_report_changes_its_period_and_downloads_it(
    page: Any, live_server: Any, unit_head: Any, auditor: Any, browser_log: Any
) -> None:
    build_prosecutions(unit_head)
    build_assets(unit_head)
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

    for title, (first, first_figures, second, second_figures) in JOURNEYS.items():
        page.locator('[data-section="reports"]').click()
        page.get_by_test_id("report-index").get_by_role("link", name=re.compile(re.escape(title))).click()
        assert page.get_by_test_id("report-title").inner_text() == title

        page.get_by_test_id("period-select").select_option(first)
        page.wait_for_url(re.compile(rf"period={re.escape(first)}"))
        charts = wait_for_charts(page)
        assert figures(page, first_figures) == first_figures, title
        first_spec = page.locator("script[type='application/json']").first.inner_text()

        with page.expect_download() as download_info:
            page.get_by_test_id("export-xlsx").click()
        download = download_info.value
        book = openpyxl.load_workbook(io.BytesIO(open(download.path(), "rb").read()))  # noqa: SIM115
        summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
        assert str(summary["Report period"]).startswith(
            page.get_by_test_id("report-period").inner_text().split(" · ")[0]
        )
        screen_labels = page.locator(".report-figure .small.text-muted").all_inner_texts()
        assert all(label in summary for label in screen_labels if label != "not available")
        assert download.suggested_filename.endswith(".xlsx") and first in download.suggested_filename

        page.get_by_test_id("period-select").select_option(second)
        page.wait_for_url(re.compile(rf"period={re.escape(second)}"))
        assert wait_for_charts(page) == charts
        assert figures(page, second_figures) == second_figures, title
        assert page.locator("script[type='application/json']").first.inner_text() != first_spec
        assert page.get_by_test_id("report-definitions").is_visible()

    # The workbook holds the figures on screen: the asset recovery report, last opened, read back.
    page.get_by_test_id("period-select").select_option("2025-26")
    page.wait_for_url(re.compile(r"period=2025-26"))
    with page.expect_download() as download_info:
        page.get_by_test_id("export-xlsx").click()
    book = openpyxl.load_workbook(io.BytesIO(open(download_info.value.path(), "rb").read()))  # noqa: SIM115
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    assert summary["Value seized"] == 2479999
    assert summary["Net proceeds realised"] == 800000
    assert summary["Preservation orders lapsed"] == 1

    assert not browser_log.failed and not browser_log.off_site and not browser_log.page_errors
    assert not console_errors
