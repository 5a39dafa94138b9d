"""Moving a case through its stages (DESIGN §3), closing it and reopening it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from core.access import has_role
from core.guards import not_in_future, today
from core.models import User
from core.roles import Role
from prosecutions.choices import CONVICTIONS, ClosureReason, Disposition, Stage
from prosecutions.exceptions import DateOutOfOrder, IllegalStageMove, ReopenNotAllowed, StageGuardFailed
from prosecutions.models import OPEN_STAGES, Case, Charge, StageChange
from prosecutions.services.shared import editable_locked_case, lock_case, not_before_opening

# DESIGN §3: the only stage moves allowed (closing from any open stage is added below).
ALLOWED_MOVES: dict[Stage, frozenset[Stage]] = {
    Stage.INVESTIGATION: frozenset({Stage.CHARGING_DECISION}),
    Stage.CHARGING_DECISION: frozenset({Stage.PRE_TRIAL, Stage.INVESTIGATION}),
    Stage.PRE_TRIAL: frozenset({Stage.TRIAL}),
    Stage.TRIAL: frozenset({Stage.JUDGMENT}),
    Stage.JUDGMENT: frozenset({Stage.SENTENCING, Stage.APPEAL}),
    Stage.SENTENCING: frozenset({Stage.APPEAL}),
    Stage.APPEAL: frozenset({Stage.TRIAL}),
    Stage.CLOSED: frozenset(),
}
for _stage in OPEN_STAGES:
    ALLOWED_MOVES[Stage(_stage)] = ALLOWED_MOVES[Stage(_stage)] | {Stage.CLOSED}


def allowed_next_stages(case: Case) -> list[Stage]:
    """The stages this case may move to next, in the order of the stage list."""
    allowed = ALLOWED_MOVES[Stage(case.stage)]
    return [stage for stage in Stage if stage in allowed]


def _check_guards(case: Case, to_stage: Stage, closure_reason: str) -> None:
    if to_stage == Stage.PRE_TRIAL and not Charge.objects.filter(accused__case=case).exists():
        raise StageGuardFailed(
            "A case goes to pre-trial only once it is charged: add at least one accused with at least one count."
        )
    if (
        to_stage == Stage.SENTENCING
        and not Charge.objects.filter(accused__case=case, disposition__in=CONVICTIONS).exists()
    ):
        raise StageGuardFailed("Sentencing needs a conviction: record a conviction on at least one count first.")
    if to_stage == Stage.CLOSED:
        if not closure_reason:
            raise StageGuardFailed("Give the reason for closing the case.", "closure_reason")
        if closure_reason not in ClosureReason.values:
            raise StageGuardFailed("Unknown closure reason.", "closure_reason")
        if closure_reason == ClosureReason.CONCLUDED:
            pending = Charge.objects.filter(accused__case=case, disposition=Disposition.PENDING).count()
            if pending:
                raise StageGuardFailed(
                    f"A case closes as concluded only when every count has an outcome: {pending} count"
                    f"{'s are' if pending > 1 else ' is'} still pending.",
                    "closure_reason",
                )


@transaction.atomic
def move_stage(
    case: Case,
    user: User,
    to_stage: str,
    *,
    effective_on: dt.date | None = None,
    closure_reason: str = "",
    note: str = "",
) -> StageChange:
    """Move the case to ``to_stage`` if the move is allowed and its guards pass; records a StageChange."""
    locked = editable_locked_case(case, user)
    effective_on = effective_on or today()
    try:
        target = Stage(to_stage)
    except ValueError:
        raise IllegalStageMove(f"“{to_stage}” is not a stage.") from None
    current = Stage(locked.stage)
    if target not in ALLOWED_MOVES[current]:
        legal = ", ".join(str(s.label) for s in allowed_next_stages(locked)) or "none"
        raise IllegalStageMove(
            f"A case cannot go from {current.label} to {target.label}. From {current.label} it can go to: {legal}."
        )
    not_in_future(effective_on, "date of the move", field="effective_on")
    not_before_opening(locked, effective_on, "date of the move", "effective_on")
    last_move = locked.stage_changes.order_by("-effective_on", "-id").first()
    if last_move is not None and effective_on < last_move.effective_on:
        raise DateOutOfOrder(
            f"The date of the move ({effective_on:%d %b %Y}) is before the last stage move "
            f"({last_move.effective_on:%d %b %Y}).",
            "effective_on",
        )
    if target != Stage.CLOSED:
        closure_reason = ""
    _check_guards(locked, target, closure_reason)

    locked.stage = target
    update_fields = ["stage", "updated_at", "last_activity_on"]
    if target == Stage.CLOSED:
        locked.closed_on = effective_on
        locked.closure_reason = closure_reason
        update_fields += ["closed_on", "closure_reason"]
    locked.last_activity_on = max(locked.last_activity_on, effective_on)
    locked.save_as(user, note or f"Moved to {target.label}", update_fields=update_fields)
    change = StageChange(
        case=locked,
        from_stage=current,
        to_stage=target,
        effective_on=effective_on,
        changed_by=user,
        closure_reason=closure_reason,
        note=note,
    )
    change.save_as(user, note or f"Moved to {target.label}")
    case.stage, case.closed_on, case.closure_reason = locked.stage, locked.closed_on, locked.closure_reason
    case.last_activity_on = locked.last_activity_on
    return change


@transaction.atomic
def reopen_case(case: Case, user: User, *, reason: str, effective_on: dt.date | None = None) -> StageChange:
    """The unit head reopens a closed case, back to the stage it was closed from, with a reason."""
    locked = lock_case(case)
    if locked.stage != Stage.CLOSED:
        raise ReopenNotAllowed(f"{locked.reference} is not closed.")
    if not has_role(user, [Role.UNIT_HEAD]):
        raise ReopenNotAllowed("Only the unit head can reopen a closed case.")
    if not reason.strip():
        raise ReopenNotAllowed("Give the reason for reopening the case.", "reason")
    effective_on = effective_on or today()
    not_in_future(effective_on, "reopening date", field="effective_on")
    if locked.closed_on and effective_on < locked.closed_on:
        raise DateOutOfOrder(
            f"The reopening date is before the case was closed ({locked.closed_on:%d %b %Y}).", "effective_on"
        )
    closing = locked.stage_changes.filter(to_stage=Stage.CLOSED).order_by("-effective_on", "-id").first()
    back_to = Stage(closing.from_stage) if closing and closing.from_stage else Stage.INVESTIGATION
    locked.stage = back_to
    locked.closed_on = None
    locked.closure_reason = ""
    locked.last_activity_on = max(locked.last_activity_on, effective_on)
    locked.save_as(user, f"Reopened: {reason}")
    change = StageChange(
        case=locked,
        from_stage=Stage.CLOSED,
        to_stage=back_to,
        effective_on=effective_on,
        changed_by=user,
        note=f"Reopened: {reason}",
    )
    change.save_as(user, reason)
    case.stage, case.closed_on, case.closure_reason = locked.stage, None, ""
    case.last_activity_on = locked.last_activity_on
    return change
