"""The small checks every service makes before it writes: dates not in the future, amounts above zero.

Each raises the shared error of ``core.exceptions`` with a message for the user and the form field it
belongs to, so every app words the same mistake the same way.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from core.exceptions import InvalidAmount, InvalidDate

CENT = Decimal("0.01")


def today() -> dt.date:
    """Today in Nairobi (the project's time zone)."""
    return timezone.localdate()


def not_in_future(day: dt.date, label: str, *, field: str | None = None, as_of: dt.date | None = None) -> dt.date:
    """``day`` unless it lies after today (or after ``as_of``, when the caller fixes the day)."""
    if day > (as_of or today()):
        raise InvalidDate(
            f"The {label} ({day:%d %b %Y}) cannot be in the future: record events once they have happened.", field
        )
    return day


def positive(amount: Decimal | None, label: str = "amount", *, field: str | None = "amount") -> Decimal:
    """``amount`` unless it is missing, zero or negative."""
    if amount is None or amount <= 0:
        raise InvalidAmount(f"The {label} must be more than zero.", field)
    return amount


def positive_cents(amount: Decimal | None, label: str = "amount", *, field: str | None = "amount") -> Decimal:
    """A positive amount in whole shillings and cents (two decimal places), as the ledger keeps money."""
    value = positive(amount, label, field=field)
    if value != value.quantize(CENT):
        raise InvalidAmount("Amounts are in shillings and cents (two decimal places).", field)
    return value
