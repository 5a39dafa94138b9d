"""Builds one demo case through the services, from its opening to the stage it is meant to reach."""

from __future__ import annotations

import datetime as dt
import random
import zlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from core.models import User
from prosecutions import services
from prosecutions.choices import (
    CONVICTIONS,
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
    SentenceOverrideGround,
    Sex,
    Stage,
    Statute,
)
from prosecutions.demo.dates import Clock, court_day
from prosecutions.demo.weights import (
    ADJOURNMENT_WEIGHTS,
    AGE_DAYS,
    COURT_WEIGHTS,
    DEMO_MARK,
    EXPLOITATION_WEIGHTS,
    FIRST_NAMES,
    LAST_NAMES,
    NATIONALITIES,
    POLICE_STATIONS,
    ROLE_WEIGHTS,
    SECTION_WEIGHTS,
    YEARS,
    pick,
)
from prosecutions.models import Accused, Case, Charge, Court, Hearing, Offence, Person

# When courts sit: the morning list, late morning, the afternoon list.
SITTING_TIMES = (dt.time(9, 0), dt.time(9, 30), dt.time(10, 0), dt.time(11, 0), dt.time(14, 0), dt.time(14, 30))
COURTROOMS = 6


def _stable(text: str) -> int:
    """A number fixed by ``text`` (not by the seed's draws, so times and courtrooms leave the caseload as it is)."""
    return zlib.crc32(text.encode())


def demo_courtroom(case: Case) -> str:
    """The courtroom a demo case is heard in: one per case, "Court 1" to "Court 6"."""
    return f"Court {1 + _stable(case.reference) % COURTROOMS}"


def demo_time(case: Case, day: dt.date | None) -> dt.time | None:
    """When a demo case sits on ``day``; one sitting in seven has no time given (an all-day entry)."""
    if day is None:
        return None
    index = _stable(f"{case.reference}|{day.isoformat()}") % (len(SITTING_TIMES) + 1)
    return SITTING_TIMES[index] if index < len(SITTING_TIMES) else None


# About one sentence in fifteen departs from the statutory minimum, on a ground the court gave — chosen by the
# count, not by the seed's draws, so the rest of the caseload stays as it is.
OVERRIDE_SHARE = 15


def demo_override(charge: Charge, months: int | None) -> tuple[int | None, str, str]:
    """The term passed on ``charge``, and the override ground and reason for the few demo sentences below the
    minimum (a child offender sentenced under the Children Act); otherwise the term as drawn, no override."""
    minimum = charge.offence.min_custodial_months
    key = f"override|{charge.accused.case.reference}|{charge.accused.name}|{charge.count_number}"
    if not months or not minimum or zlib.crc32(key.encode()) % OVERRIDE_SHARE:
        return months, "", ""
    reason = "Aged 17 at the offence date: sentenced under the Children Act, 2022 (demo)."
    return minimum // 2, SentenceOverrideGround.CHILD_OFFENDER, reason


@dataclass(frozen=True)
class Recurring:
    """A person from the index named in a demo case, under the spelling the case uses, in the part they
    play in it. The accused's own details are then the person's, not drawn at random."""

    person: Person
    role: str
    id_number: str = ""


# Targets whose suspects are on file before anyone is charged.
UNCHARGED_TARGETS = ("investigation", "charging_decision", "closed_nfa", "closed_diverted")
# Targets closed at the charging decision, without a charge.
CLOSED_UNCHARGED = ("closed_nfa", "closed_diverted")


