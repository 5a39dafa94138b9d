"""Forms about the accused and their counts — charges, pleas, outcomes, sentences — and the victims."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import date_field
from core.guards import today
from core.models import User
from prosecutions import services
from prosecutions.choices import (
    CustodyStatus,
    Disposition,
    ExploitationType,
    FineRelation,
    NetworkRole,
    Plea,
    SentenceOverrideGround,
    Sex,
)
from prosecutions.exceptions import OffenceNotInForce
from prosecutions.filters import offence_section_choices
from prosecutions.forms.base import (
    MAX_COUNTS,
    MAX_MONTHS,
    blank_choice,
)
from prosecutions.forms.persons import PersonChoiceMixin
from prosecutions.models import (
    Accused,
    Case,
    Charge,
    Offence,
    Sentence,
    victim_model,
)
from prosecutions.services import penalties


class AccusedForm(PersonChoiceMixin, forms.Form):
    """An accused's details. On adding one, persons of the index who match are offered first
    (``PersonChoiceMixin``): the accused is one of them, or a new person."""

    name = forms.CharField(max_length=150, label=_("Name"))
    aliases = forms.CharField(
        max_length=255,
        required=False,
        label=_("Aliases"),
        help_text=_("Other names the accused is known by, separated by commas."),
    )
    sex = forms.ChoiceField(choices=Sex.choices, initial=Sex.UNKNOWN, label=_("Sex"))
    date_of_birth = date_field(_("Date of birth"), required=False)
    age = forms.IntegerField(
        required=False, min_value=0, max_value=120, label=_("Age"), help_text=_("If the date of birth is unknown.")
    )
    nationality = forms.CharField(max_length=60, required=False, initial="Kenyan", label=_("Nationality"))
    id_number = forms.CharField(max_length=40, required=False, label=_("ID or passport number"))
    network_role = forms.ChoiceField(
        choices=NetworkRole.choices,
        initial=NetworkRole.OTHER,
        label=_("Network role"),
        help_text=_("The accused's place in the network."),
    )
    custody_status = forms.ChoiceField(
        choices=CustodyStatus.choices, initial=CustodyStatus.REMANDED, label=_("Custody status")
    )
    bail_terms = forms.CharField(max_length=255, required=False, label=_("Bail terms"))

    def __init__(
        self, *args: Any, case: Case, accused: Accused | None = None, user: User | None = None, **kwargs: Any
    ) -> None:
        if accused is not None:
            kwargs["initial"] = {name: getattr(accused, name) for name in services.ACCUSED_FIELDS}
        super().__init__(*args, **kwargs)
        self.case = case
        self.accused = accused
        if accused is None and user is not None:
            self.add_person_field(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and self.accused is None:  # persons are offered when an accused is added
            data["person"] = self.offer_persons(data)
        return data

    def save(self, user: User) -> Accused:
        data = dict(self.cleaned_data)
        person = data.pop("person", None)
        if self.accused is not None:
            return services.update_accused(self.accused, user, **data)
        return services.add_accused(self.case, user, person=person, **data)


class ChargeForm(forms.Form):
    count_number = forms.IntegerField(min_value=1, max_value=MAX_COUNTS, label=_("Count number"))
    offence = forms.ChoiceField(label=_("Offence"), help_text=_("The penalty in force on the offence date is applied."))
    offence_date = date_field(_("Offence date"))
    penalty_section = forms.CharField(
        max_length=20, required=False, label=_("As read with section"), help_text=_("Leave empty for the usual one.")
    )
    particulars = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Particulars"))

    def __init__(self, *args: Any, case: Case, accused: Accused, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.accused = accused
        self.fields["offence"].choices = blank_choice(offence_section_choices())  # type: ignore[attr-defined]
        self.fields["count_number"].initial = services.next_count_number(accused)

    def save(self, user: User) -> Charge:
        data = self.cleaned_data
        statute, _, section = data["offence"].partition(":")
        offence = Offence.objects.filter(statute=statute, section=section).order_by("-effective_from").first()
        if offence is None:
            raise OffenceNotInForce(gettext("Choose an offence from the list."))
        return services.add_charge(
            self.accused,
            user,
            count_number=data["count_number"],
            offence=offence,
            offence_date=data["offence_date"],
            particulars=data["particulars"],
            penalty_section=data["penalty_section"],
        )


class PleaForm(forms.Form):
    plea = forms.ChoiceField(choices=blank_choice([c for c in Plea.choices if c[0] != Plea.NOT_TAKEN]), label=_("Plea"))
    plea_date = date_field(_("Plea taken on"))

    def __init__(self, *args: Any, case: Case, charge: Charge, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case, self.charge = case, charge
        self.fields["plea_date"].initial = today()

    def save(self, user: User) -> Charge:
        return services.record_plea(
            self.charge, user, plea=self.cleaned_data["plea"], plea_date=self.cleaned_data["plea_date"]
        )


class DispositionForm(forms.Form):
    disposition = forms.ChoiceField(
        label=_("Outcome"), choices=blank_choice([c for c in Disposition.choices if c[0] != Disposition.PENDING])
    )
    disposition_date = date_field(_("Date of the outcome"))
    note = forms.CharField(max_length=200, required=False, label=_("Note"))

    def __init__(self, *args: Any, case: Case, charge: Charge, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case, self.charge = case, charge
        self.fields["disposition_date"].initial = today()

    def save(self, user: User) -> Charge:
        data = self.cleaned_data
        return services.record_disposition(
            self.charge,
            user,
            disposition=data["disposition"],
            disposition_date=data["disposition_date"],
            note=data["note"],
        )


class SentenceForm(forms.Form):
    sentenced_on = date_field(_("Sentenced on"))
    custodial_months = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_MONTHS, label=_("Imprisonment (months)")
    )
    life_imprisonment = forms.BooleanField(required=False, label=_("Life imprisonment"))
    fine_amount = forms.DecimalField(required=False, max_digits=18, decimal_places=2, label=_("Fine (KES)"))
    fine_default_months = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_MONTHS, label=_("Months in default of the fine")
    )
    fine_relation = forms.ChoiceField(choices=FineRelation.choices, initial=FineRelation.NONE, label=_("Fine"))
    compensation_amount = forms.DecimalField(
        required=False, max_digits=18, decimal_places=2, label=_("Compensation to a victim (KES)")
    )
    compensation_victim = forms.ModelChoiceField(
        queryset=victim_model().objects.none(), required=False, label=_("Victim")
    )
    deportation = forms.BooleanField(required=False, label=_("Deportation after sentence (CTIP s.26(1))"))
    forfeiture_ordered = forms.BooleanField(required=False, label=_("Forfeiture of proceeds ordered (CTIP s.17)"))
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Notes"))
    override_ground = forms.ChoiceField(
        choices=blank_choice(SentenceOverrideGround.choices, _("— (the sentence is within the statutory range)")),
        required=False,
        label=_("Ground for a sentence outside the statutory range"),
        help_text=_(
            "Only when the court departed from the minimum or maximum, e.g. a child offender or an "
            "appellate court's order."
        ),
    )
    override_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Reason for the override"),
        help_text=_("Shown with the sentence and listed in the performance report."),
    )

    def __init__(self, *args: Any, case: Case, charge: Charge, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case, self.charge = case, charge
        self.fields["sentenced_on"].initial = today()
        self.fields["compensation_victim"].queryset = case.victims.order_by("code")  # type: ignore[attr-defined]
        self.fields["custodial_months"].help_text = statutory_range_text(charge)

    def save(self, user: User) -> Sentence:
        return services.record_sentence(self.charge, user, **self.cleaned_data)


def statutory_range_text(charge: Charge) -> str:
    """The range a sentence on ``charge`` is held to, in words, for the sentence forms."""
    version = penalties.penalty_version(charge)
    parts = [text for text in (penalties.minimum_text(version), penalties.maximum_text(version)) if text]
    if not parts:
        return gettext("%(offence)s sets no minimum or maximum here.") % {"offence": penalties.offence_label(version)}
    return gettext("Statutory range for %(offence)s: %(range)s.") % {
        "offence": penalties.offence_label(version),
        "range": "; ".join(parts),
    }


class VictimForm(forms.Form):
    exploitation_type = forms.ChoiceField(
        choices=blank_choice(ExploitationType.choices), label=_("Form of exploitation")
    )
    identified_on = date_field(_("Identified on"))
    sex = forms.ChoiceField(choices=Sex.choices, initial=Sex.UNKNOWN, label=_("Sex"))
    age_at_exploitation = forms.IntegerField(required=False, min_value=0, max_value=120, label=_("Age at exploitation"))
    is_child = forms.BooleanField(required=False, label=_("Child (under 18)"), help_text=_("If the age is not known."))
    nationality = forms.CharField(max_length=60, required=False, initial="Kenyan", label=_("Nationality"))
    referred_to_services = forms.BooleanField(required=False, label=_("Referred to services"))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case

    def save(self, user: User) -> Any:
        return services.add_victim(self.case, user, **self.cleaned_data)
