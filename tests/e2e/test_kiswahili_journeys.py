"""Every role's main journey in a browser set to Kiswahili (``sw-KE``), as issue 19 asks.

The sign-in page comes up in Kiswahili; each demo login then opens its home page, every section of its
navigation bar and its own main pages: the prosecutor a case page (every tab) and a stage move the rules
refuse, whose message is the Kiswahili of the service's refusal; the unit head a report and its Excel
workbook (sheet names and header rows in Kiswahili); the fund administrator the fund's home; the approver the
disbursements awaiting approval; the auditor the audit log and a record's history; the liaison the witnesses;
the victim services officer the victims; the access administrator the access pages.

On every page visited (and in the workbook), no English phrase of our catalogues whose Kiswahili differs may
be read (``tests/e2e/kiswahili.py``); what the tracker stores as typed (names, titles, reasons) is taken out
first, read from the database.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from core.demo import DEMO_PASSWORD
from core.models import User
from core.registry import nav_for
from core.translations import compile_catalogues
from prosecutions import services as prosecution_services
from prosecutions.choices import Stage
from prosecutions.models import Case
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, BrowserLog
from tests.e2e.kiswahili import english_phrases, readable_text, stored_text, workbook_text
from tests.prosecutions.factories import charged_case, days_ago
from tests.trustfund.factories import receive, request
from tests.victims.factories import identified
from tests.witnesses.factories import admitted, court_measures, witness_on
from trustfund.models import Disbursement
from victims.models import Victim
from witnesses.models import Witness

pytestmark = [pytest.mark.e2e, pytest.mark.one_database]


def sw(english: str) -> str:
    """The Kiswahili of one of our messages, as the catalogue gives it."""
    with translation.override("sw"):
        return gettext(english)


@pytest.fixture(scope="module", autouse=True)
def _compiled_catalogues() -> None:
    """The .mo files are not committed: compile any catalogue that changed (pure Python)."""
    compile_catalogues()


@pytest.fixture
def sw_page(
    browser: Any, live_server: Any, browser_log: BrowserLog, django_db_serialized_rollback: None
) -> Iterator[Page]:
    """A fresh browser context whose browser speaks Kiswahili (``Accept-Language: sw-KE``)."""
    from axes.utils import reset as reset_lockouts

    reset_lockouts()
    context = browser.new_context(
        base_url=live_server.url, locale="sw-KE", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    tab = context.new_page()
    tab.on("pageerror", lambda error: browser_log.page_errors.append(str(error)))
    try:
        yield tab
    finally:
        context.close()


@dataclass
class Records:
    """One of each main record: a case at pre-trial, its two counts not yet pleaded to."""

    case: Case
    witness: Witness
    victim: Victim
    disbursement: Disbursement


def _records(users: dict[str, User]) -> Records:
    lead, liaison, fund_admin = users["prosecutor"], users["liaison"], users["fundadmin"]
    case = charged_case(lead, title="Republic v. Wanjiru Kamau and 1 other")
    prosecution_services.record_hearing(case, lead, date=days_ago(-3), purpose="mention")
    witness = admitted(witness_on(case, lead), liaison)
    court_measures(witness, liaison)
    victim = identified(users["victimservices"])
    receive(fund_admin, "750000.00", days_ago(12), payer_reference="EXCHQ-SW")
    disbursement = request(fund_admin, "25000.00", days_ago(4))
    return Records(case, witness, victim, disbursement)


def around(text: str, phrase: str, width: int = 40) -> str:
    """The phrase with a few words either side, where it first stands in ``text``."""
    flat = " ".join(text.split())
    at = flat.find(phrase)
    return flat[max(0, at - width) : at + len(phrase) + width] if at >= 0 else phrase


@dataclass
class Reader:
    """A Kiswahili reader going through pages: every page read is searched for English left in it."""

    page: Page
    pages: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def check_text(self, text: str, where: str, codes: Iterable[str] = ()) -> None:
        left = english_phrases().left_in(text, stored_text, verbatim=codes)
        if left:
            self.problems.append(
                f"{where}: " + " | ".join(f"“{phrase}” in «{around(text, phrase)}»" for phrase in left)
            )

    def read(self, url: str | None = None) -> None:
        """Open ``url`` (or stay on the page shown) and read it."""
        if url is not None:
            response = self.page.goto(url)
            assert response is not None and response.status == 200, f"{url} answered {response and response.status}"
        self.page.wait_for_load_state("load")
        if self.page.locator(".report-chart").count():  # the charts' titles and axes are read too
            self.page.wait_for_function(
                "() => [...document.querySelectorAll('.report-chart')].every(el => el.dataset.rendered)"
            )
        assert self.page.locator("html").get_attribute("lang") == "sw", f"{self.page.url} is not in Kiswahili"
        self.pages.append(self.page.url)
        readable = readable_text(self.page)
        self.check_text(readable.text, self.page.url, readable.codes)

    def read_every_tab(self, url: str) -> None:
        """A record's page and each of its tabs."""
        self.read(url)
        slugs = self.page.locator("a[data-tab]").evaluate_all("links => links.map(a => a.dataset.tab)")
        assert slugs, f"{url} has no tabs"
        for slug in slugs:
            self.read(f"{url}?tab={slug}")

    def assert_all_kiswahili(self) -> None:
        assert not self.problems, "English on Kiswahili pages:\n" + "\n".join(self.problems)


