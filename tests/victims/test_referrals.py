"""Service providers, referrals and the services delivered (CTIP s.15), and the fund paying for them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import post_refused
from tests.trustfund.factories import receive, request
from tests.victims.factories import days_ago, identified
from trustfund.exceptions import FundError
from trustfund.models import Disbursement
from victims import services
from victims.choices import ReferralStatus, ServiceKind
from victims.exceptions import InvalidVictimDetails
from victims.models import Referral, ServiceProvider

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelter(victim_services_officer) -> ServiceProvider:
    return services.add_provider(
        victim_services_officer,
        name="Tumaini Shelter",
        kinds=[ServiceKind.SHELTER, ServiceKind.PSYCHOSOCIAL],
        capacity=20,
    )


def test_a_referral_moves_from_referred_to_completed_with_its_dates(
    lone_victim, shelter, victim_services_officer
) -> None:
    referral = services.refer_victim(
        lone_victim, shelter, victim_services_officer, kind=ServiceKind.SHELTER, referred_on=days_ago(20)
    )
    assert referral.reference.startswith("REF-") and referral.status == ReferralStatus.REFERRED
    lone_victim.refresh_from_db()
    assert lone_victim.referred_to_services
    services.move_referral(referral, victim_services_officer, to_status=ReferralStatus.ACCEPTED, on=days_ago(19))
    services.move_referral(referral, victim_services_officer, to_status=ReferralStatus.IN_SERVICE, on=days_ago(18))
    services.record_service(
        referral, victim_services_officer, delivered_on=days_ago(17), description="Two weeks' shelter"
    )
    done = services.move_referral(referral, victim_services_officer, to_status=ReferralStatus.COMPLETED, on=days_ago(3))
    assert (done.accepted_on, done.started_on, done.ended_on) == (days_ago(19), days_ago(18), days_ago(3))
    with pytest.raises(InvalidVictimDetails, match="cannot become"):
        services.move_referral(done, victim_services_officer, to_status=ReferralStatus.ACCEPTED, on=days_ago(1))


def test_a_referral_to_a_provider_of_the_wrong_kind_is_refused(
    client: Client, lone_victim, shelter, victim_services_officer
) -> None:
    client.force_login(victim_services_officer)
    data = {"provider": shelter.pk, "kind": ServiceKind.LEGAL_AID, "referred_on": days_ago(1).isoformat()}
    post_refused(
        client, reverse("victims:refer", args=[lone_victim.pk]), data, "provider", "does not offer legal aid", "victims"
    )
    assert not Referral.objects.exists()


def test_a_service_before_the_referral_is_in_service_is_refused(lone_victim, shelter, victim_services_officer) -> None:
    referral = services.refer_victim(
        lone_victim, shelter, victim_services_officer, kind=ServiceKind.SHELTER, referred_on=days_ago(2)
    )
    with pytest.raises(InvalidVictimDetails, match="in service"):
        services.record_service(referral, victim_services_officer, delivered_on=days_ago(1), description="A night")


def test_a_disbursement_cites_the_referral_it_pays_for(
    lone_victim, shelter, victim_services_officer, fund_admin
) -> None:
    referral = services.refer_victim(
        lone_victim, shelter, victim_services_officer, kind=ServiceKind.SHELTER, referred_on=days_ago(10)
    )
    receive(fund_admin, "100000")
    disbursement = request(fund_admin, "15000", service_provider="", referral=referral, purpose="shelter_basic_needs")
    assert disbursement.victim == lone_victim and disbursement.service_provider == "Tumaini Shelter"
    assert disbursement.referral == referral


def test_a_disbursement_citing_another_victims_referral_is_refused(
    client: Client, lone_victim, shelter, victim_services_officer, fund_admin
) -> None:
    other = identified(victim_services_officer)
    referral = services.refer_victim(
        other, shelter, victim_services_officer, kind=ServiceKind.SHELTER, referred_on=days_ago(10)
    )
    with pytest.raises(FundError, match="another victim's"):
        request(fund_admin, "15000", victim=lone_victim, referral=referral)
    client.force_login(fund_admin)
    data = {
        "victim_code": lone_victim.code,
        "referral_reference": referral.reference,
        "purpose": "shelter_basic_needs",
        "amount": "15000",
        "resolution_reference": "BOT/RES/1/2026",
        "requested_on": days_ago(1).isoformat(),
    }
    post_refused(
        client, reverse("trustfund:disbursement_create"), data, "referral_reference", "another victim", "trustfund"
    )
    assert not Disbursement.objects.exists()


def test_the_victim_page_shows_referrals_and_services(
    client: Client, lone_victim, shelter, victim_services_officer
) -> None:
    referral = services.refer_victim(
        lone_victim, shelter, victim_services_officer, kind=ServiceKind.SHELTER, referred_on=days_ago(5)
    )
    services.move_referral(referral, victim_services_officer, to_status=ReferralStatus.DECLINED, on=days_ago(4))
    client.force_login(victim_services_officer)
    page = client.get(lone_victim.get_absolute_url() + "?tab=referrals").content.decode()
    assert referral.reference in page and "Tumaini Shelter" in page and "Declined" in page


def test_the_money_is_followed_back_from_the_case_and_the_victim(
    client: Client, case, prosecutor, lone_victim, shelter, victim_services_officer, fund_admin, auditor, stranger
) -> None:
    services.link_victim_to_case(lone_victim, case, prosecutor, role="complainant")
    referral = services.refer_victim(
        lone_victim, shelter, victim_services_officer, kind=ServiceKind.SHELTER, referred_on=days_ago(10)
    )
    services.move_referral(referral, victim_services_officer, to_status=ReferralStatus.ACCEPTED, on=days_ago(9))
    services.move_referral(referral, victim_services_officer, to_status=ReferralStatus.IN_SERVICE, on=days_ago(8))
    services.record_service(
        referral, victim_services_officer, delivered_on=days_ago(7), description="A month's shelter"
    )
    receive(fund_admin, "100000")
    disbursement = request(fund_admin, "15000", service_provider="", referral=referral, purpose="shelter_basic_needs")
    case_trail = reverse("trustfund:money_trail_case", args=[case.pk])
    client.force_login(auditor)  # reads cases and the fund: the whole chain
    page = client.get(case_trail).content.decode()
    assert disbursement.reference in page and referral.reference in page and "A month&#x27;s shelter" in page
    assert lone_victim.code in page
    client.force_login(prosecutor)  # the case, not the fund's books
    page = client.get(case_trail).content.decode()
    assert "No payments you can see" in page and disbursement.reference not in page
    client.force_login(fund_admin)  # the fund, not the case file
    assert client.get(case_trail).status_code == 403
    client.force_login(fund_admin)
    page = client.get(reverse("trustfund:money_trail_victim", args=[lone_victim.pk])).content.decode()
    assert disbursement.reference in page and "Tumaini Shelter" in page
    client.force_login(stranger)
    assert client.get(reverse("trustfund:money_trail_victim", args=[lone_victim.pk])).status_code == 403


def test_the_disbursement_page_shows_the_victims_cases_from_the_register_and_the_referral(
    client: Client, case, prosecutor, lone_victim, shelter, victim_services_officer, fund_admin
) -> None:
    referral = services.refer_victim(
        lone_victim, shelter, victim_services_officer, kind=ServiceKind.SHELTER, referred_on=days_ago(10)
    )
    receive(fund_admin, "100000")
    disbursement = request(fund_admin, "15000", service_provider="", referral=referral, purpose="shelter_basic_needs")
    client.force_login(fund_admin)
    page = client.get(disbursement.get_absolute_url()).content.decode()
    assert "None — the victim is on no case file" in page
    assert f"{referral.reference} · Shelter · Tumaini Shelter (referred)" in page
    services.link_victim_to_case(lone_victim, case, prosecutor, role="complainant")
    page = client.get(disbursement.get_absolute_url()).content.decode()
    assert case.reference in page and case.title in page
