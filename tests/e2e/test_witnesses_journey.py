"""A liaison flags a witness, admits them with a screen and voice distortion, enters the identity, reveals
it with a purpose and sees the access log; the prosecutor of the case then sees only the code and the
measures on the next hearing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from prosecutions import services as prosecution_services
from tests.e2e.conftest import login
from tests.prosecutions.factories import charged_case
from tests.witnesses.factories import days_ago, witness_on
from witnesses.models import IdentityAccess, Witness

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-test-password"
NAME = "Zuhura Wairimu Kazungu"


def save(page) -> None:
    page.get_by_role("button", name="Save").click()


def test_a_liaison_protects_a_witness_and_the_prosecutor_sees_only_the_code(
    page, live_server, prosecutor, liaison, browser_log
):
    case = charged_case(prosecutor, title="Republic v. Juma Said")
    next_hearing = days_ago(-3)
    prosecution_services.record_hearing(case, prosecutor, date=next_hearing, purpose="hearing")
    witness = witness_on(case, number="PW2")
    witness_url = f"{live_server.url}/witnesses/{witness.pk}/"

    login(page, live_server, liaison.username, PASSWORD)
    page.goto(witness_url)

    # Flag, assess, admit.
    page.get_by_test_id("flag-witness").click()
    page.select_option("#id_applicant", "prosecutor")
    page.fill("#id_reason", "Threatened by the accused's relatives at the market.")
    save(page)
    page.wait_for_url(re.compile(rf"/witnesses/{witness.pk}/"))
    assert page.get_by_test_id("protection-status").inner_text() == "Flagged"

    page.get_by_test_id("decide").click()
    page.select_option("#id_to_status", "under_assessment")
    page.select_option("#id_risk_level", "high")
    page.fill("#id_reason", "Threat assessment opened.")
    save(page)
    page.wait_for_url(re.compile(rf"/witnesses/{witness.pk}/"))
    page.get_by_test_id("decide").click()
    page.select_option("#id_to_status", "admitted")
    page.fill("#id_reason", "Admitted by the Director; MOU signed.")
    save(page)
    page.wait_for_url(re.compile(rf"/witnesses/{witness.pk}/"))
    assert page.get_by_test_id("protection-status").inner_text() == "Admitted"

    # A screen and voice distortion, ordered by the court.
    for kind in ("screen", "voice_distortion"):
        page.get_by_test_id("record-measure").click()
        page.select_option("#id_kind", kind)
        page.fill("#id_court_order_reference", "Ruling of 20 Nov 2026")
        page.fill("#id_starts_on", days_ago(5).isoformat())
        save(page)
        page.wait_for_url(re.compile(rf"/witnesses/{witness.pk}/"))
    assert "Voice distortion" in page.get_by_test_id("measures").inner_text()

    # The identity, entered and revealed with a purpose.
    page.goto(f"{witness_url}?tab=identity")
    page.get_by_test_id("edit-identity").click()
    page.fill("#id_full_name", NAME)
    page.fill("#id_id_number", "29384756")
    page.fill("#id_phone", "+254 722 000111")
    save(page)
    page.wait_for_url(re.compile(r"tab=identity"))
    assert NAME not in page.content()
    page.fill("#id_purpose", "Arranging transport to the hearing")
    page.get_by_test_id("reveal").click()
    page.wait_for_url(re.compile(r"/identity/reveal/"))
    assert page.get_by_test_id("revealed-name").inner_text() == NAME
    page.get_by_test_id("back-to-witness").click()
    page.wait_for_url(re.compile(r"tab=identity"))
    log = page.get_by_test_id("access-log").inner_text()
    assert "Arranging transport to the hearing" in log and "Hassan Abdi" in log
    assert NAME not in page.content()
    assert IdentityAccess.objects.filter(witness=witness).count() == 1
    page.context.clear_cookies()

    # The prosecutor sees the code and the measures on the next hearing, never the name.
    login(page, live_server, prosecutor.username, PASSWORD)
    code = Witness.objects.get(pk=witness.pk).code
    page.goto(f"{live_server.url}/cases/{case.pk}/?tab=hearings")
    notes = page.get_by_test_id("hearing-annotation").first.inner_text()
    assert notes == f"{code}: screen, voice distortion"
    assert NAME not in page.content()
    page.goto(f"{live_server.url}/cases/hearings/")
    assert f"{code}: screen, voice distortion" in page.get_by_test_id("list-table").inner_text()
    page.goto(witness_url)
    expect(page.locator('[data-tab="identity"]')).to_have_count(0)
    for tab in ("overview", "protection", "history"):
        page.goto(f"{witness_url}?tab={tab}")
        assert NAME not in page.content() and "29384756" not in page.content()

    assert browser_log.failed == [] and browser_log.off_site == [] and browser_log.page_errors == []
