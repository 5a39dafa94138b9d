"""From a small-fish case to the organiser: a prosecutor opens the demo's Malindi case (a transporter, no
organiser named), sees on its Network tab the M-Pesa line seized there, draws the network, and finds through
that phone number the demo organiser, Salim Bakari Mwinyi — and his cases in Mombasa, JKIA and Busia."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assets.demo import seed_shared_assets
from prosecutions.demo.persons import recurring_cases, seed_recurring_persons
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-test-password"


def test_a_prosecutor_finds_the_organiser_from_a_small_fish_case(
    page, live_server, prosecutor, other_prosecutor, unit_head, browser_log
):
    users = {"prosecutor": prosecutor, "prosecutor2": other_prosecutor, "unithead": unit_head}
    seed_recurring_persons(users, timezone.localdate(), lambda line: None)
    assert seed_shared_assets(users, lambda line: None) >= 1
    malindi = next(case for case in recurring_cases() if case.court and case.court.station == "Malindi")
    login(page, live_server, prosecutor.username, PASSWORD)

    page.goto(f"{live_server.url}/cases/{malindi.pk}/?tab=network")
    tab = page.get_by_test_id("case-network")
    expect(tab).to_contain_text("+254722418305")
    page.get_by_test_id("open-case-network").click()
    page.wait_for_url(f"**/network/case/{malindi.pk}/")
    expect(page.get_by_test_id("network-identifiers")).to_contain_text("+254722418305")
    persons = page.get_by_test_id("network-persons")
    expect(persons).to_contain_text("Salim Bakari Mwinyi")
    expect(page.locator("#chart-network")).to_have_attribute("data-rendered", "true")

    persons.get_by_role("link", name="Salim Bakari Mwinyi").click()
    page.wait_for_url("**/network/person/*/")
    cases = page.get_by_test_id("network-cases")
    for station_case in recurring_cases():
        if any(a.name.startswith("Salim") for a in station_case.accused.all()):
            expect(cases).to_contain_text(station_case.reference)
    expect(page.get_by_test_id("network-identifiers")).to_contain_text("KCB482M")
    assert not browser_log.page_errors, browser_log.page_errors
    assert not browser_log.off_site, browser_log.off_site
