"""Demo witnesses for ``manage.py seed_demo``, recorded through the services.

Every open demo case (a closed one is read-only) gets its victims as victim-witnesses (PW1, PW2, …) and
a police officer, some an eyewitness or an expert. About 15% of the witnesses are flagged for protection;
of those some are under assessment, most admitted with court measures (screen, voice distortion, pseudonym…) and some
programme measures, one declined, one suspended, one terminated. Protected witnesses get an identity
(invented names). Deterministic, idempotent (a case that has witnesses is left alone), nothing dated ahead.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from core.models import User
from core.roles import Role
from prosecutions.models import Case
from witnesses import services
from witnesses.choices import (
    Applicant,
    MeasureKind,
    MeasureStatus,
    ProtectionStatus,
    RiskLevel,
    TerminationGround,
    WitnessRole,
)
from witnesses.models import Appearance, Witness

SEED = 20260611
FLAG_SHARE = 0.15
FIRST_NAMES = [
    "Amina",
    "Wanjiku",
    "Otieno",
    "Chebet",
    "Mutua",
    "Nafula",
    "Kamau",
    "Atieno",
    "Hassan",
    "Njeri",
    "Kiptoo",
    "Zawadi",
]
LAST_NAMES = ["Demo-Mwangi", "Demo-Achieng", "Demo-Kibet", "Demo-Wekesa", "Demo-Omondi", "Demo-Mohamed", "Demo-Njoroge"]
SCENARIOS = (
    "admitted",
    "admitted",
    "under_assessment",
    "admitted",
    "flagged",
    "declined",
    "admitted",
    "suspended",
    "terminated",
)


def _liaison(users: dict[str, User]) -> User | None:
    user = users.get("liaison")
    if user is None:
        user = User.objects.holding([Role.WITNESS_LIAISON]).order_by("pk").first()
    return user


class _Seeder:
    def __init__(self, rng: random.Random, liaison: User, today: dt.date) -> None:
        self.rng = rng
        self.liaison = liaison
        self.today = today
        self.scenario = 0

    def days_ago(self, n: int) -> dt.date:
        return self.today - dt.timedelta(days=n)

    def witnesses_for(self, case: Case) -> list[Witness]:
        made: list[Witness] = []
        number = 0
        for victim in case.victims.order_by("code")[:3]:
            number += 1
            appearance = services.add_witness_to_case(
                case, self.liaison, role=WitnessRole.VICTIM_WITNESS, witness_number=f"PW{number}", victim=victim
            )
            made.append(appearance.witness)
        extra = [WitnessRole.POLICE_OFFICER]
        if self.rng.random() < 0.4:
            extra.append(self.rng.choice([WitnessRole.EYEWITNESS, WitnessRole.EXPERT, WitnessRole.ACCOMPLICE]))
        for role in extra:
            number += 1
            appearance = services.add_witness_to_case(case, self.liaison, role=role, witness_number=f"PW{number}")
            made.append(appearance.witness)
        return made

    def protect(self, witness: Witness) -> None:
        """Take the witness through the next scenario: flagged (with an identity on file), then as far as
        assessment, a decline, or admission with measures — and for some a suspension or termination."""
        scenario = SCENARIOS[self.scenario % len(SCENARIOS)]
        self.scenario += 1
        witness, flagged_on = self.flag(witness)
        self.identity(witness)
        if scenario == "flagged":
            return
        witness, assessed_on = self.assess(witness, flagged_on)
        if scenario == "under_assessment":
            return
        decided_on = assessed_on + dt.timedelta(days=14)
        if scenario == "declined":
            services.decide_protection(
                witness,
                self.liaison,
                ProtectionStatus.DECLINED,
                reason="Threat not substantiated; referred to police.",
                effective_on=decided_on,
            )
            return
        witness = services.decide_protection(
            witness,
            self.liaison,
            ProtectionStatus.ADMITTED,
            reason="Admitted by the Director; MOU signed.",
            effective_on=decided_on,
        )
        self.measures(witness, decided_on)
        self.after_admission(witness, scenario, decided_on)

    def flag(self, witness: Witness) -> tuple[Witness, dt.date]:
        """Flagged two to seven months ago, at the request of a prosecutor, the police or the witness."""
        flagged_on = self.days_ago(self.rng.randint(60, 200))
        who = self.rng.choice([Applicant.PROSECUTOR, Applicant.LAW_ENFORCEMENT, Applicant.WITNESS])
        flagged = services.flag_witness(
            witness,
            self.liaison,
            applicant=who,
            reason="Threats reported after the accused were released on bond.",
            effective_on=flagged_on,
        )
        return flagged, flagged_on

    def assess(self, witness: Witness, flagged_on: dt.date) -> tuple[Witness, dt.date]:
        """The threat assessment opens a week after the flag, with a risk level."""
        risk = self.rng.choice([RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.CRITICAL])
        assessed_on = flagged_on + dt.timedelta(days=7)
        assessed = services.decide_protection(
            witness,
            self.liaison,
            ProtectionStatus.UNDER_ASSESSMENT,
            reason="Threat assessment opened.",
            risk_level=risk,
            effective_on=assessed_on,
        )
        return assessed, assessed_on

    def measures(self, witness: Witness, decided_on: dt.date) -> None:
        """A screen and voice distortion ordered by the court (sometimes a pseudonym), and one programme
        measure."""
        case = Appearance.objects.filter(witness=witness).select_related("case").first()
        for kind in (MeasureKind.SCREEN, MeasureKind.VOICE_DISTORTION):
            services.record_measure(
                witness,
                self.liaison,
                kind=kind,
                status=MeasureStatus.IN_FORCE,
                starts_on=decided_on,
                court_order_reference=f"Ruling of {decided_on:%d %b %Y}"
                + (f" in {case.case.reference}" if case else ""),
            )
        if self.rng.random() < 0.5:
            services.record_measure(
                witness,
                self.liaison,
                kind=MeasureKind.PSEUDONYM,
                status=MeasureStatus.IN_FORCE,
                starts_on=decided_on,
                court_order_reference=f"Ruling of {decided_on:%d %b %Y}",
            )
        services.record_measure(
            witness,
            self.liaison,
            kind=self.rng.choice([MeasureKind.RELOCATION_KENYA, MeasureKind.ARMED_PROTECTION]),
            status=MeasureStatus.IN_FORCE,
            starts_on=decided_on,
        )

    def after_admission(self, witness: Witness, scenario: str, decided_on: dt.date) -> None:
        """A suspension (s.11) or a termination at the witness's request (s.10), for those scenarios."""
        if scenario == "suspended":
            services.decide_protection(
                witness,
                self.liaison,
                ProtectionStatus.SUSPENDED,
                reason="Left the safe house without notice (s.11).",
                effective_on=decided_on + dt.timedelta(days=20),
            )
        elif scenario == "terminated":
            services.decide_protection(
                witness,
                self.liaison,
                ProtectionStatus.TERMINATED,
                reason="Written request to leave the programme.",
                termination_ground=TerminationGround.VOLUNTARY,
                effective_on=decided_on + dt.timedelta(days=30),
            )

    def identity(self, witness: Witness) -> None:
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        services.save_identity(
            witness,
            self.liaison,
            full_name=f"{first} {last}",
            id_number=f"DEMO{self.rng.randint(10_000_000, 39_999_999)}",
            phone=f"+254 7{self.rng.randint(10, 99)} {self.rng.randint(100_000, 999_999)}",
            address=f"Demo address, {self.rng.choice(['Kisumu', 'Nakuru', 'Eldoret', 'Malindi'])}",
            next_of_kin=f"{self.rng.choice(FIRST_NAMES)} {last} (relative)",
        )


def seed_witnesses(users: dict[str, User], out: Callable[[str], None], today: dt.date | None = None) -> int:
    """Add demo witnesses to every open case that has none (a closed case is read-only: it takes no
    witness until reopened); returns how many witnesses were created."""
    cases = list(Case.objects.open().order_by("reference"))
    if not cases:
        out("Witnesses: no cases yet, so no demo witnesses.")
        return 0
    liaison = _liaison(users)
    if liaison is None:
        out("Witnesses: no witness protection liaison to record them, skipped.")
        return 0
    rng = random.Random(SEED)
    seeder = _Seeder(rng, liaison, today or timezone.localdate())
    already = set(Appearance.objects.values_list("case_id", flat=True).distinct())
    created: list[Witness] = []
    with transaction.atomic():
        for case in cases:
            if case.pk in already:
                continue
            created.extend(seeder.witnesses_for(case))
        to_flag = max(1, round(len(created) * FLAG_SHARE)) if created else 0
        for witness in rng.sample(created, to_flag):
            seeder.protect(witness)
    out(
        f"Witnesses: {len(created)} demo witnesses on {len(cases) - len(already)} cases, "
        f"{to_flag if created else 0} flagged."
    )
    return len(created)
