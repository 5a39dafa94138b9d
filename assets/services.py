"""Every change to an asset, as HTTP-free functions: each one transaction that locks, checks, writes
and records who did it. Forms, the seed, the deadline command and the trust fund call these.

The status moves an asset may make (``ALLOWED_MOVES``)::

    seized ─→ preserved ─→ forfeiture_applied ─→ forfeited ─→ realised ─→ transferred
      │           │               │
      │           ├─→ lapsed ─→ preserved (a fresh preservation order) | released
      ├─→ forfeited (criminal forfeiture on conviction, CTIP s.17, without preservation)
      └─ seized, preserved, forfeiture_applied, lapsed ─→ released (to the owner)
         seized, preserved, forfeiture_applied, forfeited, lapsed ─→ written_off

Guards: ``preserved`` needs a preservation order in force; ``forfeited`` a forfeiture or
confiscation order; ``realised`` a realisation; ``lapsed`` an expired preservation order;
``released`` and ``written_off`` a note saying why; ``transferred`` is set only by
``mark_transferred``, which the trust fund calls when it has received the net proceeds.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from assets.choices import (
    FORFEITING_ORDERS,
    AssetStatus,
    AssetType,
    Currency,
    Destination,
    LegalBasis,
    OrderType,
    PreservationExpiryFrom,
    RealisationMethod,
    SeizingAgency,
)
from assets.models import Asset, AssetStatusChange, CourtOrder, Realisation, Valuation
from core.exceptions import DomainError
from core.numbering import calendar_year, next_reference
from prosecutions.models import Accused, Case, Court

CENT = Decimal("0.01")

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


class AssetError(DomainError):
    """Something about an asset record is not acceptable."""


class InvalidAmount(AssetError):
    """An amount that must be positive was zero or negative (or costs exceeded proceeds)."""


class MissingExchangeRate(AssetError):
    """A foreign-currency amount came without a rate to KES."""

    field = "exchange_rate"


class InvalidDate(AssetError):
    """A date in the future, or dates in an impossible order."""


class IllegalAssetMove(AssetError):
    """The asset may not move from its status to the one asked for."""


class AssetGuardFailed(AssetError):
    """The move is in the table, but what it needs (an order, a realisation, a note) is missing."""


class TransferOnlyByTrustFund(IllegalAssetMove):
    """``transferred`` is recorded by the trust fund when it receives the proceeds, never by hand."""


class NotForfeited(AssetError):
    """A realisation was recorded for an asset the state does not (yet) own."""


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _not_in_future(day: dt.date, field: str, label: str, today: dt.date | None) -> None:
    if day > _today(today):
        raise InvalidDate(f"The {label} cannot be in the future.", field=field)


def _positive(amount: Decimal, field: str, label: str) -> None:
    if amount is None or amount <= 0:
        raise InvalidAmount(f"The {label} must be more than zero.", field=field)


def to_kes(amount: Decimal, currency: str, exchange_rate: Decimal | None) -> Decimal:
    """``amount`` in KES: as is for KES, else through ``exchange_rate`` (KES per unit), to the cent."""
    if currency == Currency.KES:
        return amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if exchange_rate is None or exchange_rate <= 0:
        raise MissingExchangeRate(
            f"An amount in {currency} needs an exchange rate to KES (KES per 1 {currency}).", field="exchange_rate"
        )
    return (amount * exchange_rate).quantize(CENT, rounding=ROUND_HALF_UP)


def _rate_for(currency: str, exchange_rate: Decimal | None) -> Decimal | None:
    """The rate to store: none for KES (a shilling is a shilling), the given one otherwise."""
    return None if currency == Currency.KES else exchange_rate


def _lock(asset: Asset) -> Asset:
    """The asset re-read under a row lock, so concurrent moves queue rather than interleave."""
    return Asset.objects.select_for_update().get(pk=asset.pk)


def _sync(target: Asset, source: Asset) -> None:
    """Copy the locked row's state back onto the caller's instance."""
    for field in ("status", "destination", "estimated_value", "currency", "exchange_rate", "estimated_value_kes"):
        setattr(target, field, getattr(source, field))
    target.transfer_reference = source.transfer_reference


# --------------------------------------------------------------------------------------------------
# Seizure and valuation


@transaction.atomic
def record_seizure(
    case: Case,
    user: Any,
    *,
    asset_type: str,
    description: str,
    seized_on: dt.date,
    seizing_agency: str,
    estimated_value: Decimal,
    currency: str = Currency.KES,
    exchange_rate: Decimal | None = None,
    owner: Accused | None = None,
    identifier: str = "",
    custodian: str = "",
    location: str = "",
    today: dt.date | None = None,
) -> Asset:
    """Record an asset seized in ``case``; it gets the next ``AST/{year}/{n}`` reference."""
    AssetType(asset_type)
    SeizingAgency(seizing_agency)
    if not description.strip():
        raise AssetError("Describe the asset.", field="description")
    _not_in_future(seized_on, "seized_on", "seizure date", today)
    _positive(estimated_value, "estimated_value", "estimated value")
    value_kes = to_kes(estimated_value, currency, exchange_rate)
    if owner is not None and owner.case_id != case.pk:
        raise AssetError("The owner must be one of the accused in this case.", field="owner")
    reference = next_reference("asset", "AST/{period}/{number:04d}", calendar_year(_today(today)))
    asset = Asset(
        case=case,
        owner=owner,
        reference=reference,
        asset_type=asset_type,
        description=description.strip(),
        identifier=identifier.strip(),
        custodian=custodian.strip(),
        location=location.strip(),
        seized_on=seized_on,
        seizing_agency=seizing_agency,
        currency=currency,
        estimated_value=estimated_value,
        exchange_rate=_rate_for(currency, exchange_rate),
        estimated_value_kes=value_kes,
        status=AssetStatus.SEIZED,
    )
    asset.save_as(user, "Seizure recorded")
    AssetStatusChange(
        asset=asset, from_status="", to_status=AssetStatus.SEIZED, effective_on=seized_on, changed_by=user
    ).save_as(user, "Seizure recorded")
    return asset


@transaction.atomic
def add_valuation(
    asset: Asset,
    user: Any,
    *,
    valued_on: dt.date,
    amount: Decimal,
    valuer: str,
    currency: str = Currency.KES,
    exchange_rate: Decimal | None = None,
    notes: str = "",
    today: dt.date | None = None,
) -> Valuation:
    """Record a valuation; the most recent one becomes the asset's estimated value."""
    locked = _lock(asset)
    _not_in_future(valued_on, "valued_on", "valuation date", today)
    _positive(amount, "amount", "valuation")
    if not valuer.strip():
        raise AssetError("Name the valuer.", field="valuer")
    amount_kes = to_kes(amount, currency, exchange_rate)
    valuation = Valuation(
        asset=locked,
        valued_on=valued_on,
        amount=amount,
        currency=currency,
        exchange_rate=_rate_for(currency, exchange_rate),
        amount_kes=amount_kes,
        valuer=valuer.strip(),
        notes=notes,
    )
    valuation.save_as(user, f"Valuation by {valuation.valuer}")
    if not locked.valuations.filter(valued_on__gt=valued_on).exists():
        locked.estimated_value = amount
        locked.currency = currency
        locked.exchange_rate = valuation.exchange_rate
        locked.estimated_value_kes = amount_kes
        locked.save_as(
            user,
            f"Valued by {valuation.valuer} on {valued_on:%d %b %Y}",
            update_fields=["estimated_value", "currency", "exchange_rate", "estimated_value_kes", "updated_at"],
        )
        _sync(asset, locked)
    return valuation


