"""The persons who recur in the demo: the same people accused in several cases, in different counties and
years, under spellings that differ from file to file — the index of persons shows them as one.

- **Salim Bakari Mwinyi**, an organiser accused in three cases (Mombasa, Nairobi's JKIA court and Busia) as
  "Salim Bakari Mwinyi", "Salim B. Mwinyi" and "Salim Mwinyi": one person, one phone number on record;
- **Juma Mwakideu**, a recruiter in the Mombasa case who is the "J. Mwakidheu" driving for the same organiser
  in the Busia case two years later;
- **Grace Akinyi Achieng**, a harbourer in Kisumu who is "Grace Achieng" recruiting for the organiser at JKIA;
- and **Mohamed Said Abdalla** / **Mohammed Said Abdallah**, two index records (Kisumu and Malindi) left apart
  on purpose: a possible duplicate for the unit head to look at and merge, with a reason.

Built through the services (``create_person``, then ``add_accused`` with ``person=``), once: the step is
skipped when its cases exist. Dates are counted back from today, so the cases keep their ages.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from core.models import User
from prosecutions import services
from prosecutions.choices import CourtLevel, NetworkRole, Sex
from prosecutions.demo.builder import DemoCaseBuilder, Recurring
from prosecutions.demo.weights import DEMO_MARK
from prosecutions.models import Case, Court, Person

# Their own seed, so that these cases are the same whether they are built with the caseload or added later.
SEED = 20260121
# Numbers of the demo cases naming recurring persons (the random caseload runs from 0001 to 0150).
FIRST_NUMBER = 901


@dataclass(frozen=True)
class DemoPerson:
    key: str
    name: str
    sex: str
    nationality: str = "Kenyan"
    aliases: str = ""
    date_of_birth: dt.date | None = None
    birth_year: int | None = None
    national_id: str = ""
    phone: str = ""
    addresses: str = ""


PERSONS = (
    DemoPerson(
        "organiser",
        "Salim Bakari Mwinyi",
        Sex.MALE,
        aliases="Salim B. Mwinyi, Salim Mwinyi",
        date_of_birth=dt.date(1979, 3, 14),
        national_id="24871936",
        phone="0722 418 305",
        addresses="Kisauni, Mombasa; lodgings near the Busia border post",
    ),
    DemoPerson(
        "mwakideu",
        "Juma Mwakideu",
        Sex.MALE,
        aliases="J. Mwakidheu",
        birth_year=1988,
        national_id="28530417",
        addresses="Likoni, Mombasa",
    ),
    DemoPerson(
        "achieng",
        "Grace Akinyi Achieng",
        Sex.FEMALE,
        aliases="Grace Achieng",
        date_of_birth=dt.date(1991, 7, 2),
        national_id="30175582",
    ),
    # The possible duplicate: two index records that are most likely one man.
    DemoPerson("abdalla", "Mohamed Said Abdalla", Sex.MALE, birth_year=1984, phone="0711 250 640"),
    DemoPerson("abdallah", "Mohammed Said Abdallah", Sex.MALE, birth_year=1984),
)


@dataclass(frozen=True)
class DemoCase:
    station: str
    days_ago: int
    target: str
    # (the name as this case spells it, the recurring person's key and network role; "" and "" for a one-off
    # accused, whose details and role are drawn at random)
    accused: list[tuple[str, str, str]] = field(default_factory=list)


CASES = (
    DemoCase(
        "Mombasa",
        880,  # two and a half years back
        "closed_concluded",
        [
            ("Salim Bakari Mwinyi", "organiser", NetworkRole.ORGANISER),
            ("Juma Mwakideu", "mwakideu", NetworkRole.RECRUITER),
            ("Peter Wafula", "", ""),
        ],
    ),
    DemoCase(
        "Kisumu",
        1150,
        "closed_concluded",
        [
            ("Grace Achieng", "achieng", NetworkRole.HARBOURER),
            ("Mohamed Said Abdalla", "abdalla", NetworkRole.TRANSPORTER),
        ],
    ),
    DemoCase(
        "JKIA",
        480,
        "trial",
        [
            ("Salim B. Mwinyi", "organiser", NetworkRole.ORGANISER),
            ("Grace Akinyi Achieng", "achieng", NetworkRole.RECRUITER),
            ("Kevin Barasa", "", ""),
        ],
    ),
    DemoCase("Malindi", 300, "trial", [("Mohammed Said Abdallah", "abdallah", NetworkRole.TRANSPORTER)]),
    DemoCase(
        "Busia",
        110,
        "pre_trial",
        [
            ("Salim Mwinyi", "organiser", NetworkRole.ORGANISER),
            ("J. Mwakidheu", "mwakideu", NetworkRole.TRANSPORTER),
            ("Faith Wekesa", "", ""),
        ],
    ),
)


def recurring_cases() -> list[Case]:
    """The demo cases naming recurring persons, in the order they were built."""
    numbers = [f"/{number:04d}" for number in range(FIRST_NUMBER, FIRST_NUMBER + len(CASES))]
    cases = Case.objects.filter(dci_reference__startswith=DEMO_MARK)
    return sorted(
        (case for case in cases if case.dci_reference[-5:] in numbers), key=lambda case: case.dci_reference[-4:]
    )


def seed_recurring_persons(users: dict[str, User], today: dt.date, out: Callable[[str], None]) -> int:
    """Create the recurring persons and their cases once; the number of cases added (0 when present).
    Runs inside the caller's transaction."""
    tail = f"/{FIRST_NUMBER:04d}"
    if Case.objects.filter(dci_reference__startswith=DEMO_MARK, dci_reference__endswith=tail).exists():
        return 0
    builder = DemoCaseBuilder(random.Random(SEED), users, today)
    actor = builder.unit_head or builder.prosecutors[0]
    persons: dict[str, tuple[Person, str]] = {}
    for spec in PERSONS:
        person = services.create_person(
            actor,
            name=spec.name,
            aliases=spec.aliases,
            sex=spec.sex,
            date_of_birth=spec.date_of_birth,
            birth_year=spec.birth_year,
            nationality=spec.nationality,
            addresses=spec.addresses,
            national_ids=[spec.national_id] if spec.national_id else [],
            phones=[spec.phone] if spec.phone else [],
        )
        persons[spec.key] = (person, spec.national_id)
    courts = Court.objects.exclude(level=CourtLevel.HIGH_COURT)
    for number, plan in enumerate(CASES, start=FIRST_NUMBER):
        builder.recurring = {
            name: Recurring(persons[key][0], role, persons[key][1]) for name, key, role in plan.accused if key
        }
        builder.build(
            number,
            plan.target,
            opened_on=today - dt.timedelta(days=plan.days_ago),
            court=courts.filter(station=plan.station).first(),
            names=[name for name, _, _ in plan.accused],
        )
    out(f"Prosecutions: {len(CASES)} demo cases naming {len(PERSONS)} persons who recur across cases and counties.")
    return len(CASES)
