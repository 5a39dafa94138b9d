"""Payments out of the Fund: requested, approved or rejected by another officer (four eyes), paid or cancelled."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import guards
from core.labels import Label
from core.models import User
from core.numbering import financial_year, next_reference
from documents.choices import SUPPORTING_TYPES
from documents.queries import supporting_documents
from trustfund import ledger
from trustfund.chart import BANK, PURPOSE_ACCOUNTS
from trustfund.choices import DisbursementPurpose, DisbursementStatus, EntryKind
from trustfund.exceptions import (
    FundError,
    IllegalDisbursementMove,
    InsufficientFunds,
    InvalidDate,
    SelfApproval,
    UnsupportedApproval,
)
from trustfund.models import Disbursement, DisbursementEvent
from victims.models import Referral, Victim

DISBURSEMENT_TEMPLATE = "DSB/{period}/{number:04d}"
ZERO = ledger.ZERO


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


def stored_label(label: Label) -> str:
    """A choice's label as history keeps it: in the site's language, whoever made the change."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(label)


PAST = {"approve": gettext_lazy("approved"), "reject": gettext_lazy("rejected"), "cancel": gettext_lazy("cancelled")}
VERB = {"approve": gettext_lazy("approve"), "reject": gettext_lazy("reject"), "cancel": gettext_lazy("cancel")}


def _expect(disbursement: Disbursement, allowed: set[str], action: str) -> None:
    if disbursement.status in allowed:
        return
    reference, state = disbursement.reference, disbursement.get_status_display().lower()
    if action == "pay":
        if disbursement.status == DisbursementStatus.PAID:
            raise IllegalDisbursementMove(_("%(reference)s is already paid.") % {"reference": reference})
        raise IllegalDisbursementMove(
            _("%(reference)s is %(state)s: only an approved disbursement can be paid.")
            % {"reference": reference, "state": state}
        )
    raise IllegalDisbursementMove(
        _("%(reference)s is %(state)s: it can no longer be %(action)s.")
        % {
            "reference": reference,
            "state": state,
            "action": PAST[action],
        }
    )


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
    referral: Referral | None = None,
) -> Disbursement:
    """Raise a request to pay (``DSB/{fy}/{n}``) to a victim (by code) and/or a service provider. Citing the
    victims register's referral it pays for names the victim and the provider, and must match them."""
    if referral is not None:
        if victim is not None and referral.victim_id != victim.pk:
            raise FundError(
                _("Referral %(reference)s is another victim's: a payment may cite only its own beneficiary's referral.")
                % {"reference": referral.reference},
                field="referral_reference",
            )
        victim = victim or referral.victim
        service_provider = service_provider or referral.provider.name
    if purpose not in DisbursementPurpose.values:
        raise FundError(_("Choose the purpose of the payment."), field="purpose")
    guards.positive_cents(amount)
    if victim is None and not service_provider.strip():
        raise FundError(_("Name the beneficiary victim or the service provider (or both)."), field="victim")
    if not resolution_reference.strip():
        raise FundError(_("Give the Board of Trustees resolution reference."), field="resolution_reference")
    day = requested_on or today or guards.today()
    guards.not_in_future(day, "request date", field="requested_on", as_of=today)
    disbursement = Disbursement(
        reference=next_reference("disbursement", DISBURSEMENT_TEMPLATE, financial_year(day)),
        victim=victim,
        referral=referral,
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
        raise SelfApproval(
            _("You raised %(reference)s: another approver must %(action)s it (four eyes).")
            % {"reference": locked.reference, "action": VERB.get(action, action)}
        )


def _decide(disbursement: Disbursement, user: User, to_status: str, note: str, action: str) -> Disbursement:
    locked = _lock_disbursement(disbursement)
    _check_decision(locked, user, action)
    locked.status = to_status
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.save_as(
        user,
        stored_label(DisbursementStatus(to_status).label),
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
                _(
                    "No invoice, quotation or Board resolution is attached to %(reference)s: attach one, or "
                    "say why it is approved without."
                )
                % {"reference": locked.reference}
            )
        note = "\n".join(part for part in (note.strip(), f"Approved without supporting documents: {reason}") if part)
    return _decide(disbursement, user, DisbursementStatus.APPROVED, note, "approve")


@transaction.atomic
def reject_disbursement(disbursement: Disbursement, user: User, *, reason: str) -> Disbursement:
    """An approver other than the requester rejects the request, saying why."""
    if not reason.strip():
        raise FundError(_("Say why the request is rejected."), field="reason")
    return _decide(disbursement, user, DisbursementStatus.REJECTED, reason, "reject")


@transaction.atomic
def cancel_disbursement(disbursement: Disbursement, user: User, *, reason: str) -> Disbursement:
    """Withdraw a request, or an approval not yet paid, saying why."""
    if not reason.strip():
        raise FundError(_("Say why the disbursement is cancelled."), field="reason")
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
        raise InvalidDate(_("A disbursement cannot be paid before it was requested."), field="paid_on")
    available = ledger.lowest_bank_balance_from(paid_on)
    if locked.amount > available:
        raise InsufficientFunds(
            _("Paying %(kes)s would overdraw the Fund: only %(kes2)s is available from %(paid_on)s.")
            % {
                "kes": ledger.kes(locked.amount),
                "kes2": ledger.kes(max(available, ZERO)),
                "paid_on": date_format(paid_on, "d M Y"),
            }
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
