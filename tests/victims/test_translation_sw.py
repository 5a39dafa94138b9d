"""The victims register in Kiswahili: the register, a victim's page and its tabs, the providers, the reveal
page and refusals come out in Kiswahili when it is the reader's language — and a victim's name and
contacts still appear nowhere but on the reveal page. English stays the default (the rest of the suite
reads English)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.models import User
from core.translations import compile_catalogues
from tests.victims.factories import days_ago
from victims import services
from victims.choices import ReferralStatus, ServiceKind
from victims.exceptions import InvalidVictimDetails
from victims.models import Referral, ServiceProvider, Victim

pytestmark = pytest.mark.django_db

SW = {"Accept-Language": "sw"}  # as a Kiswahili browser sends it
NAME = "Achieng CANARYSWNAME Otieno"
PHONE = "0722CANARYSW"


@pytest.fixture(autouse=True)
def _catalogues() -> None:
    compile_catalogues()


@pytest.fixture
def named(lone_victim: Victim, victim_services_officer: User) -> Victim:
    services.save_victim_identity(lone_victim, victim_services_officer, full_name=NAME, phone=PHONE)
    return lone_victim


@pytest.fixture
def shelter(victim_services_officer: User) -> ServiceProvider:
    return services.add_provider(
        victim_services_officer, name="Tumaini Shelter", kinds=[ServiceKind.SHELTER, ServiceKind.PSYCHOSOCIAL]
    )


@pytest.fixture
def referral(named: Victim, shelter: ServiceProvider, victim_services_officer: User) -> Referral:
    return services.refer_victim(
        named, shelter, victim_services_officer, kind=ServiceKind.SHELTER, referred_on=days_ago(20)
    )


def sw_get(client: Client, user: User, url: str, **params: Any) -> str:
    client.force_login(user)
    with translation.override("sw"):
        response = client.get(url, params, headers=SW)
    assert response.status_code == 200
    return response.content.decode()


def detail(victim: Victim) -> str:
    return reverse("victims:victim_detail", args=[victim.pk])


def test_the_register_reads_in_kiswahili(client: Client, victim_services_officer: User, named: Victim) -> None:
    html = sw_get(client, victim_services_officer, reverse("victims:victim_list"))
    for word in (
        "Rejista ya waathiriwa",
        "Msimbo wa mwathiriwa",
        "Alitambuliwa na",
        "Tambua mwathiriwa",
        "Watoa huduma",
    ):
        assert word in html
    for english in ("Victims register", "Identified by", "Identify a victim", "Service providers"):
        assert english not in html
    assert named.code in html and NAME not in html and PHONE not in html


def test_the_victims_page_and_its_tabs_read_in_kiswahili(
    client: Client, victim_services_officer: User, named: Victim, referral: Referral
) -> None:
    overview = sw_get(client, victim_services_officer, detail(named))
    assert f"Mwathiriwa {named.code}" in overview
    for word in ("Alitambuliwa", "Uelekezaji na huduma", "mtu mzima", "Ridhaa ya kuelekezwa", "Haijatolewa"):
        assert word in overview
    for english in ("Consent to referral", "Not given", "Known everywhere by this code only"):
        assert english not in overview
    referrals = sw_get(client, victim_services_officer, detail(named), tab="referrals")
    for word in ("Elekeza kwa mtoa huduma", "Mtoa huduma", "Makazi ya muda", "Imeelekezwa", "Endeleza"):
        assert word in referrals
    assert "Refer to a service provider" not in referrals and "Move on" not in referrals
    identity = sw_get(client, victim_services_officer, detail(named), tab="identity")
    assert "Jina na mawasiliano (hifadhi)" in identity and "Fichua" in identity
    for html in (overview, referrals, identity):
        assert NAME not in html and PHONE not in html


def test_the_reveal_page_reads_in_kiswahili(client: Client, victim_services_officer: User, named: Victim) -> None:
    client.force_login(victim_services_officer)
    url = reverse("victims:identity_reveal", args=[named.pk])
    with translation.override("sw"):
        response = client.post(url, {"purpose": "Kupanga makazi ya muda"}, headers=SW)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Utambulisho wa {named.code}" in html and "Mtu wa kuwasiliana naye" in html
    assert "Contact person" not in html
    assert NAME in html  # the one page that shows it, to the officer who asked


def test_a_refused_referral_move_says_why_in_kiswahili_and_history_stays_in_english(
    client: Client, victim_services_officer: User, referral: Referral
) -> None:
    with translation.override("sw"), pytest.raises(InvalidVictimDetails) as refused:
        services.move_referral(referral, victim_services_officer, to_status=ReferralStatus.COMPLETED, on=days_ago(1))
    assert refused.value.message == 'Uelekezaji ambao hali yake ni "imeelekezwa" hauwezi kuwa "imekamilika".'
    with translation.override("sw"):
        services.move_referral(referral, victim_services_officer, to_status=ReferralStatus.ACCEPTED, on=days_ago(19))
    reasons = list(Referral.history.filter(id=referral.pk).values_list("history_change_reason", flat=True))
    assert any(reason and reason.startswith("Referral accepted") for reason in reasons)  # the site's language


def test_a_refused_form_shows_its_error_in_kiswahili(client: Client, victim_services_officer: User) -> None:
    client.force_login(victim_services_officer)
    data = {"identified_on": days_ago(3).isoformat(), "identified_by": "ngo", "sex": "female", "country": "KE"}
    with translation.override("sw"):
        response = client.post(reverse("victims:victim_identify"), {**data, "exploited_abroad": "KE"}, headers=SW)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kwa unyonyaji nchini Kenya, chagua kaunti badala yake." in html
    assert "choose the county instead" not in html
