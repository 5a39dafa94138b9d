"""Issue 17's import journey: the unit head uploads a small case register with a mistake in it, sees the
error by row and column in the preview (nothing saved), uploads the fixed file, confirms, watches the
import run to "Imported" in the background, and finds the case in the case list."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import expect

from imports.kinds.cases import CaseRegister
from jobs.worker import Worker
from prosecutions.models import Case
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-test-password"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ago(days: int) -> str:
    return (dt.date.today() - dt.timedelta(days=days)).strftime("%d/%m/%Y")


def register(prosecutor: str, stage_of_second_row: str) -> bytes:
    """Two counts of one case at pre-trial: Juma Ali and Mary Wanjiku, both recruiters."""
    headings = [column.header for column in CaseRegister.columns]
    common = {
        "OB number": "OB 12/03/2021",
        "Court case number": "E45 of 2021",
        "Court": "Mombasa Chief Magistrate's Court",
        "Date reported": ago(900),
        "Date charged": ago(880),
        "Stage": "Pre-trial",
        "Prosecutor": prosecutor,
        "Network role": "Recruiter",
        "Offence": "CTIP s.3(1)",
        "Offence date": ago(910),
    }
    rows: list[dict[str, Any]] = [
        {**common, "Accused name": "Juma Ali"},
        {**common, "Accused name": "Mary Wanjiku", "Stage": stage_of_second_row},
    ]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(headings)
    for row in rows:
        sheet.append([row.get(heading) for heading in headings])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(page: Any, live_server: Any, name: str, content: bytes) -> None:
    page.goto(f"{live_server.url}/imports/")
    page.get_by_label("Kind of register").select_option("cases")
    page.get_by_label("Register file").set_input_files({"name": name, "mimeType": XLSX, "buffer": content})
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_test_id("batch-status")).to_contain_text("Waiting for a worker")


def test_a_register_with_an_error_is_previewed_fixed_and_imported(
    page, live_server, unit_head, prosecutor, browser_log, settings, tmp_path
):
    settings.IMPORT_ROOT = tmp_path / "imports"
    login(page, live_server, unit_head.username, PASSWORD)

    # The first file: row 3 has a misspelled stage.
    upload(page, live_server, "case-register.xlsx", register(prosecutor.username, "Pre-trail"))
    Worker(worker_id="e2e-worker").run_pass()  # a worker reads it; the page polls and shows the preview
    errors = page.get_by_test_id("preview-errors")
    expect(errors).to_contain_text("The preview found 1 error")
    expect(page.get_by_test_id("preview-row-3")).to_contain_text(
        "row 3, Stage: 'Pre-trail' is not a stage of a case; did you mean Pre-trial?"
    )
    expect(page.get_by_test_id("confirm-import")).to_have_count(0)
    assert not Case.objects.filter(title__contains="Juma Ali").exists()  # nothing saved

    # The fixed file.
    upload(page, live_server, "case-register-fixed.xlsx", register(prosecutor.username, "Pre-trial"))
    Worker(worker_id="e2e-worker").run_pass()
    expect(page.get_by_test_id("preview-ready")).to_contain_text("Ready to import")
    expect(page.get_by_test_id("preview-row-2")).to_contain_text("Juma Ali")
    page.get_by_test_id("confirm-import").click()
    expect(page.get_by_test_id("batch-status")).to_contain_text("Importing")
    Worker(worker_id="e2e-worker").run_pass()  # the import runs in the background
    expect(page.get_by_test_id("batch-result")).to_contain_text("Imported: 2 of 2 rows")

    page.goto(f"{live_server.url}/cases/")
    expect(page.locator("main")).to_contain_text("Juma Ali")
    assert not browser_log.page_errors
    assert not browser_log.off_site
