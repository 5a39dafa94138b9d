"""Every change to a witness, as HTTP-free functions: each one transaction that locks, checks, writes and
records who did it. Forms, the seed and the key-rotation command call these.

Protection status moves (Witness Protection Act, DOMAIN.md §3; ``ALLOWED_MOVES``)::

    none → flagged → under_assessment → admitted | declined
    admitted → suspended → admitted          (s.11 suspension, then reinstatement)
    admitted | suspended → terminated        (s.10: on request, breach, threat, or need ceased)

A prosecutor who may change one of the witness's cases requests protection (none → flagged); a liaison
flags, assesses, admits, declines, suspends and terminates, records measures and holds the identity.
Reading an identity records an ``IdentityAccess`` (who, when, purpose) before anything is decrypted.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.exceptions import DomainError
from core.numbering import calendar_year, next_reference
from prosecutions.models import Case, Victim
from witnesses import access
from witnesses.choices import (
    COURT_MEASURES,
    Applicant,
    MeasureCategory,
    MeasureKind,
    MeasureStatus,
    ProtectionStatus,
    RiskLevel,
    TerminationGround,
    WitnessRole,
    category_of,
)
from witnesses.models import Appearance, Identity, IdentityAccess, ProtectionMeasure, ProtectionStatusChange, Witness
from witnesses.vault import Sealed, VaultError, cipher

logger = logging.getLogger(__name__)

WITNESS_SERIES = "witness"
WITNESS_TEMPLATE = "W-{period}-{number:04d}"
MIN_PURPOSE_LENGTH = 10

S = ProtectionStatus
ALLOWED_MOVES: dict[str, frozenset[str]] = {
    S.NONE: frozenset({S.FLAGGED}),
    S.FLAGGED: frozenset({S.UNDER_ASSESSMENT}),
    S.UNDER_ASSESSMENT: frozenset({S.ADMITTED, S.DECLINED}),
    S.ADMITTED: frozenset({S.SUSPENDED, S.TERMINATED}),
    S.SUSPENDED: frozenset({S.ADMITTED, S.TERMINATED}),
    S.DECLINED: frozenset(),
    S.TERMINATED: frozenset(),
}
# Moves a liaison makes on the "protection decision" form; flagging has its own forms.
DECISION_MOVES = frozenset({S.UNDER_ASSESSMENT, S.ADMITTED, S.DECLINED, S.SUSPENDED, S.TERMINATED})
ASSESSED_RISKS = frozenset(set(RiskLevel) - {RiskLevel.NOT_ASSESSED})


class WitnessError(DomainError):
    """Something about a witness record is not acceptable."""


class NotAllowed(WitnessError):
    """The user's role or reach does not allow this."""


class InvalidWitnessDetails(WitnessError):
    """A detail is missing or malformed."""


class IllegalProtectionMove(WitnessError):
    """The protection status may not move from where it is to where it was asked to go."""

    field = "to_status"


class ProtectionGuardFailed(WitnessError):
    """The move is allowed, but what it needs (a risk assessment, a ground, a reason) is missing."""


class MeasureNotAllowed(WitnessError):
    """The measure does not fit the witness's protection status or its own details."""


class PurposeRequired(WitnessError):
    """An identity was asked for without a stated purpose."""

    field = "purpose"


class NoIdentityOnFile(WitnessError):
    """There is no identity to read."""


@dataclass(frozen=True)
class RevealedIdentity:
    """The plaintext of an identity, for one response to the liaison who asked. Never stored."""

    full_name: str
    id_number: str
    phone: str
    address: str
    next_of_kin: str


def today() -> dt.date:
    return timezone.localdate()


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise NotAllowed(message)


def _reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidWitnessDetails("Give the reason.", field)
    return reason


def _not_future(day: dt.date, field: str) -> None:
    if day > today():
        raise InvalidWitnessDetails("This date cannot be in the future.", field)


