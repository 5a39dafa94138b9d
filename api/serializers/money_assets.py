"""Assets as the API shows them — with valuations, court orders, the sale and the status moves — and what a
system sends to record a court order or a realisation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.money_common import label, money, optional_choice, rate
from assets.choices import AssetStatus, Currency, Destination, LegalBasis, OrderType, RealisationMethod
from assets.models import Asset, AssetStatusChange, CourtOrder, Realisation, Valuation
from prosecutions.models import Court


class ValuationSerializer(serializers.ModelSerializer[Valuation]):
    amount = money()
    exchange_rate = rate()
    amount_kes = money()
    currency_label = label("currency")

    class Meta:
        model = Valuation
        fields = ["id", "valued_on", "amount", "currency", "currency_label", "exchange_rate", "amount_kes", "valuer"]
        read_only_fields = fields


class CourtOrderSerializer(serializers.ModelSerializer[CourtOrder]):
    order_type_label = label("order_type")
    legal_basis_label = label("legal_basis")
    destination = optional_choice(Destination.choices)
    destination_label = label("destination")
    court_name = serializers.CharField(source="court_label", read_only=True)
    days_to_expiry = serializers.SerializerMethodField(
        help_text=_("Days left before the order expires (negative once it has); null when it does not expire.")
    )

    class Meta:
        model = CourtOrder
        fields = [
            "id",
            "asset",
            "order_type",
            "order_type_label",
            "legal_basis",
            "legal_basis_label",
            "court",
            "court_name",
            "order_number",
            "granted_on",
            "gazetted_on",
            "gazette_notice",
            "expires_on",
            "days_to_expiry",
            "destination",
            "destination_label",
        ]
        read_only_fields = fields

    def get_days_to_expiry(self, order: CourtOrder) -> int | None:
        return order.days_to_expiry(timezone.localdate())


class RealisationSerializer(serializers.ModelSerializer[Realisation]):
    method_label = label("method")
    currency_label = label("currency")
    destination = optional_choice(Destination.choices)
    destination_label = label("destination")
    gross_proceeds = money()
    costs = money()
    net_proceeds = money()
    exchange_rate = rate()
    net_proceeds_kes = money()

    class Meta:
        model = Realisation
        fields = [
            "id",
            "asset",
            "realised_on",
            "method",
            "method_label",
            "gross_proceeds",
            "costs",
            "net_proceeds",
            "currency",
            "currency_label",
            "exchange_rate",
            "net_proceeds_kes",
            "destination",
            "destination_label",
            "buyer",
        ]
        read_only_fields = fields


class StatusChangeSerializer(serializers.ModelSerializer[AssetStatusChange]):
    from_status = optional_choice(AssetStatus.choices)
    from_status_label = label("from_status")
    to_status_label = label("to_status")

    class Meta:
        model = AssetStatusChange
        fields = ["id", "from_status", "from_status_label", "to_status", "to_status_label", "effective_on", "order"]
        read_only_fields = fields


class AssetSerializer(serializers.ModelSerializer[Asset]):
    """An asset as the register lists it."""

    case_reference = serializers.CharField(source="case.reference", read_only=True)
    county = serializers.CharField(source="case.county.name", read_only=True, allow_null=True, default=None)
    owner_name = serializers.SerializerMethodField(help_text=_("The accused who owns it, if known."))
    asset_type_label = label("asset_type")
    seizing_agency_label = label("seizing_agency")
    currency_label = label("currency")
    status_label = label("status")
    destination = optional_choice(Destination.choices)
    destination_label = label("destination")
    estimated_value = money()
    exchange_rate = rate()
    estimated_value_kes = money()
    preservation_expires_on = serializers.DateField(
        read_only=True, allow_null=True, help_text=_("When the asset's current preservation order expires.")
    )

    class Meta:
        model = Asset
        fields = [
            "id",
            "reference",
            "case",
            "case_reference",
            "county",
            "asset_type",
            "asset_type_label",
            "description",
            "identifier",
            "owner",
            "owner_name",
            "custodian",
            "location",
            "seized_on",
            "seizing_agency",
            "seizing_agency_label",
            "currency",
            "currency_label",
            "estimated_value",
            "exchange_rate",
            "estimated_value_kes",
            "status",
            "status_label",
            "destination",
            "destination_label",
            "preservation_expires_on",
            "transfer_reference",
        ]
        read_only_fields = fields

    def get_owner_name(self, asset: Asset) -> str:
        return asset.owner.name if asset.owner_id and asset.owner else ""


class AssetDetailSerializer(AssetSerializer):
    """One asset with its valuations, court orders, sale and status moves."""

    valuations = ValuationSerializer(many=True, read_only=True)
    orders = CourtOrderSerializer(many=True, read_only=True)
    realisation = serializers.SerializerMethodField()
    status_changes = StatusChangeSerializer(many=True, read_only=True)

    class Meta(AssetSerializer.Meta):
        fields = [*AssetSerializer.Meta.fields, "valuations", "orders", "realisation", "status_changes"]
        read_only_fields = fields

    @extend_schema_field(RealisationSerializer(allow_null=True))
    def get_realisation(self, asset: Asset) -> dict[str, Any] | None:
        try:
            sale = asset.realisation
        except Realisation.DoesNotExist:
            return None
        return dict(RealisationSerializer(sale, context=self.context).data)


class DeadlineSerializer(serializers.ModelSerializer[CourtOrder]):
    """A preservation order about to expire (or expired) on an asset still only preserved."""

    asset_reference = serializers.CharField(source="asset.reference", read_only=True)
    asset_description = serializers.CharField(source="asset.description", read_only=True)
    case = serializers.IntegerField(source="asset.case_id", read_only=True)
    case_reference = serializers.CharField(source="asset.case.reference", read_only=True)
    lead_prosecutor = serializers.SerializerMethodField()
    court_name = serializers.CharField(source="court_label", read_only=True)
    days_left = serializers.SerializerMethodField(help_text=_("Negative once the order has expired."))
    estimated_value_kes = money(source="asset.estimated_value_kes")

    class Meta:
        model = CourtOrder
        fields = [
            "id",
            "asset",
            "asset_reference",
            "asset_description",
            "case",
            "case_reference",
            "lead_prosecutor",
            "order_number",
            "court_name",
            "granted_on",
            "gazetted_on",
            "expires_on",
            "days_left",
            "estimated_value_kes",
        ]
        read_only_fields = fields

    def get_lead_prosecutor(self, order: CourtOrder) -> str:
        lead = order.asset.case.lead_prosecutor
        return str(lead) if lead is not None else ""

    def get_days_left(self, order: CourtOrder) -> int | None:
        return order.days_to_expiry(timezone.localdate())


class AssetStateSerializer(serializers.Serializer[Asset]):
    """Where the asset stands after the write."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    destination = serializers.CharField()
    destination_label = serializers.CharField(source="get_destination_display")


