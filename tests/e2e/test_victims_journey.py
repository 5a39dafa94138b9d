"""Issue 22's journey: a victim services officer identifies a victim who is on no case, keeps her name in the
vault, registers a shelter, refers her to it and moves the referral on to in service; the case's prosecutor
links her to the case; the fund administrator raises a payment to the shelter citing the referral, another
officer approves it and it is paid; the prosecutor then follows the money back from the case page, seeing the
disbursement, the referral, the service and the victim's code — never her name."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from core.models import County
from tests.e2e.conftest import login
from tests.prosecutions.factories import charged_case, days_ago
from tests.trustfund.factories import receive
from trustfund.choices import DisbursementStatus
from trustfund.models import Disbursement
from victims.choices import CaseRole, ReferralStatus
from victims.models import CaseVictim, Referral, ServiceDelivered, ServiceProvider, Victim, VictimIdentity

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-test-password"
NAME = "Neema Wanjala Kerubo"
PHONE = "+254 711 424242"
SHELTER = "Tumaini Safe House"


def save(page) -> None:
    page.get_by_role("button", name="Save").click()


def test_a_victim_without_a_case_is_sheltered_paid_for_and_the_money_followed_from_the_case(
    page, live_server, victim_services_officer, prosecutor, fund_admin, fund_approver, auditor, browser_log
):
    # Not the point of the journey: the prosecutor's case, and money in the fund to pay from.
    case = charged_case(prosecutor, title="Republic v. Juma Said")
    receive(fund_admin, "500000", on=days_ago(20))
    nairobi = County.objects.get(code="047")
    base = live_server.url

    # --- The victim services officer identifies a victim who is on no case.
    login(page, live_server, victim_services_officer.username, PASSWORD)
    page.goto(f"{base}/victims/")
    page.get_by_role("link", name="Identify a victim").click()
    page.wait_for_url(re.compile(r"/victims/identify/$"))
    page.fill("#id_identified_on", days_ago(12).isoformat())
    page.select_option("#id_identified_by", "police")
    page.select_option("#id_identified_in", str(nairobi.pk))
    page.select_option("#id_sex", "female")
    page.fill("#id_age", "19")
    page.locator('input[name="exploitation_forms"][value="forced_labour"]').check()
    page.select_option("#id_exploited_in_county", str(nairobi.pk))
    page.fill("#id_referral_consent_on", days_ago(12).isoformat())
    save(page)
    page.wait_for_url(re.compile(r"/victims/\d+/$"))
    victim = Victim.objects.get()
    assert victim.case_id is None and not CaseVictim.objects.exists()
    assert victim.country == "KE" and victim.exploitation_forms == ["forced_labour"] and not victim.is_child
    expect(page.locator("h1")).to_contain_text(f"Victim {victim.code}")
    facts = page.get_by_test_id("victim-facts").inner_text()
    assert "Police / DCI" in facts and "Forced labour" in facts and "Kenya" in facts
    assert page.get_by_test_id("no-cases").is_visible()
    victim_url = f"{base}/victims/{victim.pk}/"

    # Her name and phone go into the vault, never onto the record.
    page.goto(f"{victim_url}?tab=identity")
    page.get_by_test_id("edit-identity").click()
    page.wait_for_url(re.compile(rf"/victims/{victim.pk}/identity/$"))
    page.fill("#id_full_name", NAME)
    page.fill("#id_phone", PHONE)
    save(page)
    page.wait_for_url(re.compile(r"tab=identity"))
    expect(page.get_by_test_id("identity-panel")).to_contain_text("An identity is on file (encrypted)")
    assert NAME not in page.content()
    identity = VictimIdentity.objects.get(victim=victim)
    assert identity.full_name.open() == NAME

    # A shelter in the register of service providers.
    page.goto(f"{base}/victims/providers/")
    page.get_by_role("link", name="Add a provider").click()
    page.wait_for_url(re.compile(r"/victims/providers/new/$"))
    page.fill("#id_name", SHELTER)
    page.locator('input[name="kinds"][value="shelter"]').check()
    page.locator('input[name="kinds"][value="psychosocial"]').check()
    page.select_option("#id_county", str(nairobi.pk))
    page.fill("#id_capacity", "24")
    save(page)
    page.wait_for_url(re.compile(r"/victims/providers/$"))
    expect(page.locator("body")).to_contain_text(SHELTER)
    shelter = ServiceProvider.objects.get(name=SHELTER)
    assert shelter.kinds == ["shelter", "psychosocial"] and shelter.capacity == 24

    # She is referred to the shelter …
    page.goto(f"{victim_url}?tab=referrals")
    expect(page.get_by_test_id("tab-referrals")).to_contain_text("No referrals yet.")
    page.get_by_test_id("refer").click()
    page.wait_for_url(re.compile(rf"/victims/{victim.pk}/refer/$"))
    page.select_option("#id_provider", str(shelter.pk))
    page.select_option("#id_kind", "shelter")
    page.fill("#id_referred_on", days_ago(11).isoformat())
    page.fill("#id_note", "Needs a place away from the recruiter's town.")
    save(page)
    page.wait_for_url(re.compile(r"tab=referrals"))
    referral = Referral.objects.get()
    assert (referral.victim_id, referral.provider_id, referral.kind) == (victim.pk, shelter.pk, "shelter")
    assert referral.status == ReferralStatus.REFERRED
    expect(page.get_by_test_id("referrals")).to_contain_text(referral.reference)
    assert page.get_by_test_id("referral-status").inner_text() == "Referred"

    # … which accepts her and takes her in; a night's shelter is recorded.
    for status, label, days in (("accepted", "Accepted", 10), ("in_service", "In service", 9)):
        page.get_by_test_id("referrals").get_by_role("link", name="Move on").click()
        page.wait_for_url(re.compile(rf"/victims/referrals/{referral.pk}/move/$"))
        page.select_option("#id_to_status", status)
        page.fill("#id_on", days_ago(days).isoformat())
        save(page)
        page.wait_for_url(re.compile(r"tab=referrals"))
        expect(page.get_by_test_id("referral-status")).to_have_text(label)
    page.get_by_test_id("referrals").get_by_role("link", name="Record a service").click()
    page.wait_for_url(re.compile(rf"/victims/referrals/{referral.pk}/service/$"))
    page.fill("#id_delivered_on", days_ago(8).isoformat())
    page.fill("#id_description", "Shelter, meals and clothing for the first week")
    save(page)
    page.wait_for_url(re.compile(r"tab=referrals"))
    expect(page.get_by_test_id("referrals")).to_contain_text("Shelter, meals and clothing for the first week")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_SERVICE
    assert (referral.accepted_on, referral.started_on, referral.ended_on) == (days_ago(10), days_ago(9), None)
    assert ServiceDelivered.objects.get().referral_id == referral.pk
    victim.refresh_from_db()
    assert victim.referred_to_services
    page.context.clear_cookies()

    # --- The case's prosecutor links her to the case, by code.
    login(page, live_server, prosecutor.username, PASSWORD)
    page.goto(f"{base}/cases/{case.pk}/?tab=victims")
    expect(page.get_by_test_id("tab-victims")).to_contain_text("No victims recorded yet.")
    page.get_by_test_id("link-victim").click()
    page.wait_for_url(re.compile(rf"/victims/case/{case.pk}/link/$"))
    page.fill("#id_victim_code", victim.code.lower())  # the form takes the code in any case
    page.select_option("#id_role", CaseRole.COMPLAINANT)
    save(page)
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/\?tab=victims$"))
    expect(page.get_by_test_id("victims-table")).to_contain_text(victim.code)
    assert "Complainant" in page.get_by_test_id("victims-table").inner_text()
    link = CaseVictim.objects.get()
    assert (link.victim_id, link.case_id, link.role) == (victim.pk, case.pk, CaseRole.COMPLAINANT)
    assert NAME not in page.content()
    page.context.clear_cookies()

    # --- The fund administrator raises a payment to the shelter, citing the referral.
    login(page, live_server, fund_admin.username, PASSWORD)
    page.goto(f"{base}/fund/disbursements/new/")
    page.fill("#id_victim_code", victim.code)
    page.fill("#id_referral_reference", referral.reference)
    page.select_option("#id_purpose", "shelter_basic_needs")
    page.fill("#id_amount", "45000")
    page.fill("#id_resolution_reference", "BOT/RES/31/2026")
    page.fill("#id_requested_on", days_ago(7).isoformat())
    page.fill("#id_description", "Shelter for the first month.")
    save(page)
    page.wait_for_url(re.compile(r"/fund/disbursements/\d+/$"))
    disbursement = Disbursement.objects.get()
    assert disbursement.referral_id == referral.pk and disbursement.victim_id == victim.pk
    assert disbursement.service_provider == SHELTER  # the payee named by the referral
    assert disbursement.amount == Decimal("45000.00") and disbursement.requested_by_id == fund_admin.pk
    assert page.get_by_test_id("disbursement-status").inner_text() == "Requested"
    overview = page.get_by_test_id("disbursement").inner_text()
    assert victim.code in overview and SHELTER in overview
    expect(page.get_by_role("link", name="Approve")).to_have_count(0)  # never one's own
    assert NAME not in page.content()
    page.context.clear_cookies()

    # Another officer, the approver, approves it …
    login(page, live_server, fund_approver.username, PASSWORD)
    page.goto(f"{base}/fund/disbursements/{disbursement.pk}/")
    page.get_by_role("link", name="Approve", exact=True).click()
    page.wait_for_url(re.compile(rf"/fund/disbursements/{disbursement.pk}/approve/$"))
    page.fill("#id_no_documents_reason", "The shelter's invoice is on the Board's paper file.")
    save(page)
    page.wait_for_url(re.compile(rf"/fund/disbursements/{disbursement.pk}/$"))
    assert page.get_by_test_id("disbursement-status").inner_text() == "Approved"
    page.context.clear_cookies()

    # … and the administrator pays it.
    login(page, live_server, fund_admin.username, PASSWORD)
    page.goto(f"{base}/fund/disbursements/{disbursement.pk}/")
    page.get_by_role("link", name="Pay", exact=True).click()
    page.wait_for_url(re.compile(rf"/fund/disbursements/{disbursement.pk}/pay/$"))
    page.fill("#id_paid_on", days_ago(5).isoformat())
    page.fill("#id_payment_reference", "EFT-40511")
    save(page)
    page.wait_for_url(re.compile(rf"/fund/disbursements/{disbursement.pk}/$"))
    assert page.get_by_test_id("disbursement-status").inner_text() == "Paid"
    disbursement.refresh_from_db()
    assert disbursement.status == DisbursementStatus.PAID
    assert disbursement.decided_by_id == fund_approver.pk and disbursement.paid_on == days_ago(5)
    assert disbursement.payment_entry is not None and disbursement.payment_entry.bank_reference == "EFT-40511"

    # The administrator follows the payment to the victim it served, from the victim's page: her code only.
    page.goto(f"{base}/victims/{victim.pk}/")
    page.get_by_test_id("money-trail").click()
    page.wait_for_url(re.compile(rf"/fund/trail/victim/{victim.pk}/$"))
    trail = page.get_by_test_id("trail-out")
    for shown in (disbursement.reference, "Paid", referral.reference, SHELTER, victim.code):
        expect(trail).to_contain_text(shown)
    assert NAME not in page.content() and PHONE not in page.content()
    page.context.clear_cookies()

    # --- The case's prosecutor opens the trail from the case page: the fund's records are not theirs to see.
    login(page, live_server, prosecutor.username, PASSWORD)
    page.goto(f"{base}/cases/{case.pk}/?tab=victims")
    page.get_by_test_id("tab-victims").get_by_test_id("money-trail").click()
    page.wait_for_url(re.compile(rf"/fund/trail/case/{case.pk}/$"))
    expect(page.locator("h1")).to_have_text(f"Where the money went — {case.reference}")
    assert NAME not in page.content() and PHONE not in page.content()
    page.context.clear_cookies()

    # --- The auditor (who reads cases and the fund) follows the money back from the case page.
    login(page, live_server, auditor.username, PASSWORD)
    page.goto(f"{base}/cases/{case.pk}/?tab=victims")
    expect(page.get_by_test_id("victims-table")).to_contain_text(victim.code)
    page.get_by_test_id("tab-victims").get_by_test_id("money-trail").click()
    page.wait_for_url(re.compile(rf"/fund/trail/case/{case.pk}/$"))
    expect(page.locator("h1")).to_have_text(f"Where the money went — {case.reference}")
    trail = page.get_by_test_id("trail-out")
    rows = trail.locator("tbody tr")
    expect(rows).to_have_count(1)
    cells = [cell.strip() for cell in rows.first.locator("td").all_inner_texts()]
    assert cells == [
        disbursement.reference,
        "Paid",
        "45000.00",
        referral.reference,
        SHELTER,
        f"{days_ago(8):%d %b %Y}: Shelter, meals and clothing for the first week",
        victim.code,
    ]
    assert NAME not in page.content() and PHONE not in page.content()

    # Each link of the chain opens: the disbursement, the referral, the victim's page — her code, never her name.
    trail.get_by_role("link", name=disbursement.reference).click()
    page.wait_for_url(re.compile(rf"/fund/disbursements/{disbursement.pk}/$"))
    assert page.get_by_test_id("disbursement-status").inner_text() == "Paid"
    expect(page.get_by_test_id("disbursement")).to_contain_text(SHELTER)
    assert NAME not in page.content()
    page.go_back()
    page.wait_for_url(re.compile(rf"/fund/trail/case/{case.pk}/$"))
    page.get_by_test_id("trail-out").get_by_role("link", name=referral.reference).click()
    page.wait_for_url(re.compile(rf"/victims/{victim.pk}/\?tab=referrals$"))
    expect(page.get_by_test_id("referrals")).to_contain_text(SHELTER)
    assert page.get_by_test_id("referral-status").inner_text() == "In service"
    expect(page.get_by_test_id("refer")).to_have_count(0)  # the officer's, not the auditor's
    assert NAME not in page.content()
    page.go_back()
    page.wait_for_url(re.compile(rf"/fund/trail/case/{case.pk}/$"))
    page.get_by_test_id("trail-out").get_by_role("link", name=victim.code).click()
    page.wait_for_url(re.compile(rf"/victims/{victim.pk}/$"))
    expect(page.locator("h1")).to_contain_text(f"Victim {victim.code}")
    expect(page.get_by_test_id("victim-cases")).to_contain_text(case.reference)
    expect(page.locator('[data-tab="identity"]')).to_have_count(0)
    assert NAME not in page.content() and PHONE not in page.content()

    assert browser_log.failed == [] and browser_log.off_site == [] and browser_log.page_errors == []
