"""Closed periods and the books' opening: nothing is posted, reversed, back-dated or matched into a closed
month or year, nor dated before the opening balance — refused by every service that posts (they all go
through ``ledger.post_entry``) and, on PostgreSQL, by the database itself."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.audit.verification import verify_record
from core.models import User
from tests.trustfund.books_world import month_ago
from tests.trustfund.conftest import statement_csv
from tests.trustfund.factories import approved, paid, receive
from trustfund import ledger, matching, periods, services, statements
from trustfund.chart import BANK
from trustfund.choices import AdjustmentKind, EntryKind, PeriodKind
from trustfund.exceptions import BeforeOpening, MatchError, PeriodClosed
from trustfund.models import ClosedPeriod, JournalEntry, StatementLine

pytestmark = pytest.mark.django_db
D = Decimal


def close(user: User, first: dt.date, kind: str = PeriodKind.MONTH) -> ClosedPeriod:
    """A closed month, written directly (the close itself is tested in test_books.py)."""
    period = ClosedPeriod(
        kind=kind, start=first, end=periods.month_bounds(first)[1], closed_by=user, closed_at=timezone.now()
    )
    period.save_as(user, "Closed for the test")
    return period


def test_month_bounds_and_no_period_closed() -> None:
    assert periods.month_bounds(dt.date(2028, 2, 14)) == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))
    assert periods.month_bounds(dt.date(2026, 12, 31)) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert periods.opening_date() is None
    assert periods.closed_period_covering(dt.date(2026, 4, 30)) is None
    periods.check_open(dt.date(2026, 4, 30))


def test_check_open_names_the_closed_period(fund_approver) -> None:
    first = month_ago(3)
    period = close(fund_approver, first)
    assert periods.closed_period_covering(first + dt.timedelta(days=3)) == period
    with pytest.raises(PeriodClosed, match=f"{first:%B %Y} is closed"):
        periods.check_open(first + dt.timedelta(days=3))
    with pytest.raises(PeriodClosed, match=f"closed up to {period.end:%d %B %Y}"):
        periods.check_open(first - dt.timedelta(days=40))  # before it: would change every closed balance
    periods.check_open(period.end + dt.timedelta(days=1))


class TestEveryServiceThatPostsIsRefused:
    def test_receipts_payments_and_reversals(self, fund_admin, fund_approver) -> None:
        first = month_ago(2)
        receipt = receive(fund_admin, "50000.00", first + dt.timedelta(days=2))
        waiting = approved(fund_admin, fund_approver, "1000.00", requested_on=first + dt.timedelta(days=3))
        close(fund_approver, first)
        inside = first + dt.timedelta(days=10)
        count = JournalEntry.objects.count()
        with pytest.raises(PeriodClosed, match=f"{first:%B %Y} is closed"):
            receive(fund_admin, "10.00", inside)
        with pytest.raises(PeriodClosed, match=f"{first:%B %Y} is closed"):
            services.pay_disbursement(waiting, fund_admin, paid_on=inside, payment_reference="EFT-9")
        with pytest.raises(PeriodClosed, match="can be reversed"):
            services.reverse_entry(receipt.entry, fund_admin, reversed_on=inside, reason="Wrong payer")
        assert JournalEntry.objects.count() == count  # nothing half-saved
        # A correction goes into an open period: the reversal dated after the close is taken.
        after = periods.month_bounds(first)[1] + dt.timedelta(days=1)
        services.reverse_entry(receipt.entry, fund_admin, reversed_on=after, reason="Wrong payer")
        report = verify_record(write=False)
        assert report.ok, report.problems

    def test_adjustments(self, fund_admin, fund_approver) -> None:
        first = month_ago(2)
        receive(fund_admin, "50000.00", first + dt.timedelta(days=2))
        proposal = services.propose_adjustment(
            fund_admin,
            kind=AdjustmentKind.CORRECTION,
            entry_date=first + dt.timedelta(days=5),
            description="Medical bill charged to shelter",
            reason="Posted to the wrong purpose",
            lines=[
                ledger.Line(ledger.account("5150"), debit=D("10.00")),
                ledger.Line(ledger.account("5130"), credit=D("10.00")),
            ],
        )
        close(fund_approver, first)
        with pytest.raises(PeriodClosed, match=f"{first:%B %Y} is closed"):
            services.post_proposal(proposal, fund_approver, no_documents_reason="On file")
        proposal.refresh_from_db()
        assert proposal.entry_id is None

    def test_before_the_opening_balance(self, fund_admin, fund_approver) -> None:
        opened = month_ago(1)
        proposal = services.propose_adjustment(
            fund_admin,
            kind=AdjustmentKind.OPENING_BALANCE,
            entry_date=opened,
            description="Opening balance",
            reason="Balance brought forward from the old books",
            lines=[
                ledger.Line(ledger.account(BANK), debit=D("1000.00")),
                ledger.Line(ledger.account("3000"), credit=D("1000.00")),
            ],
        )
        services.post_proposal(proposal, fund_approver, no_documents_reason="The old books")
        assert periods.opening_date() == opened
        with pytest.raises(BeforeOpening, match=f"The books open on {opened:%d %B %Y}"):
            receive(fund_admin, "10.00", opened - dt.timedelta(days=1))
        receive(fund_admin, "10.00", opened)
        report = verify_record(write=False)
        assert report.ok, report.problems


class TestMatching:
    def setup(self, admin: User, approver: User) -> tuple[dt.date, StatementLine, StatementLine, JournalEntry]:
        first = month_ago(2)
        in_month = first + dt.timedelta(days=3)
        receipt = receive(admin, "700.00", in_month, payer_reference="R-1")
        cheque = paid(admin, approver, "200.00", first + dt.timedelta(days=20), requested_on=in_month)
        statement = statements.import_statement(
            admin,
            name="m.csv",
            auto_match_lines=False,
            content=statement_csv(
                [
                    (in_month.isoformat(), "Credit", "R-1", "700.00"),
                    ((first + dt.timedelta(days=40)).isoformat(), "Cheque", "C-1", "-200.00"),
                ]
            ),
        )
        matching.match_line(statement.lines.get(reference="R-1"), receipt.entry, admin)
        assert cheque.payment_entry is not None
        return first, statement.lines.get(reference="R-1"), statement.lines.get(reference="C-1"), cheque.payment_entry

    def test_a_match_inside_a_closed_month_is_refused(self, fund_admin, fund_approver) -> None:
        first, inside, _, _ = self.setup(fund_admin, fund_approver)
        close(fund_approver, first)
        with pytest.raises(PeriodClosed, match=f"{first:%B %Y} is closed.*can be unmatched"):
            matching.unmatch_line(inside, fund_admin, reason="Wrong entry")
        inside.refresh_from_db()
        assert inside.matched_entry_id is not None
        with pytest.raises(MatchError):
            matching.match_line(inside, inside.matched_entry, fund_admin)  # type: ignore[arg-type]

    def test_an_unpresented_cheque_of_a_closed_month_clears_in_an_open_one(self, fund_admin, fund_approver) -> None:
        first, _, later_line, cheque_entry = self.setup(fund_admin, fund_approver)
        close(fund_approver, first)
        matching.match_line(later_line, cheque_entry, fund_admin)  # changes no closed figure
        later_line.refresh_from_db()
        assert later_line.matched_entry_id == cheque_entry.pk

    def test_a_line_dated_in_a_closed_month_is_not_matched(self, fund_admin, fund_approver) -> None:
        first = month_ago(2)
        receipt = receive(fund_admin, "700.00", first + dt.timedelta(days=3), payer_reference="R-2")
        close(fund_approver, first)
        statement = statements.import_statement(
            fund_admin,
            name="late.csv",
            content=statement_csv([((first + dt.timedelta(days=4)).isoformat(), "Credit", "R-2", "700.00")]),
        )
        line = statement.lines.get()
        assert line.matched_entry_id is None  # auto_match leaves it: the month is closed
        with pytest.raises(PeriodClosed, match="can be matched"):
            matching.match_line(line, receipt.entry, fund_admin)
        report = verify_record(write=False)
        assert report.ok, report.problems


@pytest.mark.postgres
def test_postgresql_refuses_an_entry_in_a_closed_period_even_around_the_service(fund_admin, fund_approver) -> None:
    first = month_ago(2)
    close(fund_approver, first)
    inside = JournalEntry(
        reference="JNL/TEST/9",
        entry_date=first + dt.timedelta(days=4),
        kind=EntryKind.ADJUSTMENT,
        description="Around the service",
        posted_by=fund_admin,
    )
    with pytest.raises(IntegrityError, match="falls in a closed period"), transaction.atomic():
        JournalEntry.objects.bulk_create([inside])
    before = JournalEntry(
        reference="JNL/TEST/10",
        entry_date=first - dt.timedelta(days=90),
        kind=EntryKind.ADJUSTMENT,
        description="Around the service, earlier",
        posted_by=fund_admin,
    )
    with pytest.raises(IntegrityError, match="closed up to"), transaction.atomic():
        JournalEntry.objects.bulk_create([before])
    assert not JournalEntry.objects.filter(reference__startswith="JNL/TEST/").exists()


@pytest.mark.postgres
def test_postgresql_refuses_an_entry_before_the_opening(fund_admin) -> None:
    opened = month_ago(1)
    JournalEntry.objects.bulk_create(
        [
            JournalEntry(
                reference="JNL/TEST/20",
                entry_date=opened,
                kind=EntryKind.OPENING,
                description="Opening",
                posted_by=fund_admin,
            )
        ]
    )
    early = JournalEntry(
        reference="JNL/TEST/21",
        entry_date=opened - dt.timedelta(days=1),
        kind=EntryKind.ADJUSTMENT,
        description="Before the opening",
        posted_by=fund_admin,
    )
    with pytest.raises(IntegrityError, match="before the books open"), transaction.atomic():
        JournalEntry.objects.bulk_create([early])
