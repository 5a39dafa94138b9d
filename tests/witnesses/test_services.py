"""The witness services for every role: who may add, request, flag, decide, record and read."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from core.history import history_entries
from tests.factories import UserFactory
from tests.witnesses.factories import admitted, court_measures, days_ago, markers, victim_of, with_identity, witness_on
from witnesses import services
from witnesses.choices import MeasureKind, MeasureStatus, ProtectionStatus, RiskLevel, TerminationGround, WitnessRole
from witnesses.models import Appearance, Identity, IdentityAccess, ProtectionMeasure, ProtectionStatusChange, Witness

pytestmark = pytest.mark.django_db


# --- adding witnesses ------------------------------------------------------------------------------


def test_a_prosecutor_on_the_case_adds_a_witness_with_a_code_of_the_year(case, prosecutor) -> None:
    appearance = services.add_witness_to_case(case, prosecutor, role=WitnessRole.EYEWITNESS, witness_number="pw3")
    assert re.fullmatch(rf"W-{timezone.localdate().year}-\d{{4}}", appearance.witness.code)
    assert appearance.witness_number == "PW3"
    assert appearance.witness.protection_status == ProtectionStatus.NONE


def test_codes_are_never_reused(case, prosecutor) -> None:
    codes = {witness_on(case).code for _ in range(3)}
    assert len(codes) == 3


def test_a_liaison_adds_a_witness_and_a_victim_witness_links_the_victim(case, liaison) -> None:
    victim = victim_of(case)
    witness = witness_on(case, liaison, role=WitnessRole.VICTIM_WITNESS, number="PW1", victim=victim)
    assert witness.victim == victim


@pytest.mark.parametrize("persona", ["other_prosecutor", "auditor", "fund_admin", "stranger"])
def test_others_may_not_add_witnesses(case, persona, request) -> None:
    user = request.getfixturevalue(persona)
    with pytest.raises(services.NotAllowed):
        services.add_witness_to_case(case, user, role=WitnessRole.EYEWITNESS)
    assert not Witness.objects.exists()


def test_a_victim_witness_needs_the_victim_and_numbers_are_unique_per_case(case, prosecutor) -> None:
    with pytest.raises(services.InvalidWitnessDetails, match="victim"):
        services.add_witness_to_case(case, prosecutor, role=WitnessRole.VICTIM_WITNESS)
    witness_on(case, number="PW1")
    with pytest.raises(services.InvalidWitnessDetails, match="already on this case"):
        witness_on(case, number="PW1")


def test_a_known_witness_joins_another_case_once(case, prosecutor, witness) -> None:
    from tests.assets.factories import CaseFactory

    other = CaseFactory.create(lead_prosecutor=prosecutor)
    services.add_witness_to_case(other, prosecutor, role=WitnessRole.EXPERT, witness=witness)
    assert Appearance.objects.filter(witness=witness).count() == 2
    with pytest.raises(services.InvalidWitnessDetails, match="already a witness"):
        services.add_witness_to_case(other, prosecutor, role=WitnessRole.EXPERT, witness=witness)


# --- protection moves ------------------------------------------------------------------------------


def test_the_liaison_takes_a_witness_through_the_protection_moves(witness, liaison) -> None:
    services.flag_witness(witness, liaison, applicant="law_enforcement", reason="Threats by phone.")
    services.start_assessment(witness, liaison, risk_level=RiskLevel.HIGH, reason="Threat assessment.")
    services.admit_witness(witness, liaison, reason="Director admitted.")
    services.suspend_protection(witness, liaison, reason="Breached curfew.")
    services.reinstate_protection(witness, liaison, reason="Back in the programme.")
    services.terminate_protection(witness, liaison, ground=TerminationGround.NEED_CEASED, reason="Trial over.")
    witness.refresh_from_db()
    assert witness.protection_status == ProtectionStatus.TERMINATED
    assert witness.flagged_by == liaison and witness.applicant == "law_enforcement"
    moves = list(ProtectionStatusChange.objects.filter(witness=witness).values_list("from_status", "to_status"))
    assert moves == [
        ("none", "flagged"),
        ("flagged", "under_assessment"),
        ("under_assessment", "admitted"),
        ("admitted", "suspended"),
        ("suspended", "admitted"),
        ("admitted", "terminated"),
    ]
    assert witness.history.count() >= 7


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        ([], ProtectionStatus.ADMITTED),
        ([ProtectionStatus.UNDER_ASSESSMENT], ProtectionStatus.SUSPENDED),
        ([ProtectionStatus.UNDER_ASSESSMENT, ProtectionStatus.DECLINED], ProtectionStatus.ADMITTED),
        ([ProtectionStatus.UNDER_ASSESSMENT], ProtectionStatus.TERMINATED),
    ],
)
def test_illegal_moves_are_refused(witness, liaison, path, illegal) -> None:
    services.flag_witness(witness, liaison, applicant="witness", reason="Asked in writing.")
    for step in path:
        services.decide_protection(witness, liaison, step, reason="step", risk_level=RiskLevel.MEDIUM)
    before = ProtectionStatusChange.objects.count()
    with pytest.raises(services.IllegalProtectionMove):
        services.decide_protection(
            witness, liaison, illegal, reason="no", termination_ground=TerminationGround.VOLUNTARY
        )
    assert ProtectionStatusChange.objects.count() == before


def test_admission_needs_a_risk_assessment_and_termination_a_ground(witness, liaison) -> None:
    services.flag_witness(witness, liaison, applicant="witness", reason="Asked in writing.")
    services.decide_protection(witness, liaison, ProtectionStatus.UNDER_ASSESSMENT, reason="Assessing.")
    with pytest.raises(services.ProtectionGuardFailed, match="risk"):
        services.admit_witness(witness, liaison, reason="Admit")
    services.admit_witness(witness, liaison, reason="Admit", risk_level=RiskLevel.LOW)
    with pytest.raises(services.ProtectionGuardFailed, match="ground"):
        services.decide_protection(witness, liaison, ProtectionStatus.TERMINATED, reason="End")


def test_termination_ends_the_measures_in_force(protected, liaison) -> None:
    services.terminate_protection(protected, liaison, ground=TerminationGround.VOLUNTARY, reason="Asked to leave.")
    assert not ProtectionMeasure.objects.filter(witness=protected, status=MeasureStatus.IN_FORCE).exists()


def test_a_prosecutor_on_the_case_requests_protection_and_the_witness_is_flagged(witness, prosecutor) -> None:
    services.request_protection(witness, prosecutor, reason="The accused's brother visited the witness.")
    witness.refresh_from_db()
    assert witness.protection_status == ProtectionStatus.FLAGGED
    assert witness.applicant == "prosecutor" and witness.flagged_by == prosecutor


@pytest.mark.parametrize("persona", ["other_prosecutor", "auditor", "liaison", "stranger"])
def test_only_a_prosecutor_on_a_case_of_the_witness_requests_protection(witness, persona, request) -> None:
    with pytest.raises(services.NotAllowed):
        services.request_protection(witness, request.getfixturevalue(persona), reason="Please protect.")


@pytest.mark.parametrize("persona", ["prosecutor", "unit_head", "auditor", "fund_admin", "stranger"])
def test_only_a_liaison_flags_decides_and_records_measures(witness, persona, request, liaison) -> None:
    user = request.getfixturevalue(persona)
    with pytest.raises(services.NotAllowed):
        services.flag_witness(witness, user, applicant="witness", reason="x")
    admitted(witness, liaison)
    with pytest.raises(services.NotAllowed):
        services.suspend_protection(witness, user, reason="x")
    with pytest.raises(services.NotAllowed):
        court_measures(witness, user)


# --- measures --------------------------------------------------------------------------------------


def test_programme_measures_need_admission_and_court_measures_an_order(witness, liaison) -> None:
    services.flag_witness(witness, liaison, applicant="witness", reason="Asked in writing.")
    with pytest.raises(services.MeasureNotAllowed, match="admitted"):
        services.record_measure(witness, liaison, kind=MeasureKind.RELOCATION_KENYA, starts_on=days_ago(1))
    with pytest.raises(services.MeasureNotAllowed, match="court order"):
        services.record_measure(witness, liaison, kind=MeasureKind.SCREEN, starts_on=days_ago(1))
    measure = services.record_measure(
        witness, liaison, kind=MeasureKind.SCREEN, starts_on=days_ago(1), court_order_reference="Ruling 1"
    )
    assert measure.category == "court"
    ended = services.end_measure(measure, liaison, ends_on=days_ago(0), reason="Testimony complete.")
    assert ended.status == MeasureStatus.ENDED


# --- the identity vault ----------------------------------------------------------------------------


def test_the_liaison_enters_reveals_and_corrects_an_identity(witness, liaison) -> None:
    with_identity(witness, liaison, "SVC")
    revealed = services.reveal_identity(witness, liaison, "Arranging relocation transport")
    assert revealed.full_name == markers("SVC")["full_name"]
    assert revealed.next_of_kin == markers("SVC")["next_of_kin"]
    services.save_identity(witness, liaison, phone="+254 711 000000", reason="New phone number")
    again = services.reveal_identity(witness, liaison, "Calling the witness about the hearing")
    assert again.phone == "+254 711 000000" and again.full_name == markers("SVC")["full_name"]


def test_a_correction_needs_a_reason_and_a_first_entry_a_name(witness, liaison) -> None:
    with pytest.raises(services.InvalidWitnessDetails, match="real name"):
        services.save_identity(witness, liaison, phone="0700")
    with_identity(witness, liaison, "CORR")
    with pytest.raises(services.InvalidWitnessDetails, match="reason"):
        services.save_identity(witness, liaison, phone="0700")


def test_every_reveal_leaves_exactly_one_access_record(witness, liaison) -> None:
    with_identity(witness, liaison, "ONE")
    for n in range(3):
        services.reveal_identity(witness, liaison, f"Reason number {n} for reading")
        assert IdentityAccess.objects.filter(witness=witness).count() == n + 1
    entry = IdentityAccess.objects.filter(witness=witness).first()
    assert entry is not None and entry.accessed_by == liaison and entry.purpose == "Reason number 2 for reading"


@pytest.mark.parametrize("purpose", ["", "   ", "why"])
def test_reading_without_a_purpose_is_refused_and_not_logged(witness, liaison, purpose) -> None:
    with_identity(witness, liaison, "NOP")
    with pytest.raises(services.PurposeRequired):
        services.reveal_identity(witness, liaison, purpose)
    assert not IdentityAccess.objects.exists()


@pytest.mark.parametrize("persona", ["prosecutor", "unit_head", "auditor", "fund_admin", "fund_approver", "stranger"])
def test_nobody_but_a_liaison_reads_or_writes_an_identity(witness, liaison, persona, request) -> None:
    with_identity(witness, liaison, "ROLE")
    user = request.getfixturevalue(persona)
    with pytest.raises(services.NotAllowed):
        services.reveal_identity(witness, user, "I would like to read it please")
    with pytest.raises(services.NotAllowed):
        services.save_identity(witness, user, full_name="Someone Else", reason="x")
    assert not IdentityAccess.objects.exists()


def test_a_superuser_is_not_a_liaison(witness, liaison) -> None:
    with_identity(witness, liaison, "SU")
    boss = UserFactory.create(username="root", is_superuser=True, is_staff=True)
    with pytest.raises(services.NotAllowed):
        services.reveal_identity(witness, boss, "Administering the system today")


def test_the_identity_history_says_changed_who_and_when_never_the_values(witness, liaison) -> None:
    with_identity(witness, liaison, "HIST")
    services.save_identity(witness, liaison, address="Plot 1 CANARYHISTNEW Road", reason="Moved house")
    entries = history_entries(Identity.history.filter(witness_id=witness.pk).select_related("history_user"))
    text = repr(entries)
    assert "CANARY" not in text and "gAAAA" not in text
    correction = entries[0]
    assert correction.who == str(liaison) and correction.reason == "Moved house"
    assert [(c.field, c.new) for c in correction.changes] == [("Address", "changed")]
