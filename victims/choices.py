"""Choices of the victims register (the National Referral Mechanism)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdentifyingAgency(models.TextChoices):
    POLICE = "police", _("Police / DCI")
    CHILDREN_SERVICES = "children_services", _("Directorate of Children's Services")
    LABOUR = "labour", _("Labour officer")
    IMMIGRATION = "immigration", _("Immigration")
    NGO = "ngo", _("NGO")
    EMBASSY = "embassy", _("Embassy")
    IOM = "iom", _("IOM")
    SELF_REFERRAL = "self_referral", _("Self-referral")
    OTHER = "other", _("Other")


class AgeBand(models.TextChoices):
    """Age at identification, when only a band is known (the TIP report's child / adult split follows it)."""

    UNDER_12 = "0-11", _("0–11 (child)")
    TEEN = "12-17", _("12–17 (child)")
    YOUNG_ADULT = "18-24", "18–24"
    ADULT = "25-39", "25–39"
    OLDER_ADULT = "40+", _("40 and over")


CHILD_BANDS = frozenset({AgeBand.UNDER_12, AgeBand.TEEN})


class CaseRole(models.TextChoices):
    """How a victim stands in a case."""

    COMPLAINANT = "complainant", _("Complainant")
    VICTIM_WITNESS = "victim_witness", _("Victim witness")
    NAMED_IN_COUNT = "named_in_count", _("Named in a count")


class ServiceKind(models.TextChoices):
    """Kinds of assistance under CTIP s.15 a provider offers and a referral asks for."""

    SHELTER = "shelter", _("Shelter")
    MEDICAL = "medical", _("Medical")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")
    LEGAL_AID = "legal_aid", _("Legal aid")
    REPATRIATION = "repatriation", _("Repatriation")
    REINTEGRATION = "reintegration", _("Reintegration")
    EDUCATION = "education", _("Education")


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    ACCEPTED = "accepted", _("Accepted")
    IN_SERVICE = "in_service", _("In service")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_REFERRALS = frozenset({ReferralStatus.REFERRED, ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE})
