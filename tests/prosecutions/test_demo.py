"""The prosecutions demo seed: a realistic five-year caseload, built through the services, once."""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.utils import timezone

from core.models import User
from core.services import ensure_demo_users
from prosecutions.choices import CONVICTIONS, NetworkRole, Stage
from prosecutions.demo import seed_prosecutions
from prosecutions.models import Accused, Case, Charge, Hearing, Sentence, StageChange, Victim

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

    # A second run changes nothing.
    total = cases.count()
    seed_prosecutions(demo_users, lines.append)
    assert Case.objects.count() == total
    assert "skipped" in lines[-1]
