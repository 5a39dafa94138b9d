"""Forms about hearings: scheduling one, and recording what happened with the next sitting."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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

    next_date = date_field(_("Next date"), required=False, help_text=_("The date given in court."))
    next_time = time_field(_("Next time"), help_text=_("When the court sits on the next date, if given."))
    next_courtroom = courtroom_field(_("Next courtroom"), help_text=_("Leave blank for the same courtroom."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("next_date") is None:
            if data.get("next_time") is not None:
                self.add_error("next_time", gettext("Give the next date the next time goes with."))
            if data.get("next_courtroom"):
                self.add_error("next_courtroom", gettext("Give the next date the next courtroom goes with."))
        return data


class HearingForm(NextSittingMixin):
    date = date_field(_("Date"))
    time = time_field(_("Time"), help_text=_("When the court sits (East Africa Time), if known."))
    court = forms.ModelChoiceField(queryset=Court.objects.order_by("name"), label=_("Court"))
    courtroom = courtroom_field(_("Courtroom"))
    purpose = forms.ChoiceField(choices=HearingPurpose.choices, label=_("Purpose"))
    outcome = forms.ChoiceField(
        choices=HearingOutcome.choices,
        initial=HearingOutcome.SCHEDULED,
        label=_("Outcome"),
        help_text=_("“Scheduled” for a future date."),
    )
    adjournment_reason = forms.ChoiceField(
        choices=blank_choice(AdjournmentReason.choices), required=False, label=_("Adjournment reason")
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Notes"))
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
            self.add_error("next_date", gettext("The next date must be after the hearing date."))
        return data

    def save(self, user: User) -> Hearing:
        return services.record_hearing(self.case, user, **self.cleaned_data)


class HearingOutcomeForm(NextSittingMixin):
    outcome = forms.ChoiceField(
        choices=blank_choice([c for c in HearingOutcome.choices if c[0] != HearingOutcome.SCHEDULED]),
        label=_("Outcome"),
    )
    adjournment_reason = forms.ChoiceField(
        choices=blank_choice(AdjournmentReason.choices), required=False, label=_("Adjournment reason")
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Notes"))
    field_order = ["outcome", "adjournment_reason", "next_date", "next_time", "next_courtroom", "notes"]

    def __init__(self, *args: Any, case: Case, hearing: Hearing, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case, self.hearing = case, hearing

    def save(self, user: User) -> Hearing:
        return services.record_hearing_outcome(self.hearing, user, **self.cleaned_data)
