"""Bad input through the real forms: a clear message, and no table of the witnesses app gains a row."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import post_refused
from tests.witnesses.factories import days_ago, with_identity
from witnesses import services

pytestmark = pytest.mark.django_db


def test_adding_a_victim_witness_without_the_victim(client: Client, case, prosecutor) -> None:
    client.force_login(prosecutor)
    url = reverse("witnesses:witness_add", args=[case.pk])
    post_refused(client, url, {"role": "victim_witness"}, "victim", "needs the victim record", "witnesses")


def test_adding_an_unknown_witness_code(client: Client, case, prosecutor) -> None:
    client.force_login(prosecutor)
    url = reverse("witnesses:witness_add", args=[case.pk])
    post_refused(
        client, url, {"role": "expert", "witness_code": "W-1999-0001"}, "witness_code", "No witness has", "witnesses"
    )


def test_an_illegal_decision_and_a_termination_without_ground(client: Client, witness, liaison) -> None:
    client.force_login(liaison)
    url = reverse("witnesses:witness_decide", args=[witness.pk])
    post_refused(
        client, url, {"to_status": "admitted", "reason": "Admit"}, "to_status", "Select a valid choice", "witnesses"
    )
    services.flag_witness(witness, liaison, applicant="witness", reason="Asked.")
    services.start_assessment(witness, liaison, risk_level="high", reason="Assessing.")
    services.admit_witness(witness, liaison, reason="Admitted.")
    post_refused(client, url, {"to_status": "terminated", "reason": "End"}, "termination_ground", "ground", "witnesses")


def test_a_court_measure_in_force_without_an_order(client: Client, protected, liaison) -> None:
    client.force_login(liaison)
    url = reverse("witnesses:measure_create", args=[protected.pk])
    data = {"kind": "video_link", "status": "in_force", "starts_on": days_ago(5).isoformat()}
    post_refused(client, url, data, "court_order_reference", "court order reference", "witnesses")


def test_an_identity_without_a_name_and_a_correction_without_a_reason(client: Client, witness, liaison) -> None:
    client.force_login(liaison)
    url = reverse("witnesses:identity_edit", args=[witness.pk])
    post_refused(client, url, {"phone": "0700"}, "full_name", "This field is required", "witnesses")
    with_identity(witness, liaison, "BAD")
    post_refused(client, url, {"phone": "0700"}, "reason", "This field is required", "witnesses")


def test_a_reveal_without_a_purpose(client: Client, witness, liaison) -> None:
    with_identity(witness, liaison, "BADREV")
    client.force_login(liaison)
    url = reverse("witnesses:identity_reveal", args=[witness.pk])
    post_refused(client, url, {"purpose": "meh"}, "purpose", "State the purpose", "witnesses")
