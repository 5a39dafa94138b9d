"""Protection status: flagging, the liaison's decisions, and the table of moves they may make."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import guards
from core.models import User
from witnesses import access
from witnesses.choices import Applicant, MeasureStatus, ProtectionStatus, RiskLevel, TerminationGround
from witnesses.exceptions import IllegalProtectionMove, InvalidWitnessDetails, ProtectionGuardFailed
from witnesses.models import ProtectionMeasure, ProtectionStatusChange, Witness
from witnesses.services.common import lock, logger, reason_given, require

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


def _check_move(
    locked: Witness, to_status: str, effective_on: dt.date, risk_level: str, termination_ground: str
) -> None:
    """The guards of a move: the risk assessed before admission, the s.10 ground of a termination only,
    and no date before the last move."""
    if risk_level and risk_level not in RiskLevel.values:
        raise InvalidWitnessDetails(_("Choose a risk level."), "risk_level")
    if to_status == S.ADMITTED and (risk_level or locked.risk_level) not in ASSESSED_RISKS:
        raise ProtectionGuardFailed(_("Assess the risk level before admitting the witness."), "risk_level")
    if to_status == S.TERMINATED:
        if termination_ground not in TerminationGround.values:
            raise ProtectionGuardFailed(_("Give the ground of termination (s.10)."), "termination_ground")
    elif termination_ground:
        raise ProtectionGuardFailed(_("A ground of termination applies only to a termination."), "termination_ground")
    last = locked.status_changes.order_by("-effective_on", "-id").first()
    if last is not None and effective_on < last.effective_on:
        raise InvalidWitnessDetails(
            _("The date cannot be before the last move (%(date)s).")
            % {"date": date_format(last.effective_on, "d M Y")},
            "effective_on",
        )


def _move(
    witness: Witness,
    user: User,
    to_status: str,
    *,
    reason: str,
    effective_on: dt.date | None = None,
    risk_level: str = "",
    termination_ground: str = "",
) -> Witness:
    locked = lock(witness)
    if to_status not in ALLOWED_MOVES.get(locked.protection_status, frozenset()):
        raise IllegalProtectionMove(
            _("A witness whose protection is %(from_status)s cannot move to %(to_status)s.")
            % {
                "from_status": locked.get_protection_status_display().lower(),
                "to_status": str(ProtectionStatus(to_status).label).lower()
                if to_status in ProtectionStatus.values
                else to_status,
            }
        )
    reason = reason_given(reason)
    effective_on = effective_on or guards.today()
    guards.not_in_future(effective_on, _("date of the change"), field="effective_on")
    _check_move(locked, to_status, effective_on, risk_level, termination_ground)
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


def _flag(witness: Witness, user: User, applicant: str, reason: str, effective_on: dt.date | None) -> Witness:
    if applicant not in Applicant.values:
        raise InvalidWitnessDetails(_("Say who asked for protection."), "applicant")
    moved = _move(witness, user, S.FLAGGED, reason=reason, effective_on=effective_on)
    moved.applicant = applicant
    moved.flagged_by = user
    moved.flagged_on = effective_on or guards.today()
    moved.flag_reason = reason_given(reason)
    moved.save_as(
        user,
        "Flagged for protection",
        update_fields=["applicant", "flagged_by", "flagged_on", "flag_reason", "updated_at"],
    )
    return moved


@transaction.atomic
def request_protection(witness: Witness, user: User, *, reason: str, effective_on: dt.date | None = None) -> Witness:
    """A prosecutor on one of the witness's cases asks for protection: the witness is flagged for the
    liaisons to assess."""
    require(
        access.can_request_protection(user, witness), _("Only a prosecutor on one of this witness's cases may ask.")
    )
    return _flag(witness, user, Applicant.PROSECUTOR, reason, effective_on)


@transaction.atomic
def flag_witness(
    witness: Witness, user: User, *, applicant: str, reason: str, effective_on: dt.date | None = None
) -> Witness:
    """A liaison flags a witness for protection on a request from the witness, an agency, a prosecutor or a
    legal representative."""
    require(access.can_manage_protection(user), _("Only a witness protection liaison may flag a witness."))
    return _flag(witness, user, applicant, reason, effective_on)


@transaction.atomic
def decide_protection(
    witness: Witness,
    user: User,
    to_status: str,
    *,
    reason: str,
    effective_on: dt.date | None = None,
    risk_level: str = "",
    termination_ground: str = "",
) -> Witness:
    """A liaison's decision: assess, admit, decline, suspend, reinstate or terminate."""
    require(access.can_manage_protection(user), _("Only a witness protection liaison may decide on protection."))
    if to_status not in DECISION_MOVES:
        raise IllegalProtectionMove(_("Choose a decision."))
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
            measure.ends_on = max(effective_on or guards.today(), measure.starts_on)
            measure.save_as(user, f"Ended: protection {to_status}", update_fields=["status", "ends_on", "updated_at"])
    return moved


def start_assessment(witness: Witness, user: User, *, risk_level: str, reason: str) -> Witness:
    return decide_protection(witness, user, S.UNDER_ASSESSMENT, reason=reason, risk_level=risk_level)


def admit_witness(witness: Witness, user: User, *, reason: str, risk_level: str = "", **kw: Any) -> Witness:
    return decide_protection(witness, user, S.ADMITTED, reason=reason, risk_level=risk_level, **kw)


def decline_witness(witness: Witness, user: User, *, reason: str) -> Witness:
    return decide_protection(witness, user, S.DECLINED, reason=reason)


def suspend_protection(witness: Witness, user: User, *, reason: str) -> Witness:
    return decide_protection(witness, user, S.SUSPENDED, reason=reason)


def reinstate_protection(witness: Witness, user: User, *, reason: str) -> Witness:
    return decide_protection(witness, user, S.ADMITTED, reason=reason)


def terminate_protection(witness: Witness, user: User, *, ground: str, reason: str) -> Witness:
    return decide_protection(witness, user, S.TERMINATED, reason=reason, termination_ground=ground)
