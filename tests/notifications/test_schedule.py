"""The dated events the schedule finds — hearings, preservation deadlines, requests still waiting — each
told once, however often the jobs run."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from core.models import User
from notifications import schedule, services
from notifications.choices import Delivery, EmailMode, Event
from notifications.models import Notification
from prosecutions import services as prosecution_services
from tests.assets.factories import preserve, seize
from tests.notifications.conftest import told
from tests.prosecutions.factories import charged_case
from tests.trustfund.factories import request

pytestmark = pytest.mark.django_db


def _today() -> dt.date:
    return timezone.localdate()


def test_hearings_tomorrow_and_in_a_week_tell_the_lead_and_team_once(
    prosecutor: User, other_prosecutor: User, unit_head: User
) -> None:
    case = charged_case(prosecutor)
    prosecution_services.assign_prosecutors(
        case, unit_head, lead_prosecutor=prosecutor, team=[other_prosecutor], reason="Second chair"
    )
    today = _today()
    for days in (1, 3, 7):
        prosecution_services.record_hearing(case, prosecutor, date=today + dt.timedelta(days=days), purpose="mention")
    outcome = str(schedule.hearing_reminders(today))
    assert outcome.startswith("Hearing reminders: 4 notifications")
    for person in (prosecutor, other_prosecutor):
        assert sorted(n.event for n in told(person)) == [Event.HEARING_IN_A_WEEK, Event.HEARING_TOMORROW]
    tomorrow = next(n for n in told(prosecutor) if n.event == Event.HEARING_TOMORROW)
    assert tomorrow.title.startswith(f"{case.reference}: mention tomorrow")
    assert str(schedule.hearing_reminders(today)).startswith("Hearing reminders: 0 notifications")
    assert Notification.objects.count() == 4


@pytest.mark.parametrize(
    ("granted_days_ago", "event", "expected_title_end"),
    [
        (60, Event.PRESERVATION_EXPIRING, "expires in 30 days"),
        (76, Event.PRESERVATION_EXPIRING, "expires in 14 days"),
        (83, Event.PRESERVATION_EXPIRING, "expires in 7 days"),
        (89, Event.PRESERVATION_EXPIRING, "expires in 1 day"),
        (95, Event.PRESERVATION_LAPSED, "lapsed"),
    ],
)
def test_a_preservation_order_is_announced_at_each_notice(
    prosecutor: User, granted_days_ago: int, event: str, expected_title_end: str
) -> None:
    asset = seize(charged_case(prosecutor))
    preserve(asset, granted_days_ago=granted_days_ago)
    schedule.preservation_alerts(_today())
    [note] = told(prosecutor)
    assert note.event == event
    assert note.title.startswith(f"{asset.reference} (")
    assert expected_title_end in note.title
    assert str(schedule.preservation_alerts(_today())) == "Preservation alerts: 0 notifications."


def test_a_missed_day_is_made_up_once_and_the_next_notice_follows(prosecutor: User) -> None:
    asset = seize(charged_case(prosecutor))
    preserve(asset, granted_days_ago=65)  # 25 days left: the 30-day notice is due, though its day was missed
    today = _today()
    schedule.preservation_alerts(today)
    schedule.preservation_alerts(today + dt.timedelta(days=5))  # 20 left: nothing new
    schedule.preservation_alerts(today + dt.timedelta(days=11))  # 14 left
    assert [n.title.rsplit("expires ", 1)[1] for n in told(prosecutor)] == ["in 25 days", "in 14 days"]


def test_no_notice_before_thirty_days(prosecutor: User) -> None:
    preserve(seize(charged_case(prosecutor)), granted_days_ago=10)
    schedule.preservation_alerts(_today())
    assert told(prosecutor) == []


def test_deadline_email_cannot_be_turned_off_for_the_lead_but_can_for_the_team(
    prosecutor: User, other_prosecutor: User, unit_head: User
) -> None:
    case = charged_case(prosecutor)
    prosecution_services.assign_prosecutors(case, unit_head, lead_prosecutor=prosecutor, team=[other_prosecutor])
    for person in (prosecutor, other_prosecutor):
        services.set_email_mode(person, EmailMode.OFF)
    preserve(seize(case), granted_days_ago=83)
    schedule.preservation_alerts(_today())
    [lead_note] = told(prosecutor)
    [team_note] = told(other_prosecutor)
    assert lead_note.delivery == Delivery.QUEUED and lead_note.email is not None
    assert team_note.delivery == Delivery.IN_APP and team_note.email is None


def test_approvals_waiting_catches_requests_the_moment_missed(fund_admin: User, fund_approver: User) -> None:
    disbursement = request(fund_admin, "1000")  # no commit in this test: the request's own notice never ran
    assert told(fund_approver) == []
    assert str(schedule.approvals_waiting()) == "Approvals waiting: 1 new notification."
    [note] = told(fund_approver)
    assert note.reference == disbursement.reference
    assert str(schedule.approvals_waiting()) == "Approvals waiting: 0 new notifications."


def test_the_jobs_are_on_the_schedule() -> None:
    from jobs.registry import scheduled_jobs

    ours = {job.name: job for job in scheduled_jobs() if job.name.startswith("notifications.")}
    assert set(ours) == {
        "notifications.send_outbox",
        "notifications.daily_digest",
        "notifications.hearing_reminders",
        "notifications.preservation_alerts",
        "notifications.approvals_waiting",
    }
    assert ours["notifications.daily_digest"].daily_at == dt.time(7, 0)
    assert ours["notifications.send_outbox"].every == dt.timedelta(minutes=1)
