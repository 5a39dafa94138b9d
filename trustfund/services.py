"""Every change to the Fund's money, as HTTP-free functions: each one transaction that locks, checks,
posts and records who did it. Forms, the demo seed and the tests call these.

Disbursements move ``requested → approved → paid``, or ``requested → rejected``, or
``requested | approved → cancelled``; the officer who approves or rejects is never the one who asked.
Paying and reversing a receipt take the bank account's lock before they read the balance, so two
payments at once cannot both pass a check that only one of them fits.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from assets import services as asset_services
from assets.choices import AssetStatus, Destination
from assets.models import Realisation
from core import guards
from core.models import User
from core.numbering import financial_year, next_reference
from documents.choices import SUPPORTING_TYPES
from documents.queries import supporting_documents
from prosecutions.models import Victim
from trustfund import ledger
from trustfund.chart import BANK, PURPOSE_ACCOUNTS, SOURCE_ACCOUNTS
from trustfund.choices import DisbursementPurpose, DisbursementStatus, EntryKind, ReceiptSource
from trustfund.exceptions import (
    AlreadyReversed,
    FundError,
    IllegalDisbursementMove,
    InsufficientFunds,
    InvalidDate,
    NotForTheFund,
    OverReceipt,
    SelfApproval,
    UnsupportedApproval,
)
from trustfund.models import Disbursement, DisbursementEvent, JournalEntry, Receipt

RECEIPT_TEMPLATE = "RCT/{period}/{number:04d}"
DISBURSEMENT_TEMPLATE = "DSB/{period}/{number:04d}"
ZERO = ledger.ZERO


def _money(amount: Decimal) -> str:
    return f"KES {amount:,.2f}"


# --------------------------------------------------------------------------------------------------
# Receipts


def received_for(realisation: Realisation, exclude: Receipt | None = None) -> Decimal:
    """KES received so far against a realisation: its receipts, less any that were reversed."""
    receipts = Receipt.objects.filter(realisation=realisation, entry__reversed_by__isnull=True)
    if exclude is not None:
        receipts = receipts.exclude(pk=exclude.pk)
    total: Decimal | None = receipts.aggregate(total=Sum("amount"))["total"]
    return total or ZERO


def _check_receipt(source: str, amount: Decimal, payer: str, received_on: dt.date, today: dt.date | None) -> None:
    """What every receipt needs: a known source, an amount in cents above zero, a payer, a past date."""
    if source not in ReceiptSource.values:
        raise FundError("Choose where the money came from.", field="source")
    guards.positive_cents(amount)
    if not payer.strip():
        raise FundError("Name the payer.", field="payer")
    guards.not_in_future(received_on, "date received", field="received_on", as_of=today)


def _proceeds_realisation(
    realisation: Realisation | None, amount: Decimal, received_on: dt.date, over_receipt_reason: str
) -> Realisation:
    """The realisation forfeited proceeds cite, locked: bound for the fund, sold before the money came,
    and not over-received unless the officer says why."""
    if realisation is None:
        raise NotForTheFund("Forfeited proceeds must cite the realisation (sale) they come from.")
    realisation = Realisation.objects.select_for_update().select_related("asset").get(pk=realisation.pk)
    if realisation.destination != Destination.TRUST_FUND:
        raise NotForTheFund(
            f"The proceeds of {realisation.asset.reference} go to "
            f"{realisation.get_destination_display() or 'no destination'}, not to the trust fund."
        )
    if received_on < realisation.realised_on:
        raise InvalidDate(
            f"{realisation.asset.reference} was sold on {realisation.realised_on:%d %b %Y}: its proceeds "
            "cannot be received before that.",
            field="received_on",
        )
    already = received_for(realisation)
    if already + amount > realisation.net_proceeds_kes and not over_receipt_reason.strip():
        raise OverReceipt(
            f"{realisation.asset.reference} realised {_money(realisation.net_proceeds_kes)} net and "
            f"{_money(already)} is already received: this receipt would exceed it. Give the reason to accept it."
        )
    return realisation


def _post_receipt(
    user: User, reference: str, *, source: str, amount: Decimal, payer: str, on: dt.date, bank_reference: str
) -> JournalEntry:
    """Dr bank / Cr the source's income account."""
    return ledger.post_entry(
        user,
        entry_date=on,
        kind=EntryKind.RECEIPT,
        description=f"Receipt {reference} from {payer}",
        document_reference=reference,
        bank_reference=bank_reference,
        lines=[
            ledger.Line(ledger.account(BANK), debit=amount, memo=payer),
            ledger.Line(ledger.account(SOURCE_ACCOUNTS[source]), credit=amount, memo=reference),
        ],
    )


