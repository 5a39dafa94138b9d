"""A prosecutor attaches the charge sheet to their case by choosing the file (a progress bar while it
uploads), is refused a program renamed .pdf with a message, sees the paper on the case's Documents tab,
drags an amended version onto the new-version form, and downloads it."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from documents.models import Document
from tests.documents.factories import exe, sample_pdf
from tests.e2e.conftest import login
from tests.prosecutions.factories import charged_case

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-test-password"
PDF = "application/pdf"


def drop_file(page, selector: str, name: str, content: bytes) -> None:
    """Drag a file from the desktop onto ``selector``, as a person would."""
    data = page.evaluate_handle(
        """([name, bytes, type]) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([new Uint8Array(bytes)], name, {type}));
            return transfer;
        }""",
        [name, list(content), PDF],
    )
    page.dispatch_event(selector, "dragenter", {"dataTransfer": data})
    page.dispatch_event(selector, "drop", {"dataTransfer": data})


def test_a_prosecutor_attaches_supersedes_and_downloads_a_charge_sheet(page, live_server, prosecutor, browser_log):
    case = charged_case(prosecutor, title="Republic v. Juma Bakari")
    case_url = f"{live_server.url}/cases/{case.pk}/"
    login(page, live_server, prosecutor.username, PASSWORD)

    # The case's Documents tab is empty; the prosecutor attaches the charge sheet.
    page.goto(f"{case_url}?tab=documents")
    assert page.get_by_test_id("documents-empty").is_visible()
    page.get_by_test_id("document-attach").click()
    page.select_option("#id_document_type", "charge_sheet")
    page.fill("#id_title", "Charge sheet")
    page.fill("#id_document_date", timezone.localdate().isoformat())

    # A program renamed .pdf is refused, with the reason, and nothing is kept.
    page.set_input_files("#id_file", files=[{"name": "charge-sheet.pdf", "mimeType": PDF, "buffer": exe()}])
    assert "charge-sheet.pdf" in page.locator("[data-drop-chosen]").inner_text()
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("The file is a Windows program, whatever its name says.").wait_for()
    assert not Document.objects.exists()

    # The real charge sheet goes through; the progress bar showed while it travelled.
    first = sample_pdf("Charge sheet", "Republic v. Juma Bakari")
    page.set_input_files("#id_file", files=[{"name": "charge-sheet.pdf", "mimeType": PDF, "buffer": first}])
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(re.compile(r"tab=documents"))
    expect(page.locator("body")).to_contain_text("Document attached: Charge sheet “Charge sheet”.")
    listed = page.get_by_test_id("documents-list")
    assert "Charge sheet" in listed.inner_text() and "charge-sheet.pdf" in listed.inner_text()
    document = Document.objects.get()

    # An amended charge sheet, dragged onto the new-version form, supersedes it; both are kept.
    page.get_by_role("link", name="Charge sheet", exact=True).click()
    page.get_by_test_id("document-supersede").click()
    amended = sample_pdf("Charge sheet (amended)", "Republic v. Juma Bakari")
    drop_file(page, "[data-drop-zone]", "charge-sheet-amended.pdf", amended)
    assert "charge-sheet-amended.pdf" in page.locator("[data-drop-chosen]").inner_text()
    page.fill("#id_title", "Charge sheet (amended)")
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(re.compile(r"/documents/case/document/\d+/$"))
    new = Document.objects.get(supersedes=document)
    assert page.get_by_test_id("document-sha256").inner_text() == new.sha256
    expect(page.get_by_test_id("document-versions").locator("li")).to_have_count(2)
    page.goto(f"{case_url}?tab=documents")
    expect(page.get_by_test_id("document-superseded")).to_have_count(1)

    # The new version downloads as the file that was sent.
    page.goto(live_server.url + new.get_absolute_url())
    with page.expect_download() as info:
        page.get_by_test_id("document-download").first.click()
    download = info.value
    assert download.suggested_filename == "charge-sheet-amended.pdf"
    with open(download.path(), "rb") as saved:
        assert saved.read() == amended
    assert not browser_log.failed and not browser_log.off_site and not browser_log.page_errors
