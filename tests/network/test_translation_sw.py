"""The network pages in Kiswahili: the persons of interest with their definitions, the network around a case
with its links, and a refused number of steps come out in Kiswahili when it is the reader's language; a
victim still appears by code only, never by name. English stays the default."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.models import User
from core.translations import compile_catalogues
from network.measures import compute_network
from tests.network.test_network import web  # noqa: F401  (the hand-built network, a fixture)

pytestmark = pytest.mark.django_db

SW = {"Accept-Language": "sw"}


@pytest.fixture(autouse=True, scope="module")
def _catalogues() -> None:
    compile_catalogues()


def sw_get(client: Client, user: User, url: str, status: int = 200, **params: Any) -> str:
    client.force_login(user)
    with translation.override("sw"):
        response = client.get(url, params, headers=SW)
    assert response.status_code == status
    return response.content.decode()


def test_the_persons_of_interest_read_in_kiswahili(client: Client, unit_head: User, web: dict[str, Any]) -> None:  # noqa: F811
    compute_network()
    html = sw_get(client, unit_head, reverse("network:persons_of_interest"))
    for word in (
        "Watu wanaofuatiliwa",
        "Kiwango cha kuunganisha",
        "Kesi zilizounganishwa",
        "Hajawahi kushtakiwa",
        "Ameshtakiwa",
        "Maana ya takwimu",
        "Vipimo hivi hupanga kwa mpangilio; havimshtaki mtu.",
    ):
        assert word in html, word
    for english in ("Persons of interest", "Betweenness", "Cases connected", "Never charged", "What the figures mean"):
        assert english not in html, english
    assert "Juma Recruiter" in html  # names of accused persons are data, shown as recorded


def test_the_network_around_a_case_reads_in_kiswahili_and_names_no_victim(
    client: Client,
    prosecutor: User,
    victim_services_officer: User,
    web: dict[str, Any],  # noqa: F811
) -> None:
    from tests.victims.factories import identified
    from victims.services import link_victim_to_case, save_victim_identity

    case3 = web["cases"][2]
    victim = identified(victim_services_officer)
    save_victim_identity(victim, victim_services_officer, full_name="Amina CANARYVICTIM Otieno", phone="+254700111222")
    link_victim_to_case(victim, case3, prosecutor, role="complainant")
    html = sw_get(client, prosecutor, reverse("network:case_network", args=[case3.pk]))
    for word in (
        "Mtandao unaozunguka",
        "Rudi kwenye kesi",
        "Hatua kutoka kwenye rekodi",
        "Chora",
        "Simu na mali zinazoshirikiwa",
        "mali iliyokamatwa katika",
        "mshtakiwa (",
        "Viungo vyote",
        "Waathiriwa, kwa msimbo",
        "mwathiriwa katika",
        "Mwathiriwa (msimbo)",
    ):
        assert word in html, word
    for english in (
        "Network around",
        "Back to the case",
        "Steps out",
        "Every link",
        "asset seized in",
        "Phone / asset",
    ):
        assert english not in html, english
    assert victim.code in html
    assert "CANARYVICTIM" not in html and "+254700111222" not in html


def test_a_refused_number_of_steps_says_why_in_kiswahili(client: Client, prosecutor: User, web: dict[str, Any]) -> None:  # noqa: F811
    url = reverse("network:case_network", args=[web["cases"][0].pk])
    html = sw_get(client, prosecutor, url, status=400, steps="two")
    assert "“two” si idadi ya hatua: weka namba kamili kuanzia 1 hadi 4." in html
    assert "is not a number of steps" not in html


def test_the_case_pages_network_tab_reads_in_kiswahili(client: Client, prosecutor: User, web: dict[str, Any]) -> None:  # noqa: F811
    case3 = web["cases"][2]
    html = sw_get(client, prosecutor, f"{case3.get_absolute_url()}?tab=network")
    assert "Ndani ya hatua mbili kutoka kesi hii" in html and "Chora mtandao" in html
    assert "Within two steps of this case" not in html and "Draw the network" not in html