def _locked(witness: Witness) -> Witness:
    return Witness.objects.select_for_update().get(pk=witness.pk)


# --------------------------------------------------------------------------------------------------
# Witnesses and their appearances


@transaction.atomic
def add_witness_to_case(
    case: Case,
    user: Any,
    *,
    role: str,
    witness_number: str = "",
    witness: Witness | None = None,
    victim: Victim | None = None,
) -> Appearance:
    """Put a witness on a case's witness list: a new witness (issued a code) or one already known."""
    _require(access.can_add_witness(user, case), "You may not add witnesses to this case.")
    if role not in WitnessRole.values:
        raise InvalidWitnessDetails("Choose the witness's role.", "role")
    number = (witness_number or "").strip().upper()
    if number and Appearance.objects.filter(case=case, witness_number=number).exists():
        raise InvalidWitnessDetails(f"{number} is already on this case's witness list.", "witness_number")
    if victim is not None and victim.case_id != case.pk:
        raise InvalidWitnessDetails("Choose a victim of this case.", "victim")
    if role == WitnessRole.VICTIM_WITNESS and victim is None and witness is None:
        raise InvalidWitnessDetails("A victim-witness needs the victim record they correspond to.", "victim")
    if witness is None:
        witness = Witness(
            code=next_reference(WITNESS_SERIES, WITNESS_TEMPLATE, calendar_year(today())),
            victim=victim,
        )
        witness.save_as(user, "Witness recorded")
    else:
        witness = _locked(witness)
        if Appearance.objects.filter(witness=witness, case=case).exists():
            raise InvalidWitnessDetails(f"{witness.code} is already a witness in this case.", "witness_code")
        if victim is not None and witness.victim_id is None:
            witness.victim = victim
            witness.save_as(user, "Victim record linked", update_fields=["victim", "updated_at"])
    appearance = Appearance(witness=witness, case=case, role=role, witness_number=number)
    appearance.save_as(user, "Witness added to the case")
    return appearance


# --------------------------------------------------------------------------------------------------
# Protection status


def _move(
    witness: Witness,
    user: Any,
    to_status: str,
    *,
    reason: str,
    effective_on: dt.date | None = None,
    risk_level: str = "",
    termination_ground: str = "",
) -> Witness:
    locked = _locked(witness)
    if to_status not in ALLOWED_MOVES.get(locked.protection_status, frozenset()):
        raise IllegalProtectionMove(
            f"A witness whose protection is {locked.get_protection_status_display().lower()} cannot move to "
            f"{ProtectionStatus(to_status).label.lower() if to_status in ProtectionStatus.values else to_status}."
        )
    reason = _reason(reason)
    effective_on = effective_on or today()
    _not_future(effective_on, "effective_on")
    if risk_level and risk_level not in RiskLevel.values:
        raise InvalidWitnessDetails("Choose a risk level.", "risk_level")
    if to_status == S.ADMITTED and (risk_level or locked.risk_level) not in ASSESSED_RISKS:
        raise ProtectionGuardFailed("Assess the risk level before admitting the witness.", "risk_level")
    if to_status == S.TERMINATED:
        if termination_ground not in TerminationGround.values:
            raise ProtectionGuardFailed("Give the ground of termination (s.10).", "termination_ground")
    elif termination_ground:
        raise ProtectionGuardFailed("A ground of termination applies only to a termination.", "termination_ground")
    last = locked.status_changes.order_by("-effective_on", "-id").first()
    if last is not None and effective_on < last.effective_on:
        raise InvalidWitnessDetails(
            f"The date cannot be before the last move ({last.effective_on:%d %b %Y}).", "effective_on"
        )
    change = ProtectionStatusChange(
        witness=locked,
        from_status=locked.protection_status,
        to_status=to_status,
        effective_on=effective_on,
        changed_by=user,
        reason=reason,
        risk_level=risk_level,
        termination_ground=termination_ground,
    )
    change.save_as(user, "Protection status changed")
    locked.protection_status = to_status
    fields = ["protection_status", "updated_at"]
    if risk_level:
        locked.risk_level = risk_level
        fields.append("risk_level")
    locked.save_as(user, reason, update_fields=fields)
    logger.info("Witness %s protection moved to %s by user %s", locked.code, to_status, user.pk)
    return locked


