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
    return f"{day:%B %Y}"


def open_sign_off(month: dt.date) -> ReconciliationSignOff | None:
    """The signature in force under the bank reconciliation of the month ``month`` falls in, if any."""
    first, _ = periods.month_bounds(month)
    return (
        ReconciliationSignOff.objects.filter(account__code=BANK, month=first, reopened_at__isnull=True)
        .select_related("signed_by")
        .first()
    )


def _not_closed(day: dt.date, label: str) -> None:
    if periods.closed_period_covering(day) is not None or _closed_through(day):
        raise PeriodClosed(f"{label} is already closed: a close is final.")


def _closed_through(day: dt.date) -> bool:
    last = periods.closed_up_to()
    return last is not None and day <= last.end


def _reconciled(last: dt.date, label: str) -> ReconciliationStatement:
    """The month's reconciliation statement, refused unless a statement reaches ``last`` and nothing is
    left unexplained."""
    rec = reconciliation_statement(last)
    if rec.statement_balance is None or not StatementLine.objects.filter(date__gte=last).exists():
        latest = StatementLine.objects.aggregate(latest=Max("date"))["latest"]
        shown = f"the latest line is dated {latest:%d %B %Y}" if latest else "no statement is imported"
        raise NotReconciled(
            f"No bank statement reaches {last:%d %B %Y} ({shown}): import the statement that runs to the end "
            f"of {label} before signing it off."
        )
    if rec.difference != ledger.ZERO:
        assert rec.difference is not None
        raise NotReconciled(
            f"The reconciliation of {label} leaves an unexplained difference of {ledger.kes(rec.difference)}: "
            "match or post every statement line before signing off."
        )
    return rec


@transaction.atomic
def sign_off_month(user: User, *, month: dt.date, today: dt.date | None = None) -> ReconciliationSignOff:
    """Sign the bank reconciliation of the month ``month`` falls in (any day of it), recording its figures."""
    first, last = periods.month_bounds(month)
    label = month_label(first)
    if last >= (today or timezone.localdate()):
        raise FundError(f"{label} is not over yet: it can be signed off from {last + dt.timedelta(days=1):%d %B %Y}.")
    bank = ledger.lock_bank()
    _not_closed(last, label)
    if (signed := open_sign_off(first)) is not None:
        raise FundError(
            f"{label} is already signed off by {signed.signed_by} on "
            f"{timezone.localtime(signed.signed_at):%d %B %Y}; re-open it first to sign again."
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
        raise FundError(f"{label} was signed off by someone else a moment ago.") from error
    return sign_off


@transaction.atomic
def reopen_month(sign_off: ReconciliationSignOff, user: User, *, reason: str) -> ReconciliationSignOff:
    """Re-open a signed month, saying why; the signature stays on record. A closed month stays closed."""
    if not reason.strip():
        raise FundError("Say why the signed-off month is re-opened.", field="reason")
    locked = ReconciliationSignOff.objects.select_for_update().get(pk=sign_off.pk)
    label = month_label(locked.month)
    if not locked.is_open:
        raise FundError(f"The sign-off of {label} was already re-opened.")
    if periods.closed_period_covering(locked.as_at) is not None or _closed_through(locked.as_at):
        raise PeriodClosed(f"{label} is closed: its sign-off cannot be re-opened (a close is final).")
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
        raise FundError(f"Close {month_label(open_day)} first: months close in order.")


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
        raise NotReconciled(f"{label} is not signed off: the approver signs its bank reconciliation first.")
    now = reconciliation_statement(last)
    if now.difference != ledger.ZERO or any(getattr(now, name) != getattr(signed, name) for name in SIGNED_FIGURES):
        raise NotReconciled(
            f"The figures of {label} changed since {signed.signed_by} signed them off: re-open the sign-off "
            "and sign the reconciliation again."
        )


def _suspense_clear(day: dt.date, label: str) -> None:
    if (held := ledger.account_balance(SUSPENSE, day)) != ledger.ZERO:
        raise SuspenseNotClear(
            f"The suspense account holds {ledger.kes(held)} at {day:%d %B %Y}: post each unidentified receipt "
            f"to where it belongs before closing {label}."
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
            f"Adjustments dated in {label} await a decision ({shown}): post, reject or withdraw them first."
        )


def _record_close(user: User, kind: str, first: dt.date, last: dt.date, note: str, label: str) -> ClosedPeriod:
    period = ClosedPeriod(kind=kind, start=first, end=last, closed_by=user, closed_at=timezone.now(), note=note.strip())
    try:
        with transaction.atomic():
            period.save_as(user, f"{label} closed")
    except IntegrityError as error:
        raise PeriodClosed(f"{label} was closed by someone else a moment ago.") from error
    return period


@transaction.atomic
def close_month(user: User, *, month: dt.date, note: str = "", today: dt.date | None = None) -> ClosedPeriod:
    """Close the month ``month`` falls in to posting, reversal, back-dating and matching, for good."""
    first, last = periods.month_bounds(month)
    label = month_label(first)
    if last >= (today or timezone.localdate()):
        raise FundError(f"{label} is not over yet: it can be closed from {last + dt.timedelta(days=1):%d %B %Y}.")
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
        raise FundError(f"“{year}” is not a financial year (write it as 2025-26).") from error
    label = f"Financial year {year}"
    if end >= (today or timezone.localdate()):
        raise FundError(f"{label} is not over yet: it can be closed from {end + dt.timedelta(days=1):%d %B %Y}.")
    ledger.lock_bank()
    if ClosedPeriod.objects.filter(kind=PeriodKind.YEAR, start=start).exists():
        raise PeriodClosed(f"{label} is already closed: a close is final.")
    if not _closed_through(end):
        last = periods.closed_up_to()
        next_open = last.end + dt.timedelta(days=1) if last is not None and last.end >= start else start
        raise FundError(
            f"Close the remaining months of {year} first: {month_label(next_open)} is still open "
            "(a year closes once all its months are)."
        )
    _suspense_clear(end, label)
    return _record_close(user, PeriodKind.YEAR, start, end, note, label)
