"""Choices of the assets app: what was seized, the orders made over it, and where its proceeds go."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssetType(models.TextChoices):
    CASH = "cash", _("Cash")
    BANK_ACCOUNT = "bank_account", _("Bank account balance")
    MOTOR_VEHICLE = "motor_vehicle", _("Motor vehicle")
    LAND = "land", _("Land / real property")
    BUSINESS = "business", _("Business")
    ELECTRONICS = "electronics", _("Electronics")
    JEWELLERY = "jewellery", _("Jewellery")
    CRYPTO = "crypto", _("Crypto-asset")
    OTHER = "other", _("Other")


class AssetStatus(models.TextChoices):
    """Where an asset stands. The allowed moves are ``assets.services.ALLOWED_MOVES``."""

    SEIZED = "seized", _("Seized")
    PRESERVED = "preserved", _("Preserved")
    FORFEITURE_APPLIED = "forfeiture_applied", _("Forfeiture applied for")
    FORFEITED = "forfeited", _("Forfeited")
    REALISED = "realised", _("Realised (sold or converted)")
    TRANSFERRED = "transferred", _("Proceeds transferred")
    RELEASED = "released", _("Released to owner")
    LAPSED = "lapsed", _("Lapsed (preservation expired)")
    WRITTEN_OFF = "written_off", _("Written off")


# Statuses in which the state holds the asset by a forfeiture order (for "value forfeited" totals).
FORFEITED_STATUSES = frozenset({AssetStatus.FORFEITED, AssetStatus.REALISED, AssetStatus.TRANSFERRED})
# Final statuses: nothing more happens to the asset.
FINAL_STATUSES = frozenset({AssetStatus.TRANSFERRED, AssetStatus.RELEASED, AssetStatus.WRITTEN_OFF})


class SeizingAgency(models.TextChoices):
    DCI = "dci", _("Directorate of Criminal Investigations (AHTCPU / TOCU)")
    NPS = "nps", _("National Police Service")
    ARA = "ara", _("Assets Recovery Agency")
    KRA = "kra", _("Kenya Revenue Authority (Customs)")
    EACC = "eacc", _("Ethics and Anti-Corruption Commission")
    IMMIGRATION = "immigration", _("Department of Immigration")
    OTHER = "other", _("Other")


class Currency(models.TextChoices):
    """ISO 4217 codes. Amounts in anything but KES carry an exchange rate to KES."""

    KES = "KES", _("KES — Kenyan shilling")
    USD = "USD", _("USD — US dollar")
    EUR = "EUR", _("EUR — Euro")
    GBP = "GBP", _("GBP — Pound sterling")
    AED = "AED", _("AED — UAE dirham")
    UGX = "UGX", _("UGX — Ugandan shilling")
    TZS = "TZS", _("TZS — Tanzanian shilling")
    CNY = "CNY", _("CNY — Chinese yuan")


class OrderType(models.TextChoices):
    PRESERVATION = "preservation", _("Preservation order")
    FORFEITURE = "forfeiture", _("Forfeiture order")
    CONFISCATION = "confiscation", _("Confiscation order")
    RESTRAINT = "restraint", _("Restraint order")
    RELEASE = "release", _("Release order")
    VARIATION = "variation", _("Variation or rescission")


# Orders under which the state takes the asset.
FORFEITING_ORDERS = frozenset({OrderType.FORFEITURE, OrderType.CONFISCATION})


class LegalBasis(models.TextChoices):
    POCAMLA_S82 = "pocamla_s82", _("POCAMLA s.82 — preservation order")
    POCAMLA_S89 = "pocamla_s89", _("POCAMLA s.89 — variation or rescission")
    POCAMLA_S90_92 = "pocamla_s90_92", _("POCAMLA s.90/92 — civil forfeiture")
    POCAMLA_S61 = "pocamla_s61", _("POCAMLA Part VII — criminal confiscation")
    CTIP_S17 = "ctip_s17", _("CTIP Act s.17 — confiscation and forfeiture to the Fund")
    CPC_S121 = "cpc_s121", _("CPC s.121 — property held until the case ends")
    CPC_S177 = "cpc_s177", _("CPC s.177 — property taken on arrest")
    OTHER = "other", _("Other")


class Destination(models.TextChoices):
    """Where the proceeds of a forfeited asset go (DOMAIN §2: CTIP s.17 → the Fund, POCAMLA → CARF)."""

    TRUST_FUND = "trust_fund", _("Victims' Trust Fund (CTIP s.17)")
    CARF = "carf", _("Criminal Assets Recovery Fund")
    CONSOLIDATED_FUND = "consolidated_fund", _("Consolidated Fund")
    RETURNED_TO_OWNER = "returned_to_owner", _("Returned to owner")
    COMPENSATION = "compensation", _("Applied to compensation")


class RealisationMethod(models.TextChoices):
    AUCTION = "auction", _("Public auction")
    TENDER = "tender", _("Tender")
    PRIVATE_TREATY = "private_treaty", _("Private treaty")
    CASH_AS_IS = "cash_as_is", _("Cash forfeited as is")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")


class RecoveryStage(models.TextChoices):
    """The steps of the asset recovery report, from seizure to the fund (``assets.reports``)."""

    SEIZED = "seized", _("Seized")
    PRESERVED = "preserved", _("Preserved")
    FORFEITED = "forfeited", _("Forfeited")
    REALISED = "realised", _("Realised (net)")
    RECEIVED = "received", _("Received by the fund")


class PreservationExpiryFrom(models.TextChoices):
    """What a preservation order's days are counted from (setting ``PRESERVATION_EXPIRY_FROM``)."""

    GAZETTE = "gazette", _("The gazettement date where known, else the grant date")
    GRANT = "grant", _("Always the grant date")


class AssetIdentifierKind(models.TextChoices):
    """Identifiers that recur across cases: the same lorry, account or M-Pesa line in several files."""

    VEHICLE_REGISTRATION = "vehicle_registration", _("Vehicle registration")
    BANK_ACCOUNT = "bank_account", _("Bank account number")
    PHONE = "phone", _("M-Pesa / phone number")
    LAND_PARCEL = "land_parcel", _("Land parcel number")
