"""Who may see and move the Fund's money — decided here and nowhere else.

Fund administrators record receipts, raise and pay disbursements, import statements and reconcile;
fund approvers approve or reject requests (never their own); auditors read everything here; the unit
head sees the fund summary (the fund home page) and nothing more; nobody else sees the fund.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from core.access import has_role
from core.roles import Role
from trustfund.choices import DisbursementStatus
from trustfund.models import BankStatement, Disbursement, JournalEntry, Receipt, StatementLine

FUND_ADMINS = frozenset({Role.FUND_ADMINISTRATOR})
FUND_APPROVERS = frozenset({Role.FUND_APPROVER})
FUND_READERS = frozenset({Role.FUND_ADMINISTRATOR, Role.FUND_APPROVER, Role.AUDITOR})
SUMMARY_READERS = FUND_READERS | {Role.UNIT_HEAD}


def can_read_fund(user: Any) -> bool:
    return has_role(user, FUND_READERS)


def can_see_summary(user: Any) -> bool:
    return has_role(user, SUMMARY_READERS)


def can_administer(user: Any) -> bool:
    return has_role(user, FUND_ADMINS)


def disbursements_visible_to(user: Any) -> QuerySet[Disbursement]:
    if can_read_fund(user):
        return Disbursement.objects.all()
    return Disbursement.objects.none()


def receipts_visible_to(user: Any) -> QuerySet[Receipt]:
    if can_read_fund(user):
        return Receipt.objects.all()
    return Receipt.objects.none()


def entries_visible_to(user: Any) -> QuerySet[JournalEntry]:
    if can_read_fund(user):
        return JournalEntry.objects.all()
    return JournalEntry.objects.none()


def statements_visible_to(user: Any) -> QuerySet[BankStatement]:
    if can_read_fund(user):
        return BankStatement.objects.all()
    return BankStatement.objects.none()


def statement_lines_visible_to(user: Any) -> QuerySet[StatementLine]:
    if can_read_fund(user):
        return StatementLine.objects.all()
    return StatementLine.objects.none()


def can_decide(user: Any, disbursement: Disbursement) -> bool:
    """Approve or reject: an approver, on a request someone else raised."""
    return (
        has_role(user, FUND_APPROVERS)
        and disbursement.status == DisbursementStatus.REQUESTED
        and disbursement.requested_by_id != user.pk
    )


def can_pay(user: Any, disbursement: Disbursement) -> bool:
    return can_administer(user) and disbursement.status == DisbursementStatus.APPROVED


def can_cancel(user: Any, disbursement: Disbursement) -> bool:
    return can_administer(user) and disbursement.status in (DisbursementStatus.REQUESTED, DisbursementStatus.APPROVED)


def may_open_decision(user: Any, disbursement: Disbursement) -> bool:
    """The approve / reject pages open for any approver; the service refuses the requester by name and
    anything not awaiting a decision, so the page can say why."""
    return has_role(user, FUND_APPROVERS)


def may_open_payment(user: Any, disbursement: Disbursement) -> bool:
    """The pay / cancel pages open for administrators; the service says why a state does not allow it."""
    return can_administer(user)


def actions_for(user: Any, disbursement: Disbursement) -> dict[str, bool]:
    """The moves this user may make on this disbursement now (the page shows only these)."""
    return {
        "approve": can_decide(user, disbursement),
        "reject": can_decide(user, disbursement),
        "pay": can_pay(user, disbursement),
        "cancel": can_cancel(user, disbursement),
    }
