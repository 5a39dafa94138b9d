"""A closed case is read-only for every module until the unit head reopens it (issue 13): a witness
protection liaison — who may add witnesses to any case — could put a witness on a closed case's list.
Now the service refuses with the prosecutions' own ``CaseClosed`` and the form shows it; nothing is saved.
Ending protection (and its measures) is not attaching anything to the case, and stays open."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from prosecutions import services as prosecution_services
from prosecutions.exceptions import CaseClosed
from prosecutions.models import Case
from tests.helpers import post_refused, table_counts
from tests.prosecutions.factories import charged_case, days_ago
from tests.witnesses.factories import admitted, court_measures, victim_of, witness_on
from witnesses import services
from witnesses.choices import MeasureKind, MeasureStatus, WitnessRole
from witnesses.models import ProtectionMeasure

pytestmark = pytest.mark.django_db
CLOSED = "is closed and read-only. Ask the unit head to reopen it."


def close(case: Case) -> Case:
    prosecution_services.move_stage(
        case, case.lead_prosecutor, "closed", closure_reason="withdrawn", effective_on=days_ago(1)
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def closed_case(prosecutor: Any) -> Case:
    return close(charged_case(prosecutor, title="Republic v. Closed Otieno"))


def test_a_liaison_cannot_add_a_new_witness_to_a_closed_case(closed_case: Case, liaison: Any) -> None:
    before = table_counts("witnesses")
    with pytest.raises(CaseClosed, match=CLOSED):
        services.add_witness_to_case(closed_case, liaison, role=WitnessRole.EYEWITNESS, witness_number="PW1")
    assert table_counts("witnesses") == before


def test_nor_a_known_witness_nor_by_the_lead_prosecutor(closed_case: Case, prosecutor: Any, liaison: Any) -> None:
    known = witness_on(charged_case(prosecutor, title="Republic v. Open Kamau"), prosecutor)
    before = table_counts("witnesses")
    with pytest.raises(CaseClosed):
        services.add_witness_to_case(closed_case, liaison, role=WitnessRole.EYEWITNESS, witness=known)
    with pytest.raises(CaseClosed):
        services.add_witness_to_case(closed_case, prosecutor, role=WitnessRole.EYEWITNESS)
    assert table_counts("witnesses") == before


def test_the_add_witness_page_shows_why_and_saves_nothing(client: Client, closed_case: Case, liaison: Any) -> None:
    client.force_login(liaison)
    url = reverse("witnesses:witness_add", args=[closed_case.pk])
    page = client.get(url)
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page.content.decode()))
    hidden.pop("csrfmiddlewaretoken", None)
    post_refused(
        client, url, hidden | {"role": WitnessRole.EYEWITNESS, "witness_number": "PW1"}, None, CLOSED, "witnesses"
    )


def test_a_court_measure_in_a_closed_case_is_refused_but_protection_can_still_end(
    prosecutor: Any, liaison: Any
) -> None:
    case = charged_case(prosecutor, title="Republic v. Measures Wanjiku")
    witness = admitted(witness_on(case, prosecutor), liaison)
    court_measures(witness, liaison, MeasureKind.SCREEN)
    close(case)
    before = table_counts("witnesses")
    with pytest.raises(CaseClosed, match=CLOSED):
        services.record_measure(
            witness,
            liaison,
            kind=MeasureKind.VOICE_DISTORTION,
            status=MeasureStatus.IN_FORCE,
            starts_on=days_ago(0),
            court_order_reference="Ruling",
            case=case,
        )
    assert table_counts("witnesses") == before
    # Ending a measure, or the protection, attaches nothing to the case.
    measure = ProtectionMeasure.objects.get(witness=witness, kind=MeasureKind.SCREEN)
    ended = services.end_measure(measure, liaison, ends_on=days_ago(0), reason="Trial over")
    assert ended.status != MeasureStatus.IN_FORCE


def test_a_reopened_case_takes_witnesses_again(closed_case: Case, unit_head: Any, liaison: Any) -> None:
    prosecution_services.reopen_case(closed_case, unit_head, reason="Retrial ordered", effective_on=days_ago(0))
    appearance = services.add_witness_to_case(
        closed_case, liaison, role=WitnessRole.VICTIM_WITNESS, victim=victim_of(closed_case)
    )
    assert appearance.case_id == closed_case.pk
