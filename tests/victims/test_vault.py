"""The victims' vault: names and contact details encrypted at rest (core.vault), read only by the victim
services officer, each reading recorded with its purpose before anything is shown."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.vault import Sealed
from tests.helpers import post_refused
from victims import services
from victims.exceptions import NotAllowed, PurposeRequired
from victims.models import VictimIdentity, VictimIdentityAccess

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(lone_victim, victim_services_officer):
    services.save_victim_identity(lone_victim, victim_services_officer, full_name="Achieng Otieno", phone="0722000111")
    return lone_victim


def test_only_ciphertext_is_stored_and_history_says_changed(client: Client, named, victim_services_officer) -> None:
    identity = VictimIdentity.objects.get(victim=named)
    assert isinstance(identity.full_name, Sealed) and str(identity.full_name) == "(protected)"
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name FROM victims_victimidentity")
        (stored,) = cursor.fetchone()
    assert "Achieng" not in stored and stored.startswith("gAAAA")
    client.force_login(victim_services_officer)
    page = client.get(named.get_absolute_url() + "?tab=history").content.decode()
    assert "Achieng" not in page and "gAAAA" not in page


def test_a_reveal_is_recorded_with_its_purpose_then_shown(client: Client, named, victim_services_officer) -> None:
    client.force_login(victim_services_officer)
    response = client.post(reverse("victims:identity_reveal", args=[named.pk]), {"purpose": "Placement at a shelter"})
    assert "Achieng Otieno" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    access = VictimIdentityAccess.objects.get()
    assert access.purpose == "Placement at a shelter" and access.accessed_by == victim_services_officer


def test_a_reveal_without_a_purpose_is_refused(client: Client, named, victim_services_officer) -> None:
    client.force_login(victim_services_officer)
    url = reverse("victims:identity_reveal", args=[named.pk])
    post_refused(client, url, {"purpose": "   "}, "purpose", "This field is required", "victims")
    post_refused(client, url, {"purpose": "because"}, "purpose", "State the purpose", "victims")
    with pytest.raises(PurposeRequired):
        services.reveal_victim_identity(named, victim_services_officer, "")
    assert not VictimIdentityAccess.objects.exists()


@pytest.mark.parametrize("persona", ["prosecutor", "unit_head", "auditor", "fund_admin", "liaison", "stranger"])
def test_nobody_else_reads_or_writes_a_victim_identity(client: Client, request, persona, named) -> None:
    user = request.getfixturevalue(persona)
    with pytest.raises(NotAllowed):
        services.reveal_victim_identity(named, user, "Just curious about this")
    with pytest.raises(NotAllowed):
        services.save_victim_identity(named, user, full_name="Someone else")
    client.force_login(user)
    assert client.post(
        reverse("victims:identity_reveal", args=[named.pk]), {"purpose": "Curious, sorry"}
    ).status_code in (
        403,
        404,
    )
    assert not VictimIdentityAccess.objects.exists()
