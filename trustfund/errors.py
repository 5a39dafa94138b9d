"""What can go wrong with the Fund's money, as named domain errors the forms show to the user."""

from __future__ import annotations

from core.exceptions import DomainError


class FundError(DomainError):
    """A rule of the trust fund was broken."""


class InvalidAmount(FundError):
    """An amount that must be more than zero was zero or negative."""

    field = "amount"


class InvalidDate(FundError):
    """A date in the future, or before the record it follows."""


class UnbalancedEntry(FundError):
    """A journal entry whose debits and credits differ, or whose lines are not one-sided and positive."""


class AlreadyReversed(FundError):
    """An entry may be reversed once, and a reversal is not itself reversed."""


class InsufficientFunds(FundError):
    """Paying (or reversing a receipt) would take the Fund's bank balance below zero."""


class SelfApproval(FundError):
    """The officer who requested a disbursement tried to approve or reject it."""


class IllegalDisbursementMove(FundError):
    """The disbursement is not in a state that allows this move (e.g. paying an unapproved one)."""


class NotForTheFund(FundError):
    """A forfeited-proceeds receipt cited a realisation whose proceeds do not go to the trust fund."""

    field = "realisation"


class OverReceipt(FundError):
    """Receipts citing a realisation would exceed its net proceeds, with no reason recorded."""

    field = "over_receipt_reason"


class StatementFileError(FundError):
    """A bank statement file that cannot be imported: missing columns, bad dates or amounts."""

    field = "file"

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class DuplicateStatement(StatementFileError):
    """The same statement file was imported before."""


class MatchError(FundError):
    """A statement line and a ledger entry that cannot be matched (or unmatched)."""
