"""A prosecutor corrects a case's OB number with a reason; the auditor finds the change in the audit log
with its difference and reason, downloads the log, and the chain still verifies."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from core.audit.chain_verify import verify_chain
from core.models import AuthEvent
from tests.e2e.conftest import login
from tests.prosecutions.factories import make_case

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-test-password"


def test_an_auditor_finds_a_prosecutors_edit_in_the_audit_log_and_downloads_it(
    page, live_server, prosecutor, auditor, browser_log
):
    case = make_case(prosecutor, title="Republic v. Peter Otieno", ob_number="OB 12/01/2026")

    # The prosecutor corrects the OB number and says why.
    login(page, live_server, prosecutor.username, PASSWORD)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_test_id("edit-case").click()
    page.fill("#id_ob_number", "OB 21/01/2026")
    page.fill("#id_reason", "OB number transposed on the charge sheet")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/"))

    # Their own History tab shows it.
    page.goto(f"{live_server.url}/cases/{case.pk}/?tab=history")
    history = page.get_by_test_id("history").inner_text()
    assert "OB number transposed on the charge sheet" in history and "OB 21/01/2026" in history

    # A prosecutor has no audit log.
    assert page.goto(f"{live_server.url}/audit/").status == 403
    page.context.clear_cookies()

    # The auditor signs in (one wrong password first: it is in the log too) and filters by the case.
    login(page, live_server, auditor.username, "not-the-password")
    login(page, live_server, auditor.username, PASSWORD)
    page.get_by_role("link", name="Audit log").first.click()
    page.wait_for_url(re.compile(r"/audit/"))
    page.select_option("#id_case", str(case.pk))
    page.select_option("#id_action", "changed")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"case="))
    line = page.get_by_test_id("audit-line").filter(has_text="OB number transposed")
    assert line.count() == 1
    text = line.inner_text()
    assert "Achieng Otieno" in text and "Changed" in text
    assert "OB number" in text and "OB 12/01/2026" in text and "OB 21/01/2026" in text

    # The Excel download holds the same line with its difference and reason.
    with page.expect_download() as download_info:
        page.get_by_test_id("export-xlsx").click()
    download = download_info.value
    book = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    rows = list(book["Data"].iter_rows(values_only=True))
    edit = next(row for row in rows[1:] if row[6] == "OB number transposed on the charge sheet")
    assert edit[1] == "Achieng Otieno" and edit[7] == "OB number: OB 12/01/2026 → OB 21/01/2026"

    # The failed sign-in is there too, with no password kept.
    page.goto(f"{live_server.url}/audit/?action=login_failed")
    failed = page.get_by_test_id("audit-line").first.inner_text()
    assert "Failed sign-in" in failed and auditor.username in failed
    assert not AuthEvent.objects.filter(username__contains="not-the-password").exists()

    assert verify_chain().ok
    assert browser_log.failed == [] and browser_log.off_site == [] and browser_log.page_errors == []
