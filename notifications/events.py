"""The events people are told about, as they happen: each builds its ``Message`` and its recipients from a
record the domain service has already written (a stage move, a disbursement's move, a protection move, a
failed audit verification). ``notifications.receivers`` calls these once the service's transaction has
committed; the schedule (``notifications.schedule``) builds the dated ones (hearings, deadlines).

Content rules (issue 18): a record is named by its reference; a witness by code only (never an identity);
a victim by code only; no amount anywhere.

Language: a message is made once and written for each recipient in their own language
(``notifications.services.notify``), so its texts are lazy — ``lazy_format`` of a ``gettext_lazy``
string, dates by ``lazy_date`` — and become words only then.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.models import User
from core.roles import Role
from core.translations import lazy_date, lazy_format
from notifications.choices import Event
from notifications.models import Notification
from notifications.services import Message, notify
from prosecutions.choices import Stage
from prosecutions.models import Case, StageChange
from trustfund.choices import DisbursementPurpose, DisbursementStatus
from trustfund.models import Disbursement, DisbursementEvent
from witnesses.choices import ProtectionStatus
from witnesses.models import ProtectionStatusChange

DECISIONS = {
    DisbursementStatus.APPROVED: Event.DISBURSEMENT_APPROVED,
    DisbursementStatus.REJECTED: Event.DISBURSEMENT_REJECTED,
    DisbursementStatus.PAID: Event.DISBURSEMENT_PAID,
}
# Each decision's own sentences (a title, then the body): never a verb slotted into a shared sentence.
DECISION_TEXTS = {
    DisbursementStatus.APPROVED: (
        _("Disbursement %(reference)s approved"),
        _("%(reference)s (%(purpose)s) was approved on %(date)s."),
    ),
    DisbursementStatus.REJECTED: (
        _("Disbursement %(reference)s rejected"),
        _("%(reference)s (%(purpose)s) was rejected on %(date)s."),
    ),
    DisbursementStatus.PAID: (
        _("Disbursement %(reference)s paid"),
        _("%(reference)s (%(purpose)s) was paid on %(date)s."),
    ),
}


def label(choices: type[models.TextChoices], value: str) -> str:
    """The label of ``value`` among ``choices``, lazily in the reader's language (the value itself if unknown)."""
    try:
        return choices(value).label
    except ValueError:
        return value


def _lower(text: str) -> str:
    return str(text).lower()


lower = lazy(_lower, str)


@dataclass(frozen=True, slots=True)
class CaseMove:
    """What ``case_moved`` reads of a stage move: a few values, held until the commit instead of the row (a
    long transaction holds a few dozen bytes per move, not its model instance)."""

    pk: int
    case_id: int
    changed_by_id: int
    from_stage: str
    to_stage: str
    effective_on: dt.date

    @classmethod
    def of(cls, change: StageChange) -> CaseMove:
        return cls(
            change.pk, change.case_id, change.changed_by_id, change.from_stage, change.to_stage, change.effective_on
        )


def case_moved(change: StageChange | CaseMove) -> list[Notification]:
    """A case I lead moved by someone else: its lead prosecutor is told."""
    case = Case.objects.select_related("lead_prosecutor").get(pk=change.case_id)
    if change.changed_by_id == case.lead_prosecutor_id:
        return []
    mover = str(User.objects.get(pk=change.changed_by_id))
    to_stage, on = label(Stage, change.to_stage), lazy_date(change.effective_on)
    if change.from_stage:
        body = lazy_format(
            _("%(person)s moved the case from %(from_stage)s to %(to_stage)s on %(date)s."),
            person=mover,
            from_stage=label(Stage, change.from_stage),
            to_stage=to_stage,
            date=on,
        )
    else:
        body = lazy_format(
            _("%(person)s moved the case from its opening to %(to_stage)s on %(date)s."),
            person=mover,
            to_stage=to_stage,
            date=on,
        )
    message = Message(
        event=Event.CASE_MOVED,
        key=f"case_moved:{change.pk}",
        title=lazy_format(
            _("%(case)s moved to %(stage)s by %(person)s"), case=case.reference, stage=to_stage, person=mover
        ),
        body=body,
        reference=case.reference,
        url=case.get_absolute_url(),
    )
    return notify([case.lead_prosecutor], message)


