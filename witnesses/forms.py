"""Forms of the witnesses app. Each ``save(user)`` calls one service; the service has the last word."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import date_field
from core.labels import Label
from core.models import User
from prosecutions.models import Case
from victims.models import Victim
from witnesses import services
from witnesses.choices import (
    Applicant,
    MeasureKind,
    MeasureStatus,
    ProtectionStatus,
    RiskLevel,
    TerminationGround,
    WitnessRole,
)
from witnesses.models import Appearance, Identity, ProtectionMeasure, Witness


def reason_field(label: Label = "", help_text: Label = "") -> forms.CharField:
    return forms.CharField(label=label or _("Reason"), widget=forms.Textarea(attrs={"rows": 3}), help_text=help_text)


class AddWitnessForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=[("", "---------"), *WitnessRole.choices])
    witness_number = forms.CharField(
        label=_("Witness number"),
        max_length=10,
        required=False,
        help_text=_('The prosecution witness number, e.g. "PW3".'),
    )
    victim = forms.ModelChoiceField(
        queryset=Victim.objects.none(),
        required=False,
        label=_("Victim"),
        help_text=_("For a victim-witness: the victim's code in this case."),
    )
    witness_code = forms.CharField(
        label=_("Existing witness code"),
        max_length=20,
        required=False,
        help_text=_("Blank for a new witness; or the code (W-2026-0019) of one already testifying in another case."),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["victim"].queryset = case.victims.order_by("code")  # type: ignore[attr-defined]

    def clean_witness_code(self) -> Witness | None:
        code = (self.cleaned_data.get("witness_code") or "").strip().upper()
        if not code:
            return None
        witness = Witness.objects.filter(code=code).first()
        if witness is None:
            raise forms.ValidationError(_("No witness has the code %(code)s.") % {"code": code})
        return witness

    def save(self, user: User) -> Appearance:
        data = self.cleaned_data
        return services.add_witness_to_case(
            self.case,
            user,
            role=data["role"],
            witness_number=data.get("witness_number") or "",
            witness=data.get("witness_code"),
            victim=data.get("victim"),
        )


class RequestProtectionForm(forms.Form):
    reason = reason_field(
        _("Why the witness needs protection"), _("Threats received, the accused's reach, the evidence at stake.")
    )

    def __init__(self, *args: Any, witness: Witness, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.witness = witness

    def save(self, user: User) -> Witness:
        return services.request_protection(self.witness, user, reason=self.cleaned_data["reason"])


class FlagForm(forms.Form):
    applicant = forms.ChoiceField(label=_("Protection requested by"), choices=[("", "---------"), *Applicant.choices])
    reason = reason_field(_("Why the witness needs protection"))

    def __init__(self, *args: Any, witness: Witness, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.witness = witness

    def save(self, user: User) -> Witness:
        data = self.cleaned_data
        return services.flag_witness(self.witness, user, applicant=data["applicant"], reason=data["reason"])


class DecisionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Decision"))
    risk_level = forms.ChoiceField(
        label=_("Risk level"), choices=[("", _("(unchanged)")), *RiskLevel.choices], required=False
    )
    termination_ground = forms.ChoiceField(
        label=_("Ground of termination"), choices=[("", "---------"), *TerminationGround.choices], required=False
    )
    effective_on = date_field(_("Effective on"), required=False, help_text=_("Blank for today."))
    reason = reason_field()

    def __init__(self, *args: Any, witness: Witness, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.witness = witness
        allowed = services.ALLOWED_MOVES.get(witness.protection_status, frozenset()) & services.DECISION_MOVES
        labels = {
            ProtectionStatus.UNDER_ASSESSMENT: _("Start the assessment"),
            ProtectionStatus.ADMITTED: _("Admit to the programme")
            if witness.protection_status != ProtectionStatus.SUSPENDED
            else _("Reinstate (end the suspension)"),
            ProtectionStatus.DECLINED: _("Decline admission"),
            ProtectionStatus.SUSPENDED: _("Suspend protection (s.11)"),
            ProtectionStatus.TERMINATED: _("Terminate protection (s.10)"),
        }
        decision: forms.ChoiceField = self.fields["to_status"]  # type: ignore[assignment]
        decision.choices = [("", "---------")] + [
            (status.value, labels[status]) for status in ProtectionStatus if status in allowed
        ]

    def save(self, user: User) -> Witness:
        data = self.cleaned_data
        return services.decide_protection(
            self.witness,
            user,
            data["to_status"],
            reason=data["reason"],
            effective_on=data.get("effective_on"),
            risk_level=data.get("risk_level") or "",
            termination_ground=data.get("termination_ground") or "",
        )


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(
        label=pgettext_lazy("witness protection", "Measure"), choices=[("", "---------"), *MeasureKind.choices]
    )
    status = forms.ChoiceField(label=_("Status"), choices=MeasureStatus.choices, initial=MeasureStatus.IN_FORCE)
    court_order_reference = forms.CharField(
        label=_("Court order reference"),
        max_length=80,
        required=False,
        help_text=_("Required for a court measure in force."),
    )
    case = forms.ModelChoiceField(
        queryset=Case.objects.none(),
        required=False,
        label=_("Case"),
        help_text=_("A court measure ordered in one case only; blank for all."),
    )
    starts_on = date_field(_("From"))
    ends_on = date_field(_("To"), required=False)

    def __init__(self, *args: Any, witness: Witness, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.witness = witness
        self.fields["case"].queryset = Case.objects.filter(witness_appearances__witness=witness).order_by("reference")  # type: ignore[attr-defined]

    def save(self, user: User) -> ProtectionMeasure:
        data = self.cleaned_data
        return services.record_measure(
            self.witness,
            user,
            kind=data["kind"],
            status=data["status"],
            court_order_reference=data.get("court_order_reference") or "",
            case=data.get("case"),
            starts_on=data["starts_on"],
            ends_on=data.get("ends_on"),
        )


class EndMeasureForm(forms.Form):
    ends_on = date_field(_("Ended on"))
    reason = reason_field()

    def __init__(self, *args: Any, measure: ProtectionMeasure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.measure = measure

    def save(self, user: User) -> ProtectionMeasure:
        data = self.cleaned_data
        return services.end_measure(self.measure, user, ends_on=data["ends_on"], reason=data["reason"])


def _secret(label: Label, required: bool = False, textarea: bool = False) -> forms.CharField:
    attrs = {"autocomplete": "off"}
    widget = forms.Textarea(attrs={**attrs, "rows": 2}) if textarea else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, required=required, widget=widget, max_length=500)


class IdentityForm(forms.Form):
    """Enter or correct an identity. Never pre-filled: showing the stored values would be an unlogged read."""

    full_name = _secret(_("Real name"))
    id_number = _secret(_("ID or passport number"))
    phone = _secret(_("Phone"))
    address = _secret(_("Address"), textarea=True)
    next_of_kin = _secret(_("Next of kin"), textarea=True)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, witness: Witness, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.witness = witness
        self.correcting = Identity.objects.filter(witness=witness).exists()
        if self.correcting:
            for name in Identity.ENCRYPTED_FIELDS:
                self.fields[name].help_text = _("Leave blank to keep the value on file.")
            self.fields["reason"].required = True
            self.fields["reason"].help_text = _("Why the identity is corrected.")
        else:
            self.fields["full_name"].required = True

    def save(self, user: User) -> Identity:
        data = self.cleaned_data
        return services.save_identity(
            self.witness,
            user,
            **{name: data.get(name) or "" for name in Identity.ENCRYPTED_FIELDS},
            reason=data.get("reason") or "",
        )


class RevealForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why you need to read this identity now. It is recorded before the identity is shown."),
    )

    def __init__(self, *args: Any, witness: Witness, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.witness = witness

    def save(self, user: User) -> services.RevealedIdentity:
        return services.reveal_identity(self.witness, user, self.cleaned_data["purpose"])
