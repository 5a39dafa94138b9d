"""Stale forms on a witness: Hassan (a liaison) opens a form on a witness, a measure or the identity,
another liaison acts first, and Hassan's form is refused with what changed — nothing saved. A refusal about
the identity names the details that changed, never their values; a prosecutor asking for protection is
told the witness's status moved, never the risk level or why the witness was flagged."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from core.models import User
from core.roles import Role
from tests.factories import UserFactory
from tests.helpers import FormClient, post_refused, table_counts
from tests.witnesses.factories import days_ago, markers, with_identity
from witnesses import services
from witnesses.choices import ProtectionStatus, RiskLevel
from witnesses.models import Identity, ProtectionMeasure, Witness

pytestmark = pytest.mark.django_db


def refused(client: FormClient, url: str, data: dict[str, Any], words: str) -> None:
    post_refused(client, url, data, None, words, "witnesses")


@pytest.fixture
def other_liaison(db: None) -> User:
    return UserFactory.create(first_name="Mercy", last_name="Atieno", roles=[Role.WITNESS_LIAISON])


@pytest.fixture
def as_liaison(client: FormClient, liaison: User) -> FormClient:
    client.force_login(liaison)
    return client


def flagged(witness: Witness, liaison: User) -> Witness:
    return services.flag_witness(witness, liaison, applicant="prosecutor", reason="Threatened by CANARYREASON.")


def test_a_decision_sent_after_another_liaison_decided_is_refused(
    as_liaison: FormClient, witness: Witness, liaison: User, other_liaison: User
) -> None:
    flagged(witness, liaison)
    url = reverse("witnesses:witness_decide", args=[witness.pk])
    opened = as_liaison.version_shown(url)
    services.decide_protection(
        witness, other_liaison, ProtectionStatus.UNDER_ASSESSMENT, reason="Assessing.", risk_level=RiskLevel.HIGH
    )
    refused(
        as_liaison,
        url,
        {"to_status": ProtectionStatus.DECLINED, "reason": "Not at risk", "record_version": opened},
        f"Witness {witness.code} changed since you opened the form: protection status moved from Flagged to Under "
        "assessment, risk level changed from Not assessed to High by Mercy Atieno at ",
    )
    witness.refresh_from_db()
    assert witness.protection_status == ProtectionStatus.UNDER_ASSESSMENT


def test_a_correction_after_another_liaisons_correction_names_the_details_never_their_values(
    as_liaison: FormClient, witness: Witness, liaison: User, other_liaison: User
) -> None:
    with_identity(witness, liaison, "OLD")
    url = reverse("witnesses:identity_edit", args=[witness.pk])
    opened = as_liaison.version_shown(url)
    new = markers("NEW")
    services.save_identity(
        witness, other_liaison, full_name=new["full_name"], phone=new["phone"], reason="Name changed by deed poll"
    )
    before = table_counts("witnesses")
    data = {"id_number": "CANARYMINEID", "reason": "Typo in the ID number", "record_version": opened}
    response = as_liaison.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"The identity of {witness.code} changed since you opened the form: " in page
    assert "changed by Mercy Atieno at " in page
    assert "CANARY" not in page.replace("CANARYMINEID", "")  # the form echoes only what Hassan typed
    assert table_counts("witnesses") == before  # no correction saved, no reading recorded


def test_an_identity_entered_by_another_liaison_meanwhile_refuses_the_first_entry(
    as_liaison: FormClient, witness: Witness, other_liaison: User
) -> None:
    url = reverse("witnesses:identity_edit", args=[witness.pk])
    opened = as_liaison.version_shown(url)
    assert opened == "0"
    with_identity(witness, other_liaison, "THEIRS")
    before = table_counts("witnesses")
    response = as_liaison.post(url, {**markers("MINE"), "record_version": opened})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"The identity of {witness.code} changed since you opened the form: recorded by Mercy Atieno" in page
    assert "CANARYTHEIRS" not in page
    assert table_counts("witnesses") == before
    assert Identity.objects.filter(witness=witness).count() == 1


def test_a_prosecutor_asking_for_protection_is_told_the_status_moved_and_nothing_more(
    client: FormClient, witness: Witness, prosecutor: User, liaison: User
) -> None:
    client.force_login(prosecutor)
    url = reverse("witnesses:witness_request", args=[witness.pk])
    opened = client.version_shown(url)
    flagged(witness, liaison)
    services.decide_protection(
        witness, liaison, ProtectionStatus.UNDER_ASSESSMENT, reason="CANARYASSESS", risk_level=RiskLevel.CRITICAL
    )
    response = client.post(url, {"reason": "The accused's brother called him.", "record_version": opened})
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        f"Witness {witness.code} changed since you opened the form: protection status moved from Not flagged to "
        "Flagged by Hassan Abdi" in page
    )
    assert "moved from Flagged to Under assessment" in page
    for secret in ("CANARY", "Critical", "isk level"):
        assert secret not in page


def test_ending_a_measure_another_liaison_ended_is_refused(
    as_liaison: FormClient, protected: Witness, other_liaison: User
) -> None:
    measure = ProtectionMeasure.objects.filter(witness=protected).order_by("id").first()
    assert measure is not None
    url = reverse("witnesses:measure_end", args=[measure.pk])
    opened = as_liaison.version_shown(url)
    services.end_measure(measure, other_liaison, ends_on=days_ago(2), reason="Testimony given")
    refused(
        as_liaison,
        url,
        {"ends_on": days_ago(1).isoformat(), "reason": "Trial over", "record_version": opened},
        "measure for " + protected.code + " changed since you opened the form: status moved from In force to Ended",
    )


def test_revealing_an_identity_carries_no_version_and_is_never_refused_for_one(
    as_liaison: FormClient, witness: Witness, liaison: User
) -> None:
    with_identity(witness, liaison, "SHOWN")
    url = reverse("witnesses:identity_reveal", args=[witness.pk])
    response = as_liaison.post(url, {"purpose": "Arranging the witness's transport to court"})
    assert response.status_code == 200
    assert "CANARYSHOWNNAME" in response.content.decode()
