"""What the prosecution forms share: bounds, a blank first choice, time and courtroom fields, the reason
field of a correction."""

from __future__ import annotations

from django import forms

from prosecutions.services import correcting
from prosecutions.services.hearings import COURTROOM_MAX_LENGTH

# The largest count number and term in months a form takes: within their columns, beyond any real charge
# sheet or sentence (life imprisonment is its own box).
MAX_COUNTS = 999
MAX_MONTHS = 1200


def blank_choice(choices: list[tuple[str, str]], label: str = "—") -> list[tuple[str, str]]:
    return [("", label), *choices]


def time_field(label: str, *, help_text: str = "") -> forms.TimeField:
    """An optional time of day (East Africa Time), with the browser's time picker."""
    return forms.TimeField(
        label=label,
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=help_text,
    )


def courtroom_field(label: str, *, help_text: str = "") -> forms.CharField:
    """An optional courtroom or court number, one short line."""
    return forms.CharField(
        label=label, max_length=COURTROOM_MAX_LENGTH, required=False, help_text=help_text or "e.g. “Court 3”."
    )


def correction_reason_field() -> forms.CharField:
    return forms.CharField(
        label="Reason for the correction",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why the record was wrong. Kept in the case history beside the old and the new value.",
        error_messages={"required": correcting.REASON_MISSING},
    )
