"""Court hearings: scheduling them, recording what happened and the next date given, and flagging
adjournments beyond CPC s.205."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from core.guards import not_in_future
from core.models import User
from prosecutions.choices import AdjournmentReason, CustodyStatus, HearingOutcome, HearingPurpose, Stage
from prosecutions.exceptions import HearingNotAllowed
from prosecutions.models import Case, Court, Hearing
from prosecutions.services.shared import editable_locked_case, not_before_opening, touch

# CPC s.205: adjournments of at most 30 clear days, 15 when an accused is remanded in custody.
ADJOURNMENT_LIMIT_DAYS = 30
ADJOURNMENT_LIMIT_REMANDED_DAYS = 15


def adjournment_limit(case: Case) -> int:
    """Clear days CPC s.205 allows for this case now: 15 if any accused is remanded, else 30."""
    remanded = case.accused.filter(custody_status=CustodyStatus.REMANDED).exists()
    return ADJOURNMENT_LIMIT_REMANDED_DAYS if remanded else ADJOURNMENT_LIMIT_DAYS


def clear_days(start: dt.date, end: dt.date) -> int:
    """Days strictly between two dates (neither counted), as the CPC counts "clear days"."""
    return max((end - start).days - 1, 0)


HEARING_STAGES = frozenset({Stage.PRE_TRIAL, Stage.TRIAL, Stage.JUDGMENT, Stage.SENTENCING, Stage.APPEAL})


def _apply_outcome(
    case: Case,
    hearing: Hearing,
    *,
    outcome: str,
    adjournment_reason: str,
    next_date: dt.date | None,
) -> None:
    result = HearingOutcome(outcome)
    if result != HearingOutcome.SCHEDULED:
        not_in_future(hearing.date, "hearing date", field="date")
    if next_date is not None and next_date <= hearing.date:
        raise HearingNotAllowed("The next date must be after the hearing date.", "next_date")
    if result == HearingOutcome.ADJOURNED:
        if not adjournment_reason:
            raise HearingNotAllowed("Give the reason the hearing was adjourned.", "adjournment_reason")
        if next_date is None:
            raise HearingNotAllowed("Give the date the hearing was adjourned to.", "next_date")
    elif adjournment_reason:
        raise HearingNotAllowed("An adjournment reason goes only with an adjourned hearing.", "adjournment_reason")
    if adjournment_reason and adjournment_reason not in AdjournmentReason.values:
        raise HearingNotAllowed("Unknown adjournment reason.", "adjournment_reason")
    hearing.outcome = result
    hearing.adjournment_reason = adjournment_reason
    hearing.next_date = next_date
    if next_date is not None:
        hearing.adjournment_clear_days = clear_days(hearing.date, next_date)
        hearing.exceeds_adjournment_limit = hearing.adjournment_clear_days > adjournment_limit(case)
    else:
        hearing.adjournment_clear_days = None
        hearing.exceeds_adjournment_limit = False


def _schedule_follow_up(case: Case, hearing: Hearing, user: User) -> None:
    """The next date given in court becomes the next scheduled hearing (once)."""
    if hearing.next_date is None or case.hearings.filter(date=hearing.next_date).exists():
        return
    Hearing(case=case, date=hearing.next_date, court=hearing.court, purpose=hearing.purpose).save_as(
        user, f"Next date given on {hearing.date:%d %b %Y}"
    )


@transaction.atomic
def record_hearing(
    case: Case,
    user: User,
    *,
    date: dt.date,
    purpose: str,
    court: Court | None = None,
    outcome: str = HearingOutcome.SCHEDULED,
    adjournment_reason: str = "",
    next_date: dt.date | None = None,
    notes: str = "",
) -> Hearing:
    """Schedule a hearing, or record one that took place with its outcome and the next date given."""
    locked = editable_locked_case(case, user)
    if Stage(locked.stage) not in HEARING_STAGES:
        raise HearingNotAllowed(
            f"Court hearings start once the case is charged (pre-trial); this case is at {Stage(locked.stage).label}."
        )
    court = court or locked.court
    if court is None:
        raise HearingNotAllowed("Choose the court sitting.", "court")
    not_before_opening(locked, date, "hearing date", "date")
    if purpose not in HearingPurpose.values:
        raise HearingNotAllowed("Choose the purpose of the hearing.", "purpose")
    hearing = Hearing(case=locked, date=date, court=court, purpose=purpose, notes=notes)
    _apply_outcome(locked, hearing, outcome=outcome, adjournment_reason=adjournment_reason, next_date=next_date)
    hearing.save_as(user, "Hearing recorded")
    _schedule_follow_up(locked, hearing, user)
    if hearing.outcome != HearingOutcome.SCHEDULED:
        touch(locked, date, user)
        case.last_activity_on = locked.last_activity_on
    return hearing


@transaction.atomic
def record_hearing_outcome(
    hearing: Hearing,
    user: User,
    *,
    outcome: str,
    adjournment_reason: str = "",
    next_date: dt.date | None = None,
    notes: str = "",
) -> Hearing:
    """Record what happened at a scheduled hearing."""
    case = editable_locked_case(hearing.case, user)
    hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
    if outcome == HearingOutcome.SCHEDULED:
        raise HearingNotAllowed("Choose what happened at the hearing.", "outcome")
    _apply_outcome(case, hearing, outcome=outcome, adjournment_reason=adjournment_reason, next_date=next_date)
    if notes:
        hearing.notes = notes
    hearing.save_as(user, "Hearing outcome recorded")
    _schedule_follow_up(case, hearing, user)
    touch(case, hearing.date, user)
    return hearing
