"""The home page's chart: the fund's bank balance day by day over the financial year in progress."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pandas as pd
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core import charts
from trustfund import ledger
from trustfund.chart import BANK
from trustfund.reports.years import current_year, year_bounds


def balance_by_day(start: dt.date, end: dt.date) -> pd.DataFrame:
    """The bank balance per the ledger at the end of each day from ``start`` to ``end``: the balance the
    day before ``start`` plus the bank's movements summed by day in the database (two queries),
    cumulated in one pandas pass. Columns ``date`` and ``balance`` (``Decimal``)."""
    opening = ledger.bank_balance(start - dt.timedelta(days=1))
    moves = (
        ledger.lines_between(start, end)
        .filter(account__code=BANK)
        .values("entry__entry_date")
        .annotate(net=Sum(F("debit") - F("credit"), output_field=ledger.MONEY))
        .order_by("entry__entry_date")
    )
    by_day = {row["entry__entry_date"]: row["net"] for row in moves}
    days: list[dt.date] = list(pd.date_range(start, end, freq="D").date) if end >= start else []
    movements = [by_day.get(day, ledger.ZERO) for day in days]
    if movements:
        movements[0] += opening
    balances = pd.Series(movements, dtype=object).cumsum()
    return pd.DataFrame({"date": days, "balance": [Decimal(b).quantize(ledger.CENT) for b in balances]})


def fund_balance_chart(today: dt.date | None = None) -> dict[str, Any]:
    """A line of the bank balance day by day from 1 July of the financial year in progress to today."""
    today = today or timezone.localdate()
    start, _end = year_bounds(current_year(today))
    frame = balance_by_day(start, today)
    return charts.line(frame, "date", {"balance": _("Bank balance")}, value_title="KES", money=True, temporal=True)
