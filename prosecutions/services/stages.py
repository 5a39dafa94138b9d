"""Moving a case through its stages (DESIGN §3), closing it and reopening it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext

from core.access import has_role
from core.guards import not_in_future, today
from core.models import User
from core.roles import Role
from prosecutions.choices import CONVICTIONS, ClosureReason, Disposition, Plea, Stage
from prosecutions.exceptions import DateOutOfOrder, IllegalStageMove, ReopenNotAllowed, StageGuardFailed
from prosecutions.models import OPEN_STAGES, Case, Charge, StageChange
from prosecutions.services.shared import editable_locked_case, lock_case, not_before_opening, stored_text

# DESIGN §3: the only stage moves allowed (closing from any open stage is added below). Pre-trial goes
# straight to sentencing when every count was admitted and convicted on the accused's own plea (CPC s.207)
# or a plea agreement (s.137A–O): no trial, no judgment.
ALLOWED_MOVES: dict[Stage, frozenset[Stage]] = {
    Stage.INVESTIGATION: frozenset({Stage.CHARGING_DECISION}),
    Stage.CHARGING_DECISION: frozenset({Stage.PRE_TRIAL, Stage.INVESTIGATION}),
    Stage.PRE_TRIAL: frozenset({Stage.TRIAL, Stage.SENTENCING}),
    Stage.TRIAL: frozenset({Stage.JUDGMENT}),
    Stage.JUDGMENT: frozenset({Stage.SENTENCING, Stage.APPEAL}),
    Stage.SENTENCING: frozenset({Stage.APPEAL}),
    Stage.APPEAL: frozenset({Stage.TRIAL}),
    Stage.CLOSED: frozenset(),
}
for _stage in OPEN_STAGES:
    ALLOWED_MOVES[Stage(_stage)] = ALLOWED_MOVES[Stage(_stage)] | {Stage.CLOSED}

# The length of a history row's reason (simple-history's ``history_change_reason``).
HISTORY_REASON_LENGTH = 100

# Pleas that admit the count: the court convicts on them (s.207(2), s.137H); there is nothing to try.
ADMISSIONS = frozenset({Plea.GUILTY, Plea.GUILTY_PLEA_AGREEMENT})
OWN_PLEA_CONVICTIONS = frozenset({Disposition.CONVICTED_OWN_PLEA, Disposition.CONVICTED_PLEA_AGREEMENT})


def allowed_next_stages(case: Case) -> list[Stage]:
    """The stages the table lets this case move to next, in the order of the stage list (whether or not
    the case is ready for them: see :func:`allowed_moves`)."""
    allowed = ALLOWED_MOVES[Stage(case.stage)]
    return [stage for stage in Stage if stage in allowed]


def allowed_moves(case: Case) -> list[Stage]:
    """The moves this case can make now: in the table and ready for them. What the stage form offers,
    decided by the same guards :func:`move_stage` applies (closing is always possible from an open
    stage: some closure reason always fits)."""
    return [stage for stage in allowed_next_stages(case) if move_refusal(case, stage) is None]


def blocked_moves(case: Case) -> list[tuple[Stage, str]]:
    """The moves the table allows but the case is not ready for, each with what is missing."""
    blocked = []
    for stage in allowed_next_stages(case):
        refusal = move_refusal(case, stage)
        if refusal is not None:
            blocked.append((stage, refusal))
    return blocked


def _counts_listed(charges: list[Charge]) -> str:
    """“John Mwangi count 1, count 2; Mary Achieng count 1” (at most a handful, then how many more)."""
    by_accused: dict[str, list[str]] = {}
    for charge in charges:
        by_accused.setdefault(charge.accused.name, []).append(
            gettext("count %(number)s") % {"number": charge.count_number}
        )
    parts = [f"{name} {', '.join(counts)}" for name, counts in by_accused.items()]
    shown = "; ".join(parts[:4])
    if len(parts) <= 4:
        return shown
    return gettext("%(shown)s and %(more)s more accused") % {"shown": shown, "more": len(parts) - 4}


def _pending(case: Case) -> list[Charge]:
    """The counts still to be decided (no outcome yet): the ones at trial."""
    charges = Charge.objects.filter(accused__case=case, disposition=Disposition.PENDING)
    return list(charges.select_related("accused").order_by("accused_id", "count_number"))


def _pre_trial_refusal(case: Case) -> str | None:
    """Pre-trial (plea) needs a charged accused and the case registered in court (station and number)."""
    if not Charge.objects.filter(accused__case=case).exists():
        return gettext(
            "A case goes to pre-trial only once it is charged: add at least one accused with at least one count."
        )
    no_court, no_number = case.court_id is None, not case.court_case_serial.strip()
    if no_court and no_number:
        return gettext(
            "A case goes to pre-trial (plea) only once it is registered in court: the court (station) and the "
            "court case number are missing. Set them under Edit details."
        )
    if no_court:
        return gettext(
            "A case goes to pre-trial (plea) only once it is registered in court: the court (station) is missing. "
            "Set it under Edit details."
        )
    if no_number:
        return gettext(
            "A case goes to pre-trial (plea) only once it is registered in court: the court case number is missing. "
            "Set it under Edit details."
        )
    return None


def _trial_refusal(case: Case) -> str | None:
    """Trial needs a plea on every count still at trial, and a count that was denied."""
    pending = _pending(case)
    if not pending:
        return gettext("Every count already has an outcome: there is nothing left to try.")
    no_plea = [charge for charge in pending if charge.plea == Plea.NOT_TAKEN]
    if no_plea:
        return gettext(
            "A trial starts only once every accused has pleaded to every count still pending; no plea yet "
            "on: %(counts)s. Record the pleas (Accused & charges tab) first."
        ) % {"counts": _counts_listed(no_plea)}
    if all(charge.plea in ADMISSIONS for charge in pending):
        return gettext(
            "Every count still pending was admitted, so there is nothing to try: convict on own plea "
            "(CPC s.207) or on the plea agreement and go to sentencing."
        )
    return None


def _straight_to_sentencing_refusal(case: Case) -> str | None:
    """From pre-trial to sentencing only when no count is left to try and one was admitted and convicted."""
    pending = _pending(case)
    if pending:
        return gettext(
            "A case goes from pre-trial straight to sentencing only when every count has an outcome; still "
            "pending: %(counts)s. Convict the admitted counts on own plea, or go to trial."
        ) % {"counts": _counts_listed(pending)}
    if not Charge.objects.filter(accused__case=case, disposition__in=OWN_PLEA_CONVICTIONS).exists():
        return gettext(
            "A case goes from pre-trial straight to sentencing only on a conviction on own plea or on a plea "
            "agreement: record one first."
        )
    return None


def move_refusal(case: Case, to_stage: Stage) -> str | None:
    """Why the case is not ready for the move to ``to_stage`` (``None`` when it is). The stage's own
    guards only: whether the move is in the table, its date and the closure reason are checked by
    :func:`move_stage`."""
    current = Stage(case.stage)
    if to_stage == Stage.PRE_TRIAL:
        return _pre_trial_refusal(case)
    if to_stage == Stage.TRIAL and current == Stage.PRE_TRIAL:
        return _trial_refusal(case)
    if to_stage == Stage.SENTENCING and current == Stage.PRE_TRIAL:
        return _straight_to_sentencing_refusal(case)
    if (
        to_stage == Stage.SENTENCING
        and not Charge.objects.filter(accused__case=case, disposition__in=CONVICTIONS).exists()
    ):
        return gettext("Sentencing needs a conviction: record a conviction on at least one count first.")
    return None


def _check_guards(case: Case, to_stage: Stage, closure_reason: str) -> None:
    refusal = move_refusal(case, to_stage)
    if refusal is not None:
        raise StageGuardFailed(refusal)
    if to_stage == Stage.CLOSED:
        if not closure_reason:
            raise StageGuardFailed(gettext("Give the reason for closing the case."), "closure_reason")
        if closure_reason not in ClosureReason.values:
            raise StageGuardFailed(gettext("Unknown closure reason."), "closure_reason")
        if closure_reason == ClosureReason.CONCLUDED:
            pending = Charge.objects.filter(accused__case=case, disposition=Disposition.PENDING).count()
            if pending:
                raise StageGuardFailed(
                    ngettext(
                        "A case closes as concluded only when every count has an outcome: %(pending)s count is "
                        "still pending.",
                        "A case closes as concluded only when every count has an outcome: %(pending)s counts are "
                        "still pending.",
                        pending,
                    )
                    % {"pending": pending},
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
        raise IllegalStageMove(gettext("“%(stage)s” is not a stage.") % {"stage": to_stage}) from None
    current = Stage(locked.stage)
    if target not in ALLOWED_MOVES[current]:
        legal = ", ".join(str(s.label) for s in allowed_next_stages(locked)) or gettext("none")
        raise IllegalStageMove(
            gettext("A case cannot go from %(current)s to %(target)s. From %(current)s it can go to: %(legal)s.")
            % {"current": current.label, "target": target.label, "legal": legal}
        )
    not_in_future(effective_on, gettext("date of the move"), field="effective_on")
    not_before_opening(locked, effective_on, gettext("date of the move"), "effective_on")
    last_move = locked.stage_changes.order_by("-effective_on", "-id").first()
    if last_move is not None and effective_on < last_move.effective_on:
        raise DateOutOfOrder(
            gettext("The date of the move (%(day)s) is before the last stage move (%(last)s).")
            % {"day": f"{effective_on:%d %b %Y}", "last": f"{last_move.effective_on:%d %b %Y}"},
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
    # The history row's reason holds 100 characters; the StageChange keeps the whole note.
    reason = Truncator(note or f"Moved to {stored_text(target.label)}").chars(HISTORY_REASON_LENGTH)
    locked.save_as(user, reason, update_fields=update_fields)
    change = StageChange(
        case=locked,
        from_stage=current,
        to_stage=target,
        effective_on=effective_on,
        changed_by=user,
        closure_reason=closure_reason,
        note=note,
    )
    change.save_as(user, reason)
    case.stage, case.closed_on, case.closure_reason = locked.stage, locked.closed_on, locked.closure_reason
    case.last_activity_on = locked.last_activity_on
    return change


@transaction.atomic
def reopen_case(case: Case, user: User, *, reason: str, effective_on: dt.date | None = None) -> StageChange:
    """The unit head reopens a closed case, back to the stage it was closed from, with a reason."""
    locked = lock_case(case)
    if locked.stage != Stage.CLOSED:
        raise ReopenNotAllowed(gettext("%(reference)s is not closed.") % {"reference": locked.reference})
    if not has_role(user, [Role.UNIT_HEAD]):
        raise ReopenNotAllowed(gettext("Only the unit head can reopen a closed case."))
    if not reason.strip():
        raise ReopenNotAllowed(gettext("Give the reason for reopening the case."), "reason")
    effective_on = effective_on or today()
    not_in_future(effective_on, gettext("reopening date"), field="effective_on")
    if locked.closed_on and effective_on < locked.closed_on:
        raise DateOutOfOrder(
            gettext("The reopening date is before the case was closed (%(closed)s).")
            % {"closed": f"{locked.closed_on:%d %b %Y}"},
            "effective_on",
        )
    closing = locked.stage_changes.filter(to_stage=Stage.CLOSED).order_by("-effective_on", "-id").first()
    back_to = Stage(closing.from_stage) if closing and closing.from_stage else Stage.INVESTIGATION
    locked.stage = back_to
    locked.closed_on = None
    locked.closure_reason = ""
    locked.last_activity_on = max(locked.last_activity_on, effective_on)
    locked.save_as(user, Truncator(f"Reopened: {reason}").chars(HISTORY_REASON_LENGTH))
    change = StageChange(
        case=locked,
        from_stage=Stage.CLOSED,
        to_stage=back_to,
        effective_on=effective_on,
        changed_by=user,
        note=f"Reopened: {reason}",
    )
    change.save_as(user, Truncator(reason).chars(HISTORY_REASON_LENGTH))
    case.stage, case.closed_on, case.closure_reason = locked.stage, None, ""
    case.last_activity_on = locked.last_activity_on
    return change