# --------------------------------------------------------------------------------------------------
# Court orders and the preservation deadline


def preservation_expiry(granted_on: dt.date, gazetted_on: dt.date | None) -> dt.date:
    """When a preservation order expires: ``PRESERVATION_ORDER_DAYS`` after the gazettement date where
    known (else the grant), or always after the grant when ``PRESERVATION_EXPIRY_FROM`` is "grant"."""
    from_gazette = settings.PRESERVATION_EXPIRY_FROM == PreservationExpiryFrom.GAZETTE
    start = gazetted_on if from_gazette and gazetted_on else granted_on
    return start + dt.timedelta(days=settings.PRESERVATION_ORDER_DAYS)


PRESERVABLE = frozenset({AssetStatus.SEIZED, AssetStatus.PRESERVED, AssetStatus.LAPSED})
FORFEITABLE = frozenset({AssetStatus.SEIZED, AssetStatus.PRESERVED, AssetStatus.FORFEITURE_APPLIED})


@transaction.atomic
def record_court_order(
    asset: Asset,
    user: Any,
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
    locked = _lock(asset)
    if not order_number.strip():
        raise AssetError("Give the order or application number.", field="order_number")
    if court is None and not court_name.strip():
        raise AssetError("Choose the court, or type its name.", field="court")
    _not_in_future(granted_on, "granted_on", "grant date", today)
    if gazetted_on is not None:
        _not_in_future(gazetted_on, "gazetted_on", "gazettement date", today)
        if gazetted_on < granted_on:
            raise InvalidDate("An order cannot be gazetted before it was granted.", field="gazetted_on")
    if order_type == OrderType.PRESERVATION:
        if locked.status not in PRESERVABLE:
            raise IllegalAssetMove(
                f"A preservation order cannot be recorded on an asset that is {locked.get_status_display().lower()}."
            )
        expires_on = preservation_expiry(granted_on, gazetted_on)
    elif expires_on is not None and expires_on <= granted_on:
        raise InvalidDate("An order cannot expire on or before the day it was granted.", field="expires_on")
    if order_type in FORFEITING_ORDERS:
        if locked.status not in FORFEITABLE:
            raise IllegalAssetMove(
                f"A {OrderType(order_type).label.lower()} cannot be recorded on an asset that is "
                f"{locked.get_status_display().lower()}."
            )
        if not destination:
            raise AssetError("Say where the proceeds go.", field="destination")
    if order_type == OrderType.RELEASE:
        destination = destination or Destination.RETURNED_TO_OWNER
    if destination:
        Destination(destination)

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
    if destination and destination != locked.destination:
        locked.destination = destination
        locked.save_as(user, f"Destination set by {order}", update_fields=["destination", "updated_at"])

    if order_type == OrderType.PRESERVATION and locked.status != AssetStatus.PRESERVED:
        _move(locked, user, AssetStatus.PRESERVED, effective_on=granted_on, order=order, today=today)
    elif order_type in FORFEITING_ORDERS:
        if locked.status == AssetStatus.PRESERVED:
            _move(
                locked,
                user,
                AssetStatus.FORFEITURE_APPLIED,
                effective_on=granted_on,
                order=order,
                note="Application implied by the forfeiture order.",
                today=today,
            )
        _move(locked, user, AssetStatus.FORFEITED, effective_on=granted_on, order=order, today=today)
    _sync(asset, locked)
    return order


@transaction.atomic
def record_gazettement(
    order: CourtOrder,
    user: Any,
    *,
    gazetted_on: dt.date,
    gazette_notice: str = "",
    today: dt.date | None = None,
) -> CourtOrder:
    """Record the Kenya Gazette notice of an order; a preservation order's expiry is recomputed."""
    locked = CourtOrder.objects.select_for_update().get(pk=order.pk)
    _not_in_future(gazetted_on, "gazetted_on", "gazettement date", today)
    if gazetted_on < locked.granted_on:
        raise InvalidDate("An order cannot be gazetted before it was granted.", field="gazetted_on")
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


def current_preservation_order(asset: Asset) -> CourtOrder | None:
    """The preservation order that governs the asset now: the one expiring last."""
    return (
        CourtOrder.objects.filter(asset=asset, order_type=OrderType.PRESERVATION).order_by("-expires_on", "-id").first()
    )


# --------------------------------------------------------------------------------------------------
# Status moves


def _check_guard(asset: Asset, to_status: str, effective_on: dt.date, note: str) -> None:
    if to_status == AssetStatus.PRESERVED:
        in_force = CourtOrder.objects.filter(
            asset=asset,
            order_type=OrderType.PRESERVATION,
            granted_on__lte=effective_on,
            expires_on__gte=effective_on,
        ).exists()
        if not in_force:
            raise AssetGuardFailed("An asset can only be preserved under a preservation order in force.")
    elif to_status == AssetStatus.FORFEITED:
        if not asset.orders.filter(order_type__in=FORFEITING_ORDERS).exists():
            raise AssetGuardFailed("An asset can only be forfeited under a forfeiture or confiscation order.")
    elif to_status == AssetStatus.REALISED:
        if not Realisation.objects.filter(asset=asset).exists():
            raise AssetGuardFailed("Record the sale or conversion (the realisation) first.")
    elif to_status == AssetStatus.LAPSED:
        current = current_preservation_order(asset)
        if current is None or current.expires_on is None or current.expires_on >= effective_on:
            raise AssetGuardFailed("Only an asset whose preservation order has expired can lapse.")
    if to_status in NOTE_REQUIRED and not note.strip():
        raise AssetGuardFailed("Say why (a note is required for this move).", field="note")


def _move(
    asset: Asset,
    user: Any,
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
            f"An asset cannot move from “{AssetStatus(from_status).label.lower()}” "
            f"to “{AssetStatus(to_status).label.lower()}”.",
            field="to_status",
        )
    _not_in_future(effective_on, "effective_on", "date of the change", today)
    _check_guard(asset, to_status, effective_on, note)
    asset.status = to_status
    asset.save_as(user, f"Status: {AssetStatus(to_status).label}", update_fields=["status", "updated_at"])
    change = AssetStatusChange(
        asset=asset,
        from_status=from_status,
        to_status=to_status,
        effective_on=effective_on,
        changed_by=user if getattr(user, "pk", None) else None,
        order=order,
        note=note.strip(),
    )
    change.save_as(user, note.strip() or f"Status: {AssetStatus(to_status).label}")
    return change


@transaction.atomic
def move_asset(
    asset: Asset,
    user: Any,
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
            "Proceeds are marked transferred by the trust fund when it receives them, not by hand.", field="to_status"
        )
    locked = _lock(asset)
    change = _move(locked, user, to_status, effective_on=effective_on or _today(today), note=note, today=today)
    _sync(asset, locked)
    return change


@transaction.atomic
def release_to_owner(
    asset: Asset,
    user: Any,
    *,
    released_on: dt.date,
    note: str,
    today: dt.date | None = None,
) -> AssetStatusChange:
    """Return the asset to its owner (preservation rescinded, lapsed, acquittal …)."""
    locked = _lock(asset)
    change = _move(locked, user, AssetStatus.RELEASED, effective_on=released_on, note=note, today=today)
    locked.destination = Destination.RETURNED_TO_OWNER
    locked.save_as(user, "Released to owner", update_fields=["destination", "updated_at"])
    _sync(asset, locked)
    return change


@transaction.atomic
def record_lapse(asset: Asset, user: Any, *, lapsed_on: dt.date | None = None, note: str = "") -> AssetStatusChange:
    """Record that the preservation order expired with no forfeiture application. ``user`` may be None
    (the system, from ``manage.py asset_deadlines --record-lapses``)."""
    locked = _lock(asset)
    current = current_preservation_order(locked)
    if lapsed_on is None and current is not None and current.expires_on is not None:
        lapsed_on = min(current.expires_on + dt.timedelta(days=1), timezone.localdate())
    change = _move(
        locked,
        user,
        AssetStatus.LAPSED,
        effective_on=lapsed_on or timezone.localdate(),
        note=note or "Preservation order expired with no forfeiture application.",
        order=current,
    )
    _sync(asset, locked)
    return change


@transaction.atomic
def mark_transferred(
    asset: Asset,
    user: Any,
    *,
    receipt_reference: str,
    transferred_on: dt.date | None = None,
) -> AssetStatusChange:
    """The hook for the trust fund: it calls this — and nothing else does — when it has received the
    asset's net proceeds, citing its receipt. Moves a realised asset to ``transferred``."""
    if not receipt_reference.strip():
        raise AssetGuardFailed("A transfer needs the receiving fund's receipt reference.", field="receipt_reference")
    locked = _lock(asset)
    change = _move(
        locked,
        user,
        AssetStatus.TRANSFERRED,
        effective_on=transferred_on or timezone.localdate(),
        note=f"Net proceeds received: {receipt_reference.strip()}",
    )
    locked.transfer_reference = receipt_reference.strip()
    locked.save_as(user, "Proceeds transferred", update_fields=["transfer_reference", "updated_at"])
    _sync(asset, locked)
    return change


# --------------------------------------------------------------------------------------------------
# Realisation


@transaction.atomic
def record_realisation(
    asset: Asset,
    user: Any,
    *,
    realised_on: dt.date,
    method: str,
    gross_proceeds: Decimal,
    costs: Decimal = Decimal("0"),
    currency: str = Currency.KES,
    exchange_rate: Decimal | None = None,
    buyer: str = "",
    notes: str = "",
    today: dt.date | None = None,
) -> Realisation:
    """Record the sale or conversion of a forfeited asset: net = gross − costs, net in KES through the
    rate. The asset moves to ``realised``; the proceeds go where its forfeiture order said."""
    RealisationMethod(method)
    locked = _lock(asset)
    if locked.status != AssetStatus.FORFEITED:
        raise NotForfeited(
            f"Only a forfeited asset can be sold or converted; this one is {locked.get_status_display().lower()}."
        )
    if Realisation.objects.filter(asset=locked).exists():
        raise AssetError("This asset's realisation is already recorded.")
    _not_in_future(realised_on, "realised_on", "date of sale", today)
    _positive(gross_proceeds, "gross_proceeds", "gross proceeds")
    if costs is None or costs < 0:
        raise InvalidAmount("Costs cannot be negative (enter 0 if there were none).", field="costs")
    if costs > gross_proceeds:
        raise InvalidAmount("Costs cannot be larger than the gross proceeds.", field="costs")
    net = gross_proceeds - costs
    net_kes = to_kes(net, currency, exchange_rate)
    realisation = Realisation(
        asset=locked,
        realised_on=realised_on,
        method=method,
        gross_proceeds=gross_proceeds,
        costs=costs,
        net_proceeds=net,
        currency=currency,
        exchange_rate=_rate_for(currency, exchange_rate),
        net_proceeds_kes=net_kes,
        destination=locked.destination,
        buyer=buyer.strip(),
        notes=notes,
    )
    realisation.save_as(user, f"{realisation.get_method_display()} recorded")
    _move(locked, user, AssetStatus.REALISED, effective_on=realised_on, today=today)
    _sync(asset, locked)
    return realisation
