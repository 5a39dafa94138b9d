"""Adjusting entries under four eyes: a fund administrator proposes a journal entry — bank charges, interest
earned, a returned payment, an unidentified receipt held in suspense, a correction between accounts, the
books' opening balance — and a fund approver who is not the proposer posts it or rejects it; the proposer
may withdraw it while it waits.

A proposal may explain one bank statement line ("Post as bank charge" on the line): its effect on the bank
must equal the line's amount, only one proposal at a time may await a decision for a line, and once posted
the line is matched to the entry (``MatchMethod.POSTED``).

Posting takes the bank account's lock first, then the proposal's row, then the statement line's: two
approvers posting the same proposal at once queue, and the second is told who posted it and when.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import guards
from core.labels import Label
from core.models import User
from core.numbering import financial_year, next_reference
from documents.queries import supporting_documents
from trustfund import ledger, matching, periods
from trustfund.chart import BANK, BANK_CHARGES, INTEREST_INCOME, SUSPENSE
from trustfund.choices import AdjustmentKind, EntryKind, MatchMethod, ProposalStatus
from trustfund.documents import PROPOSAL_DOCUMENT_TYPES
from trustfund.exceptions import (
    BeforeOpening,
    FundError,
    IllegalProposalMove,
    InsufficientFunds,
    MatchError,
    SelfApproval,
    UnbalancedEntry,
    UnsupportedApproval,
)
from trustfund.models import AdjustmentLine, AdjustmentProposal, JournalEntry, StatementLine

PROPOSAL_TEMPLATE = "ADJ/{period}/{number:04d}"
ZERO = ledger.ZERO


# --------------------------------------------------------------------------------------------------
# The bank's own lines: which kinds fit a line, and what they post


@dataclass(frozen=True)
class LineKind:
    """How a kind of adjustment explains a statement line: the way the money moved (in or out), the
    account the bank is posted against (None: the officer picks it), and the words of the line's link."""

    money_in: bool
    counter_account: str | None
    action: Label


LINE_KINDS: dict[str, LineKind] = {
    AdjustmentKind.BANK_CHARGES: LineKind(False, BANK_CHARGES, gettext_lazy("Post as bank charge")),
    AdjustmentKind.INTEREST: LineKind(True, INTEREST_INCOME, gettext_lazy("Post as interest")),
    AdjustmentKind.UNIDENTIFIED_RECEIPT: LineKind(True, SUSPENSE, gettext_lazy("Post as unidentified receipt")),
    AdjustmentKind.RETURNED_PAYMENT: LineKind(True, None, gettext_lazy("Post as returned payment")),
}
# The links each unmatched line offers on the statement lines list (a returned payment is proposed from
# the same page by its kind, the credit account left for the officer to pick).
LINE_ACTIONS: tuple[str, ...] = (
    AdjustmentKind.BANK_CHARGES,
    AdjustmentKind.INTEREST,
    AdjustmentKind.UNIDENTIFIED_RECEIPT,
)


def _money_way(money_in: bool) -> str:
    return _("money in") if money_in else _("money out")


def check_kind_fits_line(kind: str, line: StatementLine) -> LineKind:
    """The way ``kind`` explains ``line``, or a ``FundError`` saying why it cannot (a charge on money in)."""
    label = AdjustmentKind(kind).label if kind in AdjustmentKind.values else kind
    fit = LINE_KINDS.get(kind)
    if fit is None:
        raise FundError(_("%(label)s is not posted from a bank statement line.") % {"label": label}, field="kind")
    if fit.money_in != (line.amount > 0):
        fitting = [AdjustmentKind(k).label.lower() for k, f in LINE_KINDS.items() if f.money_in == (line.amount > 0)]
        raise FundError(
            _("%(kind)s is %(way)s, but this statement line is %(line_way)s (%(amount)s): post it as %(kinds)s.")
            % {
                "kind": label,
                "way": _money_way(fit.money_in),
                "line_way": _money_way(line.amount > 0),
                "amount": ledger.kes(line.amount),
                # Translators: joins the kinds of adjustment that fit: "bank charges or interest".
                "kinds": _(" or ").join(str(kind) for kind in fitting),
            },
            field="kind",
        )
    return fit


def line_actions(line: StatementLine) -> list[tuple[str, Label]]:
    """The "Post as …" links an unmatched line offers: (kind, words), those that fit its sign."""
    return [(kind, LINE_KINDS[kind].action) for kind in LINE_ACTIONS if LINE_KINDS[kind].money_in == (line.amount > 0)]


