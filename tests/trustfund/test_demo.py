"""The demo seed: the chart, an opening balance, an appropriation, a donor grant, proceeds of the demo
realisations, disbursements in every state and imported statements whose bank lines are posted through
proposals — so the last complete month reconciles to zero and is signed off, every month before it is
closed, and the current month shows honest outstanding items. Idempotent, on any day of any month."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from assets.choices import AssetStatus, Destination
from assets.demo import seed_assets
from assets.models import Realisation
from tests.assets.factories import AccusedFactory, CaseFactory
from tests.trustfund.factories import victim
from trustfund import ledger, periods, reports, services
from trustfund.choices import (
    AdjustmentKind,
    DisbursementStatus,
    EntryKind,
    MatchMethod,
    PeriodKind,
    ProposalStatus,
    ReceiptSource,
)
from trustfund.demo import OPENING_BALANCE, seed_fund
from trustfund.models import (
    AdjustmentProposal,
    BankStatement,
    ClosedPeriod,
    Disbursement,
    JournalEntry,
    Receipt,
    StatementLine,
)

pytestmark = pytest.mark.django_db

D = Decimal


def test_the_fund_seed_covers_every_state_and_is_idempotent(prosecutor) -> None:
    cases = [CaseFactory.create(lead_prosecutor=prosecutor) for _ in range(40)]
    for case in cases:
        AccusedFactory.create(case=case)
    victim(cases[0])
    seed_assets({}, lambda line: None)
    lines: list[str] = []
    assert seed_fund({}, lines.append) > 0
    assert "Trust fund:" in lines[0] and "signed off" in lines[0]

    assert set(Receipt.objects.values_list("source", flat=True)) >= {
        ReceiptSource.APPROPRIATION,
        ReceiptSource.DONATION,
        ReceiptSource.FORFEITED_PROCEEDS,
    }
    assert set(Disbursement.objects.values_list("status", flat=True)) == set(DisbursementStatus.values)
    due = Realisation.objects.filter(destination=Destination.TRUST_FUND)
    assert Receipt.objects.filter(realisation__in=due).values("realisation").distinct().count() == due.count()
    assert any(row.outstanding > 0 for row in reports.proceeds_due())  # one left partly outstanding
    assert due.filter(asset__status=AssetStatus.TRANSFERRED).exists()

    assert BankStatement.objects.count() == 2  # last year's and this year's to date
    assert all(statement.file.size > 0 for statement in BankStatement.objects.all())
    assert ledger.bank_balance() > 0
    rows = ledger.trial_balance()
    assert sum(r.debit for r in rows) == sum(r.credit for r in rows)
    today = timezone.localdate()
    assert not JournalEntry.objects.filter(entry_date__gt=today).exists()
    assert not StatementLine.objects.filter(date__gt=today).exists()
    this_year = reports.fund_statement(reports.current_year())
    assert this_year.opening > 0  # the opening balance and last year's appropriation less its payment
    for year in reports.year_choices():  # every year's statement ties to the bank, and opens on the last close
        statement = reports.fund_statement(year)
        assert statement.closing == ledger.bank_balance(min(statement.end, today))
    last_month = periods.month_bounds(today.replace(day=1) - dt.timedelta(days=1))
    assert reports.reconciliation_statement(last_month[1]).difference == 0

    counts = (Receipt.objects.count(), Disbursement.objects.count(), JournalEntry.objects.count())
    assert seed_fund({}, lambda line: None) == 0
    assert (Receipt.objects.count(), Disbursement.objects.count(), JournalEntry.objects.count()) == counts


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of the months from ``first``'s to ``last``'s, both included."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = periods.month_bounds(month)[1] + dt.timedelta(days=1)
    return months


# The 1st of a month (and of a financial year), the 31st, the last day of February, a mid-month day.
@pytest.mark.parametrize(
    "today",
    [dt.date(2026, 7, 1), dt.date(2026, 10, 31), dt.date(2026, 3, 1), dt.date(2025, 12, 31), dt.date(2026, 2, 28)],
    ids=str,
)
def test_the_last_complete_month_reconciles_to_zero_and_is_signed_off(today, fund_admin, fund_approver) -> None:
    assert seed_fund({"fundadmin": fund_admin, "approver": fund_approver}, lambda line: None, today=today) > 0
    this_month = today.replace(day=1)
    last_month, last_month_end = periods.month_bounds(this_month - dt.timedelta(days=1))

    # The opening balance, proposed by the administrator and posted by the approver, opens the books.
    opening = JournalEntry.objects.get(kind=EntryKind.OPENING)
    last_year_start = reports.year_bounds(reports.current_year(today))[0].replace(year=opening.entry_date.year)
    assert opening.entry_date == periods.opening_date() == last_year_start
    assert opening.proposal.proposed_by == fund_admin and opening.proposal.decided_by == fund_approver
    assert ledger.bank_effect(opening) == OPENING_BALANCE

    # The bank's ledger fee of every complete month and its interest at each quarter's end: proposed from
    # their lines by the administrator, posted by the approver, the lines matched to the entries.
    posted = AdjustmentProposal.objects.filter(status=ProposalStatus.POSTED, statement_line__isnull=False)
    month_ends = [periods.month_bounds(month)[1] for month in _months(opening.entry_date, last_month)]
    fees = sorted(p.entry_date for p in posted if p.kind == AdjustmentKind.BANK_CHARGES)
    assert fees == month_ends
    interest = sorted(p.entry_date for p in posted if p.kind == AdjustmentKind.INTEREST)
    assert interest == [end for end in month_ends if end.month in (3, 6, 9, 12)] and len(interest) >= 4
    for proposal in posted:
        assert proposal.proposed_by == fund_admin and proposal.decided_by == fund_approver
        line = proposal.statement_line
        assert line is not None and line.matched_entry == proposal.entry
        assert line.match_method == MatchMethod.POSTED

    # The last complete month reconciles to zero, signed off by the approver and still open.
    statement = reports.reconciliation_statement(last_month_end)
    assert statement.difference == 0 and not statement.unmatched_lines
    assert statement.adjusted_bank_balance == statement.ledger_balance == ledger.bank_balance(last_month_end)
    sign_off = services.open_sign_off(last_month)
    assert sign_off is not None and sign_off.signed_by == fund_approver
    assert (sign_off.statement_balance, sign_off.ledger_balance) == (
        statement.statement_balance,
        statement.ledger_balance,
    )
    assert periods.closed_period_covering(last_month_end) is None

    # Every month before it, from the opening, is signed off and closed, in order; last year too once its
    # months all are.
    earlier = _months(opening.entry_date, last_month - dt.timedelta(days=1))
    closed = ClosedPeriod.objects.filter(kind=PeriodKind.MONTH).order_by("start")
    assert [period.start for period in closed] == earlier
    assert all(services.open_sign_off(month) is not None for month in earlier)
    last_year_end = reports.year_bounds(reports.current_year(opening.entry_date))[1]
    assert ClosedPeriod.objects.filter(kind=PeriodKind.YEAR).exists() == (last_year_end < last_month)

    # The current month: a payment made today the bank has not shown, a charge awaiting the approver and
    # a credit nobody has identified — the difference is exactly those two lines.
    now = reports.reconciliation_statement(today)
    paid_last = Disbursement.objects.filter(status=DisbursementStatus.PAID).latest("pk")
    assert paid_last.paid_on == today
    assert [entry.pk for entry in now.unpresented] == [paid_last.payment_entry_id]
    assert {line.reference for line in now.unmatched_lines} == {f"SMS-{today:%m%y}", "RTGS-UNKNOWN"}
    assert now.difference == D("-150.00") + D("25000.00")
    waiting = AdjustmentProposal.objects.get(status=ProposalStatus.PROPOSED)
    assert waiting.kind == AdjustmentKind.BANK_CHARGES
    assert waiting.statement_line is not None and waiting.statement_line.date == today

    # Nothing in the future; the books balance.
    assert not JournalEntry.objects.filter(entry_date__gt=today).exists()
    assert not StatementLine.objects.filter(date__gt=today).exists()
    rows = ledger.trial_balance()
    assert sum(r.debit for r in rows) == sum(r.credit for r in rows)