class DemoCaseBuilder:
    """Takes one case to its target (a stage, or a way of closing) with events a court would record,
    drawing every choice from one seeded ``random.Random`` so the caseload is the same on every run."""

    def __init__(self, rng: random.Random, users: dict[str, User], today: dt.date) -> None:
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
        # Names (as a case spells them) that are a person already in the index; empty for the random caseload.
        self.recurring: dict[str, Recurring] = {}

    def person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def build(
        self,
        number: int,
        target: str,
        *,
        opened_on: dt.date | None = None,
        court: Court | None = None,
        names: list[str] | None = None,
    ) -> Case:
        """The case file, opened, investigated, charged and tried as far as ``target``; the opening day, court
        and accused names are drawn unless given."""
        case, actor, court, accused_names = self.open_file(
            number, target, opened_on=opened_on, court=court, names=names
        )
        self.add_victims(case, actor, case.opened_on)
        steps = {"investigation": 2, "charging_decision": 3, "pre_trial": 5, "trial": 9}.get(target, 14)
        clock = Clock(self.rng, case.opened_on, self.today, steps)
        if self.stops_before_charge(case, actor, clock, target, accused_names):
            return case
        charges = self.charge(case, actor, court, clock, accused_names)
        return self.plead(case, actor, court, clock, target, charges)

    def open_file(
        self,
        number: int,
        target: str,
        *,
        opened_on: dt.date | None = None,
        court: Court | None = None,
        names: list[str] | None = None,
    ) -> tuple[Case, User, Court, list[str]]:
        """Open the case (its lead prosecutor acting from then on); the names of the accused it will name."""
        rng = self.rng
        low, high = AGE_DAYS[target]
        drawn_on = self.today - dt.timedelta(days=min(rng.randint(low, high), 365 * YEARS - 5))
        opened_on = opened_on or drawn_on
        drawn_court: Court = pick(rng, self.courts)
        court = court or drawn_court
        lead = rng.choice(self.prosecutors) if self.prosecutors and rng.random() < 0.88 else self.unit_head
        actor = lead or self.prosecutors[0]
        team = [p for p in self.prosecutors if p != actor and rng.random() < 0.25]
        transnational = rng.random() < 0.45
        accused_names = [self.person() for _ in range(pick(rng, [(1, 40), (2, 30), (3, 18), (4, 8), (5, 4)]))]
        accused_names = names or accused_names
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
        return case, actor, court, accused_names

    def stops_before_charge(self, case: Case, actor: User, clock: Clock, target: str, names: list[str]) -> bool:
        """Investigation and the charging decision. True when the case goes no further: it stays there,
        or closes without a charge."""
        rng = self.rng
        if target in UNCHARGED_TARGETS:
            # The suspects the title names are on file before anyone is charged.
            self.add_accused(case, actor, names, case.opened_on, charge=False)
        if target == "investigation":
            return True
        services.move_stage(case, actor, Stage.CHARGING_DECISION, effective_on=clock.tick())
        if rng.random() < 0.12 and target not in CLOSED_UNCHARGED:
            services.move_stage(
                case, actor, Stage.INVESTIGATION, effective_on=clock.tick(), note="Further investigation directed"
            )
            services.move_stage(case, actor, Stage.CHARGING_DECISION, effective_on=clock.tick(0.5))
        if target == "charging_decision":
            return True
        if target in CLOSED_UNCHARGED:
            reason = ClosureReason.NO_FURTHER_ACTION if target == "closed_nfa" else ClosureReason.DIVERTED
            services.move_stage(case, actor, Stage.CLOSED, effective_on=clock.tick(), closure_reason=reason)
            return True
        return False

    def charge(self, case: Case, actor: User, court: Court, clock: Clock, names: list[str]) -> list[Charge]:
        """The accused charged in court (the case goes to pre-trial); their counts."""
        accused = self.add_accused(case, actor, names, case.opened_on, charge=True)
        services.update_case_details(
            case,
            actor,
            court=court,
            court_case_serial=f"E{self.rng.randint(1, 999):03d}",
            court_case_year=clock.now.year,
        )
        services.move_stage(case, actor, Stage.PRE_TRIAL, effective_on=clock.tick())
        return [charge for person in accused for charge in person.charges.all()]

    def plead(self, case: Case, actor: User, court: Court, clock: Clock, target: str, charges: list[Charge]) -> Case:
        """The plea hearing: a plea of guilty to every count (one in three under a plea agreement) is a
        conviction on own plea and goes straight to sentencing, with no trial (CPC s.207, s.137A–O);
        otherwise mentions, then trial."""
        rng = self.rng
        plea_day = clock.tick(0.5)
        self.sitting(case, actor, court, plea_day, HearingPurpose.PLEA, HearingOutcome.PROCEEDED)
        guilty = rng.random() < 0.12 and target in ("closed_concluded", "sentencing")
        plea = Plea.NOT_GUILTY
        if guilty:
            plea = Plea.GUILTY_PLEA_AGREEMENT if rng.random() < 1 / 3 else Plea.GUILTY
        for charge in charges:
            services.record_plea(charge, actor, plea=plea, plea_date=plea_day)
        if guilty:
            services.convict_on_own_plea(case, actor, on=plea_day)
            convicted = list(Charge.objects.filter(accused__case=case, disposition__in=CONVICTIONS))
            return self.pass_sentence(case, actor, court, clock, target, convicted, clock.tick(0.5))
        if target == "pre_trial":
            self.adjourned_chain(case, actor, court, clock, HearingPurpose.MENTION, rng.randint(0, 2), final=True)
            self.outcome_not_recorded(case, actor, court, clock)
            return case
        return self.try_case(case, actor, court, clock, target, charges)

    def try_case(self, case: Case, actor: User, court: Court, clock: Clock, target: str, charges: list[Charge]) -> Case:
        """The trial: it abates, is withdrawn, is still running, or reaches judgment."""
        rng = self.rng
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
            self.outcome_not_recorded(case, actor, court, clock)
            return case
        return self.judge(case, actor, court, clock, target, charges)

    def judge(self, case: Case, actor: User, court: Court, clock: Clock, target: str, charges: list[Charge]) -> Case:
        """Hearings, the defence, and the judgment on every count (three in four convicted)."""
        rng = self.rng
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
        self, case: Case, actor: User, court: Court, clock: Clock, target: str, charges: list[Charge]
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
        return self.pass_sentence(case, actor, court, clock, target, convicted, sentencing_day)

    def pass_sentence(
        self, case: Case, actor: User, court: Court, clock: Clock, target: str, convicted: list[Charge], day: dt.date
    ) -> Case:
        """The sentencing hearing and a sentence on every conviction; then an appeal or the case closes, as
        its target says."""
        self.sitting(case, actor, court, day, HearingPurpose.SENTENCING, HearingOutcome.PROCEEDED)
        victims = list(case.victims.all())
        for charge in convicted:
            self.sentence(charge, actor, day, victims)
        if target == "sentencing":
            return case
        if target == "appeal":
            services.move_stage(case, actor, Stage.APPEAL, effective_on=clock.tick())
            return case
        services.move_stage(
            case, actor, Stage.CLOSED, effective_on=clock.tick(0.5), closure_reason=ClosureReason.CONCLUDED
        )
        return case

    def sentence(self, charge: Charge, actor: User, day: dt.date, victims: list[Any]) -> None:
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
        months, ground, why = demo_override(charge, months)
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
            override_ground=ground,
            override_reason=why,
        )

    def add_victims(self, case: Case, actor: User, identified_on: dt.date) -> None:
        rng = self.rng
        types: list[str] = []
        for _ in range(pick(rng, [(1, 25), (2, 25), (3, 20), (4, 12), (6, 10), (9, 8)])):
            child = rng.random() < 0.55
            kind = pick(rng, EXPLOITATION_WEIGHTS)
            if kind in (ExploitationType.CHILD_LABOUR, ExploitationType.CHILD_MARRIAGE):
                child = True
            services.add_victim(
                case,
                actor,
                exploitation_type=kind,
                identified_on=identified_on,
                sex=Sex.FEMALE if rng.random() < 0.62 else Sex.MALE,
                age_at_exploitation=rng.randint(8, 17) if child else rng.randint(18, 40),
                nationality=pick(rng, NATIONALITIES),
                referred_to_services=rng.random() < 0.7,
            )
            types.append(kind)
        services.update_case_details(case, actor, exploitation_types=sorted(set(types)))

    def add_accused(
        self, case: Case, actor: User, names: list[str], opened_on: dt.date, *, charge: bool
    ) -> list[Accused]:
        rng = self.rng
        people: list[Accused] = []
        for index, name in enumerate(names):
            role = NetworkRole.ORGANISER if index == 0 and len(names) >= 4 else pick(rng, ROLE_WEIGHTS)
            nationality = pick(rng, NATIONALITIES)
            details: dict[str, Any] = {
                "sex": Sex.MALE if rng.random() < 0.7 else Sex.FEMALE,
                "age": rng.randint(22, 58),
                "nationality": nationality,
                "id_number": f"{rng.randint(10_000_000, 39_999_999)}"
                if nationality == "Kenyan"
                else f"P{rng.randint(1_000_000, 9_999_999)}",
            }
            recurring = self.recurring.get(name)
            if recurring is not None:
                known = recurring.person
                role = recurring.role
                born = known.date_of_birth.year if known.date_of_birth else known.birth_year
                details = {
                    "sex": known.sex,
                    "age": opened_on.year - born if born else None,
                    "date_of_birth": known.date_of_birth,
                    "nationality": known.nationality,
                    "id_number": recurring.id_number,
                }
            person = services.add_accused(
                case,
                actor,
                name=name,
                network_role=role,
                custody_status=CustodyStatus.REMANDED if rng.random() < 0.45 else CustodyStatus.ON_BAIL,
                bail_terms="" if rng.random() < 0.5 else "Cash bail of KES 500,000",
                person=recurring.person if recurring is not None else None,
                **details,
            )
            people.append(person)
            if not charge:
                continue
            sections = [pick(rng, self.sections)]
            if rng.random() < 0.35:
                sections.append(pick(rng, self.sections))
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

    def outcome_not_recorded(self, case: Case, actor: User, court: Court, clock: Clock) -> None:
        """Now and then a mention held in the last fortnight still waits for its outcome to be recorded: the
        prosecutor's home lists it until it is."""
        if self.rng.random() >= 0.2:
            return
        yesterday = self.today - dt.timedelta(days=1)
        day = court_day(self.today - dt.timedelta(days=self.rng.randint(2, 14)), latest=yesterday)
        if day <= clock.now or day > yesterday or case.hearings.filter(date=day).exists():
            return
        services.record_hearing(
            case,
            actor,
            date=day,
            time=demo_time(case, day),
            court=court,
            courtroom=demo_courtroom(case),
            purpose=HearingPurpose.MENTION,
        )

    def sitting(self, case: Case, actor: User, court: Court, day: dt.date, purpose: str, outcome: str) -> Hearing:
        existing = case.hearings.filter(date=day, outcome=HearingOutcome.SCHEDULED).first()
        if existing is not None:
            return services.record_hearing_outcome(existing, actor, outcome=outcome)
        if case.hearings.filter(date=day).exists():
            return case.hearings.filter(date=day).first()  # type: ignore[return-value]
        return services.record_hearing(
            case,
            actor,
            date=day,
            time=demo_time(case, day),
            court=court,
            courtroom=demo_courtroom(case),
            purpose=purpose,
            outcome=outcome,
        )

    def adjourned_chain(
        self, case: Case, actor: User, court: Court, clock: Clock, purpose: str, sittings: int, *, final: bool
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
            reason = pick(rng, ADJOURNMENT_WEIGHTS)
            if hearing is None:
                if day > self.today:
                    return
                hearing = services.record_hearing(
                    case,
                    actor,
                    date=day,
                    time=demo_time(case, day),
                    court=court,
                    courtroom=demo_courtroom(case),
                    purpose=purpose,
                    outcome=outcome,
                    adjournment_reason=reason if adjourned else "",
                    next_date=next_day,
                    next_time=demo_time(case, next_day),
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
                    next_time=demo_time(case, next_day),
                )
            if next_day is None or next_day > self.today:
                return
            day = next_day
            clock.now = max(clock.now, day)
