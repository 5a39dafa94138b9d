"""Money received into the Fund (CTIP s.23(1)): recorded and posted Dr bank / Cr the source's income account."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assets import services as asset_services
from assets.choices import AssetStatus, Destination
from assets.models import Realisation
from core import guards
from core.models import User
from core.numbering import financial_year, next_reference
from trustfund import ledger
from trustfund.chart import BANK, SOURCE_ACCOUNTS
from trustfund.choices import EntryKind, ReceiptSource
from trustfund.exceptions import (
    FundError,
    InvalidDate,
    NotForTheFund,
    OverReceipt,
)
from trustfund.models import JournalEntry, Receipt

RECEIPT_TEMPLATE = "RCT/{period}/{number:04d}"
ZERO = ledger.ZERO


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
        raise FundError(_("Choose where the money came from."), field="source")
    guards.positive_cents(amount)
    if not payer.strip():
        raise FundError(_("Name the payer."), field="payer")
    guards.not_in_future(received_on, "date received", field="received_on", as_of=today)


def _proceeds_realisation(
    realisation: Realisation | None, amount: Decimal, received_on: dt.date, over_receipt_reason: str
) -> Realisation:
    """The realisation forfeited proceeds cite, locked: bound for the fund, sold before the money came,
    and not over-received unless the officer says why."""
    if realisation is None:
        raise NotForTheFund(_("Forfeited proceeds must cite the realisation (sale) they come from."))
    realisation = Realisation.objects.select_for_update().select_related("asset").get(pk=realisation.pk)
    if realisation.destination != Destination.TRUST_FUND:
        raise NotForTheFund(
            _("The proceeds of %(reference)s go to %(value)s, not to the trust fund.")
            % {
                "reference": realisation.asset.reference,
                "value": realisation.get_destination_display() or _("no destination"),
            }
        )
    if received_on < realisation.realised_on:
        raise InvalidDate(
            _("%(reference)s was sold on %(realised_on)s: its proceeds cannot be received before that.")
            % {"reference": realisation.asset.reference, "realised_on": date_format(realisation.realised_on, "d M Y")},
            field="received_on",
        )
    already = received_for(realisation)
    if already + amount > realisation.net_proceeds_kes and not over_receipt_reason.strip():
        raise OverReceipt(
            _(
                "%(reference)s realised %(kes)s net and %(kes2)s is already received: this receipt would "
                "exceed it. Give the reason to accept it."
            )
            % {
                "reference": realisation.asset.reference,
                "kes": ledger.kes(realisation.net_proceeds_kes),
                "kes2": ledger.kes(already),
            }
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
        raise NotForTheFund(_("Only forfeited proceeds cite a realisation."))

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