def sign_in_in_kiswahili(reader: Reader, live_server: Any, username: str) -> None:
    """The sign-in page as a Kiswahili browser gets it, read and sent; it leads home."""
    page = reader.page
    sign_in = sw("Sign in")
    assert sign_in != "Sign in"
    reader.read(f"{live_server.url}/accounts/login/")
    expect(page.locator("main h1")).to_have_text(sign_in)
    expect(page).to_have_title(re.compile(re.escape(sign_in)))
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=sign_in, exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/")
    reader.read()


def read_home_and_sections(reader: Reader, live_server: Any, user: User) -> None:
    sign_in_in_kiswahili(reader, live_server, user.username)
    for item in nav_for(user):
        reader.read(item.url)


# --- one journey per role -------------------------------------------------------------------------------


def prosecutor_journey(reader: Reader, records: Records, users: dict[str, User]) -> None:
    """The case list, the case page's tabs, and a move to trial sent before every count was pleaded to (the
    form does not offer it: the request is made as a stale page or a crafted one would): the service refuses
    it, and the refusal shown is the catalogue's Kiswahili."""
    case = records.case
    reader.read("/cases/")
    expect(reader.page.locator(f'[data-row="{case.pk}"]')).to_be_visible()
    reader.read_every_tab(f"/cases/{case.pk}/")

    reader.read(f"/cases/{case.pk}/stage/")
    page = reader.page
    stage = page.locator("#id_to_stage")
    expect(stage.locator(f'option[value="{Stage.TRIAL}"]')).to_have_count(0)
    stage.evaluate("(select, value) => select.add(new Option(value, value))", str(Stage.TRIAL))
    stage.select_option(str(Stage.TRIAL))
    template = sw(
        "A trial starts only once every accused has pleaded to every count still pending; no plea yet "
        "on: %(counts)s. Record the pleas (Accused & charges tab) first."
    )
    assert template.startswith("Usikilizaji wa kesi huanza")  # the catalogue's Kiswahili, not the English
    with translation.override("sw"):
        refusal = prosecution_services.move_refusal(case, Stage.TRIAL)
    counts = ", ".join(sw("count %(number)s") % {"number": n} for n in (1, 2))
    assert refusal == template % {"counts": f"John Mwangi {counts}"}
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name=sw("Save"), exact=True).click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(refusal)
    assert "A trial starts only once" not in summary.inner_text()
    reader.read()
    assert Case.objects.get(pk=case.pk).stage == Stage.PRE_TRIAL


