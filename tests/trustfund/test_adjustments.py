"""Adjusting entries under four eyes, through the services: Grace (a fund administrator) proposes bank
charges, interest, a correction or the books' opening balance; Peter (an approver) posts or rejects it;
every refusal of the issue's "Bad input and concurrency" that concerns a proposal is refused with a clear
message and nothing half-saved, and the ledger still balances."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from core.audit.verification import verify_record
from core.models import User
from core.roles import Role
from tests.documents.factories import attach
from tests.factories import UserFactory
from tests.helpers import run_at_once, table_counts
from tests.trustfund.conftest import statement_csv
from tests.trustfund.factories import days_ago, receive
from trustfund import ledger, matching, periods, services, statements
from trustfund.chart import BANK, BANK_CHARGES, INTEREST_INCOME, SUSPENSE, ensure_chart
from trustfund.choices import AdjustmentKind, EntryKind, MatchMethod, PeriodKind, ProposalStatus
from trustfund.exceptions import (
    BeforeOpening,
    FundError,
    IllegalProposalMove,
    InsufficientFunds,
    InvalidDate,
    MatchError,
    PeriodClosed,
    SelfApproval,
    UnbalancedEntry,
    UnsupportedApproval,
)
from trustfund.models import Account, AdjustmentLine, AdjustmentProposal, ClosedPeriod, JournalEntry, StatementLine
from trustfund.services.adjustments import line_actions

pytestmark = pytest.mark.django_db

K = Decimal


def lines(*pairs: tuple[str, str, str]) -> list[ledger.Line]:
    """``("6100", "dr", "150.00")`` … as ledger lines."""
    return [
        ledger.Line(
            ledger.account(code),
            debit=K(amount) if side == "dr" else ledger.ZERO,
            credit=K(amount) if side == "cr" else ledger.ZERO,
        )
        for code, side, amount in pairs
    ]


def propose(user: User, kind: str = AdjustmentKind.CORRECTION, **extra: Any) -> AdjustmentProposal:
    values: dict[str, Any] = {
        "entry_date": days_ago(2),
        "description": "Medical bill charged to shelter",
        "reason": "Posted to the wrong purpose on 3 July",
        "lines": lines(("5150", "dr", "1000.00"), ("5130", "cr", "1000.00")),
    }
    values.update(extra)
    return services.propose_adjustment(user, kind=kind, **values)


def from_line(user: User, line: StatementLine, kind: str, **extra: Any) -> AdjustmentProposal:
    """A proposal exactly as "Post as …" on the line prefills it (a returned payment's credit account given)."""
    initial = services.line_proposal_initial(line, kind)
    prefilled = [
        ledger.Line(
            row["account"] or ledger.account(extra.pop("credit_account")),
            row["debit"] or ledger.ZERO,
            row["credit"] or ledger.ZERO,
            row["memo"],
        )
        for row in initial["lines"]
    ]
    return services.propose_adjustment(
        user,
        kind=kind,
        entry_date=initial["entry_date"],
        description=initial["description"],
        reason=extra.pop("reason", "The bank's own line on the statement"),
        bank_reference=initial["bank_reference"],
        statement_line=initial["statement_line"],
        lines=prefilled,
        **extra,
    )


def assert_ledger_balances() -> None:
    rows = ledger.trial_balance()
    assert sum(row.debit for row in rows) == sum(row.credit for row in rows)


def money_line(fund_admin: User, amount: str, reference: str, on: dt.date | None = None) -> StatementLine:
    content = statement_csv([((on or days_ago(2)).isoformat(), "Bank line", reference, amount)])
    statement = statements.import_statement(fund_admin, name=f"{reference}.csv", content=content)
    return statement.lines.get()


@pytest.fixture
def approver_two(db: None) -> User:
    return UserFactory.create(first_name="Lucy", last_name="Achieng", roles=[Role.FUND_APPROVER])


# --------------------------------------------------------------------------------------------------
# From the statement line: prefill, propose, post, the line matched


class TestFromTheStatementLine:
    def test_a_bank_charge_posted_from_its_line_matches_the_line_and_moves_the_bank(
        self, fund: dict[str, Any], fund_admin: User, fund_approver: User
    ) -> None:
        line: StatementLine = fund["line"]  # -150.00, "CHG"
        before = ledger.bank_balance()
        proposal = from_line(fund_admin, line, AdjustmentKind.BANK_CHARGES)
        assert proposal.reference.startswith("ADJ/") and proposal.status == ProposalStatus.PROPOSED
        assert ledger.bank_balance() == before  # a proposal moves no money

        services.post_proposal(proposal, fund_approver)  # supported by the statement: no document needed

        proposal.refresh_from_db()
        line.refresh_from_db()
        entry = proposal.entry
        assert proposal.status == ProposalStatus.POSTED and proposal.decided_by == fund_approver
        assert entry is not None and entry.kind == EntryKind.ADJUSTMENT
        assert entry.document_reference == proposal.reference and entry.bank_reference == "CHG"
        assert entry.entry_date == line.date
        assert line.matched_entry == entry and line.match_method == MatchMethod.POSTED
        assert ledger.bank_balance() == before - K("150.00")
        assert ledger.account_balance(BANK_CHARGES) == K("150.00")
        assert_ledger_balances()

    def test_the_prefill_carries_the_lines_date_amount_words_and_reference(self, fund: dict[str, Any]) -> None:
        line: StatementLine = fund["line"]
        initial = services.line_proposal_initial(line, AdjustmentKind.BANK_CHARGES)
        assert initial["entry_date"] == line.date and initial["bank_reference"] == "CHG"
        assert initial["description"] == "Bank charges: Bank charges"
        debit, credit = initial["lines"]
        assert (debit["account"].code, debit["debit"]) == (BANK_CHARGES, K("150.00"))
        assert (credit["account"].code, credit["credit"]) == (BANK, K("150.00"))

    def test_money_in_prefills_interest_suspense_or_a_returned_payment_left_for_the_officer(
        self, fund: dict[str, Any], fund_admin: User
    ) -> None:
        line = money_line(fund_admin, "320.50", "INT-JUL")
        interest = services.line_proposal_initial(line, AdjustmentKind.INTEREST)["lines"]
        assert [(row["account"].code, row["debit"], row["credit"]) for row in interest] == [
            (BANK, K("320.50"), None),
            (INTEREST_INCOME, None, K("320.50")),
        ]
        suspense = services.line_proposal_initial(line, AdjustmentKind.UNIDENTIFIED_RECEIPT)["lines"]
        assert suspense[1]["account"].code == SUSPENSE
        returned = services.line_proposal_initial(line, AdjustmentKind.RETURNED_PAYMENT)["lines"]
        assert returned[0]["account"].code == BANK and returned[1]["account"] is None
        assert [kind for kind, _ in line_actions(line)] == [
            AdjustmentKind.INTEREST,
            AdjustmentKind.UNIDENTIFIED_RECEIPT,
        ]
        assert [kind for kind, _ in line_actions(fund["line"])] == [AdjustmentKind.BANK_CHARGES]

    def test_a_kind_that_does_not_fit_the_lines_sign_is_refused_with_what_would(self, fund: dict[str, Any]) -> None:
        with pytest.raises(
            FundError,
            match=r"Interest earned is money in, but this statement line is money out "
            r"\(KES -150.00\): post it as bank charges\.",
        ):
            services.line_proposal_initial(fund["line"], AdjustmentKind.INTEREST)
        with pytest.raises(FundError, match="Correction between accounts is not posted from a bank statement line"):
            services.line_proposal_initial(fund["line"], AdjustmentKind.CORRECTION)
        with pytest.raises(MatchError, match="already matched"):
            services.line_proposal_initial(fund["matched_line"], AdjustmentKind.INTEREST)

    def test_interest_and_a_returned_payment_post_money_in(
        self, fund: dict[str, Any], fund_admin: User, fund_approver: User
    ) -> None:
        before = ledger.bank_balance()
        interest = from_line(fund_admin, money_line(fund_admin, "320.50", "INT-JUL"), AdjustmentKind.INTEREST)
        returned = from_line(
            fund_admin,
            money_line(fund_admin, "30000.00", "RTN-EFT-77"),
            AdjustmentKind.RETURNED_PAYMENT,
            credit_account="5150",
        )
        services.post_proposal(interest, fund_approver)
        services.post_proposal(returned, fund_approver)
        assert ledger.bank_balance() == before + K("30320.50")
        assert ledger.account_balance(INTEREST_INCOME) == K("320.50")
        assert StatementLine.objects.filter(match_method=MatchMethod.POSTED).count() == 2
        assert_ledger_balances()

    def test_a_second_proposal_for_a_line_awaiting_a_decision_is_refused(
        self, fund: dict[str, Any], fund_admin: User
    ) -> None:
        first = from_line(fund_admin, fund["line"], AdjustmentKind.BANK_CHARGES)
        counts = table_counts("trustfund")
        with pytest.raises(MatchError, match=f"already has {first.reference} awaiting a decision"):
            from_line(fund_admin, fund["line"], AdjustmentKind.BANK_CHARGES)
        assert table_counts("trustfund") == counts

    def test_a_line_whose_proposal_was_rejected_can_be_proposed_again(
        self, fund: dict[str, Any], fund_admin: User, fund_approver: User
    ) -> None:
        first = from_line(fund_admin, fund["line"], AdjustmentKind.BANK_CHARGES)
        services.reject_proposal(first, fund_approver, reason="Wrong month")
        assert from_line(fund_admin, fund["line"], AdjustmentKind.BANK_CHARGES).status == ProposalStatus.PROPOSED

    def test_a_matched_line_cannot_be_proposed(self, fund: dict[str, Any], fund_admin: User) -> None:
        matched: StatementLine = fund["matched_line"]
        with pytest.raises(MatchError, match=r"is already matched to JNL/"):
            propose(
                fund_admin,
                AdjustmentKind.INTEREST,
                statement_line=matched,
                lines=lines((BANK, "dr", "1000000.00"), (INTEREST_INCOME, "cr", "1000000.00")),
            )
        assert not AdjustmentProposal.objects.exists()

    def test_the_proposal_must_move_the_bank_by_the_lines_amount(self, fund: dict[str, Any], fund_admin: User) -> None:
        with pytest.raises(MatchError, match=r"moves the bank by KES -100.00, the bank shows KES -150.00"):
            propose(
                fund_admin,
                AdjustmentKind.BANK_CHARGES,
                statement_line=fund["line"],
                lines=lines((BANK_CHARGES, "dr", "100.00"), (BANK, "cr", "100.00")),
            )
        assert not AdjustmentProposal.objects.exists()

    def test_a_line_matched_by_hand_before_posting_refuses_the_posting(
        self, fund: dict[str, Any], fund_admin: User, fund_approver: User
    ) -> None:
        """Matching one statement line twice: the posting would match a line matched since."""
        line: StatementLine = fund["line"]
        proposal = from_line(fund_admin, line, AdjustmentKind.BANK_CHARGES)
        other = propose(
            fund_admin,
            AdjustmentKind.BANK_CHARGES,
            description="Ledger fee",
            lines=lines((BANK_CHARGES, "dr", "150.00"), (BANK, "cr", "150.00")),
        )
        services.post_proposal(other, fund_approver, no_documents_reason="The bank's advice is on the paper file")
        matching.match_line(line, JournalEntry.objects.get(document_reference=other.reference), fund_admin)
        entries = JournalEntry.objects.count()
        with pytest.raises(MatchError, match="is already matched to JNL/"):
            services.post_proposal(proposal, fund_approver)
        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.PROPOSED and JournalEntry.objects.count() == entries


# --------------------------------------------------------------------------------------------------
# Bad input at the proposal


class TestProposing:
    def test_an_unbalanced_proposal_is_refused_and_nothing_is_saved(
        self, fund: dict[str, Any], fund_admin: User
    ) -> None:
        counts = table_counts("trustfund")
        with pytest.raises(UnbalancedEntry, match=r"does not balance: debits KES 1,000.00, credits KES 900.00"):
            propose(fund_admin, lines=lines(("5150", "dr", "1000.00"), ("5130", "cr", "900.00")))
        with pytest.raises(UnbalancedEntry, match="at least one debit and one credit"):
            propose(fund_admin, lines=lines(("5150", "dr", "1000.00")))
        assert table_counts("trustfund") == counts

    @pytest.mark.parametrize(
        ("change", "words"),
        [
            ({"description": "  "}, "Describe the adjustment."),
            ({"reason": ""}, "Say why the adjustment is needed"),
            ({"kind": "bonus"}, "Choose what the adjustment records."),
        ],
    )
    def test_a_proposal_needs_its_kind_description_and_reason(
        self, fund: dict[str, Any], fund_admin: User, change: dict[str, str], words: str
    ) -> None:
        kind = change.pop("kind", AdjustmentKind.CORRECTION)
        with pytest.raises(FundError, match=words):
            propose(fund_admin, kind, **change)
        assert not AdjustmentProposal.objects.exists()

    def test_a_future_date_is_refused(self, fund: dict[str, Any], fund_admin: User) -> None:
        with pytest.raises(InvalidDate, match="cannot be in the future"):
            propose(fund_admin, entry_date=days_ago(-1))

    def test_an_inactive_account_is_refused(self, fund: dict[str, Any], fund_admin: User) -> None:
        account = ledger.account("5130")
        account.is_active = False
        account.save_as(fund_admin, "Purpose retired")
        with pytest.raises(UnbalancedEntry, match="inactive account: 5130"):
            propose(fund_admin)


# --------------------------------------------------------------------------------------------------
# Four eyes: post, reject, withdraw


class TestDeciding:
    def test_the_proposer_cannot_post_or_reject_their_own_proposal(
        self, fund: dict[str, Any], fund_admin: User
    ) -> None:
        both = UserFactory.create(
            first_name="Joy", last_name="Kerubo", roles=[Role.FUND_ADMINISTRATOR, Role.FUND_APPROVER]
        )
        proposal = propose(both)
        with pytest.raises(SelfApproval, match=f"You proposed {proposal.reference}: another approver must post it"):
            services.post_proposal(proposal, both, no_documents_reason="On file")
        with pytest.raises(SelfApproval, match="another approver must reject it"):
            services.reject_proposal(proposal, both, reason="Second thoughts")
        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.PROPOSED and proposal.entry is None

    def test_posting_twice_is_refused_naming_who_posted_it_and_when(
        self, fund: dict[str, Any], fund_admin: User, fund_approver: User, approver_two: User
    ) -> None:
        proposal = propose(fund_admin)
        services.post_proposal(proposal, fund_approver, no_documents_reason="On the Board's paper file")
        entries = JournalEntry.objects.count()
        with pytest.raises(
            IllegalProposalMove,
            match=rf"{proposal.reference} was already posted by Peter Mwangi on .*: "
            "it can no longer be posted.",
        ):
            services.post_proposal(
                AdjustmentProposal.objects.get(pk=proposal.pk), approver_two, no_documents_reason="x"
            )
        with pytest.raises(IllegalProposalMove, match="it can no longer be rejected"):
            services.reject_proposal(proposal, approver_two, reason="Too late")
        assert JournalEntry.objects.count() == entries

    def test_a_rejected_proposal_is_never_posted(
        self, fund: dict[str, Any], fund_admin: User, fund_approver: User, approver_two: User
    ) -> None:
        proposal = propose(fund_admin)
        with pytest.raises(FundError, match=r"Say why the adjustment is rejected\."):
            services.reject_proposal(proposal, fund_approver, reason=" ")
        services.reject_proposal(proposal, fund_approver, reason="The bill was the shelter's after all")
        assert proposal.status == ProposalStatus.REJECTED and proposal.decision_note.startswith("The bill")
        with pytest.raises(IllegalProposalMove, match="was already rejected by Peter Mwangi"):
            services.post_proposal(proposal, approver_two, no_documents_reason="On file")
        assert not JournalEntry.objects.filter(kind=EntryKind.ADJUSTMENT).exists()

    def test_only_the_proposer_withdraws_and_a_withdrawn_proposal_is_never_posted(
        self, fund: dict[str, Any], fund_admin: User, fund_approver: User
    ) -> None:
        proposal = propose(fund_admin)
        colleague = UserFactory.create(roles=[Role.FUND_ADMINISTRATOR])
        with pytest.raises(
            IllegalProposalMove, match=f"Only Grace Wambui, who proposed {proposal.reference}, can withdraw it"
        ):
            services.withdraw_proposal(proposal, colleague, reason="Not needed")
        with pytest.raises(FundError, match=r"Say why the adjustment is withdrawn\."):
            services.withdraw_proposal(proposal, fund_admin, reason="")
        services.withdraw_proposal(proposal, fund_admin, reason="Raised twice")
        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.WITHDRAWN and proposal.decided_by is None
        with pytest.raises(IllegalProposalMove, match="was already withdrawn by Grace Wambui on"):
            services.post_proposal(proposal, fund_approver, no_documents_reason="On file")

    def test_posting_without_a_document_needs_a_reason_recorded_with_it(
        self, fund: dict[str, Any], fund_admin: User, fund_approver: User
    ) -> None:
        proposal = propose(fund_admin)
        with pytest.raises(UnsupportedApproval, match=f"No document is attached to {proposal.reference}"):
            services.post_proposal(proposal, fund_approver)
        services.post_proposal(proposal, fund_approver, note="Checked", no_documents_reason="Voucher on the paper file")
        assert proposal.decision_note == "Checked\nPosted without supporting documents: Voucher on the paper file"

    def test_a_document_attached_to_the_proposal_supports_the_posting(
        self, fund: dict[str, Any], fund_admin: User, fund_approver: User
    ) -> None:
        proposal = propose(fund_admin)
        attach(proposal, fund_admin, "payment_voucher", title="Journal voucher JV-12")
        services.post_proposal(proposal, fund_approver)
        assert proposal.status == ProposalStatus.POSTED and proposal.decision_note == ""

    def test_an_adjustment_that_would_overdraw_the_fund_is_refused(
        self, fund: dict[str, Any], fund_admin: User, fund_approver: User
    ) -> None:
        balance = ledger.bank_balance()  # 970,000.00
        proposal = propose(
            fund_admin,
            description="Refund of the appropriation",
            lines=lines(("4100", "dr", "980000.00"), (BANK, "cr", "980000.00")),
        )
        with pytest.raises(
            InsufficientFunds,
            match=r"take KES 980,000.00 out of the bank and overdraw the Fund: only "
            r"KES 970,000.00 is available",
        ):
            services.post_proposal(proposal, fund_approver, no_documents_reason="Treasury letter on file")
        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.PROPOSED and ledger.bank_balance() == balance

    def test_history_says_who_proposed_and_posted_and_why(
        self, fund: dict[str, Any], fund_admin: User, fund_approver: User
    ) -> None:
        proposal = from_line(fund_admin, fund["line"], AdjustmentKind.BANK_CHARGES)
        services.post_proposal(proposal, fund_approver)
        entry = JournalEntry.objects.get(document_reference=proposal.reference)
        history = list(proposal.history.order_by("history_id"))
        assert [(row.history_user, row.history_change_reason) for row in history] == [
            (fund_admin, "Adjustment proposed"),
            (fund_approver, f"Posted as {entry.reference}"),
        ]
        reasons = {row.history_change_reason for row in AdjustmentLine.history.filter(proposal_id=proposal.pk)}
        assert reasons == {f"Line of {proposal.reference}"}
        line_reason = fund["line"].history.latest("history_id").history_change_reason
        assert line_reason == f"Matched to {entry.reference}, posted from the line ({proposal.reference})"

    def test_the_audit_record_verifies_after_the_refused_attempts(
        self, fund: dict[str, Any], fund_admin: User, fund_approver: User
    ) -> None:
        proposal = propose(fund_admin)
        for attempt in (
            lambda: services.post_proposal(proposal, fund_admin, no_documents_reason="x"),
            lambda: propose(fund_admin, lines=lines(("5150", "dr", "1.00"), ("5130", "cr", "2.00"))),
            lambda: services.post_proposal(proposal, fund_approver),
        ):
            with pytest.raises(FundError):
                attempt()
        services.post_proposal(proposal, fund_approver, no_documents_reason="On file")
        with pytest.raises(IllegalProposalMove):
            services.post_proposal(proposal, fund_approver, no_documents_reason="On file")
        report = verify_record(write=False)
        assert report.ok, report.problems
        assert_ledger_balances()


# --------------------------------------------------------------------------------------------------
# The opening balance, closed periods


class TestOpeningAndPeriods:
    def opening(self, user: User, on: dt.date, amount: str = "250000.00") -> AdjustmentProposal:
        return propose(
            user,
            AdjustmentKind.OPENING_BALANCE,
            entry_date=on,
            description="Balances brought forward",
            reason="Audited balances at the start of the system",
            lines=lines((BANK, "dr", amount), ("3000", "cr", amount)),
        )

    def test_the_opening_balance_posts_the_books_opening_entry_once(
        self, fund_admin: User, fund_approver: User
    ) -> None:
        ensure_chart(Account)
        proposal = self.opening(fund_admin, days_ago(30))
        with pytest.raises(FundError, match=f"The opening balance {proposal.reference} already awaits a decision"):
            self.opening(fund_admin, days_ago(30))
        services.post_proposal(proposal, fund_approver, no_documents_reason="Audited accounts on file")
        assert JournalEntry.objects.get(document_reference=proposal.reference).kind == EntryKind.OPENING
        assert periods.opening_date() == days_ago(30)
        assert ledger.bank_balance() == K("250000.00")
        with pytest.raises(FundError, match=r"already have their opening balance \(JNL/"):
            self.opening(fund_admin, days_ago(30))
        with pytest.raises(BeforeOpening, match="The books open on"):
            propose(fund_admin, entry_date=days_ago(31))

    def test_an_opening_dated_after_an_entry_is_refused(self, fund: dict[str, Any], fund_admin: User) -> None:
        with pytest.raises(BeforeOpening, match=r"must be the first date of the books, but JNL/\S+ is dated"):
            self.opening(fund_admin, days_ago(1))
        assert not AdjustmentProposal.objects.exists()

    def test_an_entry_posted_before_the_opening_was_proposed_refuses_the_posting(
        self, fund_admin: User, fund_approver: User
    ) -> None:
        ensure_chart(Account)
        proposal = self.opening(fund_admin, days_ago(10))
        receive(fund_admin, "1000.00", days_ago(12))
        with pytest.raises(BeforeOpening, match="must be the first date of the books"):
            services.post_proposal(proposal, fund_approver, no_documents_reason="Audited accounts on file")
        assert not JournalEntry.objects.filter(kind=EntryKind.OPENING).exists()

    def test_a_closed_month_takes_no_proposal_and_no_posting(
        self, fund: dict[str, Any], fund_admin: User, fund_approver: User
    ) -> None:
        day = days_ago(2)
        proposal = propose(fund_admin, entry_date=day)
        first, last = periods.month_bounds(day)
        closed = ClosedPeriod(
            kind=PeriodKind.MONTH, start=first, end=last, closed_by=fund_approver, closed_at=timezone.now()
        )
        closed.save_as(fund_approver, "Month closed")
        with pytest.raises(PeriodClosed, match=f"{day:%B %Y} is closed") as refused:
            services.post_proposal(proposal, fund_approver, no_documents_reason="On file")
        assert f"nothing dated {day:%d %B %Y} can be posted" in refused.value.message
        with pytest.raises(PeriodClosed):
            propose(fund_admin, entry_date=day)
        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.PROPOSED and proposal.entry is None


# --------------------------------------------------------------------------------------------------
# Two approvers at once (PostgreSQL)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_approvers_posting_the_same_proposal_at_once_post_it_once() -> None:
    assert connection.vendor == "postgresql"
    ensure_chart(Account)
    admin = UserFactory.create(roles=[Role.FUND_ADMINISTRATOR])
    approvers = [UserFactory.create(roles=[Role.FUND_APPROVER]) for _ in range(2)]
    receive(admin, "5000.00", days_ago(5))
    proposal = propose(admin, lines=lines(("6100", "dr", "150.00"), (BANK, "cr", "150.00")))
    posted: list[int] = []
    refused: list[str] = []
    unexpected: list[BaseException] = []
    lock = threading.Lock()
    queue = list(approvers)

    def post() -> None:
        with lock:
            approver = queue.pop()
        try:
            services.post_proposal(
                AdjustmentProposal.objects.get(pk=proposal.pk), approver, no_documents_reason="Bank advice on file"
            )
            with lock:
                posted.append(approver.pk)
        except IllegalProposalMove as error:
            with lock:
                refused.append(error.message)
        except Exception as error:  # noqa: BLE001 - anything else is a failure to report
            with lock:
                unexpected.append(error)

    run_at_once(post, 2, timeout=60)

    assert unexpected == []
    assert len(posted) == 1 and len(refused) == 1
    winner = User.objects.get(pk=posted[0])
    assert refused[0].startswith(f"{proposal.reference} was already posted by {winner} on ")
    assert refused[0].endswith("it can no longer be posted.")
    assert JournalEntry.objects.filter(document_reference=proposal.reference).count() == 1
    assert ledger.bank_balance() == K("4850.00")
