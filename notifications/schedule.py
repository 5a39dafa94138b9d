"""The notifications' scheduled work: dated events found by looking (hearings, preservation deadlines,
requests still waiting), the daily digest and the outbox. Each function returns a one-line outcome for the
Scheduled jobs page and may run any number of times: the notification keys make every re-run tell nobody
twice. ``register_jobs`` puts them on the schedule (``jobs.registry``) from ``NotificationsConfig.ready``.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext_lazy

from assets.deadlines import days_left, deadline_orders
from core.models import User
from core.translations import lazy_date, lazy_format
from jobs.outcome import Outcome
from notifications import events, services
from notifications.choices import Event
from notifications.services import Message, Text, notify
from prosecutions.choices import HearingOutcome, HearingPurpose, Stage
from prosecutions.models import Case, Hearing
from trustfund.choices import DisbursementStatus
from trustfund.models import Disbursement

HEARING_NOTICE_DAYS = (1, 7)
DEADLINE_NOTICE_DAYS = (1, 7, 14, 30)  # a preservation order is announced at each of these, then when lapsed


def _people_of(case: Case) -> list[User]:
    """The lead prosecutor and the team: the people whose case it is."""
    return [case.lead_prosecutor, *case.team.all()]


def hearing_reminders(today: dt.date | None = None) -> Outcome:
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
            purpose = events.label(HearingPurpose, hearing.purpose)
            title = (
                gettext_lazy("%(case)s: %(purpose)s tomorrow (%(date)s)")
                if ahead == 1
                else gettext_lazy("%(case)s: %(purpose)s in %(days)s days (%(date)s)")
            )
            # The court (and courtroom) as recorded: names of courts stay as written.
            where = f"{hearing.court}, {hearing.courtroom}" if hearing.courtroom else str(hearing.court)
            facts = {"purpose": purpose, "date": lazy_date(hearing.date, "l d M Y"), "court": where}
            if hearing.time:
                body = lazy_format(
                    gettext_lazy("%(purpose)s on %(date)s at %(time)s, %(court)s."),
                    time=f"{hearing.time:%H:%M}",
                    **facts,
                )
            else:
                body = lazy_format(gettext_lazy("%(purpose)s on %(date)s, %(court)s."), **facts)
            message = Message(
                event=Event.HEARING_TOMORROW if ahead == 1 else Event.HEARING_IN_A_WEEK,
                key=f"hearing:{hearing.pk}:{hearing.date.isoformat()}:{ahead}",
                title=lazy_format(
                    title, case=case.reference, purpose=events.lower(purpose), days=ahead, date=lazy_date(hearing.date)
                ),
                body=body,
                reference=case.reference,
                url=hearing.get_absolute_url(),
            )
            made += len(notify(_people_of(case), message))
    return Outcome.ngettext(
        "Hearing reminders: %(count)s notification.", "Hearing reminders: %(count)s notifications.", "count", count=made
    )


def _notice_day(left: int) -> int | None:
    """The notice a preservation order with ``left`` days to go is due (30, 14, 7 or 1), None for none yet."""
    for notice in DEADLINE_NOTICE_DAYS:
        if left <= notice:
            return notice
    return None


def preservation_alerts(today: dt.date | None = None) -> Outcome:
    """A preservation order of my case expiring in 30, 14, 7 and 1 days, and lapsed (no forfeiture
    application): the lead prosecutor (who cannot turn these e-mails off) and the team are told. A day the
    schedule missed is made up: the nearest notice not yet given is given once."""
    day = today or timezone.localdate()
    made = 0
    for order in deadline_orders(max(DEADLINE_NOTICE_DAYS), day).prefetch_related("asset__case__team"):
        asset, case = order.asset, order.asset.case
        left = days_left(order, day)
        assert order.expires_on is not None
        names = {"asset": asset.reference, "case": case.reference}
        if left < 0:
            event, key = Event.PRESERVATION_LAPSED, f"preservation:{order.pk}:lapsed"
            title = lazy_format(
                gettext_lazy("%(asset)s (%(case)s): preservation order lapsed on %(date)s"),
                date=lazy_date(order.expires_on),
                **names,
            )
            body: Text = gettext_lazy("The preservation order expired with no forfeiture application recorded.")
        else:
            notice = _notice_day(left)
            if notice is None:
                continue
            event, key = Event.PRESERVATION_EXPIRING, f"preservation:{order.pk}:{notice}"
            if left == 0:
                title = lazy_format(gettext_lazy("%(asset)s (%(case)s): preservation order expires today"), **names)
            else:
                title = lazy_format(
                    ngettext_lazy(
                        "%(asset)s (%(case)s): preservation order expires in %(number)s day",
                        "%(asset)s (%(case)s): preservation order expires in %(number)s days",
                        "number",
                    ),
                    number=left,
                    **names,
                )
            body = lazy_format(
                gettext_lazy(
                    "Order %(order)s expires on %(date)s. File the forfeiture application in time, or record "
                    "what happened."
                ),
                order=order.order_number,
                date=lazy_date(order.expires_on),
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
    return Outcome.ngettext(
        "Preservation alerts: %(count)s notification.",
        "Preservation alerts: %(count)s notifications.",
        "count",
        count=made,
    )


def approvals_waiting() -> Outcome:
    """Disbursements waiting for my approval: each approver is told of each request once (the request
    itself tells them at once; this catches any the moment missed)."""
    made = 0
    for disbursement in Disbursement.objects.filter(status=DisbursementStatus.REQUESTED).select_related("requested_by"):
        made += len(events.disbursement_awaiting(disbursement))
    return Outcome.ngettext(
        "Approvals waiting: %(count)s new notification.",
        "Approvals waiting: %(count)s new notifications.",
        "count",
        count=made,
    )


def send_outbox() -> Outcome:
    return services.send_outbox()


def daily_digest() -> Outcome:
    return services.send_daily_digests()


def register_jobs() -> None:
    """Put the notifications' work on the schedule, when the jobs app is there to run it."""
    try:
        from jobs.registry import ScheduledJob, register
    except ImportError:  # pragma: no cover — the schedule is another app's; without it nothing runs by itself
        return
    register(
        ScheduledJob(
            "notifications.send_outbox", gettext_lazy("Send queued e-mail"), send_outbox, every=dt.timedelta(minutes=1)
        )
    )
    register(
        ScheduledJob(
            "notifications.daily_digest",
            gettext_lazy("Daily digest of notifications"),
            daily_digest,
            daily_at=dt.time(7, 0),
        )
    )
    register(
        ScheduledJob(
            "notifications.hearing_reminders",
            gettext_lazy("Hearing reminders (tomorrow, in 7 days)"),
            hearing_reminders,
            daily_at=dt.time(6, 0),
        )
    )
    register(
        ScheduledJob(
            "notifications.preservation_alerts",
            gettext_lazy("Preservation-order alerts (30/14/7/1 days, lapsed)"),
            preservation_alerts,
            daily_at=dt.time(6, 5),
        )
    )
    register(
        ScheduledJob(
            "notifications.approvals_waiting",
            gettext_lazy("Disbursements waiting for approval"),
            approvals_waiting,
            every=dt.timedelta(hours=1),
        )
    )
