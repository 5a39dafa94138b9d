"""Status moves: the table of allowed moves, the guard each move needs, and the services that move an
asset by hand (release, lapse, write-off) or on the trust fund's word (transferred)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from assets.choices import FORFEITING_ORDERS, AssetStatus, Destination, OrderType
from assets.exceptions import AssetGuardFailed, IllegalAssetMove, TransferOnlyByTrustFund
from assets.models import Asset, AssetStatusChange, CourtOrder, Realisation
from assets.services.common import current_preservation_order, lock, sync
from core import guards
from core.labels import Label
from core.models import User


def stored_label(label: Label) -> str:
    """A status's label as history keeps it: in the site's language, whoever made the move."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(label)


ALLOWED_MOVES: dict[str, frozenset[str]] = {
    AssetStatus.SEIZED: frozenset(
        {AssetStatus.PRESERVED, AssetStatus.FORFEITED, AssetStatus.RELEASED, AssetStatus.WRITTEN_OFF}
    ),
    AssetStatus.PRESERVED: frozenset(
        {AssetStatus.FORFEITURE_APPLIED, AssetStatus.LAPSED, AssetStatus.RELEASED, AssetStatus.WRITTEN_OFF}
    ),
    AssetStatus.FORFEITURE_APPLIED: frozenset({AssetStatus.FORFEITED, AssetStatus.RELEASED, AssetStatus.WRITTEN_OFF}),
    AssetStatus.FORFEITED: frozenset({AssetStatus.REALISED, AssetStatus.WRITTEN_OFF}),
    AssetStatus.REALISED: frozenset({AssetStatus.TRANSFERRED}),
    AssetStatus.LAPSED: frozenset({AssetStatus.PRESERVED, AssetStatus.RELEASED, AssetStatus.WRITTEN_OFF}),
    AssetStatus.TRANSFERRED: frozenset(),
    AssetStatus.RELEASED: frozenset(),
    AssetStatus.WRITTEN_OFF: frozenset(),
}

# Moves a person may ask for on the "change status" form; the others happen through their own service.
MANUAL_MOVES = frozenset(
    {AssetStatus.FORFEITURE_APPLIED, AssetStatus.LAPSED, AssetStatus.RELEASED, AssetStatus.WRITTEN_OFF}
)
NOTE_REQUIRED = frozenset({AssetStatus.RELEASED, AssetStatus.WRITTEN_OFF})


def check_guard(asset: Asset, to_status: str, effective_on: dt.date, note: str) -> None:
    """Refuse the move unless what it needs is on file (an order in force, a realisation, a note)."""
    if to_status == AssetStatus.PRESERVED:
        in_force = CourtOrder.objects.filter(
            asset=asset,
            order_type=OrderType.PRESERVATION,
            granted_on__lte=effective_on,
            expires_on__gte=effective_on,
        ).exists()
        if not in_force:
            raise AssetGuardFailed(_("An asset can only be preserved under a preservation order in force."))
    elif to_status == AssetStatus.FORFEITED:
        if not asset.orders.filter(order_type__in=FORFEITING_ORDERS).exists():
            raise AssetGuardFailed(_("An asset can only be forfeited under a forfeiture or confiscation order."))
    elif to_status == AssetStatus.REALISED:
        if not Realisation.objects.filter(asset=asset).exists():
            raise AssetGuardFailed(_("Record the sale or conversion (the realisation) first."))
    elif to_status == AssetStatus.LAPSED:
        current = current_preservation_order(asset)
        if current is None or current.expires_on is None or current.expires_on >= effective_on:
            raise AssetGuardFailed(_("Only an asset whose preservation order has expired can lapse."))
    if to_status in NOTE_REQUIRED and not note.strip():
        raise AssetGuardFailed(_("Say why (a note is required for this move)."), field="note")


