"""Forms about hearings: scheduling one, and recording what happened with the next sitting."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from core.forms import date_field
from core.models import User
from prosecutions import services
from prosecutions.choices import (
    AdjournmentReason,
    HearingOutcome,
    HearingPurpose,
)
from prosecutions.forms.base import (
    blank_choice,
    courtroom_field,
    time_field,
)
from prosecutions.models import (
    Case,
    Court,
    Hearing,
)


class NextSittingMixin(forms.Form):
    """The next date given in court, with the time and courtroom given for it."""

    next_date = date_field("Next date", required=False, help_text="The date given in court.")
    next_time = time_field("Next time", help_text="When the court sits on the next date, if given.")
    next_courtroom = courtroom_field("Next courtroom", help_text="Leave blank for the same courtroom.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("next_date") is None:
            if data.get("next_time") is not None:
                self.add_error("next_time", "Give the next date the next time goes with.")
            if data.get("next_courtroom"):
                self.add_error("next_courtroom", "Give the next date the next courtroom goes with.")
        return data


class HearingForm(NextSittingMixin):
    date = date_field("Date")
    time = time_field("Time", help_text="When the court sits (East Africa Time), if known.")
    court = forms.ModelChoiceField(queryset=Court.objects.order_by("name"))
    courtroom = courtroom_field("Courtroom")
    purpose = forms.ChoiceField(choices=HearingPurpose.choices)
    outcome = forms.ChoiceField(
        choices=HearingOutcome.choices, initial=HearingOutcome.SCHEDULED, help_text="“Scheduled” for a future date."
    )
    adjournment_reason = forms.ChoiceField(choices=blank_choice(AdjournmentReason.choices), required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    field_order = [
        "date",
        "time",
        "court",
        "courtroom",
        "purpose",
        "outcome",
        "adjournment_reason",
        "next_date",
        "next_time",
        "next_courtroom",
        "notes",
    ]

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["court"].initial = case.court_id

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        date: dt.date | None = data.get("date")
        next_date: dt.date | None = data.get("next_date")
        if date and next_date and next_date <= date:
            self.add_error("next_date", "The next date must be after the hearing date.")
        return data

    def save(self, user: User) -> Hearing:
        return services.record_hearing(self.case, user, **self.cleaned_data)


class HearingOutcomeForm(NextSittingMixin):
    outcome = forms.ChoiceField(
        choices=blank_choice([c for c in HearingOutcome.choices if c[0] != HearingOutcome.SCHEDULED])
    )
    adjournment_reason = forms.ChoiceField(choices=blank_choice(AdjournmentReason.choices), required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    field_order = ["outcome", "adjournment_reason", "next_date", "next_time", "next_courtroom", "notes"]

    def __init__(self, *args: Any, case: Case, hearing: Hearing, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case, self.hearing = case, hearing

    def save(self, user: User) -> Hearing:
        return services.record_hearing_outcome(self.hearing, user, **self.cleaned_data)
