"""The trust fund's scheduled checks (jobs.registry): each counts what is waiting and records the count on
the Scheduled jobs page; the notifications turn them into messages for the people concerned."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobs.outcome import Outcome
from jobs.registry import ScheduledJob, register
from trustfund.choices import DisbursementStatus
from trustfund.models import Disbursement, StatementLine
from trustfund.queries import unpaid_alert_cutoff

UNMATCHED_LINE_AGE = dt.timedelta(days=30)


def disbursements_awaiting_approval() -> Outcome:
    waiting = Disbursement.objects.filter(status=DisbursementStatus.REQUESTED).count()
    return Outcome.ngettext(
        "%(waiting)s disbursement request awaiting a fund approver.",
        "%(waiting)s disbursement requests awaiting a fund approver.",
        "waiting",
        waiting=waiting,
    )


def approved_but_unpaid() -> Outcome:
    cutoff = unpaid_alert_cutoff()
    unpaid = Disbursement.objects.filter(status=DisbursementStatus.APPROVED, decided_at__date__lt=cutoff).count()
    return Outcome.ngettext(
        "%(unpaid)s approved disbursement unpaid since before %(cutoff)s.",
        "%(unpaid)s approved disbursements unpaid since before %(cutoff)s.",
        "unpaid",
        unpaid=unpaid,
        cutoff=cutoff,
    )


def unmatched_statement_lines() -> Outcome:
    before = timezone.localdate() - UNMATCHED_LINE_AGE
    old = StatementLine.objects.filter(matched_entry__isnull=True, date__lt=before).count()
    return Outcome.ngettext(
        "%(old)s bank statement line older than a month not matched to the ledger.",
        "%(old)s bank statement lines older than a month not matched to the ledger.",
        "old",
        old=old,
    )


register(
    ScheduledJob(
        "trustfund.awaiting_approval",
        _("Disbursements awaiting approval"),
        disbursements_awaiting_approval,
        every=dt.timedelta(hours=1),
    )
)
register(
    ScheduledJob(
        "trustfund.approved_unpaid", _("Approved payments not yet paid"), approved_but_unpaid, daily_at=dt.time(7, 0)
    )
)
register(
    ScheduledJob(
        "trustfund.unmatched_lines",
        _("Statement lines unmatched after a month"),
        unmatched_statement_lines,
        daily_at=dt.time(7, 0),
    )
)
