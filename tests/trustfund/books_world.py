"""A small month by hand, for the reconciliation statement and month-end tests.

The month ``M`` (two calendar months ago) and the month after it, ``N``:
- 100,000.00 received on M+2, credited by the bank on M+3 (matched automatically);
- 30,000.00 paid on M+10, presented at the bank only on N+2 (matched by hand): unpresented at M's end;
- 5,000.00 received on M's last day, credited by the bank on N+1 (matched automatically): a receipt
  not yet credited at M's end — a match that crosses the month end;
- a bank charge of 150.00 on M+20 on the statement, not (yet) in the ledger.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from core.models import User
from tests.trustfund.conftest import statement_csv
from tests.trustfund.factories import paid, receive
from trustfund import ledger, matching, periods, services, statements
from trustfund.chart import BANK, BANK_CHARGES
from trustfund.choices import AdjustmentKind
from trustfund.models import AdjustmentProposal, Disbursement, Receipt, StatementLine


def month_ago(months: int, today: dt.date | None = None) -> dt.date:
    """The first day of the month ``months`` calendar months before this one."""
    first = (today or timezone.localdate()).replace(day=1)
    for _ in range(months):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return first


@dataclass
class Month:
    first: dt.date
    last: dt.date
    next_first: dt.date
    receipt: Receipt
    late_receipt: Receipt
    payment: Disbursement
    charge_line: StatementLine
    payment_line: StatementLine


def the_month(admin: User, approver: User) -> Month:
    first = month_ago(2)
    _, last = periods.month_bounds(first)
    nxt = last + dt.timedelta(days=1)
    receipt = receive(admin, "100000.00", first + dt.timedelta(days=1), payer_reference="EXCHQ-M")
    payment = paid(admin, approver, "30000.00", first + dt.timedelta(days=9), requested_on=first + dt.timedelta(days=4))
    late = receive(admin, "5000.00", last, payer_reference="DON-M")
    statement = statements.import_statement(
        admin,
        name="month.csv",
        content=statement_csv(
            [
                ((first + dt.timedelta(days=2)).isoformat(), "RTGS Treasury", "EXCHQ-M", "100000.00"),
                ((first + dt.timedelta(days=19)).isoformat(), "Ledger fees", "FEE-M", "-150.00"),
                (nxt.isoformat(), "Donation", "DON-M", "5000.00"),
                ((nxt + dt.timedelta(days=1)).isoformat(), "Cheque presented", "CHQ-M", "-30000.00"),
            ]
        ),
    )
    payment_line = statement.lines.get(reference="CHQ-M")
    matching.match_line(payment_line, payment.payment_entry, admin)  # type: ignore[arg-type]
    return Month(
        first=first,
        last=last,
        next_first=nxt,
        receipt=receipt,
        late_receipt=late,
        payment=payment,
        charge_line=statement.lines.get(reference="FEE-M"),
        payment_line=payment_line,
    )


def post_charge(month: Month, admin: User, approver: User) -> AdjustmentProposal:
    """The bank charge, proposed from its statement line and posted by the approver (matched to it)."""
    line = month.charge_line
    proposal = services.propose_adjustment(
        admin,
        kind=AdjustmentKind.BANK_CHARGES,
        entry_date=line.date,
        description="Ledger fees",
        reason="On the bank statement",
        bank_reference=line.reference,
        statement_line=line,
        lines=[
            ledger.Line(ledger.account(BANK_CHARGES), debit=Decimal("150.00")),
            ledger.Line(ledger.account(BANK), credit=Decimal("150.00")),
        ],
    )
    return services.post_proposal(proposal, approver, no_documents_reason="The bank statement is the evidence")
