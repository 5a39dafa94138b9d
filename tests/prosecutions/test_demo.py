"""The prosecutions demo seed: a realistic five-year caseload, built through the services, once."""

from __future__ import annotations

import random

import pytest
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from core.guards import today
from core.models import User
from core.services import ensure_demo_users
from prosecutions import services
from prosecutions.choices import CONVICTIONS, IdentifierKind, NetworkRole, Stage
from prosecutions.demo import seed_prosecutions
from prosecutions.demo.builder import DemoCaseBuilder
from prosecutions.demo.persons import CASES, recurring_cases, seed_recurring_persons
from prosecutions.models import Accused, Case, Charge, Hearing, Person, PersonIdentifier, Sentence, StageChange
from victims.models import Victim

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_users() -> dict[str, User]:
    return ensure_demo_users()


def test_the_demo_caseload_is_realistic_consistent_and_seeded_once(demo_users: dict[str, User]) -> None:
    lines: list[str] = []
    seed_prosecutions(demo_users, lines.append)

    cases = Case.objects.all()
    assert 140 <= cases.count() <= 160
    assert set(cases.values_list("stage", flat=True)) == set(Stage.values)
    opened_years = {day.year for day in cases.values_list("opened_on", flat=True)}
    assert len(opened_years) >= 5

    # Every case naming a defendant in its title has that person on file.
    assert not cases.annotate(n=Count("accused")).filter(n=0).exists()
    # From pre-trial on, every case has at least one charged accused (the guard held).
    charged_stages = [Stage.PRE_TRIAL, Stage.TRIAL, Stage.JUDGMENT, Stage.SENTENCING, Stage.APPEAL]
    counts = cases.filter(stage__in=charged_stages).annotate(n=Count("accused__charges")).values_list("reference", "n")
    assert counts
    for reference, n in counts:
        assert n > 0, reference

    # Most counts under s.7, then s.3 (DOMAIN §5).
    by_section = Charge.objects.filter(offence__statute="ctip").values("offence__section").annotate(n=Count("id"))
    ranked = [row["offence__section"] for row in sorted(by_section, key=lambda row: -row["n"])]
    assert ranked[0] == "7"
    assert ranked[1].startswith("3")

    # Fewer organisers than foot soldiers.
    roles = dict(Accused.objects.values_list("network_role").annotate(n=Count("id")))
    assert roles[NetworkRole.ORGANISER] < roles[NetworkRole.RECRUITER]
    assert roles[NetworkRole.ORGANISER] < roles[NetworkRole.TRANSPORTER]

    # Sentences only on convictions; verdicts only where the stage allows them.
    assert Sentence.objects.exists()
    assert not Sentence.objects.exclude(charge__disposition__in=CONVICTIONS).exists()
    early = [Stage.INVESTIGATION, Stage.CHARGING_DECISION, Stage.PRE_TRIAL]
    assert not Charge.objects.filter(accused__case__stage__in=early, disposition__in=CONVICTIONS).exists()

    # Victims are spread over sex and age, and nothing is dated after today.
    assert Victim.objects.values("sex").distinct().count() >= 2
    assert Victim.objects.filter(is_child=True).exists() and Victim.objects.filter(is_child=False).exists()
    assert Hearing.objects.filter(exceeds_adjournment_limit=True).exists()
    today = timezone.localdate()
    assert not StageChange.objects.filter(effective_on__gt=today).exists()
    assert not Charge.objects.filter(disposition_date__gt=today).exists()
    assert not Case.objects.filter(opened_on__gt=today).exists()
    # Courts sit on weekdays: no hearing is scheduled for a Saturday or Sunday.
    assert Hearing.objects.filter(date__gte=today).exists()
    assert not Hearing.objects.filter(date__gte=today, date__iso_week_day__gte=6).exists()

    # Every accused is a person in the index.
    assert not Accused.objects.filter(person__isnull=True).exists()

    # A second run changes nothing.
    total, persons = cases.count(), Person.objects.count()
    seed_prosecutions(demo_users, lines.append)
    assert Case.objects.count() == total
    assert Person.objects.count() == persons
    assert "skipped" in lines[-1]


