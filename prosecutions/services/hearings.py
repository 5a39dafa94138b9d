"""Court hearings: scheduling them (date, time, courtroom), recording what happened and the next date given,
and flagging adjournments beyond CPC s.205. Also each user's personal calendar feed of their hearings: a
secret address calendar apps subscribe to, of which only the SHA-256 is kept."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from core.access import has_role
from core.guards import not_in_future
from core.models import User
from prosecutions.access import CASE_WRITERS, can_read_cases
from prosecutions.choices import AdjournmentReason, CustodyStatus, HearingOutcome, HearingPurpose, Stage
from prosecutions.exceptions import HearingNotAllowed
from prosecutions.models import CalendarFeed, Case, Court, Hearing
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


def hearing_refusal(case: Case) -> str | None:
    """Why no hearing can be recorded on this case now (``None`` when one can): hearings start once the
    case is charged in court. The rule :func:`record_hearing` applies and the case page offers by."""
    if Stage(case.stage) not in HEARING_STAGES:
        return gettext("Court hearings start once the case is charged (pre-trial); this case is at %(stage)s.") % {
            "stage": Stage(case.stage).label
        }
    return None


def can_schedule_hearing(case: Case) -> bool:
    """Whether a hearing can be scheduled or recorded on this case at its stage."""
    return hearing_refusal(case) is None


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
        not_in_future(hearing.date, gettext("hearing date"), field="date")
    if next_date is not None and next_date <= hearing.date:
        raise HearingNotAllowed(gettext("The next date must be after the hearing date."), "next_date")
    if result == HearingOutcome.ADJOURNED:
        if not adjournment_reason:
            raise HearingNotAllowed(gettext("Give the reason the hearing was adjourned."), "adjournment_reason")
        if next_date is None:
            raise HearingNotAllowed(gettext("Give the date the hearing was adjourned to."), "next_date")
    elif adjournment_reason:
        raise HearingNotAllowed(
            gettext("An adjournment reason goes only with an adjourned hearing."), "adjournment_reason"
        )
    if adjournment_reason and adjournment_reason not in AdjournmentReason.values:
        raise HearingNotAllowed(gettext("Unknown adjournment reason."), "adjournment_reason")
    hearing.outcome = result
    hearing.adjournment_reason = adjournment_reason
    hearing.next_date = next_date
    if next_date is not None:
        hearing.adjournment_clear_days = clear_days(hearing.date, next_date)
        hearing.exceeds_adjournment_limit = hearing.adjournment_clear_days > adjournment_limit(case)
    else:
        hearing.adjournment_clear_days = None
        hearing.exceeds_adjournment_limit = False


COURTROOM_MAX_LENGTH = 40  # Hearing.courtroom's column


def clean_courtroom(courtroom: str, field: str = "courtroom") -> str:
    """The courtroom as one tidy line ("Court 3"), or a refusal when it is too long or holds control
    characters."""
    if any(ord(char) < 32 and not char.isspace() for char in courtroom):
        raise HearingNotAllowed(gettext("Give the courtroom as plain text, e.g. “Court 3”."), field)
    text = " ".join(courtroom.split())
    if len(text) > COURTROOM_MAX_LENGTH:
        raise HearingNotAllowed(
            gettext("Give the courtroom in at most %(max)s characters, e.g. “Court 3”.")
            % {"max": COURTROOM_MAX_LENGTH},
            field,
        )
    return text


def _next_sitting_given(next_date: dt.date | None, next_time: dt.time | None, next_courtroom: str) -> None:
    """A time or courtroom for the next sitting goes with the next date given in court."""
    if next_date is None and next_time is not None:
        raise HearingNotAllowed(gettext("Give the next date the next time goes with."), "next_time")
    if next_date is None and next_courtroom:
        raise HearingNotAllowed(gettext("Give the next date the next courtroom goes with."), "next_courtroom")


def _schedule_follow_up(
    case: Case, hearing: Hearing, user: User, *, time: dt.time | None = None, courtroom: str = ""
) -> None:
    """The next date given in court becomes the next scheduled hearing (once), at the time and in the
    courtroom given with it (the same courtroom unless another is given)."""
    if hearing.next_date is None or case.hearings.filter(date=hearing.next_date).exists():
        return
    Hearing(
        case=case,
        date=hearing.next_date,
        time=time,
        court=hearing.court,
        courtroom=courtroom or hearing.courtroom,
        purpose=hearing.purpose,
    ).save_as(user, f"Next date given on {hearing.date:%d %b %Y}")


@transaction.atomic
def record_hearing(
    case: Case,
    user: User,
    *,
    date: dt.date,
    purpose: str,
    court: Court | None = None,
    time: dt.time | None = None,
    courtroom: str = "",
    outcome: str = HearingOutcome.SCHEDULED,
    adjournment_reason: str = "",
    next_date: dt.date | None = None,
    next_time: dt.time | None = None,
    next_courtroom: str = "",
    notes: str = "",
) -> Hearing:
    """Schedule a hearing (its date, and the time and courtroom when known), or record one that took place
    with its outcome and the next date given (with the time and courtroom given for it)."""
    locked = editable_locked_case(case, user)
    refusal = hearing_refusal(locked)
    if refusal is not None:
        raise HearingNotAllowed(refusal)
    court = court or locked.court
    if court is None:
        raise HearingNotAllowed(gettext("Choose the court sitting."), "court")
    not_before_opening(locked, date, gettext("hearing date"), "date")
    if purpose not in HearingPurpose.values:
        raise HearingNotAllowed(gettext("Choose the purpose of the hearing."), "purpose")
    courtroom = clean_courtroom(courtroom)
    next_courtroom = clean_courtroom(next_courtroom, "next_courtroom")
    _next_sitting_given(next_date, next_time, next_courtroom)
    hearing = Hearing(case=locked, date=date, time=time, court=court, courtroom=courtroom, purpose=purpose, notes=notes)
    _apply_outcome(locked, hearing, outcome=outcome, adjournment_reason=adjournment_reason, next_date=next_date)
    hearing.save_as(user, "Hearing recorded")
    _schedule_follow_up(locked, hearing, user, time=next_time, courtroom=next_courtroom)
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
    next_time: dt.time | None = None,
    next_courtroom: str = "",
    notes: str = "",
) -> Hearing:
    """Record what happened at a scheduled hearing, and the next date given (with its time and courtroom)."""
    case = editable_locked_case(hearing.case, user)
    hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
    if outcome == HearingOutcome.SCHEDULED:
        raise HearingNotAllowed(gettext("Choose what happened at the hearing."), "outcome")
    next_courtroom = clean_courtroom(next_courtroom, "next_courtroom")
    _next_sitting_given(next_date, next_time, next_courtroom)
    _apply_outcome(case, hearing, outcome=outcome, adjournment_reason=adjournment_reason, next_date=next_date)
    if notes:
        hearing.notes = notes
    hearing.save_as(user, "Hearing outcome recorded")
    _schedule_follow_up(case, hearing, user, time=next_time, courtroom=next_courtroom)
    touch(case, hearing.date, user)
    return hearing


# --- The personal calendar feed --------------------------------------------------------------------

# A token is 32 random bytes, URL-safe base64 (43 characters); its SHA-256 is all that is stored.
FEED_TOKEN_BYTES = 32
FEED_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
# A calendar app polls every few minutes at most; fetches closer together than this are refused (429).
FEED_MIN_INTERVAL = dt.timedelta(seconds=30)


def feed_digest(token: str) -> str:
    """The SHA-256 (hex) of a feed token: what the database keeps instead of the token."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_calendar_feed(user: User) -> str:
    """A new secret address for the user's hearings calendar; the earlier one, if any, stops working.

    Returns the token, to be shown once: only its SHA-256 is kept."""
    if not has_role(user, CASE_WRITERS):
        raise HearingNotAllowed(gettext("Only prosecutors and the unit head have a hearings diary to subscribe to."))
    User.objects.select_for_update().filter(pk=user.pk).first()  # one new token at a time per user
    token = secrets.token_urlsafe(FEED_TOKEN_BYTES)
    CalendarFeed.objects.filter(user=user).delete()
    CalendarFeed.objects.create(user=user, token_digest=feed_digest(token))
    return token


@transaction.atomic
def revoke_calendar_feed(user: User) -> bool:
    """Stop the user's calendar feed address from working. True when there was one."""
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def open_calendar_feed(token: str) -> CalendarFeed | None:
    """The feed a token opens, with its owner — or None for a malformed, unknown or revoked token, or an
    owner who is inactive or no longer holds a role that reads cases."""
    if not FEED_TOKEN_PATTERN.fullmatch(token):
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token_digest=feed_digest(token)).first()
    if feed is None or not feed.user.is_active or not can_read_cases(feed.user):
        return None
    return feed


def mark_calendar_feed_used(feed: CalendarFeed, now: dt.datetime) -> bool:
    """Record that the feed was fetched ``now``. False, recording nothing, when the previous fetch was less
    than ``FEED_MIN_INTERVAL`` ago (a misbehaving client, or someone trying tokens)."""
    recent = Q(last_used_at__gt=now - FEED_MIN_INTERVAL) & Q(last_used_at__lte=now)
    updated = CalendarFeed.objects.filter(pk=feed.pk).exclude(recent).update(last_used_at=now)
    return bool(updated)
