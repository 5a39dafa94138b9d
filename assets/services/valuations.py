"""Valuations: the latest one becomes the asset's estimated value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from assets.choices import Currency
from assets.exceptions import AssetError
from assets.models import Asset, Valuation
from assets.services.common import lock, rate_to_store, sync, to_kes
from core import guards
from core.models import User


@transaction.atomic
def add_valuation(
    asset: Asset,
    user: User,
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
    locked = lock(asset)
    guards.not_in_future(valued_on, "valuation date", field="valued_on", as_of=today)
    guards.positive(amount, "valuation", field="amount")
    if not valuer.strip():
        raise AssetError(_("Name the valuer."), field="valuer")
    amount_kes = to_kes(amount, currency, exchange_rate)
    valuation = Valuation(
        asset=locked,
        valued_on=valued_on,
        amount=amount,
        currency=currency,
        exchange_rate=rate_to_store(currency, exchange_rate),
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
        sync(asset, locked)
    return valuation
