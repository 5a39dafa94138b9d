"""Numbers from outside — ids in forms, numeric filters of the lists — bounded to what the database and
the code can take, so a bad number is a form error and never a 500.

- An id (``ModelChoiceField``) beyond the database's integer range: Django answers "not one of the
  available choices" for a single id, but looks several ids up at once (``ModelMultipleChoiceField``)
  without that check, and SQLite then fails ("Python int too large to convert to SQLite INTEGER").
  ``BoundedModelMultipleChoiceField`` checks each id against the range of its column first.
- A day count (``days_filter``): a date so many days ahead overflows; at most ``MAX_DAYS``, whole days.
- An amount (``money_filter``): the project's money precision, 18 digits and 2 places, never negative.

``tests/core/test_bounds.py`` holds every numeric filter and every number and id field of the apps'
forms to these bounds, and sends 20-digit numbers to every filter of every list page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connections, models, router

from core.labels import Label

# The furthest ahead a deadline list looks: ten years of days.
MAX_DAYS = 3650


def integer_range(field: models.Field[Any, Any], model: type[models.Model]) -> tuple[int | None, int | None]:
    """The values the database can hold in ``field`` (None: no bound), or (None, None) if not an integer."""
    if not isinstance(field, models.IntegerField | models.AutoField):
        return None, None
    connection = connections[router.db_for_read(model)]
    low, high = connection.ops.integer_field_range(field.get_internal_type())
    return low, high


def out_of_range(value: Any, low: int | None, high: int | None) -> bool:
    """Whether ``value`` is an integer (or its text) outside ``low`` … ``high``; anything else is left to
    the field's own checks."""
    try:
        number = int(str(value).strip())
    except ValueError:
        return False
    return (low is not None and number < low) or (high is not None and number > high)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ``ModelMultipleChoiceField`` that refuses an id outside its column's range as "not one of the
    available choices", as Django already does for a single id, instead of sending it to the database."""

    def clean(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            self._refuse_out_of_range(value)
        return super().clean(value)

    def _refuse_out_of_range(self, values: Iterable[Any]) -> None:
        queryset = self.queryset
        assert queryset is not None
        model = queryset.model
        key = self.to_field_name or "pk"
        try:
            field = model._meta.pk if key == "pk" else model._meta.get_field(key)
        except FieldDoesNotExist:
            return
        if not isinstance(field, models.Field):
            return
        low, high = integer_range(field, model)
        for item in values:
            if out_of_range(item, low, high):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                )


def days_filter(label: Label, **kwargs: Any) -> django_filters.NumberFilter:
    """A number of whole days ahead, 0 to ``MAX_DAYS``."""
    return django_filters.NumberFilter(
        label=label, min_value=0, max_value=MAX_DAYS, max_digits=4, decimal_places=0, **kwargs
    )


def money_filter(label: Label, **kwargs: Any) -> django_filters.NumberFilter:
    """An amount in the project's money precision (18 digits, 2 places), zero or more."""
    return django_filters.NumberFilter(
        label=label,
        min_value=0,
        max_digits=settings.MONEY_MAX_DIGITS,
        decimal_places=settings.MONEY_DECIMAL_PLACES,
        **kwargs,
    )
