"""Who may see and move the Fund's money — decided here and nowhere else.

Fund administrators record receipts, raise and pay disbursements, import statements and reconcile;
fund approvers approve or reject requests (never their own); auditors read everything here; the unit
head sees the fund summary (the fund home page) and nothing more; nobody else sees the fund.

What a user may see of each fund record is the scope rule of its model (``Model.objects.visible_to(user)``):
the fund has no per-user scoping, so a fund reader sees every record and anyone else none.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from core.access import AnyUser, has_role
from core.querysets import scope_rule
from core.roles import Role
from trustfund.choices import DisbursementStatus, ProposalStatus
from trustfund.models import (
    Account,
    AdjustmentLine,
    AdjustmentProposal,
    BankStatement,
    ClosedPeriod,
    Disbursement,
    DisbursementEvent,
    JournalEntry,
    JournalLine,
    Receipt,
    ReconciliationSignOff,
    StatementLine,
)

FUND_ADMINS = frozenset({Role.FUND_ADMINISTRATOR})
FUND_APPROVERS = frozenset({Role.FUND_APPROVER})
FUND_READERS = frozenset({Role.FUND_ADMINISTRATOR, Role.FUND_APPROVER, Role.AUDITOR})
SUMMARY_READERS = FUND_READERS | {Role.UNIT_HEAD}


def can_read_fund(user: AnyUser) -> bool:
    return has_role(user, FUND_READERS)


def can_see_summary(user: AnyUser) -> bool:
    return has_role(user, SUMMARY_READERS)


def can_administer(user: AnyUser) -> bool:
    return has_role(user, FUND_ADMINS)


# --------------------------------------------------------------------------------------------------
# Scope rules: every fund record a page, export or report fetches


@scope_rule(Account)
@scope_rule(JournalEntry)
@scope_rule(JournalLine)
@scope_rule(Receipt)
@scope_rule(Disbursement)
@scope_rule(DisbursementEvent)
@scope_rule(BankStatement)
@scope_rule(StatementLine)
@scope_rule(AdjustmentProposal)
@scope_rule(AdjustmentLine)
@scope_rule(ReconciliationSignOff)
@scope_rule(ClosedPeriod)
def _visible_fund_records(records: QuerySet[Any], user: AnyUser) -> QuerySet[Any]:
    """The fund's records (accounts, entries and lines, receipts, disbursements and their moves,
    statements and their lines, proposed adjustments, reconciliation sign-offs, closed periods): all of
    them for the fund roles and auditors, none for anyone else."""
    return records if can_read_fund(user) else records.none()


# --------------------------------------------------------------------------------------------------
# Moves on a disbursement


def can_decide(user: AnyUser, disbursement: Disbursement) -> bool:
    """Approve or reject: an approver, on a request someone else raised."""
    return (
        has_role(user, FUND_APPROVERS)
        and disbursement.status == DisbursementStatus.REQUESTED
        and disbursement.requested_by_id != user.pk
    )


def can_pay(user: AnyUser, disbursement: Disbursement) -> bool:
    return can_administer(user) and disbursement.status == DisbursementStatus.APPROVED


def can_cancel(user: AnyUser, disbursement: Disbursement) -> bool:
    return can_administer(user) and disbursement.status in (DisbursementStatus.REQUESTED, DisbursementStatus.APPROVED)


def may_open_decision(user: AnyUser, disbursement: Disbursement) -> bool:
    """The approve / reject pages open for any approver; the service refuses the requester by name and
    anything not awaiting a decision, so the page can say why."""
    return has_role(user, FUND_APPROVERS)


def may_open_payment(user: AnyUser, disbursement: Disbursement) -> bool:
    """The pay / cancel pages open for administrators; the service says why a state does not allow it."""
    return can_administer(user)


def actions_for(user: AnyUser, disbursement: Disbursement) -> dict[str, bool]:
    """The moves this user may make on this disbursement now (the page shows only these)."""
    return {
        "approve": can_decide(user, disbursement),
        "reject": can_decide(user, disbursement),
        "pay": can_pay(user, disbursement),
        "cancel": can_cancel(user, disbursement),
    }


# --------------------------------------------------------------------------------------------------
# Closing the books: adjustments under four eyes, reconciliation sign-off, period close


def can_propose(user: AnyUser) -> bool:
    """Propose an adjusting entry (bank charges, interest, a correction …): a fund administrator."""
    return can_administer(user)


def can_decide_proposal(user: AnyUser, proposal: AdjustmentProposal) -> bool:
    """Post or reject a proposal: an approver, on one someone else proposed, still awaiting a decision."""
    return (
        has_role(user, FUND_APPROVERS)
        and proposal.status == ProposalStatus.PROPOSED
        and proposal.proposed_by_id != user.pk
    )


def can_withdraw_proposal(user: AnyUser, proposal: AdjustmentProposal) -> bool:
    """Withdraw a proposal: the administrator who proposed it, while it awaits a decision."""
    return can_administer(user) and proposal.status == ProposalStatus.PROPOSED and proposal.proposed_by_id == user.pk


def may_open_proposal_decision(user: AnyUser, proposal: AdjustmentProposal) -> bool:
    """The post / reject pages open for any approver; the service refuses the proposer by name and
    anything already decided, so the page can say why."""
    return has_role(user, FUND_APPROVERS)


def may_open_proposal_withdrawal(user: AnyUser, proposal: AdjustmentProposal) -> bool:
    """The withdraw page opens for administrators; the service refuses anyone but the proposer, and a
    proposal already decided, so the page can say why."""
    return can_administer(user)


def proposal_actions_for(user: AnyUser, proposal: AdjustmentProposal) -> dict[str, bool]:
    """The moves this user may make on this proposal now (the page shows only these)."""
    return {
        "post": can_decide_proposal(user, proposal),
        "reject": can_decide_proposal(user, proposal),
        "withdraw": can_withdraw_proposal(user, proposal),
    }


def can_sign_off(user: AnyUser) -> bool:
    """Sign off a month's bank reconciliation, or re-open a signed month with a reason: a fund approver."""
    return has_role(user, FUND_APPROVERS)


def can_close_periods(user: AnyUser) -> bool:
    """Close a reconciled month or financial year to posting: a fund approver."""
    return has_role(user, FUND_APPROVERS)
