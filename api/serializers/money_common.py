"""Fields the money side of the API shares: amounts, rates, and a choice's label beside its code.

Money is a string with two decimals (``"1000000.00"``), never a float; a rate to KES a string with six; a
choice is its stable code (``status``) with its label in the reader's language beside it (``status_label``).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from rest_framework import serializers

CENT = Decimal("0.01")


def money(**kwargs: Any) -> serializers.DecimalField:
    """An amount: 18 digits, 2 places, written as a string."""
    kwargs.setdefault("read_only", True)
    return serializers.DecimalField(max_digits=18, decimal_places=2, coerce_to_string=True, **kwargs)


def rate(**kwargs: Any) -> serializers.DecimalField:
    """An exchange rate to KES (KES per unit): 18 digits, 6 places, written as a string; null for KES."""
    kwargs.setdefault("read_only", True)
    kwargs.setdefault("allow_null", True)
    return serializers.DecimalField(max_digits=18, decimal_places=6, coerce_to_string=True, **kwargs)


def optional_choice(choices: Any) -> serializers.ChoiceField:
    """A choice that may be blank (``""``: none yet), e.g. where an asset's proceeds go."""
    return serializers.ChoiceField(choices=choices, allow_blank=True, read_only=True)


def label(field: str) -> serializers.CharField:
    """The display label of the choice field ``field`` (its ``get_<field>_display``)."""
    return serializers.CharField(source=f"get_{field}_display", read_only=True)


def money_text(value: Decimal | None) -> str | None:
    """An amount as the API writes it: ``"1234.50"`` (None stays None)."""
    if value is None:
        return None
    return str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


def json_value(value: Any, kind: str) -> Any:
    """A report cell as JSON: money as a two-decimal string, other decimals as strings, whole numbers as
    numbers, dates and times in ISO 8601, anything else as text."""
    if value is None:
        return None
    if kind == "money":
        return money_text(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal | float):
        return str(value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
