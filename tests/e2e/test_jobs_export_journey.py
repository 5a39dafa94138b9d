"""A large export in a real browser: the user asks for the Excel download of a long list, sees it waiting for
a worker, a worker prepares it, the page (htmx polling, under the site's CSP) turns to a download button on
its own, and the downloaded workbook holds every row."""

from __future__ import annotations

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from core.models import County
from jobs.worker import Worker
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-test-password"


def test_a_large_export_is_prepared_in_the_background_and_downloaded(
    page, live_server, prosecutor, browser_log, settings, tmp_path
):
    settings.EXPORT_BACKGROUND_ROWS = 10  # the 47 counties count as a large list
    login(page, live_server, prosecutor.username, PASSWORD)
    page.goto(f"{live_server.url}/counties/")
    page.get_by_test_id("export-xlsx").click()
    page.wait_for_url(re.compile(r"/jobs/exports/[0-9a-f-]+/$"))
    progress = page.get_by_test_id("export-progress")
    expect(progress).to_contain_text("Waiting for a worker")

    Worker(worker_id="e2e-worker").run_pass()  # a worker picks it up

    expect(progress).to_contain_text("Ready: 47 rows")  # the page polled and changed by itself
    with page.expect_download() as download_info:
        page.get_by_test_id("export-download").click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    workbook = openpyxl.load_workbook(saved, read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == County.objects.count() + 1
    assert not browser_log.page_errors
    assert not browser_log.off_site