def cases_imported(importer_pk: int, file_name: str, led: dict[int, tuple[int, int]]) -> list[Notification]:
    """The cases of a register imported by ``importer_pk`` from ``file_name``: each lead prosecutor other than
    the importer is told once, how many of their cases came in (``led``: lead's id → the number of cases and
    the id of the first), instead of once for every stage move of every case (``receivers``)."""
    importer = str(User.objects.get(pk=importer_pk))
    leads = User.objects.filter(pk__in=[pk for pk in led if pk != importer_pk]).order_by("pk")
    made: list[Notification] = []
    for lead in leads:
        number, first = led[lead.pk]
        message = Message(
            event=Event.CASE_MOVED,
            key=f"cases_imported:{first}",
            title=lazy_format(
                ngettext_lazy(
                    "%(number)s case you lead imported by %(person)s",
                    "%(number)s cases you lead imported by %(person)s",
                    "number",
                ),
                number=number,
                person=importer,
            ),
            body=lazy_format(
                ngettext_lazy(
                    "%(person)s imported %(number)s case you lead from the register %(file)s, each at the stage "
                    "the register gives, with its history.",
                    "%(person)s imported %(number)s cases you lead from the register %(file)s, each at the stage "
                    "the register gives, with its history.",
                    "number",
                ),
                number=number,
                person=importer,
                file=file_name,
            ),
            reference=file_name[:60],
            url=reverse("prosecutions:case_list"),
        )
        made += notify([lead], message)
    return made


def disbursement_moved(event: DisbursementEvent) -> list[Notification]:
    """A disbursement I requested approved, rejected or paid (its requester is told, unless they did it);
    a new request (every approver but the requester is told it waits for them)."""
    disbursement = Disbursement.objects.select_related("requested_by").get(pk=event.disbursement_id)
    if event.to_status == DisbursementStatus.REQUESTED:
        return disbursement_awaiting(disbursement)
    kind = DECISIONS.get(DisbursementStatus(event.to_status))
    if kind is None or event.by_id == disbursement.requested_by_id:
        return []
    title, sentence = DECISION_TEXTS[DisbursementStatus(event.to_status)]
    facts = {
        "reference": disbursement.reference,
        "purpose": label(DisbursementPurpose, disbursement.purpose),
        "date": lazy_date(event.at),
    }
    body = lazy_format(sentence, **facts)
    if event.to_status == DisbursementStatus.REJECTED and event.note:
        body = lazy_format(_("%(decision)s\nReason given: %(reason)s"), decision=body, reason=event.note)
    message = Message(
        event=kind,
        key=f"disbursement:{event.pk}",
        title=lazy_format(title, reference=disbursement.reference),
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
        title=lazy_format(
            _("Disbursement %(reference)s is waiting for your approval"), reference=disbursement.reference
        ),
        body=lazy_format(
            _(
                "%(reference)s (%(purpose)s) was requested on %(date)s and waits for an approver other than "
                "the requester."
            ),
            reference=disbursement.reference,
            purpose=label(DisbursementPurpose, disbursement.purpose),
            date=lazy_date(disbursement.requested_on),
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
                title=lazy_format(
                    _("Witness %(code)s in %(case)s flagged for protection"), code=witness.code, case=case.reference
                ),
                body=lazy_format(
                    _("Witness %(code)s was flagged for protection on %(date)s."),
                    code=witness.code,
                    date=lazy_date(change.effective_on),
                ),
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
            title=lazy_format(_("Protection request for witness %(code)s is waiting for a liaison"), code=witness.code),
            body=lazy_format(
                _("Witness %(code)s was flagged on %(date)s: assess the request."),
                code=witness.code,
                date=lazy_date(change.effective_on),
            ),
            reference=witness.code,
            url=url,
        ),
    )
    return made


def audit_failed(problems: list[str], on: dt.date | None = None) -> list[Notification]:
    """An audit verification that failed: the auditors and the unit head are told, once a day per finding."""
    day = on or timezone.localdate()
    found = "; ".join(problems)
    digest = hashlib.sha256((found or "the audit history fails verification").encode()).hexdigest()[:16]
    message = Message(
        event=Event.AUDIT_FAILED,
        key=f"audit_failed:{day.isoformat()}:{digest}",
        title=lazy_format(_("Audit verification failed on %(date)s"), date=lazy_date(day)),
        body=found or _("the audit history fails verification"),
        reference=lazy_format(_("Audit verification %(date)s"), date=lazy_date(day)),
        url=reverse("core:audit_verify"),
    )
    return notify(User.objects.holding([Role.AUDITOR, Role.UNIT_HEAD]), message)
