"""What can go wrong with the Fund's money, as named domain errors the forms show to the user.

Every error here derives from ``FundError``, itself a ``core.exceptions.DomainError``. An invalid amount
or date is the error every app shares (``core.exceptions``), re-exported so ``trustfund.exceptions``
names every error a fund service raises.
"""

from __future__ import annotations

from core.exceptions import DomainError, InvalidAmount, InvalidDate

__all__ = [
    "AlreadyReversed",
    "BeforeOpening",
    "DuplicateStatement",
    "FundError",
    "IllegalDisbursementMove",
    "IllegalProposalMove",
    "InsufficientFunds",
    "InvalidAmount",
    "InvalidDate",
    "MatchError",
    "NotForTheFund",
    "NotReconciled",
    "OverReceipt",
    "PeriodClosed",
    "PostedEntryImmutable",
    "SelfApproval",
    "StatementFileError",
    "SuspenseNotClear",
    "UnbalancedEntry",
    "UnsupportedApproval",
]


class FundError(DomainError):
    """A rule of the trust fund was broken."""


class UnbalancedEntry(FundError):
    """A journal entry whose debits and credits differ, or whose lines are not one-sided and positive."""


class PostedEntryImmutable(FundError):
    """A posted journal entry or line was about to be changed or deleted: corrections are reversals."""


class AlreadyReversed(FundError):
    """An entry may be reversed once, and a reversal is not itself reversed."""


class InsufficientFunds(FundError):
    """Paying (or reversing a receipt) would take the Fund's bank balance below zero."""


class SelfApproval(FundError):
    """The officer who requested a disbursement tried to approve or reject it."""


class UnsupportedApproval(FundError):
    """A disbursement approved (or an adjusting entry posted) with no supporting document attached to it —
    an invoice, a quotation, the Board's resolution, the bank's advice — and no reason recorded for going
    ahead without one."""

    field = "no_documents_reason"


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


class IllegalProposalMove(FundError):
    """A proposed adjustment moved from a state that does not allow it (posting one already decided)."""


class PeriodClosed(FundError):
    """A posting, reversal, back-dated entry or match that falls in a closed month or financial year."""


class BeforeOpening(FundError):
    """A posting dated before the books' opening balance."""


class NotReconciled(FundError):
    """A sign-off with a difference left, or a close of a period not signed off."""


class SuspenseNotClear(FundError):
    """A period close while unidentified receipts still sit in the suspense account."""