def line_proposal_initial(line: StatementLine, kind: str) -> dict[str, Any]:
    """The proposal a statement line prefills: its date, its words and reference, and the two lines —
    bank charges Dr bank charges / Cr bank; interest Dr bank / Cr interest income; an unidentified receipt
    Dr bank / Cr suspense; a returned payment Dr bank / Cr the account the officer picks (left blank)."""
    fit = check_kind_fits_line(kind, line)
    if line.matched_entry_id:
        raise MatchError(_("This statement line is already matched to a ledger entry."))
    amount = abs(line.amount)
    words = line.description or line.reference or "Bank statement line"
    bank = {"account": ledger.account(BANK), "memo": line.reference}
    other = {"account": ledger.account(fit.counter_account) if fit.counter_account else None, "memo": words}
    debit, credit = (bank, other) if fit.money_in else (other, bank)
    return {
        "kind": kind,
        "entry_date": line.date,
        "description": f"{AdjustmentKind(kind).label}: {words}"[:255],
        "bank_reference": line.reference[:60],
        "statement_line": line,
        "lines": [{**debit, "debit": amount, "credit": None}, {**credit, "debit": None, "credit": amount}],
    }


# --------------------------------------------------------------------------------------------------
# Checks shared by proposing and posting


def bank_effect(lines: Sequence[ledger.Line]) -> Decimal:
    """What the lines do to the bank balance: debits less credits of the bank account's lines."""
    return sum(((line.debit or ZERO) - (line.credit or ZERO) for line in lines if line.account.code == BANK), ZERO)


def _check_lines(lines: Sequence[ledger.Line]) -> None:
    ledger.check_lines(lines)
    closed = sorted({str(line.account) for line in lines if not line.account.is_active})
    if closed:
        raise UnbalancedEntry(_("No posting is made to an inactive account: %(join)s.") % {"join": ", ".join(closed)})


def _check_opening(entry_date: dt.date, proposal: AdjustmentProposal | None = None) -> None:
    """An opening balance is the books' first entry: one only, dated no later than any other entry."""
    opening = JournalEntry.objects.filter(kind=EntryKind.OPENING).first()
    if opening is not None:
        raise FundError(
            _(
                "The books already have their opening balance (%(reference)s, %(entry_date)s): correct it with "
                "an adjusting entry."
            )
            % {"reference": opening.reference, "entry_date": date_format(opening.entry_date, "d M Y")},
            field="kind",
        )
    waiting = AdjustmentProposal.objects.filter(kind=AdjustmentKind.OPENING_BALANCE, status=ProposalStatus.PROPOSED)
    if proposal is None and (other := waiting.first()) is not None:
        raise FundError(
            _("The opening balance %(reference)s already awaits a decision.") % {"reference": other.reference},
            field="kind",
        )
    earlier = JournalEntry.objects.filter(entry_date__lt=entry_date).order_by("entry_date", "id").first()
    if earlier is not None:
        raise BeforeOpening(
            _(
                "The opening balance must be the first date of the books, but %(reference)s is dated "
                "%(entry_date)s, before %(entry_date2)s."
            )
            % {
                "reference": earlier.reference,
                "entry_date": date_format(earlier.entry_date, "d M Y"),
                "entry_date2": date_format(entry_date, "d M Y"),
            },
            field="entry_date",
        )


def _check_statement_line(
    line: StatementLine, lines: Sequence[ledger.Line], proposal: AdjustmentProposal | None = None
) -> StatementLine:
    """The cited line, locked: not yet matched, no other proposal awaiting a decision for it, and the
    proposal moving the bank by exactly the line's amount."""
    locked = StatementLine.objects.select_for_update().get(pk=line.pk)
    shown = _("The statement line of %(date)s (%(kes)s)") % {
        "date": date_format(locked.date, "d M Y"),
        "kes": ledger.kes(locked.amount),
    }
    if locked.matched_entry_id:
        matched = JournalEntry.objects.values_list("reference", flat=True).get(pk=locked.matched_entry_id)
        raise MatchError(
            _("%(shown)s is already matched to %(matched)s.") % {"shown": shown, "matched": matched},
            field="statement_line",
        )
    others = AdjustmentProposal.objects.filter(statement_line=locked, status=ProposalStatus.PROPOSED)
    if proposal is not None:
        others = others.exclude(pk=proposal.pk)
    if (other := others.first()) is not None:
        raise MatchError(
            _("%(shown)s already has %(reference)s awaiting a decision.")
            % {"shown": shown, "reference": other.reference},
            field="statement_line",
        )
    effect = bank_effect(lines)
    if effect != locked.amount:
        raise MatchError(
            _("%(shown)s must be explained in full: the adjustment moves the bank by %(kes)s, the bank shows %(kes2)s.")
            % {"shown": shown, "kes": ledger.kes(effect), "kes2": ledger.kes(locked.amount)},
            field="lines",
        )
    return locked


# --------------------------------------------------------------------------------------------------
# Proposing