def _flag(witness: Witness, user: Any, applicant: str, reason: str, effective_on: dt.date | None) -> Witness:
    if applicant not in Applicant.values:
        raise InvalidWitnessDetails("Say who asked for protection.", "applicant")
    moved = _move(witness, user, S.FLAGGED, reason=reason, effective_on=effective_on)
    moved.applicant = applicant
    moved.flagged_by = user
    moved.flagged_on = effective_on or today()
    moved.flag_reason = _reason(reason)
    moved.save_as(
        user,
        "Flagged for protection",
        update_fields=["applicant", "flagged_by", "flagged_on", "flag_reason", "updated_at"],
    )
    return moved


@transaction.atomic
def request_protection(witness: Witness, user: Any, *, reason: str, effective_on: dt.date | None = None) -> Witness:
    """A prosecutor on one of the witness's cases asks for protection: the witness is flagged for the
    liaisons to assess."""
    _require(access.can_request_protection(user, witness), "Only a prosecutor on one of this witness's cases may ask.")
    return _flag(witness, user, Applicant.PROSECUTOR, reason, effective_on)


@transaction.atomic
def flag_witness(
    witness: Witness, user: Any, *, applicant: str, reason: str, effective_on: dt.date | None = None
) -> Witness:
    """A liaison flags a witness for protection on a request from the witness, an agency, a prosecutor or a
    legal representative."""
    _require(access.can_manage_protection(user), "Only a witness protection liaison may flag a witness.")
    return _flag(witness, user, applicant, reason, effective_on)


@transaction.atomic
def decide_protection(
    witness: Witness,
    user: Any,
    to_status: str,
    *,
    reason: str,
    effective_on: dt.date | None = None,
    risk_level: str = "",
    termination_ground: str = "",
) -> Witness:
    """A liaison's decision: assess, admit, decline, suspend, reinstate or terminate."""
    _require(access.can_manage_protection(user), "Only a witness protection liaison may decide on protection.")
    if to_status not in DECISION_MOVES:
        raise IllegalProtectionMove("Choose a decision.")
    moved = _move(
        witness,
        user,
        to_status,
        reason=reason,
        effective_on=effective_on,
        risk_level=risk_level,
        termination_ground=termination_ground,
    )
    if to_status in (S.DECLINED, S.TERMINATED):
        for measure in ProtectionMeasure.objects.select_for_update().filter(
            witness=moved, status__in=[MeasureStatus.IN_FORCE, MeasureStatus.REQUESTED]
        ):
            measure.status = MeasureStatus.ENDED
            measure.ends_on = max(effective_on or today(), measure.starts_on)
            measure.save_as(user, f"Ended: protection {to_status}", update_fields=["status", "ends_on", "updated_at"])
    return moved


def start_assessment(witness: Witness, user: Any, *, risk_level: str, reason: str) -> Witness:
    return decide_protection(witness, user, S.UNDER_ASSESSMENT, reason=reason, risk_level=risk_level)


def admit_witness(witness: Witness, user: Any, *, reason: str, risk_level: str = "", **kw: Any) -> Witness:
    return decide_protection(witness, user, S.ADMITTED, reason=reason, risk_level=risk_level, **kw)


def decline_witness(witness: Witness, user: Any, *, reason: str) -> Witness:
    return decide_protection(witness, user, S.DECLINED, reason=reason)


def suspend_protection(witness: Witness, user: Any, *, reason: str) -> Witness:
    return decide_protection(witness, user, S.SUSPENDED, reason=reason)


