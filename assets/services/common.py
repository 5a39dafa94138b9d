"""What every asset service shares: amounts in KES, the row lock, and the preservation order in force."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from assets.choices import Currency, OrderType
from assets.exceptions import MissingExchangeRate
from assets.models import Asset, CourtOrder

CENT = Decimal("0.01")


def to_kes(amount: Decimal, currency: str, exchange_rate: Decimal | None) -> Decimal:
    """``amount`` in KES: as is for KES, else through ``exchange_rate`` (KES per unit), to the cent."""
    if currency == Currency.KES:
        return amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if exchange_rate is None or exchange_rate <= 0:
        raise MissingExchangeRate(
            _("An amount in %(currency)s needs an exchange rate to KES (KES per 1 %(currency)s).")
            % {"currency": currency},
            field="exchange_rate",
        )
    return (amount * exchange_rate).quantize(CENT, rounding=ROUND_HALF_UP)


def rate_to_store(currency: str, exchange_rate: Decimal | None) -> Decimal | None:
    """The rate to store: none for KES (a shilling is a shilling), the given one otherwise."""
    return None if currency == Currency.KES else exchange_rate


def lock(asset: Asset) -> Asset:
    """The asset re-read under a row lock, so concurrent moves queue rather than interleave."""
    return Asset.objects.select_for_update().get(pk=asset.pk)


def sync(target: Asset, source: Asset) -> None:
    """Copy the locked row's state back onto the caller's instance."""
    for field in ("status", "destination", "estimated_value", "currency", "exchange_rate", "estimated_value_kes"):
        setattr(target, field, getattr(source, field))
    target.transfer_reference = source.transfer_reference


def current_preservation_order(asset: Asset) -> CourtOrder | None:
    """The preservation order that governs the asset now: the one expiring last."""
    return (
        CourtOrder.objects.filter(asset=asset, order_type=OrderType.PRESERVATION).order_by("-expires_on", "-id").first()
    )
