"""Each event, as it happens through the domain services: who is told, what they read, and by e-mail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from core.models import User
from core.roles import Role
from notifications import events
from notifications.choices import Delivery, Event
from notifications.models import Notification, OutboxEmail
from notifications.receivers import case_moves_summarised
from notifications.services import send_outbox
from prosecutions import services as prosecution_services
from prosecutions.models import Case, StageChange
from tests.factories import UserFactory
from tests.notifications.conftest import Committed, told
from tests.prosecutions.factories import charged_case
from tests.trustfund.factories import receive, request
from tests.witnesses.factories import markers, with_identity, witness_on
from trustfund import services as fund_services
from witnesses import services as witness_services

pytestmark = pytest.mark.django_db
AMOUNT = Decimal("12345.67")


def _everything_written() -> str:
    notes = " ".join(f"{n.title} {n.body} {n.reference}" for n in Notification.objects.all())
    emails = " ".join(f"{e.subject} {e.body}" for e in OutboxEmail.objects.all())
    return notes + " " + emails


def test_a_case_moved_by_someone_else_tells_its_lead_with_a_link(
    prosecutor: User, unit_head: User, committed: Committed
) -> None:
    case = charged_case(prosecutor)
    with committed():
        prosecution_services.move_stage(case, unit_head, "closed", closure_reason="withdrawn")
    [note] = told(prosecutor)
    assert note.event == Event.CASE_MOVED
    assert note.title == f"{case.reference} moved to Closed by {unit_head}"
    assert note.url == case.get_absolute_url()
    assert note.delivery == Delivery.QUEUED
    assert str(send_outbox()) == "Sent 1 e-mail(s); 0 waiting."
    [email] = mail.outbox
    assert email.to == [prosecutor.email]
    assert email.subject == f"CTIP: {case.reference} moved to Closed by {unit_head}"
    assert f"Reference: {case.reference}" in email.body
    assert f"https://ctip.example.go.ke{case.get_absolute_url()}" in email.body


def test_the_lead_moving_their_own_case_is_told_nothing(prosecutor: User, committed: Committed) -> None:
    with committed():
        charged_case(prosecutor)
    assert told(prosecutor) == []


def test_a_move_rolled_back_tells_nobody(prosecutor: User, unit_head: User, committed: Committed) -> None:
    case = charged_case(prosecutor)
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        prosecution_services.move_stage(case, unit_head, "closed", closure_reason="withdrawn")
        raise RuntimeError("the request failed after the move")
    assert told(prosecutor) == []


@pytest.fixture
def funded(fund_admin: User) -> None:
    receive(fund_admin, "500000")


@pytest.mark.usefixtures("funded")
def test_a_request_tells_every_approver_but_the_requester(
    fund_admin: User, fund_approver: User, committed: Committed
) -> None:
    second = UserFactory.create(username="second-approver", roles=[Role.FUND_APPROVER, Role.FUND_ADMINISTRATOR])
    with committed():
        disbursement = request(second, AMOUNT)
    [note] = told(fund_approver)
    assert note.event == Event.DISBURSEMENT_AWAITING
    assert note.title == f"Disbursement {disbursement.reference} is waiting for your approval"
    assert told(second) == []


@pytest.mark.usefixtures("funded")
@pytest.mark.parametrize(
    ("decision", "event", "word"),
    [("approve", Event.DISBURSEMENT_APPROVED, "approved"), ("reject", Event.DISBURSEMENT_REJECTED, "rejected")],
)
def test_a_decision_tells_the_requester_without_the_amount(
    fund_admin: User, fund_approver: User, committed: Committed, decision: str, event: str, word: str
) -> None:
    disbursement = request(fund_admin, AMOUNT)
    with committed():
        if decision == "approve":
            fund_services.approve_disbursement(disbursement, fund_approver, no_documents_reason="On the paper file")
        else:
            fund_services.reject_disbursement(disbursement, fund_approver, reason="No quotation")
    [note] = told(fund_admin)
    assert note.event == event
    assert note.title == f"Disbursement {disbursement.reference} {word}"
    send_outbox()
    [email] = mail.outbox
    assert email.to == [fund_admin.email]
    assert email.subject == f"CTIP: Disbursement {disbursement.reference} {word}"
    written = _everything_written()
    assert "12345" not in written and "12,345" not in written


@pytest.mark.usefixtures("funded")
def test_a_payment_tells_the_requester_unless_they_paid_it(
    fund_admin: User, fund_approver: User, committed: Committed
) -> None:
    payer = UserFactory.create(username="second-admin", roles=[Role.FUND_ADMINISTRATOR])
    mine = request(fund_admin, AMOUNT)
    theirs = request(fund_admin, AMOUNT)
    for disbursement in (mine, theirs):
        fund_services.approve_disbursement(disbursement, fund_approver, no_documents_reason="On the paper file")
    today = dt.date.today()
    with committed():
        fund_services.pay_disbursement(mine, fund_admin, paid_on=today)
        fund_services.pay_disbursement(theirs, payer, paid_on=today)
    paid = [n for n in told(fund_admin) if n.event == Event.DISBURSEMENT_PAID]
    assert [n.reference for n in paid] == [theirs.reference]


def test_a_flag_tells_the_lead_by_code_only_and_the_liaisons(
    prosecutor: User, liaison: User, committed: Committed
) -> None:
    other_liaison = UserFactory.create(username="second-liaison", roles=[Role.WITNESS_LIAISON])
    case = charged_case(prosecutor)
    witness = witness_on(case)
    with_identity(witness, liaison, "N1")
    with committed():
        witness_services.flag_witness(witness, liaison, applicant="witness", reason="Threats by phone.")
    [lead_note] = told(prosecutor)
    assert lead_note.event == Event.PROTECTION_FLAG_RAISED
    assert lead_note.title == f"Witness {witness.code} in {case.reference} flagged for protection"
    assert lead_note.url == case.get_absolute_url()
    [waiting] = told(other_liaison)
    assert waiting.event == Event.PROTECTION_REQUEST_WAITING
    assert waiting.url == witness.get_absolute_url()
    assert told(liaison) == []  # the liaison who flagged it knows
    written = _everything_written()
    assert not [value for value in markers("N1").values() if value in written]
    assert "Threats by phone" not in written  # the reason may describe the witness: it stays in the file


def test_a_prosecutor_asking_for_protection_tells_the_liaisons(
    prosecutor: User, liaison: User, committed: Committed
) -> None:
    witness = witness_on(charged_case(prosecutor))
    with committed():
        witness_services.request_protection(witness, prosecutor, reason="Approached by the accused.")
    assert told(prosecutor) == []
    assert [n.event for n in told(liaison)] == [Event.PROTECTION_REQUEST_WAITING]


def test_a_failed_audit_verification_tells_the_auditors_and_the_unit_head(
    prosecutor: User, auditor: User, unit_head: User
) -> None:
    case = charged_case(prosecutor)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Case._meta.db_table} SET title = %s WHERE id = %s", ["Republic v. Nobody", case.pk])
    for _ in range(2):  # the nightly run failing twice on the same day tells once
        with pytest.raises(CommandError):
            call_command("verify_audit", stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))  # noqa: SIM115
    for person in (auditor, unit_head):
        [note] = told(person)
        assert note.event == Event.AUDIT_FAILED
        assert "prosecutions_case" in note.body
    assert told(prosecutor) == []


def test_a_move_waits_for_its_commit_holding_a_few_values_not_the_record(
    prosecutor: User, unit_head: User, django_capture_on_commit_callbacks: Any
) -> None:
    case = charged_case(prosecutor)
    with django_capture_on_commit_callbacks() as waiting:
        prosecution_services.move_stage(case, unit_head, "closed", closure_reason="withdrawn")
    [hook] = [c for c in waiting if isinstance(c, partial) and c.func is events.case_moved]
    [move] = hook.args
    assert type(move) is events.CaseMove and not hasattr(move, "__dict__")
    assert (move.case_id, move.changed_by_id, move.to_stage) == (case.pk, unit_head.pk, "closed")
    hook()
    [note] = told(prosecutor)
    assert note.title == f"{case.reference} moved to Closed by {unit_head}"
    assert note.key == f"case_moved:{StageChange.objects.get(case=case, to_stage='closed').pk}"


def test_moves_summarised_by_their_caller_are_not_told_one_by_one(
    prosecutor: User, unit_head: User, committed: Committed
) -> None:
    case, other = charged_case(prosecutor), charged_case(prosecutor)
    with committed(), case_moves_summarised():
        prosecution_services.move_stage(case, unit_head, "closed", closure_reason="withdrawn")
    assert told(prosecutor) == []
    with committed():  # outside the block, moves are told again
        prosecution_services.move_stage(other, unit_head, "closed", closure_reason="withdrawn")
    assert [note.reference for note in told(prosecutor)] == [other.reference]


def test_the_cases_imported_are_told_once_to_each_lead_but_the_importer(
    prosecutor: User, unit_head: User, committed: Committed
) -> None:
    second = UserFactory.create(username="second-lead", roles=[Role.PROSECUTOR])
    with committed():
        made = events.cases_imported(unit_head.pk, "register.xlsx", {prosecutor.pk: (3, 11), unit_head.pk: (1, 14)})
        made += events.cases_imported(unit_head.pk, "register.xlsx", {prosecutor.pk: (3, 11), second.pk: (1, 12)})
    [note] = told(prosecutor)  # told once, even when told again of the same import
    assert (note.title, note.reference) == (f"3 cases you lead imported by {unit_head}", "register.xlsx")
    assert note.body == f"{unit_head} imported 3 cases you lead from the register register.xlsx, each at the " + (
        "stage the register gives, with its history."
    )
    assert [n.title for n in told(second)] == [f"1 case you lead imported by {unit_head}"]
    assert told(unit_head) == []
    assert len(made) == 2
