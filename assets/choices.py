"""Choices of the assets app: what was seized, the orders made over it, and where its proceeds go."""

from __future__ import annotations

from django.db import models


class AssetType(models.TextChoices):
    CASH = "cash", "Cash"
    BANK_ACCOUNT = "bank_account", "Bank account balance"
    MOTOR_VEHICLE = "motor_vehicle", "Motor vehicle"
    LAND = "land", "Land / real property"
    BUSINESS = "business", "Business"
    ELECTRONICS = "electronics", "Electronics"
    JEWELLERY = "jewellery", "Jewellery"
    CRYPTO = "crypto", "Crypto-asset"
    OTHER = "other", "Other"


class AssetStatus(models.TextChoices):
    """Where an asset stands. The allowed moves are ``assets.services.ALLOWED_MOVES``."""

    SEIZED = "seized", "Seized"
    PRESERVED = "preserved", "Preserved"
    FORFEITURE_APPLIED = "forfeiture_applied", "Forfeiture applied for"
    FORFEITED = "forfeited", "Forfeited"
    REALISED = "realised", "Realised (sold or converted)"
    TRANSFERRED = "transferred", "Proceeds transferred"
    RELEASED = "released", "Released to owner"
    LAPSED = "lapsed", "Lapsed (preservation expired)"
    WRITTEN_OFF = "written_off", "Written off"


# Statuses in which the state holds the asset by a forfeiture order (for "value forfeited" totals).
FORFEITED_STATUSES = frozenset({AssetStatus.FORFEITED, AssetStatus.REALISED, AssetStatus.TRANSFERRED})
# Final statuses: nothing more happens to the asset.
FINAL_STATUSES = frozenset({AssetStatus.TRANSFERRED, AssetStatus.RELEASED, AssetStatus.WRITTEN_OFF})


class SeizingAgency(models.TextChoices):
    DCI = "dci", "Directorate of Criminal Investigations (AHTCPU / TOCU)"
    NPS = "nps", "National Police Service"
    ARA = "ara", "Assets Recovery Agency"
    KRA = "kra", "Kenya Revenue Authority (Customs)"
    EACC = "eacc", "Ethics and Anti-Corruption Commission"
    IMMIGRATION = "immigration", "Department of Immigration"
    OTHER = "other", "Other"


class Currency(models.TextChoices):
    """ISO 4217 codes. Amounts in anything but KES carry an exchange rate to KES."""

    KES = "KES", "KES — Kenyan shilling"
    USD = "USD", "USD — US dollar"
    EUR = "EUR", "EUR — Euro"
    GBP = "GBP", "GBP — Pound sterling"
    AED = "AED", "AED — UAE dirham"
    UGX = "UGX", "UGX — Ugandan shilling"
    TZS = "TZS", "TZS — Tanzanian shilling"
    CNY = "CNY", "CNY — Chinese yuan"


class OrderType(models.TextChoices):
    PRESERVATION = "preservation", "Preservation order"
    FORFEITURE = "forfeiture", "Forfeiture order"
    CONFISCATION = "confiscation", "Confiscation order"
    RESTRAINT = "restraint", "Restraint order"
    RELEASE = "release", "Release order"
    VARIATION = "variation", "Variation or rescission"


# Orders under which the state takes the asset.
FORFEITING_ORDERS = frozenset({OrderType.FORFEITURE, OrderType.CONFISCATION})


class LegalBasis(models.TextChoices):
    POCAMLA_S82 = "pocamla_s82", "POCAMLA s.82 — preservation order"
    POCAMLA_S89 = "pocamla_s89", "POCAMLA s.89 — variation or rescission"
    POCAMLA_S90_92 = "pocamla_s90_92", "POCAMLA s.90/92 — civil forfeiture"
    POCAMLA_S61 = "pocamla_s61", "POCAMLA Part VII — criminal confiscation"
    CTIP_S17 = "ctip_s17", "CTIP Act s.17 — confiscation and forfeiture to the Fund"
    CPC_S121 = "cpc_s121", "CPC s.121 — property held until the case ends"
    CPC_S177 = "cpc_s177", "CPC s.177 — property taken on arrest"
    OTHER = "other", "Other"


class Destination(models.TextChoices):
    """Where the proceeds of a forfeited asset go (DOMAIN §2: CTIP s.17 → the Fund, POCAMLA → CARF)."""

    TRUST_FUND = "trust_fund", "Victims' Trust Fund (CTIP s.17)"
    CARF = "carf", "Criminal Assets Recovery Fund"
    CONSOLIDATED_FUND = "consolidated_fund", "Consolidated Fund"
    RETURNED_TO_OWNER = "returned_to_owner", "Returned to owner"
    COMPENSATION = "compensation", "Applied to compensation"


class RealisationMethod(models.TextChoices):
    AUCTION = "auction", "Public auction"
    TENDER = "tender", "Tender"
    PRIVATE_TREATY = "private_treaty", "Private treaty"
    CASH_AS_IS = "cash_as_is", "Cash forfeited as is"
    BANK_TRANSFER = "bank_transfer", "Bank transfer"


class RecoveryStage(models.TextChoices):
    """The steps of the asset recovery report, from seizure to the fund (``assets.reports``)."""

    SEIZED = "seized", "Seized"
    PRESERVED = "preserved", "Preserved"
    FORFEITED = "forfeited", "Forfeited"
    REALISED = "realised", "Realised (net)"
    RECEIVED = "received", "Received by the fund"


class PreservationExpiryFrom(models.TextChoices):
    """What a preservation order's days are counted from (setting ``PRESERVATION_EXPIRY_FROM``)."""

    GAZETTE = "gazette", "The gazettement date where known, else the grant date"
    GRANT = "grant", "Always the grant date"


class AssetIdentifierKind(models.TextChoices):
    """Identifiers that recur across cases: the same lorry, account or M-Pesa line in several files."""

    VEHICLE_REGISTRATION = "vehicle_registration", "Vehicle registration"
    BANK_ACCOUNT = "bank_account", "Bank account number"
    PHONE = "phone", "M-Pesa / phone number"
    LAND_PARCEL = "land_parcel", "Land parcel number"
