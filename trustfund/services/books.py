"""Month-end: the approver's signature under a month's bank reconciliation statement, re-opening it with a
reason, and closing months and financial years to posting.

A month is signed off once it is over, a bank statement reaches its last day and the reconciliation leaves
no unexplained difference; the figures, who and when are recorded. A month closes once it is signed off
(or had no bank movement and no statement lines at all), the suspense account is clear at its end, no
adjustment dated in it awaits a decision and every earlier month with postings is closed: months close in
order. A financial year closes once all its months are. A close is final; corrections go into an open
period (``trustfund.periods.check_open`` refuses everything else).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.models import User
from trustfund import ledger, periods
from trustfund.chart import BANK, SUSPENSE
from trustfund.choices import PeriodKind, ProposalStatus
from trustfund.exceptions import FundError, NotReconciled, PeriodClosed, SuspenseNotClear
from trustfund.models import (
    AdjustmentProposal,
    ClosedPeriod,
    JournalEntry,
    JournalLine,
    ReconciliationSignOff,
    StatementLine,
)
from trustfund.reports.bank import ReconciliationStatement, reconciliation_statement
from trustfund.reports.years import year_bounds

SIGNED_FIGURES = ("statement_balance", "unpresented_payments", "uncredited_receipts", "ledger_balance")


def month_label(day: dt.date) -> str:
    return date_format(day, "F Y")


def open_sign_off(month: dt.date) -> ReconciliationSignOff | None:
    """The signature in force under the bank reconciliation of the month ``month`` falls in, if any."""
    first, _last = periods.month_bounds(month)
    return (
        ReconciliationSignOff.objects.filter(account__code=BANK, month=first, reopened_at__isnull=True)
        .select_related("signed_by")
        .first()
    )


def _not_closed(day: dt.date, label: str) -> None:
    if periods.closed_period_covering(day) is not None or _closed_through(day):
        raise PeriodClosed(_("%(label)s is already closed: a close is final.") % {"label": label})


def _closed_through(day: dt.date) -> bool:
    last = periods.closed_up_to()
    return last is not None and day <= last.end


def _reconciled(last: dt.date, label: str) -> ReconciliationStatement:
    """The month's reconciliation statement, refused unless a statement reaches ``last`` and nothing is
    left unexplained."""
    rec = reconciliation_statement(last)
    if rec.statement_balance is None or not StatementLine.objects.filter(date__gte=last).exists():
        latest = StatementLine.objects.aggregate(latest=Max("date"))["latest"]
        shown = (
            (_("the latest line is dated %(latest)s") % {"latest": date_format(latest, "d F Y")})
            if latest
            else _("no statement is imported")
        )
        raise NotReconciled(
            _(
                "No bank statement reaches %(last)s (%(shown)s): import the statement that runs to the end of "
                "%(label)s before signing it off."
            )
            % {"last": date_format(last, "d F Y"), "shown": shown, "label": label}
        )
    if rec.difference != ledger.ZERO:
        assert rec.difference is not None
        raise NotReconciled(
            _(
                "The reconciliation of %(label)s leaves an unexplained difference of %(kes)s: match or post "
                "every statement line before signing off."
            )
            % {"label": label, "kes": ledger.kes(rec.difference)}
        )
    return rec


@transaction.atomic
def sign_off_month(user: User, *, month: dt.date, today: dt.date | None = None) -> ReconciliationSignOff:
    """Sign the bank reconciliation of the month ``month`` falls in (any day of it), recording its figures."""
    first, last = periods.month_bounds(month)
    label = month_label(first)
    if last >= (today or timezone.localdate()):
        raise FundError(
            _("%(label)s is not over yet: it can be signed off from %(value)s.")
            % {"label": label, "value": date_format(last + dt.timedelta(days=1), "d F Y")}
        )
    bank = ledger.lock_bank()
    _not_closed(last, label)
    if (signed := open_sign_off(first)) is not None:
        raise FundError(
            _("%(label)s is already signed off by %(signed_by)s on %(localtime)s; re-open it first to sign again.")
            % {
                "label": label,
                "signed_by": signed.signed_by,
                "localtime": date_format(timezone.localtime(signed.signed_at), "d F Y"),
            }
        )
    rec = _reconciled(last, label)
    assert rec.statement_balance is not None
    sign_off = ReconciliationSignOff(
        account=bank,
        month=first,
        as_at=last,
        statement_balance=rec.statement_balance,
        unpresented_payments=rec.unpresented_payments,
        uncredited_receipts=rec.uncredited_receipts,
        ledger_balance=rec.ledger_balance,
        difference=ledger.ZERO,
        signed_by=user,
        signed_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            sign_off.save_as(user, f"Bank reconciliation of {label} signed off")
    except IntegrityError as error:
        raise FundError(_("%(label)s was signed off by someone else a moment ago.") % {"label": label}) from error
    return sign_off


@transaction.atomic
def reopen_month(sign_off: ReconciliationSignOff, user: User, *, reason: str) -> ReconciliationSignOff:
    """Re-open a signed month, saying why; the signature stays on record. A closed month stays closed."""
    if not reason.strip():
        raise FundError(_("Say why the signed-off month is re-opened."), field="reason")
    locked = ReconciliationSignOff.objects.select_for_update().get(pk=sign_off.pk)
    label = month_label(locked.month)
    if not locked.is_open:
        raise FundError(_("The sign-off of %(label)s was already re-opened.") % {"label": label})
    if periods.closed_period_covering(locked.as_at) is not None or _closed_through(locked.as_at):
        raise PeriodClosed(
            _("%(label)s is closed: its sign-off cannot be re-opened (a close is final).") % {"label": label}
        )
    locked.reopened_by = user
    locked.reopened_at = timezone.now()
    locked.reopen_reason = reason.strip()
    locked.save_as(user, f"Sign-off of {label} re-opened: {reason.strip()}")
    return locked


def _earlier_months_closed(first: dt.date) -> None:
    """Refuse unless every earlier month with a posting is closed (months close in order)."""
    last_closed = periods.closed_up_to()
    after = last_closed.end if last_closed is not None else None
    earlier = JournalEntry.objects.filter(entry_date__lt=first)
    if after is not None:
        earlier = earlier.filter(entry_date__gt=after)
    if (open_day := earlier.aggregate(day=Min("entry_date"))["day"]) is not None:
        raise FundError(
            _("Close %(month_label)s first: months close in order.") % {"month_label": month_label(open_day)}
        )


def _quiet(first: dt.date, last: dt.date) -> bool:
    """A month with no bank movement and no statement lines: nothing to reconcile — once the bank's statements
    reach past it (until then the bank may yet show something), or when no statement has been imported yet."""
    moved = JournalLine.objects.filter(
        account__code=BANK, entry__entry_date__gte=first, entry__entry_date__lte=last
    ).exists()
    if moved or StatementLine.objects.filter(date__gte=first, date__lte=last).exists():
        return False
    statements_kept = StatementLine.objects.filter(date__lt=first).exists()
    return not statements_kept or StatementLine.objects.filter(date__gt=last).exists()


def _signed_and_unchanged(first: dt.date, last: dt.date, label: str) -> None:
    signed = open_sign_off(first)
    if signed is None:
        if _quiet(first, last):
            return
        raise NotReconciled(
            _("%(label)s is not signed off: the approver signs its bank reconciliation first.") % {"label": label}
        )
    now = reconciliation_statement(last)
    if now.difference != ledger.ZERO or any(getattr(now, name) != getattr(signed, name) for name in SIGNED_FIGURES):
        raise NotReconciled(
            _(
                "The figures of %(label)s changed since %(signed_by)s signed them off: re-open the sign-off "
                "and sign the reconciliation again."
            )
            % {"label": label, "signed_by": signed.signed_by}
        )


def _suspense_clear(day: dt.date, label: str) -> None:
    if (held := ledger.account_balance(SUSPENSE, day)) != ledger.ZERO:
        raise SuspenseNotClear(
            _(
                "The suspense account holds %(kes)s at %(day)s: post each unidentified receipt to where it "
                "belongs before closing %(label)s."
            )
            % {"kes": ledger.kes(held), "day": date_format(day, "d F Y"), "label": label}
        )


def _no_pending_proposals(first: dt.date, last: dt.date, label: str) -> None:
    waiting = list(
        AdjustmentProposal.objects.filter(
            status=ProposalStatus.PROPOSED, entry_date__gte=first, entry_date__lte=last
        ).values_list("reference", flat=True)[:6]
    )
    if waiting:
        shown = ", ".join(waiting[:5]) + (" …" if len(waiting) > 5 else "")
        raise FundError(
            _("Adjustments dated in %(label)s await a decision (%(shown)s): post, reject or withdraw them first.")
            % {"label": label, "shown": shown}
        )


def _record_close(user: User, kind: str, first: dt.date, last: dt.date, note: str, label: str) -> ClosedPeriod:
    period = ClosedPeriod(kind=kind, start=first, end=last, closed_by=user, closed_at=timezone.now(), note=note.strip())
    try:
        with transaction.atomic():
            period.save_as(user, f"{label} closed")
    except IntegrityError as error:
        raise PeriodClosed(_("%(label)s was closed by someone else a moment ago.") % {"label": label}) from error
    return period


@transaction.atomic
def close_month(user: User, *, month: dt.date, note: str = "", today: dt.date | None = None) -> ClosedPeriod:
    """Close the month ``month`` falls in to posting, reversal, back-dating and matching, for good."""
    first, last = periods.month_bounds(month)
    label = month_label(first)
    if last >= (today or timezone.localdate()):
        raise FundError(
            _("%(label)s is not over yet: it can be closed from %(value)s.")
            % {"label": label, "value": date_format(last + dt.timedelta(days=1), "d F Y")}
        )
    ledger.lock_bank()
    _not_closed(last, label)
    _earlier_months_closed(first)
    _signed_and_unchanged(first, last, label)
    _no_pending_proposals(first, last, label)
    _suspense_clear(last, label)
    return _record_close(user, PeriodKind.MONTH, first, last, note, label)


@transaction.atomic
def close_year(user: User, *, year: str, note: str = "", today: dt.date | None = None) -> ClosedPeriod:
    """Close the financial year ``year`` (``"2025-26"``) once every month of it is closed."""
    try:
        start, end = year_bounds(year)
    except ValueError as error:
        raise FundError(_("“%(year)s” is not a financial year (write it as 2025-26).") % {"year": year}) from error
    label = _("Financial year %(year)s") % {"year": year}
    if end >= (today or timezone.localdate()):
        raise FundError(
            _("%(label)s is not over yet: it can be closed from %(value)s.")
            % {"label": label, "value": date_format(end + dt.timedelta(days=1), "d F Y")}
        )
    ledger.lock_bank()
    if ClosedPeriod.objects.filter(kind=PeriodKind.YEAR, start=start).exists():
        raise PeriodClosed(_("%(label)s is already closed: a close is final.") % {"label": label})
    if not _closed_through(end):
        last = periods.closed_up_to()
        next_open = last.end + dt.timedelta(days=1) if last is not None and last.end >= start else start
        raise FundError(
            _(
                "Close the remaining months of %(year)s first: %(month_label)s is still open (a year closes "
                "once all its months are)."
            )
            % {"year": year, "month_label": month_label(next_open)}
        )
    _suspense_clear(end, label)
    return _record_close(user, PeriodKind.YEAR, start, end, note, label)
