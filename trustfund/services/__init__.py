"""Every change to the Fund's money, as HTTP-free functions: each one transaction that locks, checks,
posts and records who did it. Forms, the demo seed and the tests call these.

Disbursements move ``requested → approved → paid``, or ``requested → rejected``, or
``requested | approved → cancelled``; the officer who approves or rejects is never the one who asked.
Paying and reversing a receipt take the bank account's lock before they read the balance, so two
payments at once cannot both pass a check that only one of them fits.
"""

from trustfund.services.adjustments import (
    PROPOSAL_TEMPLATE,
    line_proposal_initial,
    post_proposal,
    propose_adjustment,
    reject_proposal,
    withdraw_proposal,
)
from trustfund.services.books import close_month, close_year, open_sign_off, reopen_month, sign_off_month
from trustfund.services.disbursements import (
    DISBURSEMENT_TEMPLATE,
    approve_disbursement,
    cancel_disbursement,
    pay_disbursement,
    reject_disbursement,
    request_disbursement,
)
from trustfund.services.receipts import RECEIPT_TEMPLATE, received_for, record_receipt
from trustfund.services.reversals import reverse_entry

__all__ = [
    "DISBURSEMENT_TEMPLATE",
    "PROPOSAL_TEMPLATE",
    "RECEIPT_TEMPLATE",
    "approve_disbursement",
    "cancel_disbursement",
    "close_month",
    "close_year",
    "line_proposal_initial",
    "open_sign_off",
    "pay_disbursement",
    "post_proposal",
    "propose_adjustment",
    "received_for",
    "record_receipt",
    "reject_disbursement",
    "reject_proposal",
    "reopen_month",
    "request_disbursement",
    "reverse_entry",
    "sign_off_month",
    "withdraw_proposal",
]