def _transfer_when_fully_received(realisation: Realisation, user: User, reference: str, on: dt.date) -> None:
    """Once receipts reach a realisation's net proceeds, its asset is transferred (the assets service)."""
    asset = realisation.asset
    fully = received_for(realisation) >= realisation.net_proceeds_kes
    if fully and asset.status == AssetStatus.REALISED:
        asset_services.mark_transferred(asset, user, receipt_reference=reference, transferred_on=on)


@transaction.atomic
def record_receipt(
    user: User,
    *,
    source: str,
    amount: Decimal,
    payer: str,
    received_on: dt.date,
    payer_reference: str = "",
    realisation: Realisation | None = None,
    over_receipt_reason: str = "",
    notes: str = "",
    today: dt.date | None = None,
) -> Receipt:
    """Record money received (``RCT/{fy}/{n}``) and post Dr bank / Cr the source's income account.

    Forfeited proceeds must cite a realisation whose proceeds go to the trust fund; receipts citing one
    realisation may exceed its net KES only with a reason. When they reach it, the asset is marked
    ``transferred`` through the assets service.
    """
    _check_receipt(source, amount, payer, received_on, today)
    if source == ReceiptSource.FORFEITED_PROCEEDS:
        realisation = _proceeds_realisation(realisation, amount, received_on, over_receipt_reason)
    elif realisation is not None:
        raise NotForTheFund("Only forfeited proceeds cite a realisation.")

    ledger.lock_bank()
    reference = next_reference("receipt", RECEIPT_TEMPLATE, financial_year(received_on))
    entry = _post_receipt(
        user,
        reference,
        source=source,
        amount=amount,
        payer=payer.strip(),
        on=received_on,
        bank_reference=payer_reference.strip(),
    )
    receipt = Receipt(
        reference=reference,
        received_on=received_on,
        source=source,
        amount=amount,
        payer=payer.strip(),
        payer_reference=payer_reference.strip(),
        realisation=realisation,
        over_receipt_reason=over_receipt_reason.strip(),
        notes=notes,
        entry=entry,
        recorded_by=user,
    )
    receipt.save_as(user, "Receipt recorded")
    if realisation is not None:
        _transfer_when_fully_received(realisation, user, reference, received_on)
    return receipt


# --------------------------------------------------------------------------------------------------
# Disbursements


def _lock_disbursement(disbursement: Disbursement) -> Disbursement:
    return Disbursement.objects.select_for_update().get(pk=disbursement.pk)


def _sync(target: Disbursement, source: Disbursement) -> None:
    for name in ("status", "decided_by_id", "decided_at", "paid_on", "payment_reference", "payment_entry_id"):
        setattr(target, name, getattr(source, name))


def _event(disbursement: Disbursement, user: User, from_status: str, to_status: str, note: str = "") -> None:
    DisbursementEvent(
        disbursement=disbursement,
        from_status=from_status,
        to_status=to_status,
        by=user,
        at=timezone.now(),
        note=note.strip(),
    ).save_as(user)


PAST = {"approve": "approved", "reject": "rejected", "cancel": "cancelled"}


def _expect(disbursement: Disbursement, allowed: set[str], action: str) -> None:
    if disbursement.status in allowed:
        return
    reference, state = disbursement.reference, disbursement.get_status_display().lower()
    if action == "pay":
        if disbursement.status == DisbursementStatus.PAID:
            raise IllegalDisbursementMove(f"{reference} is already paid.")
        raise IllegalDisbursementMove(f"{reference} is {state}: only an approved disbursement can be paid.")
    raise IllegalDisbursementMove(f"{reference} is {state}: it can no longer be {PAST[action]}.")


