"""September 2026 closed by hand, as an accountant's worked example: every figure of the bank reconciliation
statement computed in the comments, then signed off, closed, and a posting into the closed month refused.

The Fund's books open on 1 September with KES 500,000.00 transferred from its former account. During the
month: two receipts and a payment the bank shows, a cheque written on the 28th it has not yet paid, a
deposit of the 30th it has not yet credited, and the bank's own charges and interest, which the
administrator posts from the statement through proposals and the approver approves."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.trustfund.conftest import statement_csv
from tests.trustfund.factories import receive, request
from trustfund import ledger, periods, reports, services, statements
from trustfund.chart import ACCUMULATED_FUND, BANK, BANK_CHARGES, INTEREST_INCOME
from trustfund.choices import AdjustmentKind, EntryKind, MatchMethod, PeriodKind, ReceiptSource
from trustfund.exceptions import NotReconciled, PeriodClosed
from trustfund.models import ClosedPeriod, JournalEntry, Receipt, StatementLine

pytestmark = pytest.mark.django_db

D = Decimal
SEPTEMBER = dt.date(2026, 9, 1)
SEP_30 = dt.date(2026, 9, 30)
TODAY = dt.date(2026, 10, 10)  # the September statement has arrived; October is under way
HEADER = "Date,Description,Reference,Amount,Balance"


def paid(admin, approver, amount: str, requested_on: dt.date, paid_on: dt.date, reference: str) -> JournalEntry:
    disbursement = request(admin, amount, requested_on, today=TODAY)
    services.approve_disbursement(disbursement, approver, no_documents_reason="On the Board's paper file")
    services.pay_disbursement(disbursement, admin, paid_on=paid_on, payment_reference=reference, today=TODAY)
    disbursement.refresh_from_db()
    assert disbursement.payment_entry is not None
    return disbursement.payment_entry


def the_september_books(admin, approver) -> dict[str, JournalEntry]:
    """The month's postings, each with what it does to the bank (the ledger's bank account)."""
    bank, fund = ledger.account(BANK), ledger.account(ACCUMULATED_FUND)
    # 1 Sep: the opening balance, proposed and posted under four eyes. Bank 500,000.00.
    opening = services.propose_adjustment(
        admin,
        kind=AdjustmentKind.OPENING_BALANCE,
        entry_date=SEPTEMBER,
        description="Opening balance moved from the former account",
        reason="The certified cash book balance at 31 August 2026.",
        lines=[ledger.Line(bank, debit=D("500000.00")), ledger.Line(fund, credit=D("500000.00"))],
        today=TODAY,
    )
    services.post_proposal(opening, approver, no_documents_reason="Certified cash book on file", today=TODAY)
    assert opening.entry is not None and opening.entry.kind == EntryKind.OPENING
    # 3 Sep: the Treasury's appropriation, +1,000,000.00.  Bank 1,500,000.00.
    appropriation = receive(admin, "1000000.00", dt.date(2026, 9, 3), payer_reference="EXCHQ-0903", today=TODAY)
    # 10 Sep: a medical payment by transfer, −120,000.00.  Bank 1,380,000.00.
    transfer = paid(admin, approver, "120000.00", dt.date(2026, 9, 8), dt.date(2026, 9, 10), "EFT-0910")
    # 15 Sep: a donor grant, +250,000.00.  Bank 1,630,000.00.
    grant = receive(
        admin,
        "250000.00",
        dt.date(2026, 9, 15),
        source=ReceiptSource.DONATION,
        payer="IOM Kenya",
        payer_reference="IOM-0915",
        today=TODAY,
    )
    # 28 Sep: a shelter paid by cheque no. 000123, −45,000.00.  Bank 1,585,000.00.
    cheque = paid(admin, approver, "45000.00", dt.date(2026, 9, 25), dt.date(2026, 9, 28), "CHQ-000123")
    # 30 Sep: a donation banked late in the day, +80,000.00.  Bank 1,665,000.00.
    deposit = receive(
        admin, "80000.00", SEP_30, source=ReceiptSource.DONATION, payer="Well-wisher", payer_reference="DEP-0930"
    )
    assert ledger.bank_balance(SEP_30) == D("1665000.00")
    return {
        "opening": opening.entry,
        "appropriation": appropriation.entry,
        "transfer": transfer,
        "grant": grant.entry,
        "cheque": cheque,
        "deposit": deposit.entry,
    }


def test_september_reconciles_to_zero_is_signed_off_and_closed(fund_admin, fund_approver) -> None:
    admin, approver = fund_admin, fund_approver
    entries = the_september_books(admin, approver)

    # The bank's September statement: what it paid and received, and its own two lines on the 30th.
    #   opening 500,000.00 + 1,000,000.00 − 120,000.00 + 250,000.00 − 1,250.00 + 2,310.45 = 1,631,060.45
    content = statement_csv(
        [
            ("01/09/2026", "TRANSFER FROM FORMER ACCOUNT", "TRF-OPEN", "500000.00", "500000.00"),
            ("04/09/2026", "RTGS CREDIT NATIONAL TREASURY", "EXCHQ-0903", "1000000.00", "1500000.00"),
            ("12/09/2026", "EFT DEBIT KENYATTA NATIONAL HOSPITAL", "EFT-0910", "-120000.00", "1380000.00"),
            ("16/09/2026", "RTGS CREDIT IOM KENYA", "IOM-0915", "250000.00", "1630000.00"),
            ("30/09/2026", "LEDGER FEES AND COMMISSION", "CHG-0926", "-1250.00", "1628750.00"),
            ("30/09/2026", "INTEREST CREDIT", "INT-0926", "2310.45", "1631060.45"),
        ],
        header=HEADER,
    )
    statement = statements.import_statement(admin, name="september-2026.csv", content=content)
    # The four movements we know matched automatically (amount, date window, reference).
    for key in ("opening", "appropriation", "transfer", "grant"):
        assert StatementLine.objects.get(matched_entry=entries[key]).match_method == MatchMethod.AUTOMATIC

    # Before the bank's own lines are posted:
    #   balance per bank statement                            1,631,060.45
    #   less unpresented payments (cheque 000123)               −45,000.00
    #   add receipts not yet credited (deposit of the 30th)     +80,000.00
    #   adjusted bank balance                                 1,666,060.45
    #   balance per ledger                                    1,665,000.00
    #   unexplained difference                                    1,060.45 = −1,250.00 + 2,310.45
    before = reports.reconciliation_statement(SEP_30)
    assert before.statement_balance == D("1631060.45")
    assert before.unpresented_payments == D("45000.00")
    assert before.uncredited_receipts == D("80000.00")
    assert before.adjusted_bank_balance == D("1666060.45")
    assert before.ledger_balance == D("1665000.00")
    assert before.difference == D("1060.45")
    assert [line.reference for line in before.unmatched_lines] == ["CHG-0926", "INT-0926"]
    with pytest.raises(NotReconciled, match=r"unexplained difference of KES 1,060\.45"):
        services.sign_off_month(approver, month=SEPTEMBER, today=TODAY)

    # The administrator posts the two lines as proposals; the approver posts them.
    #   bank charges: Dr 6100 Bank charges 1,250.00 / Cr 1000 Bank 1,250.00
    #   interest:     Dr 1000 Bank 2,310.45 / Cr 4310 Interest income 2,310.45
    charge_line = statement.lines.get(reference="CHG-0926")
    interest_line = statement.lines.get(reference="INT-0926")
    bank = ledger.account(BANK)
    for line, kind, other, debit_bank in (
        (charge_line, AdjustmentKind.BANK_CHARGES, ledger.account(BANK_CHARGES), False),
        (interest_line, AdjustmentKind.INTEREST, ledger.account(INTEREST_INCOME), True),
    ):
        amount = abs(line.amount)
        lines = [ledger.Line(bank, debit=amount), ledger.Line(other, credit=amount)]
        if not debit_bank:
            lines = [ledger.Line(other, debit=amount), ledger.Line(bank, credit=amount)]
        balance = ledger.bank_balance(SEP_30)
        proposal = services.propose_adjustment(
            admin,
            kind=kind,
            entry_date=line.date,
            description=line.description,
            reason="On the bank statement of 30 September 2026.",
            lines=lines,
            bank_reference=line.reference,
            statement_line=line,
            today=TODAY,
        )
        assert ledger.bank_balance(SEP_30) == balance  # a proposal posts nothing
        services.post_proposal(proposal, approver, today=TODAY)
        line.refresh_from_db()
        assert line.matched_entry == proposal.entry and line.match_method == MatchMethod.POSTED
    assert ledger.account_balance(BANK_CHARGES) == D("1250.00")
    assert ledger.account_balance(INTEREST_INCOME) == D("2310.45")

    # The reconciliation statement at 30 September:
    #   balance per bank statement                            1,631,060.45
    #   less unpresented payments                               −45,000.00
    #   add receipts not yet credited                           +80,000.00
    #   adjusted bank balance                                 1,666,060.45
    #   balance per ledger   1,665,000.00 − 1,250.00 + 2,310.45 = 1,666,060.45
    #   unexplained difference                                        0.00
    rec = reports.reconciliation_statement(SEP_30)
    assert rec.statement_balance == D("1631060.45")
    assert rec.unpresented_payments == D("45000.00")
    assert [entry.pk for entry in rec.unpresented] == [entries["cheque"].pk]
    assert rec.uncredited_receipts == D("80000.00")
    assert [entry.pk for entry in rec.uncredited] == [entries["deposit"].pk]
    assert rec.adjusted_bank_balance == D("1666060.45")
    assert rec.ledger_balance == D("1666060.45")
    assert rec.difference == D("0.00") and not rec.unmatched_lines
    rows = ledger.trial_balance(SEP_30)
    assert sum(r.debit for r in rows) == sum(r.credit for r in rows)

    # The approver signs it off; the figures are kept as signed.
    sign_off = services.sign_off_month(approver, month=dt.date(2026, 9, 17), today=TODAY)
    assert (sign_off.month, sign_off.as_at, sign_off.signed_by) == (SEPTEMBER, SEP_30, approver)
    assert (sign_off.statement_balance, sign_off.unpresented_payments) == (D("1631060.45"), D("45000.00"))
    assert (sign_off.uncredited_receipts, sign_off.ledger_balance) == (D("80000.00"), D("1666060.45"))
    assert sign_off.difference == D("0.00")

    # … and closes September: the suspense account is clear, nothing awaits a decision.
    closed = services.close_month(approver, month=SEPTEMBER, note="Reconciled and signed.", today=TODAY)
    assert (closed.kind, closed.start, closed.end, closed.closed_by) == (PeriodKind.MONTH, SEPTEMBER, SEP_30, approver)
    assert periods.closed_period_covering(dt.date(2026, 9, 29)) == closed

    # A receipt back-dated into September is refused, and nothing is saved.
    receipts, journal = Receipt.objects.count(), JournalEntry.objects.count()
    with pytest.raises(PeriodClosed, match="September 2026 is closed") as refused:
        receive(admin, "10000.00", dt.date(2026, 9, 29), today=TODAY)
    assert "nothing dated 29 September 2026 can be posted" in str(refused.value)
    # … and so is reversing the transfer into September.
    with pytest.raises(PeriodClosed, match="September 2026 is closed"):
        services.reverse_entry(entries["transfer"], admin, reversed_on=dt.date(2026, 9, 29), reason="x", today=TODAY)
    assert (Receipt.objects.count(), JournalEntry.objects.count()) == (receipts, journal)

    # October's statement shows the cheque presented and the deposit credited: they match in October, an
    # open month, and September's signed statement stays as it was signed.
    october = statement_csv(
        [
            ("01/10/2026", "CASH DEPOSIT", "DEP-0930", "80000.00", "1711060.45"),
            ("03/10/2026", "CHEQUE 000123", "CHQ-000123", "-45000.00", "1666060.45"),
        ],
        header=HEADER,
    )
    statements.import_statement(admin, name="october-2026.csv", content=october)
    assert StatementLine.objects.filter(matched_entry__in=[entries["cheque"], entries["deposit"]]).count() == 2
    again = reports.reconciliation_statement(SEP_30)
    assert (again.unpresented_payments, again.uncredited_receipts, again.difference) == (
        D("45000.00"),
        D("80000.00"),
        D("0.00"),
    )
    # At 3 October nothing is outstanding: bank 1,666,060.45 = ledger 1,666,060.45.
    october_3 = reports.reconciliation_statement(dt.date(2026, 10, 3))
    assert october_3.statement_balance == october_3.ledger_balance == D("1666060.45")
    assert october_3.unpresented_payments == october_3.uncredited_receipts == october_3.difference == D("0.00")
    assert ClosedPeriod.objects.count() == 1
