"""Assets seized from traffickers, the court orders over them, their valuations and their sale."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from assets.choices import (
    AssetIdentifierKind,
    AssetStatus,
    AssetType,
    Currency,
    Destination,
    LegalBasis,
    OrderType,
    RealisationMethod,
    SeizingAgency,
)
from core.models import MoneyField, TrackedModel
from core.querysets import ScopedManager
from prosecutions.models import Accused, Case, Court, Person


class RateField(models.DecimalField):
    """An exchange rate to KES: KES per one unit of the foreign currency, six decimal places."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 6)
        super().__init__(*args, **kwargs)


class Asset(TrackedModel):
    """A thing seized in a trafficking case — cash, a bank balance, a vehicle, land — followed from
    seizure through preservation and forfeiture to its sale and the transfer of the proceeds."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assets", verbose_name=_("case"))
    owner = models.ForeignKey(
        Accused,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assets",
        help_text=_("If known."),
        verbose_name=_("owner"),
    )
    holder_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assets_held",
        verbose_name=_("held by (person)"),
        help_text=_("The person of the index who owns or holds it, if known."),
    )
    holder_company = models.CharField(
        _("held by (company)"), max_length=150, blank=True, help_text=_("A company that owns or holds it, if known.")
    )
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    asset_type = models.CharField(_("type"), max_length=20, choices=AssetType.choices, db_index=True)
    description = models.CharField(_("description"), max_length=255)
    identifier = models.CharField(
        _("identifier"),
        max_length=100,
        blank=True,
        help_text=_("Registration, title or account number."),
        db_index=True,
    )
    custodian = models.CharField(_("custodian"), max_length=150, blank=True, help_text=_("Who holds the asset."))
    location = models.CharField(_("location"), max_length=150, blank=True)
    seized_on = models.DateField(_("seized on"), db_index=True)
    seizing_agency = models.CharField(_("seizing agency"), max_length=20, choices=SeizingAgency.choices)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.KES)
    estimated_value = MoneyField(_("estimated value"), help_text=_("In the asset's currency."))
    exchange_rate = RateField(
        _("exchange rate"), null=True, blank=True, help_text=_("KES per unit of the currency (blank for KES).")
    )
    estimated_value_kes = MoneyField(_("estimated value (KES)"), db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AssetStatus.choices, default=AssetStatus.SEIZED, db_index=True
    )
    destination = models.CharField(
        _("destination"),
        max_length=20,
        choices=Destination.choices,
        blank=True,
        db_index=True,
        help_text=_("Where the proceeds go, as the latest order with a destination says."),
    )
    transfer_reference = models.CharField(
        _("transfer reference"),
        max_length=60,
        blank=True,
        help_text=_("The receiving fund's receipt reference, once transferred."),
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["-seized_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(estimated_value__gt=0), name="assets_asset_value_positive"),
            models.CheckConstraint(condition=Q(estimated_value_kes__gt=0), name="assets_asset_value_kes_positive"),
            models.CheckConstraint(
                condition=Q(exchange_rate__isnull=True) | Q(exchange_rate__gt=0), name="assets_asset_rate_positive"
            ),
            models.CheckConstraint(
                condition=Q(currency=Currency.KES) | Q(exchange_rate__isnull=False),
                name="assets_asset_foreign_currency_has_rate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.description}"

    def get_absolute_url(self) -> str:
        return reverse("assets:asset_detail", args=[self.pk])


class AssetIdentifier(TrackedModel):
    """A number that names an asset and can recur across cases — a vehicle registration, a bank account,
    an M-Pesa / phone number, a land parcel — stored normalised so that equal ones match
    (``assets.services.identifiers``). The asset's own ``identifier`` text stays as it was written."""

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="identifiers", verbose_name=_("asset"))
    kind = models.CharField(_("kind"), max_length=20, choices=AssetIdentifierKind.choices)
    value = models.CharField(_("value"), max_length=40, help_text=_("Normalised."))

    objects = ScopedManager()

    class Meta:
        verbose_name = _("asset identifier")
        verbose_name_plural = _("asset identifiers")
        ordering = ["kind", "value"]
        indexes = [models.Index(fields=["kind", "value"], name="assets_identifier_kind_value")]
        constraints = [
            models.UniqueConstraint(fields=["asset", "kind", "value"], name="assets_identifier_once_per_asset"),
            models.CheckConstraint(condition=~Q(value=""), name="assets_identifier_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class Valuation(TrackedModel):
    """A dated valuation of an asset by a named valuer; the latest one becomes the asset's estimate."""

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="valuations", verbose_name=_("asset"))
    valued_on = models.DateField(_("valued on"))
    amount = MoneyField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.KES)
    exchange_rate = RateField(_("exchange rate"), null=True, blank=True)
    amount_kes = MoneyField(_("amount (KES)"))
    valuer = models.CharField(_("valuer"), max_length=150)
    notes = models.TextField(_("notes"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("valuation")
        verbose_name_plural = _("valuations")
        ordering = ["-valued_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="assets_valuation_amount_positive"),
            models.CheckConstraint(condition=Q(amount_kes__gt=0), name="assets_valuation_amount_kes_positive"),
            models.CheckConstraint(
                condition=Q(currency=Currency.KES) | Q(exchange_rate__gt=0),
                name="assets_valuation_foreign_currency_has_rate",
            ),
        ]

    def __str__(self) -> str:
        return _("Valuation of %(date)s: %(currency)s %(amount)s by %(valuer)s") % {
            "date": date_format(self.valued_on, "d M Y"),
            "currency": self.currency,
            "amount": f"{self.amount:,.2f}",
            "valuer": self.valuer,
        }


class CourtOrder(TrackedModel):
    """An order of a court over an asset: preservation (which expires), forfeiture, confiscation,
    restraint, release or variation."""

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="orders", verbose_name=_("asset"))
    order_type = models.CharField(_("type"), max_length=20, choices=OrderType.choices, db_index=True)
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    court = models.ForeignKey(
        Court, on_delete=models.PROTECT, null=True, blank=True, related_name="asset_orders", verbose_name=_("court")
    )
    court_name = models.CharField(
        _("court name"), max_length=150, blank=True, help_text=_("When the court is not in the list.")
    )
    order_number = models.CharField(
        _("order number"), max_length=80, help_text=_('e.g. "HCACEC Misc. Application E012 of 2026".')
    )
    granted_on = models.DateField(_("granted on"))
    gazetted_on = models.DateField(_("gazetted on"), null=True, blank=True)
    gazette_notice = models.CharField(
        _("gazette notice"), max_length=40, blank=True, help_text=_('e.g. "Gazette Notice No. 1234".')
    )
    expires_on = models.DateField(_("expires on"), null=True, blank=True, db_index=True)
    destination = models.CharField(_("destination"), max_length=20, choices=Destination.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("court order")
        verbose_name_plural = _("court orders")
        ordering = ["-granted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("granted_on")),
                name="assets_order_expires_after_grant",
            ),
            models.CheckConstraint(
                condition=Q(gazetted_on__isnull=True) | Q(gazetted_on__gte=F("granted_on")),
                name="assets_order_gazetted_not_before_grant",
            ),
            models.CheckConstraint(
                condition=~Q(order_type=OrderType.PRESERVATION) | Q(expires_on__isnull=False),
                name="assets_order_preservation_expires",
            ),
            models.CheckConstraint(condition=Q(court__isnull=False) | ~Q(court_name=""), name="assets_order_has_court"),
        ]
        indexes = [
            # The deadlines query picks each asset's latest preservation order.
            models.Index(fields=["asset", "order_type", "expires_on"], name="assets_order_latest_by_type"),
        ]

    def __str__(self) -> str:
        return f"{self.get_order_type_display()} {self.order_number}"

    def get_absolute_url(self) -> str:
        return reverse("assets:asset_detail", args=[self.asset_id]) + "?tab=orders"

    @property
    def court_label(self) -> str:
        return str(self.court) if self.court_id else self.court_name

    def days_to_expiry(self, today: dt.date) -> int | None:
        """Days left before a preservation order expires (negative once it has)."""
        return (self.expires_on - today).days if self.expires_on else None


class Realisation(TrackedModel):
    """The sale or conversion of a forfeited asset: what it fetched, what it cost, what is left in KES."""

    asset = models.OneToOneField(Asset, on_delete=models.PROTECT, related_name="realisation", verbose_name=_("asset"))
    realised_on = models.DateField(_("realised on"), db_index=True)
    method = models.CharField(_("method"), max_length=20, choices=RealisationMethod.choices)
    gross_proceeds = MoneyField(_("gross proceeds"))
    costs = MoneyField(_("costs"), default=Decimal("0"), help_text=_("Auction, storage, transport and other costs."))
    net_proceeds = MoneyField(_("net proceeds"))
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.KES)
    exchange_rate = RateField(_("exchange rate"), null=True, blank=True)
    net_proceeds_kes = MoneyField(_("net proceeds (KES)"))
    destination = models.CharField(
        _("destination"), max_length=20, choices=Destination.choices, blank=True, db_index=True
    )
    buyer = models.CharField(_("buyer"), max_length=150, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("realisation")
        verbose_name_plural = _("realisations")
        ordering = ["-realised_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(gross_proceeds__gt=0), name="assets_realisation_gross_positive"),
            models.CheckConstraint(condition=Q(costs__gte=0), name="assets_realisation_costs_not_negative"),
            models.CheckConstraint(
                condition=Q(costs__lte=F("gross_proceeds")), name="assets_realisation_costs_within_gross"
            ),
            # Within half a cent rather than equal: SQLite compares decimals as floating point, where
            # gross − costs can miss the stored net by a rounding error.
            models.CheckConstraint(
                condition=Q(net_proceeds__gte=F("gross_proceeds") - F("costs") - Decimal("0.005"))
                & Q(net_proceeds__lte=F("gross_proceeds") - F("costs") + Decimal("0.005")),
                name="assets_realisation_net_is_gross_less_costs",
            ),
            models.CheckConstraint(
                condition=Q(net_proceeds_kes__gte=0), name="assets_realisation_net_kes_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(currency=Currency.KES) | Q(exchange_rate__gt=0),
                name="assets_realisation_foreign_currency_has_rate",
            ),
        ]

    def __str__(self) -> str:
        return _("%(method)s on %(date)s: net %(currency)s %(amount)s") % {
            "method": self.get_method_display(),
            "date": date_format(self.realised_on, "d M Y"),
            "currency": self.currency,
            "amount": f"{self.net_proceeds:,.2f}",
        }


class AssetStatusChange(TrackedModel):
    """One move of an asset from one status to another: the asset timeline is read from these rows."""

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="status_changes", verbose_name=_("asset"))
    from_status = models.CharField(_("from status"), max_length=20, choices=AssetStatus.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, choices=AssetStatus.choices)
    effective_on = models.DateField(_("effective on"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Blank when recorded by the system (e.g. the nightly deadline run)."),
        verbose_name=_("changed by"),
    )
    order = models.ForeignKey(
        CourtOrder, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("order")
    )
    note = models.TextField(_("note"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("asset status change")
        verbose_name_plural = _("asset status changes")
        ordering = ["effective_on", "id"]

    def __str__(self) -> str:
        return _("%(origin)s → %(status)s on %(date)s") % {
            "origin": self.get_from_status_display() or _("new"),
            "status": self.get_to_status_display(),
            "date": date_format(self.effective_on, "d M Y"),
        }
