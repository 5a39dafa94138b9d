"""Accessibility in a real browser: axe-core (the copy bundled in the pinned ``axe-playwright-python``, no
CDN) over the main pages of each role — home, every section of the navigation bar, a record's page, a form
(and the same form refused, with its error summary), the reports index and a report with its charts drawn
— with no serious or critical violation. One browser for all, a fresh context per role.

Then what the new-user trial asked of the lists: they fit a 1366 px laptop without sideways scrolling, and
on a 390 px phone each row reads as a card of "label: value" lines; the skip link is the first stop of the
keyboard and takes it to the page's content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from core.demo import DEMO_PASSWORD
from core.models import User
from core.registry import nav_for
from core.reports import reports_for
from prosecutions import services as prosecution_services
from prosecutions.models import Case
from tests.assets.factories import preserve, seize
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, login
from tests.prosecutions.factories import charged_case, days_ago
from tests.trustfund.factories import receive, request
from tests.witnesses.factories import admitted, court_measures, witness_on
from trustfund.models import Disbursement
from witnesses.models import Witness

pytestmark = [pytest.mark.e2e, pytest.mark.one_database]

SERIOUS = frozenset({"serious", "critical"})
AXE = Axe()


@dataclass
class Records:
    """One of each main record, on a case the demo prosecutor leads."""

    case: Case
    witness: Witness
    disbursement: Disbursement
    asset_pk: int


def _records(users: dict[str, User]) -> Records:
    lead, liaison, fund_admin = users["prosecutor"], users["liaison"], users["fundadmin"]
    case = charged_case(lead, title="Republic v. Wanjiru Kamau and 1 other")
    prosecution_services.record_hearing(case, lead, date=days_ago(-3), purpose="mention")
    asset = seize(case, lead)
    preserve(asset, lead)
    witness = admitted(witness_on(case, lead), liaison)
    court_measures(witness, liaison)
    receive(fund_admin, "750000.00", days_ago(12), payer_reference="EXCHQ-A11Y")
    disbursement = request(fund_admin, "25000.00", days_ago(4))
    return Records(case, witness, disbursement, asset.pk)


# Per demo login: the pages beyond home, its sections and the reports, as (what, address) pairs; the first
# form listed is also sent empty, to check the refused form with its error summary.
def _role_pages(username: str, records: Records) -> list[tuple[str, str]]:
    case, witness, disbursement = records.case.pk, records.witness.pk, records.disbursement.pk
    password = ("change password form", "/accounts/password/")
    pages: dict[str, list[tuple[str, str]]] = {
        "prosecutor": [
            ("case, accused tab", f"/cases/{case}/?tab=accused"),
            ("hearing form", f"/cases/{case}/hearings/new/"),
        ],
        "unithead": [("case, hearings tab", f"/cases/{case}/?tab=hearings"), ("open a case form", "/cases/new/")],
        "liaison": [
            ("witness", f"/witnesses/{witness}/"),
            ("protection measure form", f"/witnesses/{witness}/measures/new/"),
        ],
        "fundadmin": [
            ("disbursement", f"/fund/disbursements/{disbursement}/"),
            ("receipt form", "/fund/receipts/new/"),
        ],
        "approver": [
            ("disbursement", f"/fund/disbursements/{disbursement}/"),
            ("reject form", f"/fund/disbursements/{disbursement}/reject/"),
        ],
        "auditor": [
            ("case, history tab", f"/cases/{case}/?tab=history"),
            password,
            ("audit verification", "/audit/verify/"),
        ],
        "victimservices": [password],
        "accessadmin": [("grant request form", "/access/grants/new/")],
    }
    return pages[username]


@dataclass
class Findings:
    """Serious and critical violations, by page."""

    pages: int = 0
    problems: list[str] = field(default_factory=list)

    def check(self, page: Page, what: str) -> None:
        page.wait_for_load_state("load")
        if page.locator(".report-chart").count():
            page.wait_for_function(
                "() => [...document.querySelectorAll('.report-chart')].every(el => el.dataset.rendered)"
            )
        self.pages += 1
        results = AXE.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in SERIOUS:
                targets = "; ".join(node["html"][:160] for node in violation["nodes"][:3])
                self.problems.append(f"{what} ({page.url}): {violation['id']} [{violation['impact']}] {targets}")


ROLES = ["prosecutor", "unithead", "liaison", "fundadmin", "approver", "auditor", "victimservices", "accessadmin"]


@pytest.mark.parametrize("username", ROLES)
def test_the_main_pages_of_each_role_have_no_serious_accessibility_violation(
    page: Page, live_server: Any, demo_users: dict[str, User], username: str
) -> None:
    records = _records(demo_users)
    user = demo_users[username]
    findings = Findings()
    login(page, live_server, username, DEMO_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")
    findings.check(page, "home")

    for item in nav_for(user):
        page.goto(item.url)
        findings.check(page, str(item.label))
    readable = reports_for(user)
    if readable:
        page.goto("/reports/")
        findings.check(page, "reports index")
        page.goto(readable[0].url)
        findings.check(page, str(readable[0].title))

    extra = _role_pages(username, records)
    for what, url in extra:
        response = page.goto(url)
        assert response is not None and response.status == 200, f"{what} answered {response and response.status}"
        findings.check(page, what)
    form_url = next(url for what, url in extra if what.endswith("form"))
    page.goto(form_url)
    page.locator("main form[method=post] [type=submit]").first.click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    findings.check(page, "refused form")

    assert findings.pages == 1 + len(nav_for(user)) + (2 if readable else 0) + len(extra) + 1
    assert not findings.problems, "\n".join(findings.problems)


def _overflow(page: Page) -> int:
    """How far the list table sticks out of its box, in pixels (0: it fits)."""
    return int(
        page.evaluate(
            """() => { const t = document.querySelector('[data-testid="list-table"]');
                       const box = t.closest('.table-responsive') || t.parentElement;
                       return Math.max(0, t.scrollWidth - box.clientWidth,
                                       document.documentElement.scrollWidth - window.innerWidth); }"""
        )
    )


def test_lists_fit_a_laptop_and_read_as_cards_on_a_phone(
    browser: Any, live_server: Any, demo_users: dict[str, User]
) -> None:
    records = _records(demo_users)
    lists = ["/cases/", "/assets/", "/assets/deadlines/?within=365", "/witnesses/", "/counties/"]
    fund_lists = ["/fund/receipts/", "/fund/disbursements/", "/fund/journal/", "/fund/bank/lines/"]
    for width, height in ((1366, 768), (390, 844)):
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height})
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        try:
            tab = context.new_page()
            for username, urls in (("unithead", lists), ("fundadmin", fund_lists)):
                context.clear_cookies()
                login(tab, live_server, username, DEMO_PASSWORD)
                for url in urls:
                    tab.goto(url)
                    expect(tab.get_by_test_id("list-table").locator("tbody tr").first).to_be_visible()
                    assert _overflow(tab) == 0, f"{url} is wider than a {width} px screen"
            context.clear_cookies()
            login(tab, live_server, "unithead", DEMO_PASSWORD)
            if width == 1366:
                # The case number never breaks: its cell is one line high.
                tab.goto("/cases/")
                cell = tab.locator(f'[data-row="{records.case.pk}"] td').first
                assert cell.evaluate("el => getComputedStyle(el).whiteSpace") == "nowrap"
                link = cell.locator("a")
                line = float(link.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)"))
                box = link.bounding_box()
                assert box is not None and box["height"] < 1.5 * line
            else:
                tab.goto("/cases/")
                row = tab.locator(f'[data-row="{records.case.pk}"]')
                assert row.evaluate("el => getComputedStyle(el).display") == "block"
                label = row.locator('td[data-label="Title"]').evaluate("el => getComputedStyle(el, '::before').content")
                assert label == '"Title"'
                expect(tab.get_by_test_id("list-table").locator("thead")).not_to_be_in_viewport()
        finally:
            context.close()


def test_the_skip_link_is_the_first_stop_and_leads_to_the_content(
    page: Page, live_server: Any, demo_users: dict[str, User]
) -> None:
    login(page, live_server, "prosecutor", DEMO_PASSWORD)
    page.goto("/cases/")
    skip = page.get_by_test_id("skip-link")
    expect(skip).not_to_be_in_viewport()  # out of sight until the keyboard reaches it
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    expect(skip).to_have_text("Skip to main content")
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is in the content, past the navigation bar
    assert page.evaluate("document.activeElement.closest('main') !== null")