def unit_head_journey(reader: Reader, records: Records, users: dict[str, User]) -> None:
    """The reports index, the TIP statistics on screen, and its workbook: sheet names and header rows in
    Kiswahili, and no English phrase in any cell."""
    reader.read("/reports/")
    period = str(records.case.opened_on.year)
    reader.read(f"{reverse('prosecutions:tip_statistics')}?period={period}")
    page = reader.page
    title = page.get_by_test_id("report-title").inner_text()
    assert title == sw("TIP statistics") and title != "TIP statistics"
    with page.expect_download() as download_info:
        page.get_by_test_id("export-xlsx").click()
    download = download_info.value
    with open(download.path(), "rb") as file:
        book = openpyxl.load_workbook(io.BytesIO(file.read()))
    expected_sheets = [sw("Summary"), sw("Investigations"), sw("Prosecutions"), sw("Sentences")]
    for name in expected_sheets:
        assert name in book.sheetnames, (name, book.sheetnames)
    assert not {"Summary", "Investigations", "Prosecutions", "Sentences"} & set(book.sheetnames)
    for name in expected_sheets[1:]:
        header = [cell for cell in next(book[name].iter_rows(max_row=1, values_only=True)) if cell]
        assert header, name
        reader.check_text("\n".join(map(str, header)), f"{download.suggested_filename} [{name}] header row")
    reader.check_text(workbook_text(book), download.suggested_filename)


def fund_administrator_journey(reader: Reader, records: Records, users: dict[str, User]) -> None:
    reader.read("/fund/")
    reader.read("/fund/receipts/")
    reader.read_every_tab(f"/fund/disbursements/{records.disbursement.pk}/")


def approver_journey(reader: Reader, records: Records, users: dict[str, User]) -> None:
    """The disbursements awaiting approval, one of them, and its approval form."""
    reader.read("/fund/disbursements/?awaiting_me=true")
    expect(reader.page.locator(f'[data-row="{records.disbursement.pk}"]')).to_be_visible()
    reader.read_every_tab(f"/fund/disbursements/{records.disbursement.pk}/")
    reader.read(f"/fund/disbursements/{records.disbursement.pk}/approve/")


def auditor_journey(reader: Reader, records: Records, users: dict[str, User]) -> None:
    reader.read("/audit/")
    reader.read(f"/cases/{records.case.pk}/?tab=history")
    expect(reader.page.get_by_test_id("history")).to_be_visible()
    reader.read("/audit/verify/")


def liaison_journey(reader: Reader, records: Records, users: dict[str, User]) -> None:
    reader.read("/witnesses/")
    reader.read_every_tab(f"/witnesses/{records.witness.pk}/")


def victim_services_journey(reader: Reader, records: Records, users: dict[str, User]) -> None:
    reader.read("/victims/")
    reader.read_every_tab(f"/victims/{records.victim.pk}/")
    reader.read("/victims/providers/")


def access_administrator_journey(reader: Reader, records: Records, users: dict[str, User]) -> None:
    reader.read("/access/")
    reader.read("/access/grants/")
    reader.read(f"/access/people/{users['prosecutor'].pk}/")


JOURNEYS = {
    "prosecutor": prosecutor_journey,
    "unithead": unit_head_journey,
    "fundadmin": fund_administrator_journey,
    "approver": approver_journey,
    "auditor": auditor_journey,
    "liaison": liaison_journey,
    "victimservices": victim_services_journey,
    "accessadmin": access_administrator_journey,
}


@pytest.mark.parametrize("username", list(JOURNEYS))
def test_each_role_goes_through_its_main_pages_in_kiswahili(
    sw_page: Page, live_server: Any, demo_users: dict[str, User], browser_log: BrowserLog, username: str
) -> None:
    records = _records(demo_users)
    reader = Reader(sw_page)
    read_home_and_sections(reader, live_server, demo_users[username])
    JOURNEYS[username](reader, records, demo_users)
    assert len(reader.pages) >= 4
    reader.assert_all_kiswahili()
    assert not browser_log.page_errors
