"""The witnesses app in Kiswahili: the register, the witness page's tabs, the reveal page and a refused
decision come out in Kiswahili when it is the reader's language — and a protected identity still never
appears, nor do the protection details hidden from a prosecutor (their labels are now translated too).
English stays the default (the rest of the suite reads English)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.models import User
from core.translations import compile_catalogues
from prosecutions.models import Case
from tests.witnesses.factories import markers, with_identity
from witnesses import services
from witnesses.choices import ProtectionStatus
from witnesses.models import Witness

pytestmark = pytest.mark.django_db

SW = {"Accept-Language": "sw"}  # as a Kiswahili browser sends it
FLAG_REASON = "Threatened by the accused"  # the start of the flag reason the ``admitted`` factory gives


@pytest.fixture(autouse=True)
def _catalogues() -> None:
    compile_catalogues()


def sw_get(client: Client, user: User, url: str, **params: Any) -> str:
    client.force_login(user)
    with translation.override("sw"):
        response = client.get(url, params, headers=SW)
    assert response.status_code == 200
    return response.content.decode()


def detail(witness: Witness) -> str:
    return reverse("witnesses:witness_detail", args=[witness.pk])


def no_identity_in(html: str) -> None:
    for value in markers("SW").values():
        assert value not in html


def test_the_witness_register_reads_in_kiswahili(client: Client, liaison: User, protected: Witness) -> None:
    with_identity(protected, liaison, "SW")
    html = sw_get(client, liaison, reverse("witnesses:witness_list"))
    for word in ("Rejista ya mashahidi", "Msimbo wa shahidi", "Hali ya ulinzi", "Kiwango cha hatari", "Amekubaliwa"):
        assert word in html
    for english in ("Witness register", "Protection status", "Risk level", "Admitted"):
        assert english not in html
    assert protected.code in html
    no_identity_in(html)


def test_the_witness_page_and_its_tabs_read_in_kiswahili(client: Client, liaison: User, protected: Witness) -> None:
    with_identity(protected, liaison, "SW")
    overview = sw_get(client, liaison, detail(protected))
    assert f"Shahidi {protected.code}" in overview
    for word in ("Muhtasari", "Ulinzi", "Utambulisho", "Kiwango cha hatari", "Rekodi hatua ya ulinzi", "Juu"):
        assert word in overview
    assert "Record a measure" not in overview and "Known everywhere by this code only" not in overview
    protection = sw_get(client, liaison, detail(protected), tab="protection")
    for word in ("Historia ya hali", "Hatua za ulinzi", "Pazia la kumkinga", "Kubadilishwa kwa sauti", "Maliza"):
        assert word in protection
    assert "Status history" not in protection and "Voice distortion" not in protection
    identity = sw_get(client, liaison, detail(protected), tab="identity")
    assert "Hifadhi ya utambulisho" in identity and "Fichua" in identity and "Kumbukumbu ya usomaji" in identity
    assert "Identity vault" not in identity
    for html in (overview, protection, identity):
        no_identity_in(html)


def test_the_reveal_page_reads_in_kiswahili_and_shows_the_identity_only_there(
    client: Client, liaison: User, protected: Witness
) -> None:
    with_identity(protected, liaison, "SW")
    client.force_login(liaison)
    url = reverse("witnesses:identity_reveal", args=[protected.pk])
    with translation.override("sw"):
        response = client.post(url, {"purpose": "Kumwandaa shahidi kwa usikilizaji"}, headers=SW)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Utambulisho wa {protected.code}" in html and "Jina halisi" in html and "Jamaa wa karibu" in html
    assert "Real name" not in html and "Your reading has been recorded" not in html
    assert markers("SW")["full_name"] in html  # the one page that shows it, to the liaison who asked


def test_a_prosecutors_history_tab_hides_the_flag_reason_in_kiswahili_too(
    client: Client, prosecutor: User, liaison: User, protected: Witness
) -> None:
    """The labels of the hidden fields are translated: the filter must compare them in the reader's language."""
    liaisons = sw_get(client, liaison, detail(protected), tab="history")
    assert "Kwa nini ulinzi unahitajika" in liaisons and FLAG_REASON in liaisons
    prosecutors = sw_get(client, prosecutor, detail(protected), tab="history")
    assert "Historia" in prosecutors
    assert FLAG_REASON not in prosecutors and "Kwa nini ulinzi unahitajika" not in prosecutors


def test_a_refused_decision_says_why_in_kiswahili(client: Client, liaison: User, case: Case) -> None:
    from tests.witnesses.factories import witness_on

    witness = witness_on(case, number="PW9")
    services.flag_witness(witness, liaison, applicant="prosecutor", reason="Vitisho kutoka kwa jamaa wa mshtakiwa.")
    client.force_login(liaison)
    url = reverse("witnesses:witness_decide", args=[witness.pk])
    with translation.override("sw"):
        response = client.post(url, {"to_status": ProtectionStatus.UNDER_ASSESSMENT, "reason": ""}, headers=SW)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Uamuzi wa ulinzi" in html and "Anza tathmini" in html
    assert "Protection decision" not in html and "Start the assessment" not in html
    with translation.override("sw"), pytest.raises(services.IllegalProtectionMove) as refused:
        services.decide_protection(witness, liaison, ProtectionStatus.ADMITTED, reason="Sababu yoyote.")
    assert refused.value.message == (
        'Shahidi ambaye hali yake ya ulinzi ni "amewekewa alama" hawezi kuhamishiwa "amekubaliwa".'
    )
    with pytest.raises(services.WitnessError) as in_english:  # and English outside the override
        services.decide_protection(witness, liaison, ProtectionStatus.UNDER_ASSESSMENT, reason="")
    assert in_english.value.message == "Give the reason."
