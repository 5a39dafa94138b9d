"""The notifications' scheduled work: dated events found by looking (hearings, preservation deadlines,
requests still waiting), the daily digest and the outbox. Each function returns a one-line outcome for the
Scheduled jobs page and may run any number of times: the notification keys make every re-run tell nobody
twice. ``register_jobs`` puts them on the schedule (``jobs.registry``) from ``NotificationsConfig.ready``.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from assets.deadlines import days_left, deadline_orders
from core.models import User
from notifications import events, services
from notifications.choices import Event
from notifications.services import Message, notify
from prosecutions.choices import HearingOutcome, Stage
from prosecutions.models import Case, Hearing
from trustfund.choices import DisbursementStatus
from trustfund.models import Disbursement

HEARING_NOTICE_DAYS = (1, 7)
DEADLINE_NOTICE_DAYS = (1, 7, 14, 30)  # a preservation order is announced at each of these, then when lapsed


def _people_of(case: Case) -> list[User]:
    """The lead prosecutor and the team: the people whose case it is."""
    return [case.lead_prosecutor, *case.team.all()]


def hearing_reminders(today: dt.date | None = None) -> str:
    """A hearing of mine tomorrow, and in 7 days: the lead prosecutor and the team are told."""
    day = today or timezone.localdate()
    made = 0
    for ahead in HEARING_NOTICE_DAYS:
        on = day + dt.timedelta(days=ahead)
        hearings = (
            Hearing.objects.filter(date=on, outcome=HearingOutcome.SCHEDULED)
            .exclude(case__stage=Stage.CLOSED)
            .select_related("case", "case__lead_prosecutor", "court")
            .prefetch_related("case__team")
        )
        for hearing in hearings:
            case = hearing.case
            when = "tomorrow" if ahead == 1 else f"in {ahead} days"
            at = f" at {hearing.time:%H:%M}" if hearing.time else ""
            message = Message(
                event=Event.HEARING_TOMORROW if ahead == 1 else Event.HEARING_IN_A_WEEK,
                key=f"hearing:{hearing.pk}:{hearing.date.isoformat()}:{ahead}",
                title=f"{case.reference}: {hearing.get_purpose_display().lower()} {when} ({hearing.date:%d %b %Y})",
                body=(
                    f"{hearing.get_purpose_display()} on {hearing.date:%A %d %b %Y}{at}, {hearing.court}"
                    f"{', ' + hearing.courtroom if hearing.courtroom else ''}."
                ),
                reference=case.reference,
                url=hearing.get_absolute_url(),
            )
            made += len(notify(_people_of(case), message))
    return f"Hearing reminders: {made} notification(s)."


def _notice_day(left: int) -> int | None:
    """The notice a preservation order with ``left`` days to go is due (30, 14, 7 or 1), None for none yet."""
    for notice in DEADLINE_NOTICE_DAYS:
        if left <= notice:
            return notice
    return None


def preservation_alerts(today: dt.date | None = None) -> str:
    """A preservation order of my case expiring in 30, 14, 7 and 1 days, and lapsed (no forfeiture
    application): the lead prosecutor (who cannot turn these e-mails off) and the team are told. A day the
    schedule missed is made up: the nearest notice not yet given is given once."""
    day = today or timezone.localdate()
    made = 0
    for order in deadline_orders(max(DEADLINE_NOTICE_DAYS), day).prefetch_related("asset__case__team"):
        asset, case = order.asset, order.asset.case
        left = days_left(order, day)
        assert order.expires_on is not None
        if left < 0:
            event, key = Event.PRESERVATION_LAPSED, f"preservation:{order.pk}:lapsed"
            title = f"{asset.reference} ({case.reference}): preservation order lapsed on {order.expires_on:%d %b %Y}"
            body = "The preservation order expired with no forfeiture application recorded."
        else:
            notice = _notice_day(left)
            if notice is None:
                continue
            event, key = Event.PRESERVATION_EXPIRING, f"preservation:{order.pk}:{notice}"
            when = "today" if left == 0 else f"in {left} day{'s' if left != 1 else ''}"
            title = f"{asset.reference} ({case.reference}): preservation order expires {when}"
            body = (
                f"Order {order.order_number} expires on {order.expires_on:%d %b %Y}. File the forfeiture "
                "application in time, or record what happened."
            )
        message = Message(
            event=event,
            key=key,
            title=title,
            body=body,
            reference=asset.reference,
            url=order.get_absolute_url(),
            always_email=frozenset({case.lead_prosecutor_id}),
        )
        made += len(notify(_people_of(case), message))
    return f"Preservation alerts: {made} notification(s)."


def approvals_waiting() -> str:
    """Disbursements waiting for my approval: each approver is told of each request once (the request
    itself tells them at once; this catches any the moment missed)."""
    made = 0
    for disbursement in Disbursement.objects.filter(status=DisbursementStatus.REQUESTED).select_related("requested_by"):
        made += len(events.disbursement_awaiting(disbursement))
    return f"Approvals waiting: {made} new notification(s)."


def send_outbox() -> str:
    return services.send_outbox()


def daily_digest() -> str:
    return services.send_daily_digests()


def register_jobs() -> None:
    """Put the notifications' work on the schedule, when the jobs app is there to run it."""
    try:
        from jobs.registry import ScheduledJob, register
    except ImportError:  # pragma: no cover — the schedule is another app's; without it nothing runs by itself
        return
    register(
        ScheduledJob("notifications.send_outbox", "Send queued e-mail", send_outbox, every=dt.timedelta(minutes=1))
    )
    register(
        ScheduledJob(
            "notifications.daily_digest", "Daily digest of notifications", daily_digest, daily_at=dt.time(7, 0)
        )
    )
    register(
        ScheduledJob(
            "notifications.hearing_reminders",
            "Hearing reminders (tomorrow, in 7 days)",
            hearing_reminders,
            daily_at=dt.time(6, 0),
        )
    )
    register(
        ScheduledJob(
            "notifications.preservation_alerts",
            "Preservation-order alerts (30/14/7/1 days, lapsed)",
            preservation_alerts,
            daily_at=dt.time(6, 5),
        )
    )
    register(
        ScheduledJob(
            "notifications.approvals_waiting",
            "Disbursements waiting for approval",
            approvals_waiting,
            every=dt.timedelta(hours=1),
        )
    )