def apply_move(
    asset: Asset,
    user: User | None,
    to_status: str,
    *,
    effective_on: dt.date,
    note: str = "",
    order: CourtOrder | None = None,
    today: dt.date | None = None,
) -> AssetStatusChange:
    """Move an already locked asset: check the table and the guard, write the status and its row."""
    from_status = asset.status
    if to_status not in ALLOWED_MOVES[from_status]:
        raise IllegalAssetMove(
            _("An asset cannot move from “%(from_status)s” to “%(to_status)s”.")
            % {
                "from_status": AssetStatus(from_status).label.lower(),
                "to_status": AssetStatus(to_status).label.lower(),
            },
            field="to_status",
        )
    guards.not_in_future(effective_on, "date of the change", field="effective_on", as_of=today)
    check_guard(asset, to_status, effective_on, note)
    asset.status = to_status
    asset.save_as(user, f"Status: {stored_label(AssetStatus(to_status).label)}", update_fields=["status", "updated_at"])
    change = AssetStatusChange(
        asset=asset,
        from_status=from_status,
        to_status=to_status,
        effective_on=effective_on,
        changed_by=user if getattr(user, "pk", None) else None,
        order=order,
        note=note.strip(),
    )
    change.save_as(user, note.strip() or f"Status: {stored_label(AssetStatus(to_status).label)}")
    return change


@transaction.atomic
def move_asset(
    asset: Asset,
    user: User | None,
    to_status: str,
    *,
    effective_on: dt.date | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> AssetStatusChange:
    """Move the asset to ``to_status`` if the table and the guard allow it. Never ``transferred``."""
    AssetStatus(to_status)
    if to_status == AssetStatus.TRANSFERRED:
        raise TransferOnlyByTrustFund(
            _("Proceeds are marked transferred by the trust fund when it receives them, not by hand."),
            field="to_status",
        )
    locked = lock(asset)
    change = apply_move(
        locked, user, to_status, effective_on=effective_on or today or guards.today(), note=note, today=today
    )
    sync(asset, locked)
    return change


@transaction.atomic
def release_to_owner(
    asset: Asset,
    user: User,
    *,
    released_on: dt.date,
    note: str,
    today: dt.date | None = None,
) -> AssetStatusChange:
    """Return the asset to its owner (preservation rescinded, lapsed, acquittal …)."""
    locked = lock(asset)
    change = apply_move(locked, user, AssetStatus.RELEASED, effective_on=released_on, note=note, today=today)
    locked.destination = Destination.RETURNED_TO_OWNER
    locked.save_as(user, "Released to owner", update_fields=["destination", "updated_at"])
    sync(asset, locked)
    return change


@transaction.atomic
def record_lapse(
    asset: Asset, user: User | None, *, lapsed_on: dt.date | None = None, note: str = ""
) -> AssetStatusChange:
    """Record that the preservation order expired with no forfeiture application. ``user`` may be None
    (the system, from ``manage.py asset_deadlines --record-lapses``)."""
    locked = lock(asset)
    current = current_preservation_order(locked)
    if lapsed_on is None and current is not None and current.expires_on is not None:
        lapsed_on = min(current.expires_on + dt.timedelta(days=1), guards.today())
    change = apply_move(
        locked,
        user,
        AssetStatus.LAPSED,
        effective_on=lapsed_on or guards.today(),
        note=note or "Preservation order expired with no forfeiture application.",
        order=current,
    )
    sync(asset, locked)
    return change


@transaction.atomic
def mark_transferred(
    asset: Asset,
    user: User | None,
    *,
    receipt_reference: str,
    transferred_on: dt.date | None = None,
) -> AssetStatusChange:
    """The hook for the trust fund: it calls this — and nothing else does — when it has received the
    asset's net proceeds, citing its receipt. Moves a realised asset to ``transferred``."""
    if not receipt_reference.strip():
        raise AssetGuardFailed(_("A transfer needs the receiving fund's receipt reference."), field="receipt_reference")
    locked = lock(asset)
    change = apply_move(
        locked,
        user,
        AssetStatus.TRANSFERRED,
        effective_on=transferred_on or guards.today(),
        note=f"Net proceeds received: {receipt_reference.strip()}",
    )
    locked.transfer_reference = receipt_reference.strip()
    locked.save_as(user, "Proceeds transferred", update_fields=["transfer_reference", "updated_at"])
    sync(asset, locked)
    return change
