"""Demo caseload for ``seed_demo``: about 150 cases over five years, built through the services.

Deterministic (a seeded ``random.Random``) and idempotent (skipped when the demo cases exist). Sized on
DOMAIN §5: most counts under CTIP s.7, then s.3; fewer organisers than foot soldiers; victims mostly
Kenyan, many of them children; convictions and sentences consistent with each case's stage.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction

from prosecutions import services
from prosecutions.choices import (
    AdjournmentReason,
    ClosureReason,
    CourtLevel,
    CustodyStatus,
    Disposition,
    ExploitationType,
    FineRelation,
    HearingOutcome,
    HearingPurpose,
    NetworkRole,
    Plea,
    Scope,
    Sex,
    Stage,
    Statute,
)
from prosecutions.models import Accused, Case, Charge, Court, Hearing, Offence, Victim

DEMO_MARK = "DCI/AHTCPU/DEMO"
CASE_COUNT = 150
YEARS = 5

# How the demo caseload is spread over stages (and, for closed cases, how they ended).
TARGETS: list[tuple[str, int]] = [
    ("investigation", 14),
    ("charging_decision", 10),
    ("pre_trial", 18),
    ("trial", 34),
    ("judgment", 6),
    ("sentencing", 8),
    ("appeal", 7),
    ("closed_concluded", 30),
    ("closed_withdrawn", 8),
    ("closed_nfa", 6),
    ("closed_nolle", 4),
    ("closed_diverted", 3),
    ("closed_abated", 2),
]
# Typical age of a case at each target, in days (min, max).
AGE_DAYS: dict[str, tuple[int, int]] = {
    "investigation": (5, 300),
    "charging_decision": (20, 400),
    "pre_trial": (40, 500),
    "trial": (120, 1500),
    "judgment": (300, 1600),
    "sentencing": (300, 1600),
    "appeal": (400, 1800),
    "closed_concluded": (300, 1820),
    "closed_withdrawn": (150, 1700),
    "closed_nfa": (60, 1500),
    "closed_nolle": (150, 1700),
    "closed_diverted": (60, 1200),
    "closed_abated": (200, 1600),
}

COURT_WEIGHTS = {
    "JKIA": 22,
    "Milimani": 16,
    "Mombasa": 14,
    "Busia": 9,
    "Malindi": 8,
    "Kibera": 5,
    "Makadara": 5,
    "Mavoko": 5,
    "Nakuru": 4,
    "Kisumu": 4,
    "Eldoret": 3,
    "Garissa": 3,
    "Kakamega": 2,
}
SECTION_WEIGHTS: list[tuple[tuple[str, str], int]] = [
    ((Statute.CTIP, "7"), 46),
    ((Statute.CTIP, "3(1)"), 24),
    ((Statute.CTIP, "6"), 9),
    ((Statute.CTIP, "3(6)"), 5),
    ((Statute.CTIP, "4"), 4),
    ((Statute.CTIP, "5"), 3),
    ((Statute.CTIP, "8"), 3),
    ((Statute.SEXUAL_OFFENCES, "18"), 2),
    ((Statute.IMMIGRATION, "53(1)"), 2),
    ((Statute.PENAL_CODE, "266"), 1),
    ((Statute.CTIP, "10"), 1),
]
ROLE_WEIGHTS = [
    (NetworkRole.RECRUITER, 30),
    (NetworkRole.TRANSPORTER, 25),
    (NetworkRole.HARBOURER, 20),
    (NetworkRole.OTHER, 9),
    (NetworkRole.ORGANISER, 10),
    (NetworkRole.FACILITATING_OFFICIAL, 6),
]
EXPLOITATION_WEIGHTS = [
    (ExploitationType.FORCED_LABOUR, 34),
    (ExploitationType.SEXUAL_EXPLOITATION, 30),
    (ExploitationType.CHILD_LABOUR, 14),
    (ExploitationType.INVOLUNTARY_SERVITUDE, 8),
    (ExploitationType.CHILD_MARRIAGE, 4),
    (ExploitationType.FORCED_MARRIAGE, 3),
    (ExploitationType.PRACTICES_SIMILAR_TO_SLAVERY, 3),
    (ExploitationType.SLAVERY, 2),
    (ExploitationType.ORGAN_REMOVAL, 1),
    (ExploitationType.ARMED_CONFLICT, 1),
]
NATIONALITIES = [
    ("Kenyan", 74),
    ("Ugandan", 7),
    ("Tanzanian", 5),
    ("Ethiopian", 5),
    ("Somali", 3),
    ("Burundian", 2),
    ("South Sudanese", 2),
    ("Rwandan", 1),
    ("Congolese", 1),
]
FIRST_NAMES = [
    "John",
    "Peter",
    "Mary",
    "Joseph",
    "Grace",
    "James",
    "Esther",
    "David",
    "Lucy",
    "Samuel",
    "Ann",
    "Paul",
    "Hassan",
    "Amina",
    "Mohamed",
    "Fatuma",
    "Kevin",
    "Faith",
    "Brian",
    "Mercy",
    "Dennis",
    "Ruth",
    "Collins",
    "Joyce",
    "Abdi",
    "Halima",
    "Tom",
    "Janet",
    "Wycliffe",
    "Beatrice",
]
LAST_NAMES = [
    "Mwangi",
    "Otieno",
    "Kamau",
    "Wanjiku",
    "Ochieng",
    "Kiprop",
    "Mutua",
    "Njoroge",
    "Omondi",
    "Wafula",
    "Kariuki",
    "Cheruiyot",
    "Achieng",
    "Mohamed",
    "Abdullahi",
    "Barasa",
    "Kimani",
    "Onyango",
    "Rotich",
    "Wekesa",
    "Nyaga",
    "Korir",
    "Maina",
    "Odhiambo",
    "Juma",
    "Said",
    "Mugo",
    "Were",
    "Keter",
    "Ndungu",
]
POLICE_STATIONS = {
    "JKIA": "JKIA Police Station",
    "Milimani": "Central Police Station",
    "Mombasa": "Port Police Station",
    "Busia": "Busia Police Station",
    "Malindi": "Malindi Police Station",
    "Kibera": "Kilimani Police Station",
    "Makadara": "Industrial Area Police Station",
    "Mavoko": "Athi River Police Station",
    "Nakuru": "Nakuru Central Police Station",
    "Kisumu": "Kisumu Central Police Station",
    "Eldoret": "Eldoret Police Station",
    "Garissa": "Garissa Police Station",
    "Kakamega": "Kakamega Police Station",
}


def court_day(day: dt.date, earliest: dt.date | None = None, latest: dt.date | None = None) -> dt.date:
    """Courts and offices work Monday to Friday: a weekend date moves to the next Monday, or back to the
    Friday when that Monday would pass ``latest`` (and the Friday is not before ``earliest``)."""
    if day.weekday() < 5:
        return day
    monday = day + dt.timedelta(days=7 - day.weekday())
    if latest is None or monday <= latest:
        return monday
    friday = day - dt.timedelta(days=day.weekday() - 4)
    return friday if earliest is None or friday >= earliest else day


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([value for value, _ in weighted], weights=[weight for _, weight in weighted])[0]


class Clock:
    """Increasing event dates from the opening date, never after today."""

    def __init__(self, rng: random.Random, start: dt.date, end: dt.date, steps: int) -> None:
        self.rng, self.now, self.end = rng, start, end
        self.gap = max((end - start).days / max(steps, 1), 1.0)

    def tick(self, factor: float = 1.0) -> dt.date:
        days = max(1, round(self.gap * factor * self.rng.uniform(0.5, 1.4)))
        self.now = court_day(min(self.now + dt.timedelta(days=days), self.end), earliest=self.now, latest=self.end)
        return self.now


class DemoCaseBuilder:
    def __init__(self, rng: random.Random, users: dict[str, Any], today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self.prosecutors = [users[name] for name in ("prosecutor", "prosecutor2", "multirole") if name in users]
        self.unit_head = users.get("unithead")
        courts = {court.station: court for court in Court.objects.exclude(level=CourtLevel.HIGH_COURT)}
        self.courts = [(courts[station], weight) for station, weight in COURT_WEIGHTS.items() if station in courts]
        self.offences: dict[tuple[str, str], Offence] = {}
        for offence in Offence.objects.order_by("effective_from"):
            self.offences[(offence.statute, offence.section)] = offence
        self.sections = [(key, weight) for key, weight in SECTION_WEIGHTS if key in self.offences]

    def person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def build(self, number: int, target: str) -> Case:
        rng = self.rng
        low, high = AGE_DAYS[target]
        opened_on = self.today - dt.timedelta(days=min(rng.randint(low, high), 365 * YEARS - 5))
        court: Court = _pick(rng, self.courts)
        lead = rng.choice(self.prosecutors) if self.prosecutors and rng.random() < 0.88 else self.unit_head
        lead = lead or self.prosecutors[0]
        actor = lead
        team = [p for p in self.prosecutors if p != lead and rng.random() < 0.25]
        transnational = rng.random() < 0.45
        accused_names = [self.person() for _ in range(_pick(rng, [(1, 40), (2, 30), (3, 18), (4, 8), (5, 4)]))]
        others = len(accused_names) - 1
        title = f"Republic v. {accused_names[0]}" + (
            f" and {others} other{'s' if others > 1 else ''}" if others else ""
        )
        case = services.open_case(
            actor,
            title=title,
            county=court.county,
            opened_on=opened_on,
            team=team,
            police_station=POLICE_STATIONS.get(court.station, ""),
            ob_number=f"{rng.randint(1, 80)}/{opened_on:%d/%m/%Y}",
            ob_date=opened_on,
            dci_reference=f"{DEMO_MARK}/{opened_on.year}/{number:04d}",
            scope=Scope.TRANSNATIONAL if transnational else Scope.INTERNAL,
            summary="Demo case generated for training and testing; not a real matter.",
        )
        self.add_victims(case, actor, opened_on)
        steps = {"investigation": 2, "charging_decision": 3, "pre_trial": 5, "trial": 9}.get(target, 14)
        clock = Clock(rng, opened_on, self.today, steps)

        if target in ("investigation", "charging_decision", "closed_nfa", "closed_diverted"):
            # The suspects the title names are on file before anyone is charged.
            self.add_accused(case, actor, accused_names, opened_on, charge=False)
        if target == "investigation":
            return case
        services.move_stage(case, actor, Stage.CHARGING_DECISION, effective_on=clock.tick())
        if rng.random() < 0.12 and target not in ("closed_nfa", "closed_diverted"):
            services.move_stage(
                case, actor, Stage.INVESTIGATION, effective_on=clock.tick(), note="Further investigation directed"
            )
            services.move_stage(case, actor, Stage.CHARGING_DECISION, effective_on=clock.tick(0.5))
        if target == "charging_decision":
            return case
        if target in ("closed_nfa", "closed_diverted"):
            reason = ClosureReason.NO_FURTHER_ACTION if target == "closed_nfa" else ClosureReason.DIVERTED
            services.move_stage(case, actor, Stage.CLOSED, effective_on=clock.tick(), closure_reason=reason)
            return case

        accused = self.add_accused(case, actor, accused_names, opened_on, charge=True)
        services.update_case_details(
            case,
            actor,
            court=court,
            court_case_serial=f"E{rng.randint(1, 999):03d}",
            court_case_year=clock.now.year,
        )
        services.move_stage(case, actor, Stage.PRE_TRIAL, effective_on=clock.tick())
        plea_day = clock.tick(0.5)
        self.sitting(case, actor, court, plea_day, HearingPurpose.PLEA, HearingOutcome.PROCEEDED)
        guilty = rng.random() < 0.12 and target in ("closed_concluded", "sentencing")
        charges = [charge for person in accused for charge in person.charges.all()]
        for charge in charges:
            services.record_plea(charge, actor, plea=Plea.GUILTY if guilty else Plea.NOT_GUILTY, plea_date=plea_day)
        if guilty:
            for charge in charges:
                services.record_disposition(
                    charge, actor, disposition=Disposition.CONVICTED_OWN_PLEA, disposition_date=plea_day
                )
            services.move_stage(case, actor, Stage.TRIAL, effective_on=plea_day)
            services.move_stage(case, actor, Stage.JUDGMENT, effective_on=plea_day)
            return self.after_judgment(case, actor, court, clock, target, charges)
        if target == "pre_trial":
            self.adjourned_chain(case, actor, court, clock, HearingPurpose.MENTION, rng.randint(0, 2), final=True)
            return case

        services.move_stage(case, actor, Stage.TRIAL, effective_on=clock.tick())
        if target == "closed_abated":
            day = clock.tick()
            for charge in charges:
                services.record_disposition(charge, actor, disposition=Disposition.ABATED, disposition_date=day)
            services.move_stage(case, actor, Stage.CLOSED, effective_on=day, closure_reason=ClosureReason.ABATED)
            return case
        if target in ("closed_withdrawn", "closed_nolle"):
            self.adjourned_chain(case, actor, court, clock, HearingPurpose.HEARING, rng.randint(1, 3), final=False)
            day = clock.tick()
            outcome, reason = (
                (Disposition.DISCHARGED_WITHDRAWN, ClosureReason.WITHDRAWN)
                if target == "closed_withdrawn"
                else (Disposition.DISCHARGED_NOLLE_PROSEQUI, ClosureReason.NOLLE_PROSEQUI)
            )
            for charge in charges:
                services.record_disposition(charge, actor, disposition=outcome, disposition_date=day)
            services.move_stage(case, actor, Stage.CLOSED, effective_on=day, closure_reason=reason)
            return case
        if target == "trial":
            self.adjourned_chain(case, actor, court, clock, HearingPurpose.HEARING, rng.randint(1, 5), final=True)
            return case

        self.adjourned_chain(case, actor, court, clock, HearingPurpose.HEARING, rng.randint(1, 4), final=False)
        defence_day = clock.tick()
        self.sitting(case, actor, court, defence_day, HearingPurpose.DEFENCE_HEARING, HearingOutcome.PROCEEDED)
        judgment_day = clock.tick()
        self.sitting(case, actor, court, judgment_day, HearingPurpose.JUDGMENT, HearingOutcome.PROCEEDED)
        services.move_stage(case, actor, Stage.JUDGMENT, effective_on=judgment_day)
        conviction_rate = 0.75
        for charge in charges:
            convicted = rng.random() < conviction_rate
            outcome = Disposition.CONVICTED_AFTER_TRIAL if convicted else Disposition.ACQUITTED_AFTER_DEFENCE
            services.record_disposition(charge, actor, disposition=outcome, disposition_date=judgment_day)
        return self.after_judgment(case, actor, court, clock, target, charges)

    def after_judgment(
        self, case: Case, actor: Any, court: Court, clock: Clock, target: str, charges: list[Charge]
    ) -> Case:
        convicted = [charge for charge in charges if charge.is_conviction]
        if target == "judgment":
            return case
        if not convicted:
            if target == "appeal":
                services.move_stage(case, actor, Stage.APPEAL, effective_on=clock.tick())
            else:
                services.move_stage(
                    case, actor, Stage.CLOSED, effective_on=clock.tick(), closure_reason=ClosureReason.CONCLUDED
                )
            return case
        sentencing_day = clock.tick(0.5)
        services.move_stage(case, actor, Stage.SENTENCING, effective_on=sentencing_day)
        self.sitting(case, actor, court, sentencing_day, HearingPurpose.SENTENCING, HearingOutcome.PROCEEDED)
        victims = list(case.victims.all())
        for charge in convicted:
            self.sentence(charge, actor, sentencing_day, victims)
        if target == "sentencing":
            return case
        if target == "appeal":
            services.move_stage(case, actor, Stage.APPEAL, effective_on=clock.tick())
            return case
        services.move_stage(
            case, actor, Stage.CLOSED, effective_on=clock.tick(0.5), closure_reason=ClosureReason.CONCLUDED
        )
        return case

    def sentence(self, charge: Charge, actor: Any, day: dt.date, victims: list[Victim]) -> None:
        rng = self.rng
        offence = charge.offence
        fine: Decimal | None = None
        relation = FineRelation.NONE
        if offence.life_imprisonment:
            months, life = None, True
        else:
            months, life = (offence.min_custodial_months or 60) + rng.choice([0, 0, 12, 24, 60]), False
            if offence.min_fine and rng.random() < 0.4:
                fine, relation = offence.min_fine, FineRelation.ALTERNATIVE
        compensation = victims[0] if victims and rng.random() < 0.2 else None
        services.record_sentence(
            charge,
            actor,
            sentenced_on=day,
            custodial_months=months,
            life_imprisonment=life,
            fine_amount=fine,
            fine_default_months=12 if fine else None,
            fine_relation=relation,
            compensation_amount=Decimal(rng.choice([50000, 100000, 250000])) if compensation else None,
            compensation_victim=compensation,
            deportation=charge.accused.nationality != "Kenyan",
            forfeiture_ordered=rng.random() < 0.25,
        )

    def add_victims(self, case: Case, actor: Any, identified_on: dt.date) -> None:
        rng = self.rng
        types: list[str] = []
        for _ in range(_pick(rng, [(1, 25), (2, 25), (3, 20), (4, 12), (6, 10), (9, 8)])):
            child = rng.random() < 0.55
            kind = _pick(rng, EXPLOITATION_WEIGHTS)
            if kind in (ExploitationType.CHILD_LABOUR, ExploitationType.CHILD_MARRIAGE):
                child = True
            services.add_victim(
                case,
                actor,
                exploitation_type=kind,
                identified_on=identified_on,
                sex=Sex.FEMALE if rng.random() < 0.62 else Sex.MALE,
                age_at_exploitation=rng.randint(8, 17) if child else rng.randint(18, 40),
                nationality=_pick(rng, NATIONALITIES),
                referred_to_services=rng.random() < 0.7,
            )
            types.append(kind)
        services.update_case_details(case, actor, exploitation_types=sorted(set(types)))

    def add_accused(
        self, case: Case, actor: Any, names: list[str], opened_on: dt.date, *, charge: bool
    ) -> list[Accused]:
        rng = self.rng
        people: list[Accused] = []
        for index, name in enumerate(names):
            role = NetworkRole.ORGANISER if index == 0 and len(names) >= 4 else _pick(rng, ROLE_WEIGHTS)
            nationality = _pick(rng, NATIONALITIES)
            person = services.add_accused(
                case,
                actor,
                name=name,
                sex=Sex.MALE if rng.random() < 0.7 else Sex.FEMALE,
                age=rng.randint(22, 58),
                nationality=nationality,
                id_number=f"{rng.randint(10_000_000, 39_999_999)}"
                if nationality == "Kenyan"
                else f"P{rng.randint(1_000_000, 9_999_999)}",
                network_role=role,
                custody_status=CustodyStatus.REMANDED if rng.random() < 0.45 else CustodyStatus.ON_BAIL,
                bail_terms="" if rng.random() < 0.5 else "Cash bail of KES 500,000",
            )
            people.append(person)
            if not charge:
                continue
            sections = [_pick(rng, self.sections)]
            if rng.random() < 0.35:
                sections.append(_pick(rng, self.sections))
            if role == NetworkRole.ORGANISER and (Statute.CTIP, "3(6)") in self.offences:
                sections[0] = (Statute.CTIP, "3(6)")
            for count, key in enumerate(sections, start=1):
                services.add_charge(
                    person,
                    actor,
                    count_number=count,
                    offence=self.offences[key],
                    offence_date=opened_on - dt.timedelta(days=rng.randint(1, 90)),
                    particulars="Particulars as per the charge sheet (demo).",
                )
        return people

    def sitting(self, case: Case, actor: Any, court: Court, day: dt.date, purpose: str, outcome: str) -> Hearing:
        existing = case.hearings.filter(date=day, outcome=HearingOutcome.SCHEDULED).first()
        if existing is not None:
            return services.record_hearing_outcome(existing, actor, outcome=outcome)
        if case.hearings.filter(date=day).exists():
            return case.hearings.filter(date=day).first()  # type: ignore[return-value]
        return services.record_hearing(case, actor, date=day, court=court, purpose=purpose, outcome=outcome)

    def adjourned_chain(
        self, case: Case, actor: Any, court: Court, clock: Clock, purpose: str, sittings: int, *, final: bool
    ) -> None:
        """Hearings adjourned one to the next; when ``final`` the last one is adjourned to a future date."""
        rng = self.rng
        if sittings == 0 and not final:
            return
        day = clock.tick()
        hearing: Hearing | None = None
        for index in range(max(sittings, 1)):
            last = index == max(sittings, 1) - 1
            if last and not final:
                next_day = None
            elif last:
                next_day = court_day(self.today + dt.timedelta(days=rng.randint(2, 45)))
            else:
                next_day = clock.tick(0.6)
                if next_day <= day:
                    next_day = None
            adjourned = next_day is not None
            outcome = HearingOutcome.ADJOURNED if adjourned else HearingOutcome.PROCEEDED
            reason = _pick(
                rng,
                [
                    (AdjournmentReason.WITNESS_ABSENT, 30),
                    (AdjournmentReason.PROSECUTION_NOT_READY, 15),
                    (AdjournmentReason.DEFENCE_APPLICATION, 20),
                    (AdjournmentReason.ACCUSED_ABSENT, 10),
                    (AdjournmentReason.COURT_NOT_SITTING, 10),
                    (AdjournmentReason.INTERPRETER, 5),
                    (AdjournmentReason.NEW_MAGISTRATE, 5),
                    (AdjournmentReason.FILE_MISSING, 5),
                ],
            )
            if hearing is None:
                if day > self.today:
                    return
                hearing = services.record_hearing(
                    case,
                    actor,
                    date=day,
                    court=court,
                    purpose=purpose,
                    outcome=outcome,
                    adjournment_reason=reason if adjourned else "",
                    next_date=next_day,
                )
            else:
                follow_up = case.hearings.filter(date=day, outcome=HearingOutcome.SCHEDULED).first()
                if follow_up is None or day > self.today:
                    return
                hearing = services.record_hearing_outcome(
                    follow_up,
                    actor,
                    outcome=outcome,
                    adjournment_reason=reason if adjourned else "",
                    next_date=next_day,
                )
            if next_day is None or next_day > self.today:
                return
            day = next_day
            clock.now = max(clock.now, day)


def seed_prosecutions(users: dict[str, Any], out: Callable[[str], None]) -> None:
    """Create the demo caseload once; later runs change nothing."""
    if Case.objects.filter(dci_reference__startswith=DEMO_MARK).exists():
        out("Prosecutions: demo cases already present, skipped.")
        return
    rng = random.Random(20260101)
    builder = DemoCaseBuilder(rng, users, services.today())
    plan = [target for target, share in TARGETS for _ in range(share)]
    rng.shuffle(plan)
    plan = plan[:CASE_COUNT]
    with transaction.atomic():
        for number, target in enumerate(plan, start=1):
            builder.build(number, target)
    out(f"Prosecutions: {len(plan)} demo cases with accused, counts, victims and hearings.")
