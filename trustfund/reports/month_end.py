"""The month-end overview: every month from the first posting (or statement line) to this one, with its
bank statement and ledger balances at its end, the unexplained difference, and how far it has got —
not reconciled, reconciled and awaiting sign-off, signed off, closed — and the financial years with
theirs. A fixed number of queries, whatever the number of months, entries and statement lines.

The difference at a month's end D is the reconciliation statement's (``reports.bank``) computed in bulk:
the statement's balance at D less what the matched pairs dated (both sides) on or before D moved — the
same as balance per statement − unpresented + uncredited − balance per ledger, since every bank movement
of the ledger dated on or before D is either outstanding at D or in such a pair.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from trustfund import ledger
from trustfund.chart import BANK
from trustfund.choices import PeriodKind
from trustfund.models import ClosedPeriod, JournalLine, ReconciliationSignOff, StatementLine
from trustfund.periods import month_bounds
from trustfund.reports.years import year_bounds, year_choices

ZERO = ledger.ZERO


@dataclass
class MonthState:
    """One month at month-end: its figures at its last day (today, for the month in progress)."""

    first: dt.date
    last: dt.date
    as_at: dt.date
    statement_balance: Decimal | None
    ledger_balance: Decimal
    quiet: bool  # no bank movement and no statement line: nothing to reconcile
    sign_off: ReconciliationSignOff | None = None
    closed: ClosedPeriod | None = None  # the period (this month, or a later one or its year) closing it
    over: bool = True
    previous_closed: bool = True  # every earlier month is closed: this one may close next
    statement_reaches_end: bool = True  # an imported statement has a line on or after the month's last day

    difference_value: Decimal | None = None

    @property
    def difference(self) -> Decimal | None:
        return self.difference_value

    @property
    def nothing_to_reconcile(self) -> bool:
        """No bank movement and no statement line in the month, and the statements either reach past it or
        have not begun (until they reach its end, the bank may yet show something)."""
        return self.quiet and (self.statement_balance is None or self.statement_reaches_end)

    @property
    def reconciled(self) -> bool:
        return (self.difference == ZERO and self.statement_reaches_end) or self.nothing_to_reconcile

    @property
    def state(self) -> str:
        if self.closed is not None:
            return "closed"
        if self.sign_off is not None:
            return "signed_off"
        if not self.over:
            return "in_progress"
        if not self.statement_reaches_end and not self.nothing_to_reconcile:
            return "awaiting_statement"
        return "reconciled" if self.reconciled else "not_reconciled"

    @property
    def param(self) -> str:
        return f"{self.first:%Y-%m}"

    @property
    def can_be_signed(self) -> bool:
        return (
            self.over
            and self.closed is None
            and self.sign_off is None
            and self.difference == ZERO
            and self.statement_reaches_end
        )

    @property
    def can_be_reopened(self) -> bool:
        return self.closed is None and self.sign_off is not None

    @property
    def can_be_closed(self) -> bool:
        ready = self.sign_off is not None or self.nothing_to_reconcile
        return self.over and self.closed is None and ready and self.previous_closed


@dataclass
class YearState:
    year: str
    start: dt.date
    end: dt.date
    closed: ClosedPeriod | None
    months_closed: bool
    over: bool

    @property
    def can_be_closed(self) -> bool:
        return self.over and self.closed is None and self.months_closed


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = month_bounds(month)[1] + dt.timedelta(days=1)
    return months


def _bank_by_month() -> dict[dt.date, Decimal]:
    rows = (
        JournalLine.objects.filter(account__code=BANK)
        .annotate(month=TruncMonth("entry__entry_date"))
        .values("month")
        .annotate(net=Sum(F("debit") - F("credit")))
        .order_by("month")
    )
    return {_as_date(row["month"]): row["net"] or ZERO for row in rows}


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


class _StatementSweep:
    """Every statement line once, read month end by month end: the statement's balance, what the pairs
    matched on or before the date moved, and which months have lines."""

    def __init__(self) -> None:
        self.lines = list(
            StatementLine.objects.order_by("date", "statement__period_end", "line_number").values_list(
                "date", "balance", "amount", "matched_entry__entry_date"
            )
        )
        self.months_with_lines = {day.replace(day=1) for day, *_ in self.lines}
        self.matched_by_month: dict[dt.date, Decimal] = defaultdict(lambda: ZERO)
        for day, _balance, amount, entry_day in self.lines:
            if entry_day is not None:
                self.matched_by_month[max(day, entry_day).replace(day=1)] += amount
        self.first_day = self.lines[0][0] if self.lines else None
        self.last_day = max((day for day, *_ in self.lines), default=None)

    def balances(self, ends: list[dt.date]) -> list[tuple[Decimal | None, Decimal]]:
        """(statement balance, matched so far) at each of ``ends`` (ascending)."""
        result, index, total, last_balance, seen, matched = [], 0, ZERO, None, False, ZERO
        for end in ends:
            while index < len(self.lines) and self.lines[index][0] <= end:
                _day, balance, amount, _entry_day = self.lines[index]
                total, last_balance, seen, index = total + amount, balance, True, index + 1
            matched += self.matched_by_month.get(end.replace(day=1), ZERO)
            balance_at = (last_balance if last_balance is not None else total) if seen else None
            result.append((balance_at, matched))
        return result


def month_states(today: dt.date | None = None) -> list[MonthState]:
    """Every month from the first posting or statement line to this one, newest first."""
    today = today or timezone.localdate()
    bank = _bank_by_month()
    sweep = _StatementSweep()
    starts = [day for day in (min(bank, default=None), sweep.first_day) if day is not None]
    if not starts:
        return []
    months = _months(min(starts), today)
    periods = list(ClosedPeriod.objects.select_related("closed_by").order_by("end"))
    signed = {
        s.month: s
        for s in ReconciliationSignOff.objects.filter(account__code=BANK, reopened_at__isnull=True).select_related(
            "signed_by"
        )
    }
    ends = [min(month_bounds(m)[1], today) for m in months]
    states, running, previous_closed = [], ZERO, True
    for month, end, (statement, matched) in zip(months, ends, sweep.balances(ends), strict=True):
        running += bank.get(month, ZERO)
        closed = next((p for p in periods if p.end >= end), None) if month_bounds(month)[1] < today else None
        state = MonthState(
            first=month,
            last=month_bounds(month)[1],
            as_at=end,
            statement_balance=statement,
            ledger_balance=running.quantize(ledger.CENT),
            quiet=month not in bank and month not in sweep.months_with_lines,
            sign_off=signed.get(month),
            closed=closed,
            over=month_bounds(month)[1] < today,
            previous_closed=previous_closed,
            statement_reaches_end=sweep.last_day is not None and sweep.last_day >= month_bounds(month)[1],
            difference_value=None if statement is None else (statement - matched).quantize(ledger.CENT),
        )
        previous_closed = closed is not None
        states.append(state)
    return states[::-1]


def year_states(months: list[MonthState], today: dt.date | None = None) -> list[YearState]:
    """The financial years from the first posting to this one, newest first, with their close."""
    today = today or timezone.localdate()
    closed_years = {p.start: p for p in ClosedPeriod.objects.filter(kind=PeriodKind.YEAR).select_related("closed_by")}
    closed_to = max((m.closed.end for m in months if m.closed is not None), default=None)
    years = []
    for year in year_choices(today):
        start, end = year_bounds(year)
        years.append(
            YearState(
                year=year,
                start=start,
                end=end,
                closed=closed_years.get(start),
                months_closed=closed_to is not None and closed_to >= end,
                over=end < today,
            )
        )
    return years
