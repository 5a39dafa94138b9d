"""Forms of the assets app. Each ``save(user)`` calls one service; the service has the last word."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assets import services
from assets.choices import (
    FORFEITING_ORDERS,
    AssetStatus,
    AssetType,
    Currency,
    Destination,
    LegalBasis,
    OrderType,
    RealisationMethod,
    SeizingAgency,
)
from assets.models import Asset, AssetStatusChange, CourtOrder, Realisation, Valuation
from assets.services.identifiers import IDENTIFIER_FIELDS
from core import guards
from core.forms import AmountsAndDatesForm, date_field, money_field
from core.models import User
from prosecutions.models import Accused, Case, Court, Person


def rate_field() -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Exchange rate to KES"),
        max_digits=18,
        decimal_places=6,
        required=False,
        help_text=_("KES per 1 unit of the currency, e.g. 129.50 for USD. Leave blank for KES."),
    )


class MoneyFormMixin(AmountsAndDatesForm):
    """Checks shared by every form carrying an amount, its currency and a rate to KES."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        currency = cleaned.get("currency")
        rate = cleaned.get("exchange_rate")
        if currency and currency != Currency.KES:
            if rate is None:
                self.add_error(
                    "exchange_rate",
                    _("An amount in %(currency)s needs its exchange rate to KES.") % {"currency": currency},
                )
            elif rate <= 0:
                self.add_error("exchange_rate", _("The exchange rate must be greater than zero."))
        return cleaned