def _appearances(person: Person) -> list[tuple[str, str, int]]:
    """(the name the case spells, the case's county, the year it was opened) for each case naming ``person``."""
    records = person.accused_records.select_related("case__county").order_by("case__opened_on")
    return [(record.name, record.case.county.name, record.case.opened_on.year) for record in records]


def test_the_demo_has_persons_recurring_across_cases_and_counties(demo_users: dict[str, User]) -> None:
    seed_prosecutions(demo_users, lambda line: None)
    assert len(recurring_cases()) == 5

    # "Juma Mwakideu" of an older Mombasa case is the "J. Mwakidheu" of this year's Busia case: one person.
    juma = Person.objects.get(name="Juma Mwakideu")
    assert "J. Mwakidheu" in juma.aliases
    seen = _appearances(juma)
    assert [(name, county) for name, county, _ in seen] == [("Juma Mwakideu", "Mombasa"), ("J. Mwakidheu", "Busia")]
    assert seen[1][2] - seen[0][2] >= 2  # two years and more apart
    grace = Person.objects.get(name="Grace Akinyi Achieng")
    assert {name for name, _, _ in _appearances(grace)} == {"Grace Achieng", "Grace Akinyi Achieng"}
    assert len({county for _, county, _ in _appearances(grace)}) == 2

    # The organiser: one person, accused as an organiser in three cases in three counties under three
    # spellings, with the one phone number they share on record.
    organiser = Person.objects.get(name="Salim Bakari Mwinyi")
    records = organiser.accused_records.all()
    assert records.count() == 3
    assert {record.network_role for record in records} == {NetworkRole.ORGANISER}
    assert len({record.case_id for record in records}) == 3
    assert len({county for _, county, _ in _appearances(organiser)}) == 3
    assert {record.name for record in records} == {"Salim Bakari Mwinyi", "Salim B. Mwinyi", "Salim Mwinyi"}
    phone = services.normalise_phone("0722 418 305")
    assert phone == "+254722418305"
    assert list(PersonIdentifier.objects.filter(kind=IdentifierKind.PHONE, value=phone)) == list(
        organiser.identifiers.filter(kind=IdentifierKind.PHONE)
    )
    # ... and a prosecutor searching by that phone number is offered the organiser.
    matches = services.person_matches(name="S. Mwinyi", phones=["+254 722 418305"], user=demo_users["prosecutor"])
    assert matches[0].person == organiser
    assert "same phone number" in matches[0].reasons

    # Seen from the newest (Busia) case, the organiser's person page leads to the two earlier cases.
    client = Client()
    client.force_login(demo_users["prosecutor"])
    page = client.get(organiser.get_absolute_url())
    assert page.status_code == 200
    for record in records.select_related("case"):
        assert record.case.reference in page.content.decode()

    # One pair is left for the unit head to merge: two records that are most likely one man.
    pairs = {frozenset((pair.first.name, pair.second.name)) for pair in services.possible_duplicates()}
    assert frozenset(("Mohamed Said Abdalla", "Mohammed Said Abdallah")) in pairs
    assert not Person.objects.exclude(merged_into=None).exists()

    # Recurring persons are not duplicated on a second run.
    persons = Person.objects.count()
    seed_prosecutions(demo_users, lambda line: None)
    assert Person.objects.count() == persons
    assert Person.objects.filter(name="Salim Bakari Mwinyi").count() == 1


def test_a_caseload_seeded_before_the_index_gains_the_recurring_persons_once(demo_users: dict[str, User]) -> None:
    DemoCaseBuilder(random.Random(1), demo_users, today()).build(1, "investigation")
    lines: list[str] = []
    seed_prosecutions(demo_users, lines.append)
    assert Case.objects.count() == 1 + len(CASES)
    assert "recur" in lines[0] and "skipped" in lines[-1]
    assert Person.objects.get(name="Salim Bakari Mwinyi").accused_records.count() == 3
    assert seed_recurring_persons(demo_users, today(), lines.append) == 0
    assert Case.objects.count() == 1 + len(CASES)
