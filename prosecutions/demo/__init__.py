"""Demo caseload for ``seed_demo``: about 150 cases over five years, built through the services.

Deterministic (a seeded ``random.Random``) and idempotent (skipped when the demo cases exist). Every accused
is a person in the index of persons; ``persons`` adds the few who recur across cases and counties. Sized on
DOMAIN §5: most counts under CTIP s.7, then s.3; fewer organisers than foot soldiers; victims mostly
Kenyan, many of them children; convictions and sentences consistent with each case's stage.

``weights`` holds the proportions and names, ``dates`` the court calendar, ``builder`` takes one case
to its target.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from django.db import transaction

from core.guards import today
from core.models import User
from prosecutions.demo.builder import DemoCaseBuilder
from prosecutions.demo.dates import Clock, court_day
from prosecutions.demo.persons import seed_recurring_persons
from prosecutions.demo.weights import CASE_COUNT, DEMO_MARK, TARGETS
from prosecutions.models import Case

__all__ = ["DEMO_MARK", "Clock", "DemoCaseBuilder", "court_day", "seed_prosecutions"]

SEED = 20260101


def seed_prosecutions(users: dict[str, User], out: Callable[[str], None]) -> None:
    """Create the demo caseload once; later runs change nothing."""
    if Case.objects.filter(dci_reference__startswith=DEMO_MARK).exists():
        # A caseload seeded before the index of persons still gains the persons who recur across cases.
        with transaction.atomic():
            seed_recurring_persons(users, today(), out)
        out("Prosecutions: demo cases already present, skipped.")
        return
    rng = random.Random(SEED)
    builder = DemoCaseBuilder(rng, users, today())
    plan = [target for target, share in TARGETS for _ in range(share)]
    rng.shuffle(plan)
    plan = plan[:CASE_COUNT]
    with transaction.atomic():
        for number, target in enumerate(plan, start=1):
            builder.build(number, target)
        seed_recurring_persons(users, today(), out)
    out(f"Prosecutions: {len(plan)} demo cases with accused, counts, victims and hearings.")
