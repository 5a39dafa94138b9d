"""The hearings diary underneath its pages: hearings with a time and a courtroom, the periods and grids of
the calendar views, "outcome not recorded", and the personal calendar feed's tokens."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from core.grants import services as grant_services
from core.models import RoleGrant
from core.roles import Role
from prosecutions import diary, services
from prosecutions.demo.builder import SITTING_TIMES, demo_courtroom, demo_time
from prosecutions.diary import DiaryView, Period
from prosecutions.exceptions import HearingNotAllowed
from prosecutions.models import CalendarFeed, Hearing
from prosecutions.services import hearings as hearing_services
from tests.factories import granting_officers
from tests.prosecutions.factories import case_at_trial, days_ago

pytestmark = pytest.mark.django_db

NINE_THIRTY = dt.time(9, 30)


# --- time and courtroom ---------------------------------------------------------------------------


def test_it_schedules_a_hearing_at_a_time_in_a_courtroom(prosecutor) -> None:
    case = case_at_trial(prosecutor)
    hearing = services.record_hearing(
        case, prosecutor, date=days_ago(-7), purpose="hearing", time=NINE_THIRTY, courtroom="  Court   3 "
    )
    hearing.refresh_from_db()
    assert (hearing.time, hearing.courtroom) == (NINE_THIRTY, "Court 3")


def test_time_and_courtroom_are_optional(prosecutor) -> None:
    hearing = services.record_hearing(case_at_trial(prosecutor), prosecutor, date=days_ago(-7), purpose="mention")
    hearing.refresh_from_db()
    assert hearing.time is None and hearing.courtroom == ""


def test_the_next_date_given_becomes_a_hearing_at_the_time_and_in_the_courtroom_given(prosecutor) -> None:
    case = case_at_trial(prosecutor)
    services.record_hearing(
        case,
        prosecutor,
        date=days_ago(3),
        purpose="hearing",
        courtroom="Court 2",
        outcome="adjourned",
        adjournment_reason="witness_absent",
        next_date=days_ago(-10),
        next_time=dt.time(14, 0),
        next_courtroom="Court 5",
    )
    follow_up = case.hearings.get(date=days_ago(-10))
    assert (follow_up.time, follow_up.courtroom, follow_up.outcome) == (dt.time(14, 0), "Court 5", "scheduled")


def test_an_outcome_keeps_the_courtroom_for_the_next_date_unless_another_is_given(prosecutor) -> None:
    case = case_at_trial(prosecutor)
    held = services.record_hearing(case, prosecutor, date=days_ago(2), purpose="mention", courtroom="Court 1")
    services.record_hearing_outcome(
        held, prosecutor, outcome="adjourned", adjournment_reason="defence_application", next_date=days_ago(-5)
    )
    follow_up = case.hearings.get(date=days_ago(-5))
    assert (follow_up.time, follow_up.courtroom) == (None, "Court 1")

    again = services.record_hearing(case, prosecutor, date=days_ago(1), purpose="mention", courtroom="Court 1")
    services.record_hearing_outcome(
        again,
        prosecutor,
        outcome="adjourned",
        adjournment_reason="defence_application",
        next_date=days_ago(-12),
        next_time=NINE_THIRTY,
        next_courtroom="Court 4",
    )
    assert case.hearings.filter(date=days_ago(-12), time=NINE_THIRTY, courtroom="Court 4").exists()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"courtroom": "C" * 41}, "courtroom", "at most 40 characters"),
        ({"courtroom": "Court\x003"}, "courtroom", "plain text"),
        ({"next_time": NINE_THIRTY}, "next_time", "Give the next date the next time goes with."),
        ({"next_courtroom": "Court 9"}, "next_courtroom", "Give the next date the next courtroom goes with."),
        (
            {"outcome": "adjourned", "adjournment_reason": "witness_absent", "next_courtroom": "X" * 41},
            "next_courtroom",
            "at most 40 characters",
        ),
    ],
)
def test_a_bad_time_or_courtroom_is_refused_and_nothing_is_saved(prosecutor, changes, field, words) -> None:
    case = case_at_trial(prosecutor)
    before = Hearing.objects.count()
    with pytest.raises(HearingNotAllowed) as refused:
        services.record_hearing(case, prosecutor, date=days_ago(2), purpose="mention", **changes)
    assert refused.value.field == field and words in refused.value.message
    assert Hearing.objects.count() == before


# --- outcome not recorded -------------------------------------------------------------------------


def test_outcome_missing_is_the_managers_outcome_not_recorded(prosecutor) -> None:
    case = case_at_trial(prosecutor)
    passed = services.record_hearing(case, prosecutor, date=days_ago(3), purpose="mention")
    held = services.record_hearing(case, prosecutor, date=days_ago(2), purpose="mention", outcome="proceeded")
    services.record_hearing(case, prosecutor, date=days_ago(0), purpose="mention")  # today: not yet missing
    services.record_hearing(case, prosecutor, date=days_ago(-4), purpose="mention")
    today = services.today()
    flagged = {h.pk for h in diary.with_outcome_missing(Hearing.objects.all(), today) if h.outcome_missing}  # type: ignore[attr-defined]
    assert flagged == set(Hearing.objects.outcome_not_recorded(today).values_list("pk", flat=True)) == {passed.pk}
    assert held.pk not in flagged
    labels = {h.pk: diary.outcome_label(h) for h in diary.with_outcome_missing(Hearing.objects.all(), today)}
    assert labels[passed.pk] == "Outcome not recorded" and labels[held.pk] == "Proceeded"


# --- periods and grids ----------------------------------------------------------------------------


def test_a_period_is_the_day_the_monday_to_sunday_week_or_the_month_around_a_date() -> None:
    thursday = dt.date(2026, 12, 3)
    assert Period.around(DiaryView.DAY, thursday) == Period("day", thursday, thursday)
    assert Period.around(DiaryView.WEEK, thursday) == Period("week", dt.date(2026, 11, 30), dt.date(2026, 12, 6))
    assert Period.around(DiaryView.MONTH, thursday) == Period("month", dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert Period.around(DiaryView.MONTH, dt.date(2028, 2, 10)).end == dt.date(2028, 2, 29)
    assert diary.default_range(thursday) == (dt.date(2026, 11, 30), dt.date(2026, 12, 13))


def test_previous_and_next_move_by_the_period_and_stop_at_the_edge_of_the_diary() -> None:
    december = Period.around(DiaryView.MONTH, dt.date(2026, 12, 3))
    assert december.shifted(1) == Period("month", dt.date(2027, 1, 1), dt.date(2027, 1, 31))
    assert december.shifted(-1) == Period("month", dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    week = Period.around(DiaryView.WEEK, dt.date(2026, 12, 3))
    assert week.shifted(1) == Period("week", dt.date(2026, 12, 7), dt.date(2026, 12, 13))
    day = Period.around(DiaryView.DAY, dt.date(2026, 12, 31))
    assert day.shifted(1) == Period("day", dt.date(2027, 1, 1), dt.date(2027, 1, 1))
    fortnight = Period("list", dt.date(2026, 11, 30), dt.date(2026, 12, 13))
    assert fortnight.shifted(-1) == Period("list", dt.date(2026, 11, 16), dt.date(2026, 11, 29))
    assert Period.around(DiaryView.MONTH, diary.LATEST).shifted(1) is None
    assert Period.around(DiaryView.DAY, diary.EARLIEST).shifted(-1) is None


def test_periods_have_titles_a_person_reads() -> None:
    thursday = dt.date(2026, 12, 3)
    assert Period.around(DiaryView.DAY, thursday).title == "Thursday 3 December 2026"
    assert Period.around(DiaryView.WEEK, thursday).title == "Week of 30 Nov 2026 – 6 Dec 2026"
    assert Period.around(DiaryView.MONTH, thursday).title == "December 2026"


class Row:
    def __init__(self, day: dt.date) -> None:
        self.date = day


def test_the_month_grid_is_whole_weeks_with_the_other_months_days_blank() -> None:
    december = Period.around(DiaryView.MONTH, dt.date(2026, 12, 3))
    rows = [Row(dt.date(2026, 12, 3)) for _ in range(6)] + [Row(dt.date(2026, 12, 31))]
    weeks = diary.month_weeks(december, rows)
    assert len(weeks) == 5 and all(len(week) == 7 for week in weeks)
    assert weeks[0][0].date == dt.date(2026, 11, 30) and not weeks[0][0].in_period
    assert weeks[-1][-1].date == dt.date(2027, 1, 3) and not weeks[-1][-1].in_period
    third = weeks[0][3]
    assert third.date == dt.date(2026, 12, 3) and len(third.shown) == diary.MONTH_CELL_LIMIT and third.more == 2
    assert len(weeks[4][3].hearings) == 1


def test_the_week_grid_is_monday_to_sunday() -> None:
    week = Period.around(DiaryView.WEEK, dt.date(2026, 12, 3))
    days = diary.week_days(week, [Row(dt.date(2026, 12, 5))])
    assert [d.date.weekday() for d in days] == list(range(7))
    assert [len(d.hearings) for d in days] == [0, 0, 0, 0, 0, 1, 0] and days[5].is_weekend


# --- the calendar feed's tokens -------------------------------------------------------------------


def test_only_the_sha256_of_a_feed_token_is_kept(prosecutor) -> None:
    token = services.issue_calendar_feed(prosecutor)
    feed = CalendarFeed.objects.get(user=prosecutor)
    assert feed.token_digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {feed.token_digest, str(feed.pk)} and len(token) == 43
    assert hearing_services.open_calendar_feed(token) == feed


def test_a_new_token_replaces_the_old_one_and_revoking_ends_it(prosecutor) -> None:
    first = services.issue_calendar_feed(prosecutor)
    second = services.issue_calendar_feed(prosecutor)
    assert first != second and CalendarFeed.objects.filter(user=prosecutor).count() == 1
    assert hearing_services.open_calendar_feed(first) is None
    assert hearing_services.open_calendar_feed(second) is not None
    assert services.revoke_calendar_feed(prosecutor) is True
    assert hearing_services.open_calendar_feed(second) is None
    assert services.revoke_calendar_feed(prosecutor) is False


def test_a_user_without_a_diary_gets_no_feed(liaison, auditor) -> None:
    for user in (liaison, auditor):
        with pytest.raises(HearingNotAllowed):
            services.issue_calendar_feed(user)
    assert not CalendarFeed.objects.exists()


@pytest.mark.parametrize("token", ["", "short", "x" * 43 + "/", "é" * 43, "A" * 44])
def test_a_malformed_or_unknown_token_opens_nothing(prosecutor, token: str) -> None:
    services.issue_calendar_feed(prosecutor)
    assert hearing_services.open_calendar_feed(token) is None


def test_the_feed_stops_when_its_owner_is_deactivated(prosecutor) -> None:
    token = services.issue_calendar_feed(prosecutor)
    prosecutor.is_active = False
    prosecutor.save()
    assert hearing_services.open_calendar_feed(token) is None


def test_the_feed_stops_when_its_owner_loses_the_role(prosecutor) -> None:
    token = services.issue_calendar_feed(prosecutor)
    officer, _ = granting_officers()
    grant = RoleGrant.objects.get(user=prosecutor, role=Role.PROSECUTOR, status="approved")
    grant_services.revoke_grant(grant, officer, reason="Moved to another unit")
    assert hearing_services.open_calendar_feed(token) is None


def test_fetches_closer_together_than_the_minimum_interval_are_refused(prosecutor) -> None:
    token = services.issue_calendar_feed(prosecutor)
    feed = hearing_services.open_calendar_feed(token)
    assert feed is not None and feed.last_used_at is None
    now = timezone.now()
    assert hearing_services.mark_calendar_feed_used(feed, now) is True
    assert CalendarFeed.objects.get(pk=feed.pk).last_used_at == now
    assert hearing_services.mark_calendar_feed_used(feed, now + dt.timedelta(seconds=5)) is False
    assert CalendarFeed.objects.get(pk=feed.pk).last_used_at == now
    later = now + hearing_services.FEED_MIN_INTERVAL + dt.timedelta(seconds=1)
    assert hearing_services.mark_calendar_feed_used(feed, later) is True
    assert CalendarFeed.objects.get(pk=feed.pk).last_used_at == later


# --- the demo's times and courtrooms --------------------------------------------------------------


def test_demo_hearings_get_court_hours_and_a_courtroom_that_stay_the_same(prosecutor) -> None:
    case = case_at_trial(prosecutor)
    days = [dt.date(2026, 12, 1) + dt.timedelta(days=n) for n in range(60)]
    times = [demo_time(case, day) for day in days]
    assert set(times) - {None} <= set(SITTING_TIMES) and len(set(times)) > 3
    assert 0 < times.count(None) < len(days) // 2  # some all-day entries, most timed
    assert times == [demo_time(case, day) for day in days] and demo_time(case, None) is None
    assert demo_courtroom(case) == demo_courtroom(case) and demo_courtroom(case).startswith("Court ")
