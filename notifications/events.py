"""The events people are told about, as they happen: each builds its ``Message`` and its recipients from a
record the domain service has already written (a stage move, a disbursement's move, a protection move, a
failed audit verification). ``notifications.receivers`` calls these once the service's transaction has
committed; the schedule (``notifications.schedule``) builds the dated ones (hearings, deadlines).

Content rules (issue 18): a record is named by its reference; a witness by code only (never an identity);
a victim by code only; no amount anywhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.urls import reverse
from django.utils import timezone

from core.models import User
from core.roles import Role
from notifications.choices import Event
from notifications.models import Notification
from notifications.services import Message, notify
from prosecutions.models import Case, StageChange
from trustfund.choices import DisbursementStatus
from trustfund.models import Disbursement, DisbursementEvent
from witnesses.choices import ProtectionStatus
from witnesses.models import ProtectionStatusChange

DECISIONS = {
    DisbursementStatus.APPROVED: Event.DISBURSEMENT_APPROVED,
    DisbursementStatus.REJECTED: Event.DISBURSEMENT_REJECTED,
    DisbursementStatus.PAID: Event.DISBURSEMENT_PAID,
}


def case_moved(change: StageChange) -> list[Notification]:
    """A case I lead moved by someone else: its lead prosecutor is told."""
    case = Case.objects.select_related("lead_prosecutor").get(pk=change.case_id)
    if change.changed_by_id == case.lead_prosecutor_id:
        return []
    mover = User.objects.get(pk=change.changed_by_id)
    message = Message(
        event=Event.CASE_MOVED,
        key=f"case_moved:{change.pk}",
        title=f"{case.reference} moved to {change.get_to_stage_display()} by {mover}",
        body=(
            f"{mover} moved the case from {change.get_from_stage_display() or 'its opening'} to "
            f"{change.get_to_stage_display()} on {change.effective_on:%d %b %Y}."
        ),
        reference=case.reference,
        url=case.get_absolute_url(),
    )
    return notify([case.lead_prosecutor], message)


def disbursement_moved(event: DisbursementEvent) -> list[Notification]:
    """A disbursement I requested approved, rejected or paid (its requester is told, unless they did it);
    a new request (every approver but the requester is told it waits for them)."""
    disbursement = Disbursement.objects.select_related("requested_by").get(pk=event.disbursement_id)
    if event.to_status == DisbursementStatus.REQUESTED:
        return disbursement_awaiting(disbursement)
    kind = DECISIONS.get(DisbursementStatus(event.to_status))
    if kind is None or event.by_id == disbursement.requested_by_id:
        return []
    verb = DisbursementStatus(event.to_status).label.lower()
    body = f"{disbursement.reference} ({disbursement.get_purpose_display()}) was {verb} on {event.at:%d %b %Y}."
    if event.to_status == DisbursementStatus.REJECTED and event.note:
        body += f"\nReason given: {event.note}"
    message = Message(
        event=kind,
        key=f"disbursement:{event.pk}",
        title=f"Disbursement {disbursement.reference} {verb}",
        body=body,
        reference=disbursement.reference,
        url=disbursement.get_absolute_url(),
    )
    return notify([disbursement.requested_by], message)


def disbursement_awaiting(disbursement: Disbursement) -> list[Notification]:
    """A request waits for a decision: every fund approver except the one who raised it is told, once."""
    approvers = User.objects.holding([Role.FUND_APPROVER]).exclude(pk=disbursement.requested_by_id)
    message = Message(
        event=Event.DISBURSEMENT_AWAITING,
        key=f"disbursement_awaiting:{disbursement.pk}",
        title=f"Disbursement {disbursement.reference} is waiting for your approval",
        body=(
            f"{disbursement.reference} ({disbursement.get_purpose_display()}) was requested on "
            f"{disbursement.requested_on:%d %b %Y} and waits for an approver other than the requester."
        ),
        reference=disbursement.reference,
        url=disbursement.get_absolute_url(),
    )
    return notify(approvers, message)


def protection_moved(change: ProtectionStatusChange) -> list[Notification]:
    """A witness flagged for protection: the lead prosecutors of the witness's cases are told (by the
    witness's code only), and the liaisons are told a request waits for them."""
    if change.to_status != ProtectionStatus.FLAGGED:
        return []
    witness = change.witness
    url = witness.get_absolute_url()
    cases = Case.objects.filter(witness_appearances__witness=witness).select_related("lead_prosecutor").distinct()
    made: list[Notification] = []
    for case in cases:
        if case.lead_prosecutor_id == change.changed_by_id:
            continue
        made += notify(
            [case.lead_prosecutor],
            Message(
                event=Event.PROTECTION_FLAG_RAISED,
                key=f"protection_flag:{change.pk}:{case.pk}",
                title=f"Witness {witness.code} in {case.reference} flagged for protection",
                body=f"Witness {witness.code} was flagged for protection on {change.effective_on:%d %b %Y}.",
                reference=witness.code,
                url=case.get_absolute_url(),
            ),
        )
    liaisons = User.objects.holding([Role.WITNESS_LIAISON]).exclude(pk=change.changed_by_id)
    made += notify(
        liaisons,
        Message(
            event=Event.PROTECTION_REQUEST_WAITING,
            key=f"protection_waiting:{change.pk}",
            title=f"Protection request for witness {witness.code} is waiting for a liaison",
            body=f"Witness {witness.code} was flagged on {change.effective_on:%d %b %Y}: assess the request.",
            reference=witness.code,
            url=url,
        ),
    )
    return made


def audit_failed(problems: list[str], on: dt.date | None = None) -> list[Notification]:
    """An audit verification that failed: the auditors and the unit head are told, once a day per finding."""
    day = on or timezone.localdate()
    summary = "; ".join(problems) or "the audit history fails verification"
    digest = hashlib.sha256(summary.encode()).hexdigest()[:16]
    message = Message(
        event=Event.AUDIT_FAILED,
        key=f"audit_failed:{day.isoformat()}:{digest}",
        title=f"Audit verification failed on {day:%d %b %Y}",
        body=summary,
        reference=f"Audit verification {day:%d %b %Y}",
        url=reverse("core:audit_verify"),
    )
    return notify(User.objects.holding([Role.AUDITOR, Role.UNIT_HEAD]), message)
