"""Court orders over an asset, their gazettement, and the preservation deadline."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from assets.choices import (
    FORFEITING_ORDERS,
    AssetStatus,
    Destination,
    LegalBasis,
    OrderType,
    PreservationExpiryFrom,
)
from assets.exceptions import AssetError, IllegalAssetMove, InvalidDate
from assets.models import Asset, CourtOrder
from assets.services.common import lock, sync
from assets.services.moves import apply_move
from core import guards
from core.models import User
from prosecutions.models import Court

PRESERVABLE = frozenset({AssetStatus.SEIZED, AssetStatus.PRESERVED, AssetStatus.LAPSED})
FORFEITABLE = frozenset({AssetStatus.SEIZED, AssetStatus.PRESERVED, AssetStatus.FORFEITURE_APPLIED})


def preservation_expiry(granted_on: dt.date, gazetted_on: dt.date | None) -> dt.date:
    """When a preservation order expires: ``PRESERVATION_ORDER_DAYS`` after the gazettement date where
    known (else the grant), or always after the grant when ``PRESERVATION_EXPIRY_FROM`` is "grant"."""
    from_gazette = settings.PRESERVATION_EXPIRY_FROM == PreservationExpiryFrom.GAZETTE
    start = gazetted_on if from_gazette and gazetted_on else granted_on
    return start + dt.timedelta(days=settings.PRESERVATION_ORDER_DAYS)


def _check_gazettement(gazetted_on: dt.date, granted_on: dt.date, today: dt.date | None) -> None:
    guards.not_in_future(gazetted_on, "gazettement date", field="gazetted_on", as_of=today)
    if gazetted_on < granted_on:
        raise InvalidDate(_("An order cannot be gazetted before it was granted."), field="gazetted_on")


def _check_order_details(
    order_number: str,
    court: Court | None,
    court_name: str,
    granted_on: dt.date,
    gazetted_on: dt.date | None,
    today: dt.date | None,
) -> None:
    """The order's number, its court and its dates."""
    if not order_number.strip():
        raise AssetError(_("Give the order or application number."), field="order_number")
    if court is None and not court_name.strip():
        raise AssetError(_("Choose the court, or type its name."), field="court")
    guards.not_in_future(granted_on, "grant date", field="granted_on", as_of=today)
    if gazetted_on is not None:
        _check_gazettement(gazetted_on, granted_on, today)


def _expiry_of(
    asset: Asset, order_type: str, granted_on: dt.date, gazetted_on: dt.date | None, expires_on: dt.date | None
) -> dt.date | None:
    """The order's expiry: computed for a preservation order (which the asset must be open to), as given
    otherwise — but never on or before the grant."""
    if order_type == OrderType.PRESERVATION:
        if asset.status not in PRESERVABLE:
            raise IllegalAssetMove(
                _("A preservation order cannot be recorded on an asset that is %(status)s.")
                % {"status": asset.get_status_display().lower()}
            )
        return preservation_expiry(granted_on, gazetted_on)
    if expires_on is not None and expires_on <= granted_on:
        raise InvalidDate(_("An order cannot expire on or before the day it was granted."), field="expires_on")
    return expires_on


def _destination_of(asset: Asset, order_type: str, destination: str) -> str:
    """Where the proceeds go: required for a forfeiting order (on an asset that may still be forfeited),
    back to the owner by default for a release order."""
    if order_type in FORFEITING_ORDERS:
        if asset.status not in FORFEITABLE:
            raise IllegalAssetMove(
                _("A %(order_type)s cannot be recorded on an asset that is %(status)s.")
                % {"order_type": OrderType(order_type).label.lower(), "status": asset.get_status_display().lower()}
            )
        if not destination:
            raise AssetError(_("Say where the proceeds go."), field="destination")
    if order_type == OrderType.RELEASE:
        destination = destination or Destination.RETURNED_TO_OWNER
    if destination:
        Destination(destination)
    return destination


