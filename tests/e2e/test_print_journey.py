"""A prosecutor opens a case, follows "Print case file" and prints it to PDF with Chromium (Playwright's
``page.pdf``, as the browser's "Save as PDF" does): A4 pages, each headed with the case reference and
CONFIDENTIAL and numbered "Page N of M", holding the accused — and never a protected witness's identity."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.conftest import login
from tests.prosecutions.full_case import build_case
from tests.witnesses.factories import markers

pytestmark = [pytest.mark.e2e, pytest.mark.one_database]

PASSWORD = "a-long-test-password"
A4_POINTS = (595, 842)  # 210 mm × 297 mm


def test_a_prosecutor_prints_the_case_file_to_pdf(page, live_server, prosecutor, liaison, browser_log):
    case = build_case(prosecutor, liaison, "P", accused=3, hearings=24, others=2)
    code = case.witness_appearances.order_by("witness_number").first().witness.code  # type: ignore[union-attr]

    login(page, live_server, prosecutor.username, PASSWORD)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_test_id("print-case").click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/print/$"))
    expect(page.locator("nav")).to_have_count(0)  # no navigation on the case file
    assert page.get_by_test_id("print-reference").inner_text() == case.reference

    pdf = page.pdf(prefer_css_page_size=True, print_background=True)

    reader = PdfReader(io.BytesIO(pdf))
    pages = [p.extract_text() or "" for p in reader.pages]
    total = len(pages)
    assert total >= 2, "the case file should run over several pages"
    for number, text in enumerate(pages, start=1):
        assert case.reference in text, f"page {number} lacks the running header"
        assert "CONFIDENTIAL" in text, f"page {number} is not marked confidential"
        assert f"Page {number} of {total}" in text
        width, height = (round(float(v)) for v in reader.pages[number - 1].mediabox.upper_right)
        assert (width, height) == A4_POINTS
    everything = "\n".join(pages)
    assert "Page 1" in everything
    for name in ("John Mwangi", "Mercy Atieno P0", "Mercy Atieno P2"):
        assert name in everything
    assert code in everything  # witnesses by code
    for value in (*markers("P").values(), *markers("P1").values()):
        assert value not in everything  # never an identity

    assert browser_log.failed == [] and browser_log.off_site == [] and browser_log.page_errors == []
