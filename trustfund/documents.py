"""The fund's records that take documents — a receipt, a disbursement, a bank statement, a proposed adjusting
entry — with the papers each takes. The fund roles and auditors read them; the fund's officers attach (an
approver the Board's resolution, an administrator the invoice or the bank's advice); a fund approver
withdraws one attached by mistake."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.access import AnyUser
from core.roles import FUND_ROLES
from documents.choices import DocumentType as T
from documents.registry import RecordKind, register_record_kind
from trustfund.access import FUND_APPROVERS, FUND_READERS
from trustfund.models import AdjustmentProposal, BankStatement, Disbursement, Receipt

# The papers an adjusting entry is posted against: the bank's advice, a voucher, the Board's resolution, an
# invoice (a corrected payment) or any other paper; any one of them attached supports the posting.
PROPOSAL_DOCUMENT_TYPES: tuple[str, ...] = (T.BANK_SLIP, T.PAYMENT_VOUCHER, T.BOARD_RESOLUTION, T.INVOICE, T.OTHER)


def _any_fund_record(user: AnyUser, record: Any) -> bool:
    """The fund has no per-user scope: its officers attach to any of its records."""
    return True


def _kind(**fields: Any) -> RecordKind:
    """A kind of this app's records, with the access its records share."""
    return RecordKind(
        readers=FUND_READERS,
        attachers=FUND_ROLES,
        withdrawers=FUND_APPROVERS,
        withdrawn_by="a fund approver",
        can_attach=_any_fund_record,
        **fields,
    )


register_record_kind(
    _kind(
        slug="receipt",
        model=Receipt,
        noun=_("receipt"),
        types=(T.BANK_SLIP, T.PAYMENT_VOUCHER, T.BOARD_RESOLUTION, T.COURT_ORDER, T.OTHER),
        describe=str,
        record_url=lambda receipt: receipt.get_absolute_url(),
    )
)
register_record_kind(
    _kind(
        slug="disbursement",
        model=Disbursement,
        noun=_("disbursement"),
        types=(
            T.INVOICE,
            T.QUOTATION,
            T.BOARD_RESOLUTION,
            T.PAYMENT_VOUCHER,
            T.BANK_SLIP,
            T.IDENTITY_DOCUMENT,
            T.OTHER,
        ),
        describe=lambda d: f"{d.reference} — KES {d.amount:,.2f}",
        record_url=lambda disbursement: disbursement.get_absolute_url(),
    )
)
register_record_kind(
    _kind(
        slug="statement",
        model=BankStatement,
        noun=_("bank statement"),
        types=(T.BANK_SLIP, T.OTHER),
        describe=str,
        record_url=lambda statement: statement.get_absolute_url(),
    )
)
register_record_kind(
    _kind(
        slug="adjustment",
        model=AdjustmentProposal,
        noun=_("adjusting entry"),
        types=PROPOSAL_DOCUMENT_TYPES,
        describe=str,
        record_url=lambda proposal: proposal.get_absolute_url(),
    )
)
