"""Forms of the victims register. Each ``save(user)`` calls one service; the service has the last word."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries

from core.forms import date_field
from core.labels import Label
from core.models import County, User
from prosecutions.choices import ExploitationType, Sex
from prosecutions.models import Case
from victims import services
from victims.choices import AgeBand, CaseRole, IdentifyingAgency, ReferralStatus, ServiceKind
from victims.models import (
    MAX_AGE,
    CaseVictim,
    Referral,
    ServiceDelivered,
    ServiceProvider,
    Victim,
    VictimIdentity,
)


def _blank(choices: Any, label: Label = "—") -> list[tuple[str, Label]]:
    return [("", label), *[(str(value), text) for value, text in choices]]


class IdentifyVictimForm(forms.Form):
    """Identify a victim (the NRM): no case needed, no name here (names go in the vault)."""

    identified_on = date_field(_("Identified on"))
    identified_by = forms.ChoiceField(label=_("Identified by"), choices=_blank(IdentifyingAgency.choices))
    identified_in = forms.ModelChoiceField(
        label=_("County where identified"), queryset=County.objects.order_by("name"), required=False
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    age = forms.IntegerField(label=_("Age at identification"), required=False, min_value=0, max_value=MAX_AGE)
    age_band = forms.ChoiceField(
        label=_("Age band"), choices=_blank(AgeBand.choices, _("— (the age is known, or nothing is)")), required=False
    )
    is_child = forms.BooleanField(
        required=False, label=_("Child (under 18)"), help_text=_("If neither age nor band is known.")
    )
    country = forms.ChoiceField(
        label=_("Nationality"), choices=_blank(countries, _("Not recorded")), initial="KE", required=False
    )
    exploitation_forms = forms.MultipleChoiceField(
        label=_("Forms of exploitation"),
        choices=ExploitationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every form that applies; none ticked: not recorded."),
    )
    exploited_in_county = forms.ModelChoiceField(
        label=_("Exploited in (county, Kenya)"), queryset=County.objects.order_by("name"), required=False
    )
    exploited_abroad = forms.ChoiceField(
        label=_("…or exploited abroad (country)"),
        choices=_blank(countries, _("— (in Kenya, or not known)")),
        required=False,
    )
    referral_consent_on = date_field(_("Consented to referral on"), required=False)
    prosecution_consent_on = date_field(_("Consented to prosecution on"), required=False)

    def save(self, user: User) -> Victim:
        return services.identify_victim(user, **self.cleaned_data)


class LinkCaseForm(forms.Form):
    """Link a victim from the register to this case, in a role."""

    victim_code = forms.CharField(label=_("Victim code"), max_length=20, help_text=_("e.g. V-2026-0044."))
    role = forms.ChoiceField(label=_("Role in the case"), choices=_blank(CaseRole.choices))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.victim: Victim | None = None

    def clean_victim_code(self) -> str:
        code = self.cleaned_data["victim_code"].strip().upper()
        self.victim = Victim.objects.filter(code=code).first()
        if self.victim is None:
            raise forms.ValidationError(_("No victim has the code %(code)s.") % {"code": code})
        return code

    def save(self, user: User) -> CaseVictim:
        assert self.victim is not None
        return services.link_victim_to_case(self.victim, self.case, user, role=self.cleaned_data["role"])


def _secret(label: Label, required: bool = False, textarea: bool = False) -> forms.CharField:
    attrs = {"autocomplete": "off"}
    widget = forms.Textarea(attrs={**attrs, "rows": 2}) if textarea else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, required=required, widget=widget, max_length=500)


class VictimIdentityForm(forms.Form):
    """Enter or correct a victim's name and contact details. Never pre-filled (that would be an unlogged read)."""

    full_name = _secret(_("Name"))
    phone = _secret(_("Phone"))
    address = _secret(_("Address or whereabouts"), textarea=True)
    contact_person = _secret(_("Contact person"), textarea=True)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, victim: Victim, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.victim = victim
        if VictimIdentity.objects.filter(victim=victim).exists():
            for name in VictimIdentity.ENCRYPTED_FIELDS:
                self.fields[name].help_text = _("Leave blank to keep the value on file.")
            self.fields["reason"].required = True
            self.fields["reason"].help_text = _("Why the identity is corrected.")
        else:
            self.fields["full_name"].required = True

    def save(self, user: User) -> VictimIdentity:
        return services.save_victim_identity(self.victim, user, **self.cleaned_data)


class RevealForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why you need to read this identity now. It is recorded before the identity is shown."),
    )

    def __init__(self, *args: Any, victim: Victim, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.victim = victim

    def save(self, user: User) -> services.RevealedIdentity:
        return services.reveal_victim_identity(self.victim, user, self.cleaned_data["purpose"])


class ProviderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    kinds = forms.MultipleChoiceField(
        label=_("Services offered"), choices=ServiceKind.choices, widget=forms.CheckboxSelectMultiple
    )
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.order_by("name"), required=False)
    capacity = forms.IntegerField(
        label=_("Capacity"), required=False, min_value=1, help_text=_("Places, if limited (shelters).")
    )

    def save(self, user: User) -> ServiceProvider:
        return services.add_provider(user, **self.cleaned_data)


class ReferralForm(forms.Form):
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=ServiceProvider.objects.filter(active=True).order_by("name")
    )
    kind = forms.ChoiceField(label=_("Service"), choices=_blank(ServiceKind.choices))
    referred_on = date_field(_("Referred on"))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, victim: Victim, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.victim = victim

    def save(self, user: User) -> Referral:
        data = self.cleaned_data
        return services.refer_victim(
            self.victim, data["provider"], user, kind=data["kind"], referred_on=data["referred_on"], note=data["note"]
        )


class MoveReferralForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=_blank(ReferralStatus.choices))
    on = date_field(pgettext_lazy("a date", "On"))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.referral = referral

    def save(self, user: User) -> Referral:
        return services.move_referral(self.referral, user, **self.cleaned_data)


class ServiceForm(forms.Form):
    delivered_on = date_field(_("Delivered on"))
    description = forms.CharField(label=_("Description"), max_length=255)

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.referral = referral

    def save(self, user: User) -> ServiceDelivered:
        return services.record_service(self.referral, user, **self.cleaned_data)
