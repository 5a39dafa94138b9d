"""The small checks every service makes before it writes: dates not in the future, amounts above zero.

Each raises the shared error of ``core.exceptions`` with a message for the user and the form field it
belongs to, so every app words the same mistake the same way.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exceptions import InvalidAmount, InvalidDate
from core.labels import Label

# Translators: what must be more than zero ("The amount must be more than zero.").
AMOUNT: Label = gettext_lazy("amount")

CENT = Decimal("0.01")


def today() -> dt.date:
    """Today in Nairobi (the project's time zone)."""
    return timezone.localdate()


def not_in_future(day: dt.date, label: Label, *, field: str | None = None, as_of: dt.date | None = None) -> dt.date:
    """``day`` unless it lies after today (or after ``as_of``, when the caller fixes the day)."""
    if day > (as_of or today()):
        raise InvalidDate(
            _("The %(what)s (%(day)s) cannot be in the future: record events once they have happened.")
            % {"what": label, "day": dateformat.format(day, "d M Y")},
            field,
        )
    return day


def positive(amount: Decimal | None, label: Label = AMOUNT, *, field: str | None = "amount") -> Decimal:
    """``amount`` unless it is missing, zero or negative."""
    if amount is None or amount <= 0:
        raise InvalidAmount(_("The %(what)s must be more than zero.") % {"what": label}, field)
    return amount


def positive_cents(amount: Decimal | None, label: Label = AMOUNT, *, field: str | None = "amount") -> Decimal:
    """A positive amount in whole shillings and cents (two decimal places), as the ledger keeps money."""
    value = positive(amount, label, field=field)
    if value != value.quantize(CENT):
        raise InvalidAmount(_("Amounts are in shillings and cents (two decimal places)."), field)
    return value
