"""What the prosecution forms share: bounds, a blank first choice, time and courtroom fields, the reason
field of a correction."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from prosecutions.services import correcting
from prosecutions.services.hearings import COURTROOM_MAX_LENGTH

# The largest count number and term in months a form takes: within their columns, beyond any real charge
# sheet or sentence (life imprisonment is its own box).
MAX_COUNTS = 999
MAX_MONTHS = 1200


def blank_choice(choices: list[tuple[str, Any]], label: Any = "—") -> list[tuple[str, Any]]:
    return [("", label), *choices]


def time_field(label: Any, *, help_text: Any = "") -> forms.TimeField:
    """An optional time of day (East Africa Time), with the browser's time picker."""
    return forms.TimeField(
        label=label,
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=help_text,
    )


def courtroom_field(label: Any, *, help_text: Any = "") -> forms.CharField:
    """An optional courtroom or court number, one short line."""
    return forms.CharField(
        label=label, max_length=COURTROOM_MAX_LENGTH, required=False, help_text=help_text or _("e.g. “Court 3”.")
    )


def correction_reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Reason for the correction"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the record was wrong. Kept in the case history beside the old and the new value."),
        error_messages={"required": _(correcting.REASON_MISSING)},
    )