def reinstate_protection(witness: Witness, user: Any, *, reason: str) -> Witness:
    return decide_protection(witness, user, S.ADMITTED, reason=reason)


def terminate_protection(witness: Witness, user: Any, *, ground: str, reason: str) -> Witness:
    return decide_protection(witness, user, S.TERMINATED, reason=reason, termination_ground=ground)


# --------------------------------------------------------------------------------------------------
# Measures


@transaction.atomic
def record_measure(
    witness: Witness,
    user: Any,
    *,
    kind: str,
    status: str = MeasureStatus.IN_FORCE,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    court_order_reference: str = "",
    case: Case | None = None,
) -> ProtectionMeasure:
    """Record a programme measure (admitted witnesses only) or a court measure (a witness whose
    protection is being dealt with; in force needs the court order reference)."""
    _require(access.can_manage_protection(user), "Only a witness protection liaison may record measures.")
    locked = _locked(witness)
    if kind not in MeasureKind.values:
        raise InvalidWitnessDetails("Choose the measure.", "kind")
    if status not in MeasureStatus.values:
        raise InvalidWitnessDetails("Choose the status of the measure.", "status")
    category = category_of(kind)
    if category == MeasureCategory.PROGRAMME and locked.protection_status != S.ADMITTED:
        raise MeasureNotAllowed("Programme measures are for witnesses admitted to the programme.", "kind")
    if locked.protection_status in (S.NONE, S.DECLINED, S.TERMINATED):
        raise MeasureNotAllowed(
            f"A witness whose protection is {locked.get_protection_status_display().lower()} gets no measures.", "kind"
        )
    reference = (court_order_reference or "").strip()
    if kind in COURT_MEASURES and status == MeasureStatus.IN_FORCE and not reference:
        raise MeasureNotAllowed("A court measure in force needs the court order reference.", "court_order_reference")
    if ends_on is not None and ends_on < starts_on:
        raise InvalidWitnessDetails("The end date cannot be before the start date.", "ends_on")
    if case is not None and not Appearance.objects.filter(witness=locked, case=case).exists():
        raise InvalidWitnessDetails("Choose one of the witness's cases.", "case")
    if case is not None and category == MeasureCategory.PROGRAMME:
        raise InvalidWitnessDetails("A programme measure is not tied to one case.", "case")
    measure = ProtectionMeasure(
        witness=locked,
        case=case,
        kind=kind,
        category=category,
        status=status,
        court_order_reference=reference,
        starts_on=starts_on,
        ends_on=ends_on,
        recorded_by=user,
    )
    measure.save_as(user, "Measure recorded")
    return measure


@transaction.atomic
def end_measure(measure: ProtectionMeasure, user: Any, *, ends_on: dt.date, reason: str) -> ProtectionMeasure:
    _require(access.can_manage_protection(user), "Only a witness protection liaison may end measures.")
    locked = ProtectionMeasure.objects.select_for_update().get(pk=measure.pk)
    if locked.status not in (MeasureStatus.IN_FORCE, MeasureStatus.REQUESTED):
        raise MeasureNotAllowed("This measure is not in force.")
    if ends_on < locked.starts_on:
        raise InvalidWitnessDetails("The end date cannot be before the start date.", "ends_on")
    locked.status = MeasureStatus.ENDED
    locked.ends_on = ends_on
    locked.save_as(user, _reason(reason), update_fields=["status", "ends_on", "updated_at"])
    return locked


# --------------------------------------------------------------------------------------------------
# The identity vault


