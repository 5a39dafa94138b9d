"""Correction forms: a recorded fact changed, with a reason (``prosecutions.services.corrections``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import date_field
from core.models import User
from prosecutions.choices import (
    AdjournmentReason,
    Disposition,
    HearingOutcome,
    Plea,
)
from prosecutions.forms.base import (
    blank_choice,
    correction_reason_field,
)
from prosecutions.forms.counts import AccusedForm, SentenceForm
from prosecutions.models import (
    Case,
    Charge,
    Correction,
    Hearing,
    Sentence,
)
from prosecutions.services import corrections


class PleaCorrectionForm(forms.Form):
    plea = forms.ChoiceField(choices=blank_choice([c for c in Plea.choices if c[0] != Plea.NOT_TAKEN]), label=_("Plea"))
    plea_date = date_field(_("Plea taken on"))
    reason = correction_reason_field()

    def __init__(self, *args: Any, case: Case, charge: Charge, **kwargs: Any) -> None:
        kwargs["initial"] = {
            "plea": "" if charge.plea == Plea.NOT_TAKEN else charge.plea,
            "plea_date": charge.plea_date,
        }
        super().__init__(*args, **kwargs)
        self.case, self.charge = case, charge

    def save(self, user: User) -> Correction:
        return corrections.correct_plea(self.charge, user, **self.cleaned_data)


class OutcomeCorrectionForm(forms.Form):
    disposition = forms.ChoiceField(
        label=_("Outcome"), choices=blank_choice([c for c in Disposition.choices if c[0] != Disposition.PENDING])
    )
    disposition_date = date_field(_("Date of the outcome"))
    reason = correction_reason_field()

    def __init__(self, *args: Any, case: Case, charge: Charge, **kwargs: Any) -> None:
        pending = charge.disposition == Disposition.PENDING
        kwargs["initial"] = {
            "disposition": "" if pending else charge.disposition,
            "disposition_date": charge.disposition_date,
        }
        super().__init__(*args, **kwargs)
        self.case, self.charge = case, charge

    def save(self, user: User) -> Correction:
        return corrections.correct_outcome(self.charge, user, **self.cleaned_data)


class SentenceCorrectionForm(SentenceForm):
    remove = forms.BooleanField(
        required=False,
        label=_("The sentence was recorded in error: remove it"),
        help_text=_("Its history keeps every value it had. The other fields are then ignored."),
    )
    reason = correction_reason_field()

    def __init__(self, *args: Any, case: Case, charge: Charge, **kwargs: Any) -> None:
        sentence = Sentence.objects.filter(charge=charge).first()
        if sentence is not None:
            kwargs["initial"] = {name: getattr(sentence, name) for name in corrections.SENTENCE_FIELDS}
            kwargs["initial"]["compensation_victim"] = sentence.compensation_victim_id
        super().__init__(*args, case=case, charge=charge, **kwargs)
        self.fields["sentenced_on"].required = False
        if sentence is not None:
            self.fields["sentenced_on"].initial = sentence.sentenced_on

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("remove") and data.get("sentenced_on") is None and "sentenced_on" not in self.errors:
            self.add_error("sentenced_on", gettext("Give the date the sentence was passed."))
        return data

    def save(self, user: User) -> Correction:  # type: ignore[override]
        data = dict(self.cleaned_data)
        reason = data.pop("reason")
        if data.pop("remove"):
            return corrections.remove_sentence(self.charge, user, reason=reason)
        return corrections.correct_sentence(self.charge, user, reason=reason, **data)


class HearingCorrectionForm(forms.Form):
    date = date_field(_("Date"))
    outcome = forms.ChoiceField(
        choices=HearingOutcome.choices, label=_("Outcome"), help_text=_("“Scheduled” if it has not sat yet.")
    )
    adjournment_reason = forms.ChoiceField(
        choices=blank_choice(AdjournmentReason.choices), required=False, label=_("Adjournment reason")
    )
    next_date = date_field(_("Next date"), required=False, help_text=_("The date given in court."))
    reason = correction_reason_field()

    def __init__(self, *args: Any, case: Case, hearing: Hearing, **kwargs: Any) -> None:
        kwargs["initial"] = {name: getattr(hearing, name) for name in corrections.HEARING_FIELDS}
        super().__init__(*args, **kwargs)
        self.case, self.hearing = case, hearing

    def save(self, user: User) -> Correction:
        return corrections.correct_hearing(self.hearing, user, **self.cleaned_data)


class AccusedCorrectionForm(AccusedForm):
    reason = correction_reason_field()

    def save(self, user: User) -> Correction:  # type: ignore[override]
        data = dict(self.cleaned_data)
        reason = data.pop("reason")
        assert self.accused is not None
        return corrections.correct_accused(self.accused, user, reason=reason, **data)