@transaction.atomic
def propose_adjustment(
    user: User,
    *,
    kind: str,
    entry_date: dt.date,
    description: str,
    reason: str,
    lines: Sequence[ledger.Line],
    bank_reference: str = "",
    statement_line: StatementLine | None = None,
    today: dt.date | None = None,
) -> AdjustmentProposal:
    """Propose an adjusting entry (``ADJ/{fy}/{n}``) for an approver to post: balanced lines to active
    accounts, dated no later than today in an open period, with a description and the reason for it."""
    if kind not in AdjustmentKind.values:
        raise FundError(_("Choose what the adjustment records."), field="kind")
    if not description.strip():
        raise FundError(_("Describe the adjustment."), field="description")
    if not reason.strip():
        raise FundError(_("Say why the adjustment is needed: the approver checks it against this."), field="reason")
    guards.not_in_future(entry_date, "entry date", field="entry_date", as_of=today)
    periods.check_open(entry_date)
    _check_lines(lines)
    if kind == AdjustmentKind.OPENING_BALANCE:
        if statement_line is not None:
            raise FundError(_("An opening balance is not posted from a bank statement line."), field="kind")
        _check_opening(entry_date)
    if statement_line is not None:
        if kind in LINE_KINDS:
            check_kind_fits_line(kind, statement_line)
        statement_line = _check_statement_line(statement_line, lines)
    proposal = AdjustmentProposal(
        reference=next_reference("adjustment", PROPOSAL_TEMPLATE, financial_year(entry_date)),
        kind=kind,
        entry_date=entry_date,
        description=description.strip()[:255],
        reason=reason.strip(),
        bank_reference=bank_reference.strip()[:60],
        statement_line=statement_line,
        status=ProposalStatus.PROPOSED,
        proposed_by=user,
    )
    proposal.save_as(user, "Adjustment proposed")
    for line in lines:
        AdjustmentLine(
            proposal=proposal,
            account=line.account,
            debit=line.debit or ZERO,
            credit=line.credit or ZERO,
            memo=line.memo.strip()[:255],
        ).save_as(user, f"Line of {proposal.reference}")
    return proposal


# --------------------------------------------------------------------------------------------------
# Deciding: post, reject, withdraw


PAST = {"post": gettext_lazy("posted"), "reject": gettext_lazy("rejected"), "withdraw": gettext_lazy("withdrawn")}
VERB = {"post": gettext_lazy("post"), "reject": gettext_lazy("reject"), "withdraw": gettext_lazy("withdraw")}


def _lock(proposal: AdjustmentProposal) -> AdjustmentProposal:
    return AdjustmentProposal.objects.select_for_update().get(pk=proposal.pk)


def _sync(target: AdjustmentProposal, source: AdjustmentProposal) -> None:
    for name in ("status", "decided_by_id", "decided_at", "decision_note", "entry_id"):
        setattr(target, name, getattr(source, name))


def _decided(locked: AdjustmentProposal) -> str:
    """Who moved the proposal out of "awaiting a decision", and when: "posted by Peter Mwangi on …"."""
    state = locked.get_status_display().lower()
    who = locked.decided_by if locked.decided_by_id else locked.proposed_by  # a withdrawal is the proposer's
    if locked.decided_at:
        when = timezone.localtime(locked.decided_at)
        return _("%(state)s by %(who)s on %(date)s at %(time)s") % {
            "state": state,
            "who": who,
            "date": date_format(when, "d M Y"),
            "time": date_format(when, "H:i"),
        }
    return _("%(state)s by %(who)s") % {"state": state, "who": who}


def _expect_proposed(locked: AdjustmentProposal, action: str) -> None:
    if locked.status != ProposalStatus.PROPOSED:
        raise IllegalProposalMove(
            _("%(reference)s was already %(decided)s: it can no longer be %(action)s.")
            % {"reference": locked.reference, "decided": _decided(locked), "action": PAST[action]}
        )


def _check_decision(locked: AdjustmentProposal, user: User, action: str) -> None:
    _expect_proposed(locked, action)
    if locked.proposed_by_id == user.pk:
        raise SelfApproval(
            _("You proposed %(reference)s: another approver must %(action)s it (four eyes).")
            % {"reference": locked.reference, "action": VERB[action]}
        )


def _decide(locked: AdjustmentProposal, user: User, status: str, note: str, reason: str) -> None:
    locked.status = status
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.decision_note = note
    fields = ["status", "decided_by", "decided_at", "decision_note", "entry", "updated_at"]
    locked.save_as(user, reason, update_fields=fields)


