"""The National Assistance Trust Fund for Victims of Trafficking in Persons (CTIP ss.22–24): its
double-entry ledger, the money it receives and pays out, the bank statements it reconciles, and the
adjustments, sign-offs and closed periods that close its books."""

from trustfund.models.bank import BankStatement, StatementLine, statement_upload_path
from trustfund.models.books import AdjustmentLine, AdjustmentProposal, ClosedPeriod, ReconciliationSignOff
from trustfund.models.ledger import Account, ImmutableModel, ImmutableQuerySet, JournalEntry, JournalLine
from trustfund.models.money import Disbursement, DisbursementEvent, Receipt

__all__ = [
    "Account",
    "AdjustmentLine",
    "AdjustmentProposal",
    "BankStatement",
    "ClosedPeriod",
    "Disbursement",
    "DisbursementEvent",
    "ImmutableModel",
    "ImmutableQuerySet",
    "JournalEntry",
    "JournalLine",
    "Receipt",
    "ReconciliationSignOff",
    "StatementLine",
    "statement_upload_path",
]
