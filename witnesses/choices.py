"""Choices of the witnesses app (Witness Protection Act, CAP. 79; DOMAIN.md §3)."""

from __future__ import annotations

from django.db import models


class WitnessRole(models.TextChoices):
    VICTIM_WITNESS = "victim_witness", "Victim-witness"
    EYEWITNESS = "eyewitness", "Eyewitness"
    POLICE_OFFICER = "police_officer", "Police officer"
    EXPERT = "expert", "Expert"
    ACCOMPLICE = "accomplice", "Accomplice"


class ProtectionStatus(models.TextChoices):
    NONE = "none", "Not flagged"
    FLAGGED = "flagged", "Flagged"
    UNDER_ASSESSMENT = "under_assessment", "Under assessment"
    ADMITTED = "admitted", "Admitted"
    DECLINED = "declined", "Declined"
    SUSPENDED = "suspended", "Suspended"
    TERMINATED = "terminated", "Terminated"


AWAITING_ASSESSMENT = frozenset({ProtectionStatus.FLAGGED, ProtectionStatus.UNDER_ASSESSMENT})
PROTECTED_STATUSES = frozenset(
    {ProtectionStatus.FLAGGED, ProtectionStatus.UNDER_ASSESSMENT, ProtectionStatus.ADMITTED, ProtectionStatus.SUSPENDED}
)


class RiskLevel(models.TextChoices):
    NOT_ASSESSED = "not_assessed", "Not assessed"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class Applicant(models.TextChoices):
    """Who asked for protection (the written request may come from any of them)."""

    WITNESS = "witness", "The witness"
    LAW_ENFORCEMENT = "law_enforcement", "A law enforcement agency"
    PROSECUTOR = "prosecutor", "A public prosecutor"
    LEGAL_REPRESENTATIVE = "legal_representative", "A legal representative or intermediary"


class TerminationGround(models.TextChoices):
    VOLUNTARY = "voluntary", "At the participant's written request (s.10(1))"
    BREACH = "breach", "Deliberate breach of the MOU (s.10(2))"
    THREAT_TO_PROGRAMME = "threat_to_programme", "Conduct threatening the programme (s.10(2))"
    NEED_CEASED = "need_ceased", "The need for protection has ceased (s.10(2))"


class MeasureCategory(models.TextChoices):
    PROGRAMME = "programme", "Programme measure (s.4(2))"
    COURT = "court", "Court measure (s.4(3))"


class MeasureKind(models.TextChoices):
    ARMED_PROTECTION = "armed_protection", "Armed protection"
    RELOCATION_KENYA = "relocation_kenya", "Relocation within Kenya"
    RELOCATION_ABROAD = "relocation_abroad", "Relocation abroad"
    CHANGE_OF_IDENTITY = "change_of_identity", "Change of identity"
    IN_CAMERA = "in_camera", "In camera"
    PSEUDONYM = "pseudonym", "Pseudonym"
    REDUCED_IDENTIFIERS = "reduced_identifiers", "Reduced identifying details"
    VIDEO_LINK = "video_link", "Video link"
    SCREEN = "screen", "Screen"
    VOICE_DISTORTION = "voice_distortion", "Voice distortion"


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
    REQUESTED = "requested", "Requested"
    IN_FORCE = "in_force", "In force"
    ENDED = "ended", "Ended"
    REFUSED = "refused", "Refused"