class SeizureForm(MoneyFormMixin):
    amount_fields = ("estimated_value",)
    date_fields = ("seized_on",)

    asset_type = forms.ChoiceField(label=gettext_lazy("Type"), choices=AssetType.choices)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=255,
        help_text=gettext_lazy('e.g. "Toyota Probox, white" or "Equity Bank account".'),
    )
    identifier = forms.CharField(
        label=gettext_lazy("Identifier"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Registration, title or account number."),
    )
    owner: forms.ModelChoiceField[Accused] = forms.ModelChoiceField(
        label=gettext_lazy("Owner"),
        queryset=Accused.objects.none(),
        required=False,
        help_text=gettext_lazy("The accused who owns it, if known."),
    )
    seized_on = date_field(gettext_lazy("Seized on"))
    seizing_agency = forms.ChoiceField(label=gettext_lazy("Seizing agency"), choices=SeizingAgency.choices)
    custodian = forms.CharField(
        label=gettext_lazy("Custodian"), max_length=150, required=False, help_text=gettext_lazy("Who holds it now.")
    )
    location = forms.CharField(label=gettext_lazy("Location"), max_length=150, required=False)
    currency = forms.ChoiceField(label=gettext_lazy("Currency"), choices=Currency.choices, initial=Currency.KES)
    estimated_value = money_field(gettext_lazy("Estimated value"))
    exchange_rate = rate_field()
    holder_person = forms.CharField(
        label=gettext_lazy("Held by (person)"),
        max_length=20,
        required=False,
        help_text=gettext_lazy(
            "The person's index reference, e.g. PER/2026/00042. Left blank, the owner's person holds it."
        ),
    )
    holder_company = forms.CharField(
        label=gettext_lazy("Held by (company)"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("Or a company that holds it."),
    )
    vehicle_registration = forms.CharField(
        label=gettext_lazy("Vehicle registration"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("e.g. KDA 123A."),
    )
    bank_account = forms.CharField(label=gettext_lazy("Bank account number"), max_length=40, required=False)
    phone = forms.CharField(
        label=gettext_lazy("M-Pesa / phone number"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("e.g. 0722 418 305 or +256 …"),
    )
    land_parcel = forms.CharField(
        label=gettext_lazy("Land parcel number"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("e.g. Mombasa/Block XX/123."),
    )

    def __init__(self, *args: Any, case: Case, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.user = user
        self.fields["owner"].queryset = case.accused.order_by("name")  # type: ignore[attr-defined]

    def clean_holder_person(self) -> Person | None:
        reference = (self.cleaned_data.get("holder_person") or "").strip().upper()
        if not reference:
            return None
        persons = Person.objects.visible_to(self.user) if self.user is not None else Person.objects.none()
        person = persons.filter(reference=reference).first()
        if person is None:
            raise forms.ValidationError(
                _("No person %(reference)s in the index you may see.") % {"reference": reference}
            )
        return person

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for kind, name in IDENTIFIER_FIELDS.items():
            text = cleaned.get(name) or ""
            if text.strip():
                try:
                    services.normalise_asset_identifier(kind, text)
                except services.AssetError as error:
                    self.add_error(name, error.message)
        return cleaned

    def save(self, user: User) -> Asset:
        data = self.cleaned_data
        return services.record_seizure(
            self.case,
            user,
            asset_type=data["asset_type"],
            description=data["description"],
            identifier=data["identifier"],
            holder_person=data["holder_person"],
            holder_company=data["holder_company"],
            identifiers=[(kind, data[name]) for kind, name in IDENTIFIER_FIELDS.items()],
            owner=data["owner"],
            seized_on=data["seized_on"],
            seizing_agency=data["seizing_agency"],
            custodian=data["custodian"],
            location=data["location"],
            currency=data["currency"],
            estimated_value=data["estimated_value"],
            exchange_rate=data["exchange_rate"],
        )


class ValuationForm(MoneyFormMixin):
    amount_fields = ("amount",)
    date_fields = ("valued_on",)

    valued_on = date_field(gettext_lazy("Valued on"))
    amount = money_field(gettext_lazy("Amount"))
    currency = forms.ChoiceField(label=gettext_lazy("Currency"), choices=Currency.choices, initial=Currency.KES)
    exchange_rate = rate_field()
    valuer = forms.CharField(label=gettext_lazy("Valuer"), max_length=150)
    notes = forms.CharField(label=gettext_lazy("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, asset: Asset, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.asset = asset

    def save(self, user: User) -> Valuation:
        data = self.cleaned_data
        return services.add_valuation(
            self.asset,
            user,
            valued_on=data["valued_on"],
            amount=data["amount"],
            currency=data["currency"],
            exchange_rate=data["exchange_rate"],
            valuer=data["valuer"],
            notes=data["notes"],
        )


class CourtOrderForm(MoneyFormMixin):
    date_fields = ("granted_on", "gazetted_on")

    order_type = forms.ChoiceField(label=gettext_lazy("Type of order"), choices=OrderType.choices)
    legal_basis = forms.ChoiceField(label=gettext_lazy("Legal basis"), choices=LegalBasis.choices)
    court = forms.ModelChoiceField(
        label=gettext_lazy("Court"), queryset=Court.objects.filter(is_active=True).order_by("name"), required=False
    )
    court_name = forms.CharField(label=gettext_lazy("…or court name"), max_length=150, required=False)
    order_number = forms.CharField(
        label=gettext_lazy("Order number"),
        max_length=80,
        help_text=gettext_lazy('e.g. "HCACEC Misc. Application E012 of 2026".'),
    )
    granted_on = date_field(gettext_lazy("Granted on"))
    gazetted_on = date_field(
        gettext_lazy("Gazetted on"),
        required=False,
        help_text=gettext_lazy("Leave blank until the gazette notice appears."),
    )
    gazette_notice = forms.CharField(label=gettext_lazy("Gazette notice"), max_length=40, required=False)
    expires_on = date_field(
        gettext_lazy("Expires on"),
        required=False,
        help_text=gettext_lazy("Not for preservation orders: their expiry is computed from the gazette or grant date."),
    )
    destination = forms.ChoiceField(
        label=gettext_lazy("Destination of proceeds"),
        choices=[("", "—"), *Destination.choices],
        required=False,
        help_text=gettext_lazy("Required for forfeiture and confiscation orders."),
    )
    notes = forms.CharField(label=gettext_lazy("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, asset: Asset, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.asset = asset

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        granted, gazetted, expires = cleaned.get("granted_on"), cleaned.get("gazetted_on"), cleaned.get("expires_on")
        if granted and gazetted and gazetted < granted:
            self.add_error("gazetted_on", _("An order cannot be gazetted before it was granted."))
        if granted and expires and expires <= granted and cleaned.get("order_type") != OrderType.PRESERVATION:
            self.add_error("expires_on", _("An order cannot expire on or before the day it was granted."))
        if cleaned.get("order_type") in FORFEITING_ORDERS and not cleaned.get("destination"):
            self.add_error("destination", _("Say where the proceeds of a forfeited asset go."))
        if not cleaned.get("court") and not (cleaned.get("court_name") or "").strip():
            self.add_error("court", _("Choose the court, or type its name."))
        return cleaned

    def save(self, user: User) -> CourtOrder:
        data = self.cleaned_data
        return services.record_court_order(
            self.asset,
            user,
            order_type=data["order_type"],
            legal_basis=data["legal_basis"],
            court=data["court"],
            court_name=data["court_name"],
            order_number=data["order_number"],
            granted_on=data["granted_on"],
            gazetted_on=data["gazetted_on"],
            gazette_notice=data["gazette_notice"],
            expires_on=None if data["order_type"] == OrderType.PRESERVATION else data["expires_on"],
            destination=data["destination"],
            notes=data["notes"],
        )


class GazettementForm(MoneyFormMixin):
    date_fields = ("gazetted_on",)

    gazetted_on = date_field(gettext_lazy("Gazetted on"))
    gazette_notice = forms.CharField(
        label=gettext_lazy("Gazette notice"),
        max_length=40,
        required=False,
        help_text=gettext_lazy('e.g. "Gazette Notice No. 1234".'),
    )

    def __init__(self, *args: Any, order: CourtOrder, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order = order

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        day = cleaned.get("gazetted_on")
        if day and day < self.order.granted_on:
            self.add_error("gazetted_on", _("An order cannot be gazetted before it was granted."))
        return cleaned

    def save(self, user: User) -> CourtOrder:
        data = self.cleaned_data
        return services.record_gazettement(
            self.order, user, gazetted_on=data["gazetted_on"], gazette_notice=data["gazette_notice"]
        )


class StatusMoveForm(MoneyFormMixin):
    date_fields = ("effective_on",)

    to_status = forms.ChoiceField(
        label=gettext_lazy("Move to"), choices=[(s.value, s.label) for s in AssetStatus if s in services.MANUAL_MOVES]
    )
    effective_on = date_field(gettext_lazy("Effective on"))
    note = forms.CharField(
        label=gettext_lazy("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=gettext_lazy("Required when releasing or writing off."),
    )

    def __init__(self, *args: Any, asset: Asset, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("effective_on", guards.today())
        super().__init__(*args, **kwargs)
        self.asset = asset
        allowed = [AssetStatus(s).label.lower() for s in services.ALLOWED_MOVES[asset.status]]
        self.fields["to_status"].help_text = _(
            "From %(status)s the asset can move to: %(allowed)s. "
            "Preservation, forfeiture and sale are recorded with their order or realisation."
        ) % {"status": asset.get_status_display().lower(), "allowed": ", ".join(allowed) or _("nothing")}

    def save(self, user: User) -> AssetStatusChange:
        data = self.cleaned_data
        if data["to_status"] == AssetStatus.RELEASED:
            return services.release_to_owner(self.asset, user, released_on=data["effective_on"], note=data["note"])
        if data["to_status"] == AssetStatus.LAPSED:
            return services.record_lapse(self.asset, user, lapsed_on=data["effective_on"], note=data["note"])
        return services.move_asset(
            self.asset, user, data["to_status"], effective_on=data["effective_on"], note=data["note"]
        )


class ReleaseForm(MoneyFormMixin):
    date_fields = ("released_on",)

    released_on = date_field(gettext_lazy("Released on"))
    note = forms.CharField(
        label=gettext_lazy("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Why: order rescinded, acquittal, lapse, release order …"),
    )

    def __init__(self, *args: Any, asset: Asset, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("released_on", guards.today())
        super().__init__(*args, **kwargs)
        self.asset = asset

    def save(self, user: User) -> AssetStatusChange:
        data = self.cleaned_data
        return services.release_to_owner(self.asset, user, released_on=data["released_on"], note=data["note"])


class RealisationForm(MoneyFormMixin):
    amount_fields = ("gross_proceeds",)
    date_fields = ("realised_on",)

    realised_on = date_field(gettext_lazy("Date of sale or conversion"))
    method = forms.ChoiceField(label=gettext_lazy("Method"), choices=RealisationMethod.choices)
    gross_proceeds = money_field(gettext_lazy("Gross proceeds"))
    costs = money_field(
        gettext_lazy("Costs"), initial=Decimal("0"), help_text=gettext_lazy("Auction, storage, transport …")
    )
    currency = forms.ChoiceField(label=gettext_lazy("Currency"), choices=Currency.choices, initial=Currency.KES)
    exchange_rate = rate_field()
    buyer = forms.CharField(label=gettext_lazy("Buyer"), max_length=150, required=False)
    notes = forms.CharField(label=gettext_lazy("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, asset: Asset, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("currency", asset.currency)
        super().__init__(*args, **kwargs)
        self.asset = asset

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        gross, costs = cleaned.get("gross_proceeds"), cleaned.get("costs")
        if costs is not None and costs < 0:
            self.add_error("costs", _("Costs cannot be negative (enter 0 if there were none)."))
        elif gross is not None and costs is not None and costs > gross:
            self.add_error("costs", _("Costs cannot be larger than the gross proceeds."))
        if self.asset.status != AssetStatus.FORFEITED:
            raise forms.ValidationError(
                _("Only a forfeited asset can be sold or converted; this one is %(status)s.")
                % {"status": self.asset.get_status_display().lower()}
            )
        return cleaned

    def save(self, user: User) -> Realisation:
        data = self.cleaned_data
        return services.record_realisation(
            self.asset,
            user,
            realised_on=data["realised_on"],
            method=data["method"],
            gross_proceeds=data["gross_proceeds"],
            costs=data["costs"],
            currency=data["currency"],
            exchange_rate=data["exchange_rate"],
            buyer=data["buyer"],
            notes=data["notes"],
        )
