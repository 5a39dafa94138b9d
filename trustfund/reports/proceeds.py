"""Asset register ↔ fund: every realisation whose proceeds go to the trust fund, expected against
received; and the receipts the asset recovery report reads (a source the fund registers for it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Greatest

from assets.choices import Destination
from assets.models import Realisation
from trustfund import ledger
from trustfund.models import Receipt

ZERO = ledger.ZERO
MONEY = ledger.MONEY


def proceeds_due(realisations: QuerySet[Realisation] | None = None) -> QuerySet[Any]:
    """Every realisation (of ``realisations``, when given: e.g. those a user may see) whose proceeds go to
    the trust fund, with ``received`` (its receipts not reversed), ``outstanding`` and ``over_received``
    in KES — one query (the receipts joined and summed, not a subquery per realisation)."""
    not_reversed = Q(fund_receipts__entry__reversed_by__isnull=True)
    base = Realisation.objects.all() if realisations is None else realisations
    return (
        base.filter(destination=Destination.TRUST_FUND)
        .select_related("asset", "asset__case")
        .annotate(received=Coalesce(Sum("fund_receipts__amount", filter=not_reversed), Value(ZERO), output_field=MONEY))
        .annotate(
            outstanding=Greatest(F("net_proceeds_kes") - F("received"), Value(ZERO), output_field=MONEY),
            over_received=Greatest(F("received") - F("net_proceeds_kes"), Value(ZERO), output_field=MONEY),
        )
        .order_by("-realised_on", "-id")
    )


def proceeds_totals() -> dict[str, Decimal]:
    """Expected, received, outstanding and over-received across every realisation due to the fund:
    one query for the per-realisation figures, summed as they arrive."""
    totals = {"expected": ZERO, "received": ZERO, "outstanding": ZERO, "over": ZERO}
    row: Any
    for row in proceeds_due():
        totals["expected"] += row.net_proceeds_kes
        totals["received"] += row.received
        totals["outstanding"] += row.outstanding
        totals["over"] += row.over_received
    return totals


def recovery_receipts(start: dt.date, end: dt.date) -> Iterable[tuple[int, dt.date, Decimal]]:
    """For the asset recovery report: receipts of forfeited proceeds in ``start .. end`` that were not
    reversed, as (realisation, date, KES)."""
    return Receipt.objects.filter(
        realisation__isnull=False, received_on__gte=start, received_on__lte=end, entry__reversed_by__isnull=True
    ).values_list("realisation_id", "received_on", "amount")
