"""Choices of the victims register (the National Referral Mechanism)."""

from __future__ import annotations

from django.db import models


class IdentifyingAgency(models.TextChoices):
    POLICE = "police", "Police / DCI"
    CHILDREN_SERVICES = "children_services", "Directorate of Children's Services"
    LABOUR = "labour", "Labour officer"
    IMMIGRATION = "immigration", "Immigration"
    NGO = "ngo", "NGO"
    EMBASSY = "embassy", "Embassy"
    IOM = "iom", "IOM"
    SELF_REFERRAL = "self_referral", "Self-referral"
    OTHER = "other", "Other"


class AgeBand(models.TextChoices):
    """Age at identification, when only a band is known (the TIP report's child / adult split follows it)."""

    UNDER_12 = "0-11", "0–11 (child)"
    TEEN = "12-17", "12–17 (child)"
    YOUNG_ADULT = "18-24", "18–24"
    ADULT = "25-39", "25–39"
    OLDER_ADULT = "40+", "40 and over"


CHILD_BANDS = frozenset({AgeBand.UNDER_12, AgeBand.TEEN})


class CaseRole(models.TextChoices):
    """How a victim stands in a case."""

    COMPLAINANT = "complainant", "Complainant"
    VICTIM_WITNESS = "victim_witness", "Victim witness"
    NAMED_IN_COUNT = "named_in_count", "Named in a count"


class ServiceKind(models.TextChoices):
    """Kinds of assistance under CTIP s.15 a provider offers and a referral asks for."""

    SHELTER = "shelter", "Shelter"
    MEDICAL = "medical", "Medical"
    PSYCHOSOCIAL = "psychosocial", "Psychosocial"
    LEGAL_AID = "legal_aid", "Legal aid"
    REPATRIATION = "repatriation", "Repatriation"
    REINTEGRATION = "reintegration", "Reintegration"
    EDUCATION = "education", "Education"


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", "Referred"
    ACCEPTED = "accepted", "Accepted"
    IN_SERVICE = "in_service", "In service"
    COMPLETED = "completed", "Completed"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_REFERRALS = frozenset({ReferralStatus.REFERRED, ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE})