@transaction.atomic
def save_identity(
    witness: Witness,
    user: Any,
    *,
    full_name: str = "",
    id_number: str = "",
    phone: str = "",
    address: str = "",
    next_of_kin: str = "",
    reason: str = "",
) -> Identity:
    """Enter a witness's identity, or correct it: on a correction, blank fields keep their value and a
    reason is required. Only ciphertext reaches the database and the history table."""
    _require(access.can_write_identity(user), "Only a witness protection liaison may enter an identity.")
    cipher()  # no key configured: refuse clearly before anything is written
    locked = _locked(witness)
    values = {
        "full_name": full_name.strip(),
        "id_number": id_number.strip(),
        "phone": phone.strip(),
        "address": address.strip(),
        "next_of_kin": next_of_kin.strip(),
    }
    identity = Identity.objects.filter(witness=locked).first()
    if identity is None:
        if not values["full_name"]:
            raise InvalidWitnessDetails("Enter the witness's real name.", "full_name")
        identity = Identity(witness=locked, witness_code=locked.code, **values)
        identity.save_as(user, (reason or "").strip() or "Identity entered")
    else:
        changed = [name for name, value in values.items() if value]
        if not changed:
            raise InvalidWitnessDetails("Enter at least one corrected detail.")
        for name in changed:
            setattr(identity, name, values[name])
        identity.save_as(user, _reason(reason), update_fields=[*changed, "updated_at"])
    identity.refresh_from_db()  # the instance holds sealed values again, not the plaintext just typed
    logger.info("Identity of witness %s saved by user %s", locked.code, user.pk)
    return identity


def record_identity_access(witness: Witness, user: Any, purpose: str) -> IdentityAccess:
    """Record who reads the witness's identity and why: its own transaction, committed before any
    decryption, so even a failed reading stays on the log."""
    _require(access.can_read_identity(user), "Only a witness protection liaison may read an identity.")
    purpose = (purpose or "").strip()
    if len(purpose) < MIN_PURPOSE_LENGTH:
        raise PurposeRequired(f"State the purpose of reading this identity (at least {MIN_PURPOSE_LENGTH} characters).")
    with transaction.atomic():
        if not Identity.objects.filter(witness=witness).exists():
            raise NoIdentityOnFile(f"No identity is on file for {witness.code}.")
        entry = IdentityAccess(witness=witness, accessed_by=user, accessed_at=timezone.now(), purpose=purpose)
        entry.save_as(user, "Identity read")
    logger.info("Identity of witness %s read by user %s", witness.code, user.pk)
    return entry


def reveal_identity(witness: Witness, user: Any, purpose: str) -> RevealedIdentity:
    """The identity in plaintext, for a liaison who states a purpose. The access is recorded first."""
    record_identity_access(witness, user, purpose)
    identity = Identity.objects.get(witness=witness)

    def opened(value: Sealed | None) -> str:
        return value.open() if value is not None else ""

    try:
        return RevealedIdentity(**{name: opened(getattr(identity, name)) for name in Identity.ENCRYPTED_FIELDS})
    except VaultError:
        logger.error("Identity of witness %s could not be decrypted with the configured keys", witness.code)
        raise


def identity_readable(identity: Identity) -> bool:
    """True when every stored value opens with the configured keys (nothing is shown)."""
    return all(
        value.opens() for name in Identity.ENCRYPTED_FIELDS if isinstance(value := getattr(identity, name), Sealed)
    )


def rotate_identity_keys(user: Any = None) -> int:
    """Re-encrypt every identity under the newest key (through saves, so the history records it).

    History rows keep the ciphertext they were written with: the audit chain signs them, so rewriting
    them would break tamper evidence, and nothing ever decrypts them (history shows "changed"). Once an
    old key is removed, the values in those old history rows are unreadable for good.
    """
    rotated = 0
    for pk in list(Identity.objects.order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            identity = Identity.objects.select_for_update().get(pk=pk)
            fields = []
            for name in Identity.ENCRYPTED_FIELDS:
                value = getattr(identity, name)
                if isinstance(value, Sealed):
                    setattr(identity, name, value.rotated())
                    fields.append(name)
            if fields:
                identity.save_as(user, "Re-encrypted under the newest key", update_fields=[*fields, "updated_at"])
                rotated += 1
    return rotated