def _follow_order(asset: Asset, user: User, order: CourtOrder, today: dt.date | None) -> None:
    """What the order does to the (locked) asset: its destination, and the moves it implies."""
    if order.destination and order.destination != asset.destination:
        asset.destination = order.destination
        asset.save_as(user, f"Destination set by {order}", update_fields=["destination", "updated_at"])
    granted_on = order.granted_on
    if order.order_type == OrderType.PRESERVATION and asset.status != AssetStatus.PRESERVED:
        apply_move(asset, user, AssetStatus.PRESERVED, effective_on=granted_on, order=order, today=today)
    elif order.order_type in FORFEITING_ORDERS:
        if asset.status == AssetStatus.PRESERVED:
            apply_move(
                asset,
                user,
                AssetStatus.FORFEITURE_APPLIED,
                effective_on=granted_on,
                order=order,
                note="Application implied by the forfeiture order.",
                today=today,
            )
        apply_move(asset, user, AssetStatus.FORFEITED, effective_on=granted_on, order=order, today=today)


@transaction.atomic
def record_court_order(
    asset: Asset,
    user: User,
    *,
    order_type: str,
    legal_basis: str,
    order_number: str,
    granted_on: dt.date,
    court: Court | None = None,
    court_name: str = "",
    gazetted_on: dt.date | None = None,
    gazette_notice: str = "",
    expires_on: dt.date | None = None,
    destination: str = "",
    notes: str = "",
    today: dt.date | None = None,
) -> CourtOrder:
    """Record an order over the asset.

    A preservation order's expiry is computed (``preservation_expiry``), never typed; it moves a
    seized or lapsed asset to ``preserved``. A forfeiture or confiscation order moves the asset to
    ``forfeited`` (through ``forfeiture_applied`` when it was preserved: the order implies the
    application) and sets where the proceeds go.
    """
    OrderType(order_type)
    LegalBasis(legal_basis)
    locked = lock(asset)
    _check_order_details(order_number, court, court_name, granted_on, gazetted_on, today)
    expires_on = _expiry_of(locked, order_type, granted_on, gazetted_on, expires_on)
    destination = _destination_of(locked, order_type, destination)
    order = CourtOrder(
        asset=locked,
        order_type=order_type,
        legal_basis=legal_basis,
        court=court,
        court_name="" if court else court_name.strip(),
        order_number=order_number.strip(),
        granted_on=granted_on,
        gazetted_on=gazetted_on,
        gazette_notice=gazette_notice.strip(),
        expires_on=expires_on,
        destination=destination,
        notes=notes,
    )
    order.save_as(user, f"{order.get_order_type_display()} recorded")
    _follow_order(locked, user, order, today)
    sync(asset, locked)
    return order


@transaction.atomic
def record_gazettement(
    order: CourtOrder,
    user: User,
    *,
    gazetted_on: dt.date,
    gazette_notice: str = "",
    today: dt.date | None = None,
) -> CourtOrder:
    """Record the Kenya Gazette notice of an order; a preservation order's expiry is recomputed."""
    locked = CourtOrder.objects.select_for_update().get(pk=order.pk)
    _check_gazettement(gazetted_on, locked.granted_on, today)
    locked.gazetted_on = gazetted_on
    locked.gazette_notice = gazette_notice.strip() or locked.gazette_notice
    fields = ["gazetted_on", "gazette_notice", "updated_at"]
    reason = "Gazettement recorded"
    if locked.order_type == OrderType.PRESERVATION:
        locked.expires_on = preservation_expiry(locked.granted_on, gazetted_on)
        fields.append("expires_on")
        reason = f"Gazettement recorded; expiry now {locked.expires_on:%d %b %Y}"
    locked.save_as(user, reason, update_fields=fields)
    order.gazetted_on, order.gazette_notice = locked.gazetted_on, locked.gazette_notice
    order.expires_on = locked.expires_on
    return locked