class CourtOrderRecordedSerializer(serializers.Serializer[object]):
    order = CourtOrderSerializer()
    asset = AssetStateSerializer()


class RealisationRecordedSerializer(serializers.Serializer[object]):
    realisation = RealisationSerializer()
    asset = AssetStateSerializer()


# --------------------------------------------------------------------------------------------------
# What a system sends


def _blank_choices(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class CourtOrderInputSerializer(serializers.Serializer[dict[str, Any]]):
    """A court order over the asset. A preservation order's expiry is computed from its gazette (or grant)
    date, never sent; a forfeiture or confiscation order needs ``destination``."""

    order_type = serializers.ChoiceField(choices=OrderType.choices)
    legal_basis = serializers.ChoiceField(choices=LegalBasis.choices)
    court = serializers.PrimaryKeyRelatedField(
        queryset=Court.objects.filter(is_active=True), required=False, allow_null=True, default=None
    )
    court_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    order_number = serializers.CharField(max_length=80)
    granted_on = serializers.DateField()
    gazetted_on = serializers.DateField(required=False, allow_null=True, default=None)
    gazette_notice = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    expires_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Not for preservation orders: their expiry is computed from the gazette or grant date."),
    )
    destination = serializers.ChoiceField(
        choices=_blank_choices(Destination.choices), required=False, allow_blank=True, default=""
    )
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["order_type"] == OrderType.PRESERVATION:
            attrs["expires_on"] = None
        return attrs


class RealisationInputSerializer(serializers.Serializer[dict[str, Any]]):
    """The sale or conversion of a forfeited asset: net = gross − costs, in KES through the rate."""

    realised_on = serializers.DateField()
    method = serializers.ChoiceField(choices=RealisationMethod.choices)
    gross_proceeds = serializers.DecimalField(max_digits=18, decimal_places=2)
    costs = serializers.DecimalField(max_digits=18, decimal_places=2, required=False, default=Decimal("0"))
    currency = serializers.ChoiceField(choices=Currency.choices, required=False, default=Currency.KES)
    exchange_rate = serializers.DecimalField(
        max_digits=18,
        decimal_places=6,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("KES per 1 unit of the currency; leave out for KES."),
    )
    buyer = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
