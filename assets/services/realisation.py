"""Realisation: the sale or conversion of a forfeited asset."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from assets.choices import AssetStatus, Currency, RealisationMethod
from assets.exceptions import AssetError, InvalidAmount, NotForfeited
from assets.models import Asset, Realisation
from assets.services.common import lock, rate_to_store, sync, to_kes
from assets.services.moves import apply_move
from core import guards
from core.models import User


def _check_proceeds(gross_proceeds: Decimal, costs: Decimal) -> None:
    guards.positive(gross_proceeds, "gross proceeds", field="gross_proceeds")
    if costs is None or costs < 0:
        raise InvalidAmount(_("Costs cannot be negative (enter 0 if there were none)."), field="costs")
    if costs > gross_proceeds:
        raise InvalidAmount(_("Costs cannot be larger than the gross proceeds."), field="costs")


@transaction.atomic
def record_realisation(
    asset: Asset,
    user: User,
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
    locked = lock(asset)
    if locked.status != AssetStatus.FORFEITED:
        raise NotForfeited(
            _("Only a forfeited asset can be sold or converted; this one is %(status)s.")
            % {"status": locked.get_status_display().lower()}
        )
    if Realisation.objects.filter(asset=locked).exists():
        raise AssetError(_("This asset's realisation is already recorded."))
    guards.not_in_future(realised_on, "date of sale", field="realised_on", as_of=today)
    _check_proceeds(gross_proceeds, costs)
    net = gross_proceeds - costs
    realisation = Realisation(
        asset=locked,
        realised_on=realised_on,
        method=method,
        gross_proceeds=gross_proceeds,
        costs=costs,
        net_proceeds=net,
        currency=currency,
        exchange_rate=rate_to_store(currency, exchange_rate),
        net_proceeds_kes=to_kes(net, currency, exchange_rate),
        destination=locked.destination,
        buyer=buyer.strip(),
        notes=notes,
    )
    realisation.save_as(user, f"{realisation.get_method_display()} recorded")
    apply_move(locked, user, AssetStatus.REALISED, effective_on=realised_on, today=today)
    sync(asset, locked)
    return realisation
