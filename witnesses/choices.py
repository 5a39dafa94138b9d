"""Choices of the witnesses app (Witness Protection Act, CAP. 79; DOMAIN.md §3)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WitnessRole(models.TextChoices):
    VICTIM_WITNESS = "victim_witness", _("Victim-witness")
    EYEWITNESS = "eyewitness", _("Eyewitness")
    POLICE_OFFICER = "police_officer", _("Police officer")
    EXPERT = "expert", _("Expert")
    ACCOMPLICE = "accomplice", _("Accomplice")


class ProtectionStatus(models.TextChoices):
    NONE = "none", pgettext_lazy("witness protection", "Not flagged")
    FLAGGED = "flagged", pgettext_lazy("witness protection", "Flagged")
    UNDER_ASSESSMENT = "under_assessment", pgettext_lazy("witness protection", "Under assessment")
    ADMITTED = "admitted", pgettext_lazy("witness protection", "Admitted")
    DECLINED = "declined", pgettext_lazy("witness protection", "Declined")
    SUSPENDED = "suspended", pgettext_lazy("witness protection", "Suspended")
    TERMINATED = "terminated", pgettext_lazy("witness protection", "Terminated")


AWAITING_ASSESSMENT = frozenset({ProtectionStatus.FLAGGED, ProtectionStatus.UNDER_ASSESSMENT})
PROTECTED_STATUSES = frozenset(
    {ProtectionStatus.FLAGGED, ProtectionStatus.UNDER_ASSESSMENT, ProtectionStatus.ADMITTED, ProtectionStatus.SUSPENDED}
)


class RiskLevel(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Not assessed")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class Applicant(models.TextChoices):
    """Who asked for protection (the written request may come from any of them)."""

    WITNESS = "witness", _("The witness")
    LAW_ENFORCEMENT = "law_enforcement", _("A law enforcement agency")
    PROSECUTOR = "prosecutor", _("A public prosecutor")
    LEGAL_REPRESENTATIVE = "legal_representative", _("A legal representative or intermediary")


class TerminationGround(models.TextChoices):
    VOLUNTARY = "voluntary", _("At the participant's written request (s.10(1))")
    BREACH = "breach", _("Deliberate breach of the MOU (s.10(2))")
    THREAT_TO_PROGRAMME = "threat_to_programme", _("Conduct threatening the programme (s.10(2))")
    NEED_CEASED = "need_ceased", _("The need for protection has ceased (s.10(2))")


class MeasureCategory(models.TextChoices):
    PROGRAMME = "programme", _("Programme measure (s.4(2))")
    COURT = "court", _("Court measure (s.4(3))")


class MeasureKind(models.TextChoices):
    ARMED_PROTECTION = "armed_protection", _("Armed protection")
    RELOCATION_KENYA = "relocation_kenya", _("Relocation within Kenya")
    RELOCATION_ABROAD = "relocation_abroad", _("Relocation abroad")
    CHANGE_OF_IDENTITY = "change_of_identity", _("Change of identity")
    IN_CAMERA = "in_camera", _("In camera")
    PSEUDONYM = "pseudonym", _("Pseudonym")
    REDUCED_IDENTIFIERS = "reduced_identifiers", _("Reduced identifying details")
    VIDEO_LINK = "video_link", _("Video link")
    SCREEN = "screen", _("Screen")
    VOICE_DISTORTION = "voice_distortion", _("Voice distortion")


PROGRAMME_MEASURES = frozenset(
    {
        MeasureKind.ARMED_PROTECTION,
        MeasureKind.RELOCATION_KENYA,
        MeasureKind.RELOCATION_ABROAD,
        MeasureKind.CHANGE_OF_IDENTITY,
    }
)
COURT_MEASURES = frozenset(set(MeasureKind) - PROGRAMME_MEASURES)


def category_of(kind: str) -> str:
    return MeasureCategory.PROGRAMME if kind in PROGRAMME_MEASURES else MeasureCategory.COURT


class MeasureStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    IN_FORCE = "in_force", _("In force")
    ENDED = "ended", _("Ended")
    REFUSED = "refused", _("Refused")