def _supported_note(locked: AdjustmentProposal, note: str, no_documents_reason: str) -> str:
    """The decision note: a proposal citing a statement line is supported by the statement; any other
    needs a document attached to it, or the approver's reason for posting without one."""
    note = note.strip()
    if locked.statement_line_id or supporting_documents(locked, PROPOSAL_DOCUMENT_TYPES).exists():
        return note
    reason = no_documents_reason.strip()
    if not reason:
        raise UnsupportedApproval(
            _(
                "No document is attached to %(reference)s (a bank advice, a voucher, the Board's resolution): "
                "attach one, or say why it is posted without."
            )
            % {"reference": locked.reference}
        )
    return "\n".join(part for part in (note, f"Posted without supporting documents: {reason}") if part)


def _ledger_lines(locked: AdjustmentProposal) -> list[ledger.Line]:
    return [
        ledger.Line(line.account, debit=line.debit, credit=line.credit, memo=line.memo)
        for line in locked.lines.select_related("account")
    ]


def _check_not_overdrawn(locked: AdjustmentProposal, lines: Sequence[ledger.Line]) -> None:
    effect = bank_effect(lines)
    if effect >= 0:
        return
    available = ledger.lowest_bank_balance_from(locked.entry_date)
    if available + effect < 0:
        raise InsufficientFunds(
            _(
                "Posting %(reference)s would take %(kes)s out of the bank and overdraw the Fund: only %(kes2)s "
                "is available from %(entry_date)s."
            )
            % {
                "reference": locked.reference,
                "kes": ledger.kes(-effect),
                "kes2": ledger.kes(max(available, ZERO)),
                "entry_date": date_format(locked.entry_date, "d M Y"),
            }
        )


@transaction.atomic
def post_proposal(
    proposal: AdjustmentProposal,
    user: User,
    *,
    note: str = "",
    no_documents_reason: str = "",
    today: dt.date | None = None,
) -> AdjustmentProposal:
    """An approver other than the proposer posts the proposal to the ledger (an opening balance as the
    books' opening entry, any other kind as an adjustment), its reference as the entry's document; a
    cited statement line is matched to the entry. The bank is never overdrawn on any day."""
    ledger.lock_bank()
    locked = _lock(proposal)
    _check_decision(locked, user, "post")
    guards.not_in_future(locked.entry_date, "entry date", field="entry_date", as_of=today)
    periods.check_open(locked.entry_date)
    lines = _ledger_lines(locked)
    _check_lines(lines)
    if locked.kind == AdjustmentKind.OPENING_BALANCE:
        _check_opening(locked.entry_date, locked)
    note = _supported_note(locked, note, no_documents_reason)
    _check_not_overdrawn(locked, lines)
    line = _check_statement_line(locked.statement_line, lines, locked) if locked.statement_line else None
    entry = ledger.post_entry(
        user,
        entry_date=locked.entry_date,
        kind=EntryKind.OPENING if locked.kind == AdjustmentKind.OPENING_BALANCE else EntryKind.ADJUSTMENT,
        description=locked.description,
        document_reference=locked.reference,
        bank_reference=locked.bank_reference,
        lines=lines,
    )
    locked.entry = entry
    _decide(locked, user, ProposalStatus.POSTED, note, f"Posted as {entry.reference}")
    if line is not None:
        reason = f"Matched to {entry.reference}, posted from the line ({locked.reference})"
        matching.link_line(line, entry, user, MatchMethod.POSTED, reason)
    _sync(proposal, locked)
    return locked


@transaction.atomic
def reject_proposal(proposal: AdjustmentProposal, user: User, *, reason: str) -> AdjustmentProposal:
    """An approver other than the proposer rejects the proposal, saying why; nothing reaches the ledger."""
    if not reason.strip():
        raise FundError(_("Say why the adjustment is rejected."), field="reason")
    locked = _lock(proposal)
    _check_decision(locked, user, "reject")
    _decide(locked, user, ProposalStatus.REJECTED, reason.strip(), f"Rejected: {reason.strip()}")
    _sync(proposal, locked)
    return locked


@transaction.atomic
def withdraw_proposal(proposal: AdjustmentProposal, user: User, *, reason: str) -> AdjustmentProposal:
    """The proposer withdraws the proposal while it awaits a decision, saying why."""
    if not reason.strip():
        raise FundError(_("Say why the adjustment is withdrawn."), field="reason")
    locked = _lock(proposal)
    _expect_proposed(locked, "withdraw")
    if locked.proposed_by_id != user.pk:
        raise IllegalProposalMove(
            _("Only %(proposed_by)s, who proposed %(reference)s, can withdraw it; an approver rejects it.")
            % {"proposed_by": locked.proposed_by, "reference": locked.reference}
        )
    locked.status = ProposalStatus.WITHDRAWN
    locked.decided_at = timezone.now()  # decided_by stays empty: the four-eyes rule keeps the proposer out of it
    locked.decision_note = reason.strip()
    locked.save_as(
        user, f"Withdrawn: {reason.strip()}", update_fields=["status", "decided_at", "decision_note", "updated_at"]
    )
    _sync(proposal, locked)
    return locked