@transaction.atomic
def request_disbursement(
    user: User,
    *,
    purpose: str,
    amount: Decimal,
    resolution_reference: str,
    victim: Victim | None = None,
    service_provider: str = "",
    description: str = "",
    requested_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Disbursement:
    """Raise a request to pay (``DSB/{fy}/{n}``) to a victim (by code) and/or a service provider."""
    if purpose not in DisbursementPurpose.values:
        raise FundError("Choose the purpose of the payment.", field="purpose")
    guards.positive_cents(amount)
    if victim is None and not service_provider.strip():
        raise FundError("Name the beneficiary victim or the service provider (or both).", field="victim")
    if not resolution_reference.strip():
        raise FundError("Give the Board of Trustees resolution reference.", field="resolution_reference")
    day = requested_on or today or guards.today()
    guards.not_in_future(day, "request date", field="requested_on", as_of=today)
    disbursement = Disbursement(
        reference=next_reference("disbursement", DISBURSEMENT_TEMPLATE, financial_year(day)),
        victim=victim,
        service_provider=service_provider.strip(),
        purpose=purpose,
        amount=amount,
        resolution_reference=resolution_reference.strip(),
        description=description.strip(),
        status=DisbursementStatus.REQUESTED,
        requested_on=day,
        requested_by=user,
    )
    disbursement.save_as(user, "Disbursement requested")
    _event(disbursement, user, "", DisbursementStatus.REQUESTED)
    return disbursement


def _check_decision(locked: Disbursement, user: User, action: str) -> None:
    _expect(locked, {DisbursementStatus.REQUESTED}, action)
    if locked.requested_by_id == user.pk:
        raise SelfApproval(f"You raised {locked.reference}: another approver must {action} it (four eyes).")


def _decide(disbursement: Disbursement, user: User, to_status: str, note: str, action: str) -> Disbursement:
    locked = _lock_disbursement(disbursement)
    _check_decision(locked, user, action)
    locked.status = to_status
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.save_as(
        user,
        f"{DisbursementStatus(to_status).label}",
        update_fields=["status", "decided_by", "decided_at", "updated_at"],
    )
    _event(locked, user, DisbursementStatus.REQUESTED, to_status, note)
    _sync(disbursement, locked)
    return locked


@transaction.atomic
def approve_disbursement(
    disbursement: Disbursement, user: User, *, note: str = "", no_documents_reason: str = ""
) -> Disbursement:
    """An approver other than the requester approves the request — against at least one supporting document
    attached to it (an invoice, a quotation or the Board's resolution), or, lacking one, a reason recorded
    with the approval."""
    locked = _lock_disbursement(disbursement)
    _check_decision(locked, user, "approve")
    if not supporting_documents(locked, SUPPORTING_TYPES).exists():
        reason = no_documents_reason.strip()
        if not reason:
            raise UnsupportedApproval(
                f"No invoice, quotation or Board resolution is attached to {locked.reference}: attach one, or "
                "say why it is approved without."
            )
        note = "\n".join(part for part in (note.strip(), f"Approved without supporting documents: {reason}") if part)
    return _decide(disbursement, user, DisbursementStatus.APPROVED, note, "approve")


@transaction.atomic
def reject_disbursement(disbursement: Disbursement, user: User, *, reason: str) -> Disbursement:
    """An approver other than the requester rejects the request, saying why."""
    if not reason.strip():
        raise FundError("Say why the request is rejected.", field="reason")
    return _decide(disbursement, user, DisbursementStatus.REJECTED, reason, "reject")


@transaction.atomic
def cancel_disbursement(disbursement: Disbursement, user: User, *, reason: str) -> Disbursement:
    """Withdraw a request, or an approval not yet paid, saying why."""
    if not reason.strip():
        raise FundError("Say why the disbursement is cancelled.", field="reason")
    locked = _lock_disbursement(disbursement)
    from_status = locked.status
    _expect(locked, {DisbursementStatus.REQUESTED, DisbursementStatus.APPROVED}, "cancel")
    locked.status = DisbursementStatus.CANCELLED
    locked.save_as(user, "Cancelled", update_fields=["status", "updated_at"])
    _event(locked, user, from_status, DisbursementStatus.CANCELLED, reason)
    _sync(disbursement, locked)
    return locked


@transaction.atomic
def pay_disbursement(
    disbursement: Disbursement,
    user: User,
    *,
    paid_on: dt.date,
    payment_reference: str = "",
    today: dt.date | None = None,
) -> Disbursement:
    """Pay an approved disbursement: Dr the purpose's expense account / Cr bank.

    The bank row is locked first, then the balance is read: the payment must fit under the lowest
    balance from ``paid_on`` on, so the Fund is never overdrawn on any day.
    """
    ledger.lock_bank()
    locked = _lock_disbursement(disbursement)
    _expect(locked, {DisbursementStatus.APPROVED}, "pay")
    guards.not_in_future(paid_on, "payment date", field="paid_on", as_of=today)
    if paid_on < locked.requested_on:
        raise InvalidDate("A disbursement cannot be paid before it was requested.", field="paid_on")
    available = ledger.lowest_bank_balance_from(paid_on)
    if locked.amount > available:
        raise InsufficientFunds(
            f"Paying {_money(locked.amount)} would overdraw the Fund: only {_money(max(available, ZERO))} is "
            f"available from {paid_on:%d %b %Y}."
        )
    entry = ledger.post_entry(
        user,
        entry_date=paid_on,
        kind=EntryKind.DISBURSEMENT,
        description=f"Disbursement {locked.reference} to {locked.payee}",
        document_reference=locked.reference,
        bank_reference=payment_reference.strip(),
        lines=[
            ledger.Line(ledger.account(PURPOSE_ACCOUNTS[locked.purpose]), debit=locked.amount, memo=locked.reference),
            ledger.Line(ledger.account(BANK), credit=locked.amount, memo=locked.payee),
        ],
    )
    locked.status = DisbursementStatus.PAID
    locked.paid_on = paid_on
    locked.payment_reference = payment_reference.strip()
    locked.payment_entry = entry
    locked.save_as(
        user, "Paid", update_fields=["status", "paid_on", "payment_reference", "payment_entry", "updated_at"]
    )
    _event(locked, user, DisbursementStatus.APPROVED, DisbursementStatus.PAID, payment_reference)
    _sync(disbursement, locked)
    return locked


# --------------------------------------------------------------------------------------------------
# Corrections


@transaction.atomic
def reverse_entry(
    entry: JournalEntry,
    user: User,
    *,
    reversed_on: dt.date,
    reason: str,
    today: dt.date | None = None,
) -> JournalEntry:
    """Post the mirror image of ``entry`` (debits become credits), pointing at it. An entry is reversed
    once; a reversal is not reversed (post a fresh entry instead). Reversing money that came in must
    not overdraw the bank."""
    if not reason.strip():
        raise FundError("Say why the entry is reversed.", field="reason")
    ledger.lock_bank()
    original = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    if original.kind == EntryKind.REVERSAL:
        raise AlreadyReversed(f"{original.reference} is itself a reversal; post a new entry instead.")
    if JournalEntry.objects.filter(reverses=original).exists():
        raise AlreadyReversed(f"{original.reference} has already been reversed.")
    guards.not_in_future(reversed_on, "reversal date", field="reversed_on", as_of=today)
    if reversed_on < original.entry_date:
        raise InvalidDate("A reversal cannot be dated before the entry it reverses.", field="reversed_on")
    effect = -ledger.bank_effect(original)
    if effect < 0 and ledger.lowest_bank_balance_from(reversed_on) + effect < 0:
        raise InsufficientFunds(
            f"Reversing {original.reference} would take {_money(-effect)} out of the bank and overdraw the Fund."
        )
    lines = [
        ledger.Line(line.account, debit=line.credit, credit=line.debit, memo=line.memo)
        for line in original.lines.select_related("account")
    ]
    try:
        with transaction.atomic():
            return ledger.post_entry(
                user,
                entry_date=reversed_on,
                kind=EntryKind.REVERSAL,
                description=f"Reversal of {original.reference}: {reason.strip()}",
                document_reference=original.document_reference,
                lines=lines,
                reverses=original,
            )
    except IntegrityError as error:  # the one-to-one on ``reverses``: someone reversed it first
        raise AlreadyReversed(f"{original.reference} has already been reversed.") from error
