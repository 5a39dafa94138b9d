"""A prosecutor looks for the second accused on a case from the box in the top bar, finds the case and
opens it; a search full of markup is shown back as text and runs nothing."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.prosecutions.factories import make_accused, make_case

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-test-password"


def test_a_prosecutor_finds_the_second_accused_from_the_top_bar_and_opens_the_case(
    page, live_server, prosecutor, other_prosecutor, browser_log
):
    case = make_case(
        other_prosecutor, title="Republic v. Juma Hamisi and another", court_case_serial="E123", court_case_year=2026
    )
    make_accused(case, other_prosecutor, name="Juma Hamisi")
    make_accused(case, other_prosecutor, name="Mercy Atieno", aliases="Mama Shiru", id_number="29384756")
    decoy = make_case(other_prosecutor, title="Republic v. Mercy Wanjiku")
    make_accused(decoy, other_prosecutor, name="Mercy Wanjiku")

    login(page, live_server, prosecutor.username, PASSWORD)
    box = page.get_by_test_id("topbar-search").get_by_role("searchbox")
    box.fill("mercy atieno")
    with page.expect_navigation():
        box.press("Enter")
    assert re.search(r"/search/\?q=mercy\+atieno$", page.url)

    accused = page.locator('[data-group="accused"]')
    assert accused.get_by_test_id("search-hit").count() == 1
    assert "Mercy Atieno (also known as Mama Shiru)" in accused.inner_text()
    assert case.reference in accused.inner_text()
    cases = page.locator('[data-group="cases"]')
    assert cases.get_by_test_id("search-hit").count() == 1 and decoy.reference not in cases.inner_text()

    cases.get_by_test_id("search-hit").click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/$"))
    expect(page.locator("body")).to_contain_text(case.reference)
    expect(page.locator("body")).to_contain_text("Republic v. Juma Hamisi and another")

    # From the case page, the box searches again: the court case number, typed as people say it.
    box = page.get_by_test_id("topbar-search").get_by_role("searchbox")
    box.fill("Criminal Case E123 of 2026")
    with page.expect_navigation():
        box.press("Enter")
    assert case.reference in page.locator('[data-group="cases"]').inner_text()

    # Markup and SQL in a search are shown back as text and find nothing.
    page.goto(f"{live_server.url}/search/?q={quote('<img src=x onerror=alert(1)> OR 1=1; --')}")
    assert page.get_by_test_id("search-nothing").is_visible()
    expect(page.locator("img[src=x]")).to_have_count(0)

    # A search too long to run says so.
    page.goto(f"{live_server.url}/search/?q={'A' * 10_000}")
    assert "A search is at most 200 characters" in page.get_by_test_id("search-error").inner_text()

    assert browser_log.failed == [] and browser_log.off_site == [] and browser_log.page_errors == []
