"""Witness test data built through the services, so every record is as the app would make it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from core.models import User
from prosecutions import services as prosecution_services
from prosecutions.models import Case
from victims.models import Victim
from witnesses import services
from witnesses.choices import MeasureKind, MeasureStatus, ProtectionStatus, RiskLevel, WitnessRole
from witnesses.models import Identity, Witness


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def victim_of(case: Case, user: User | None = None) -> Victim:
    return prosecution_services.add_victim(
        case, user or case.lead_prosecutor, exploitation_type="forced_labour", identified_on=days_ago(100)
    )


def witness_on(
    case: Case,
    user: User | None = None,
    *,
    role: str = WitnessRole.EYEWITNESS,
    number: str = "",
    victim: Victim | None = None,
) -> Witness:
    appearance = services.add_witness_to_case(
        case, user or case.lead_prosecutor, role=role, witness_number=number, victim=victim
    )
    return appearance.witness


def admitted(witness: Witness, liaison: User, risk: str = RiskLevel.HIGH) -> Witness:
    services.flag_witness(witness, liaison, applicant="prosecutor", reason="Threatened by the accused's relatives.")
    services.decide_protection(
        witness, liaison, ProtectionStatus.UNDER_ASSESSMENT, reason="Assessing.", risk_level=risk
    )
    return services.decide_protection(witness, liaison, ProtectionStatus.ADMITTED, reason="Admitted by the Director.")


def court_measures(witness: Witness, liaison: User, *kinds: str, starts_on: dt.date | None = None) -> None:
    for kind in kinds or (MeasureKind.SCREEN, MeasureKind.VOICE_DISTORTION):
        services.record_measure(
            witness,
            liaison,
            kind=kind,
            status=MeasureStatus.IN_FORCE,
            starts_on=starts_on or days_ago(10),
            court_order_reference="Ruling of the trial court",
        )


def markers(tag: str) -> dict[str, str]:
    """Identity values each carrying a unique marker, so a leak anywhere can be found by searching."""
    return {
        "full_name": f"Zuhura CANARY{tag}NAME Wairimu",
        "id_number": f"CANARY{tag}ID",
        "phone": f"+254700CANARY{tag}PHONE",
        "address": f"Plot 9 CANARY{tag}ADDRESS Road",
        "next_of_kin": f"Baraka CANARY{tag}KIN",
    }


def with_identity(witness: Witness, liaison: User, tag: str) -> Identity:
    return services.save_identity(witness, liaison, **markers(tag))
