"""Generated national-scale data for the benchmark, inserted in bulk with a fixed seed.

Cases and their accused are bulk-inserted (no history rows: the list and export rows read neither), with
the counties, courts and prosecutors spread as a national caseload would be. ``grow_cases(n)`` tops the
table up to ``n`` cases, so the harness can time the 1,000-case page first and the 100,000-case pages
after.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from typing import Any

SEED = 2026
BATCH = 5_000
PASSWORD = "bench-Password-2026!"
SURNAMES = [
    "Otieno",
    "Wanjiku",
    "Kamau",
    "Achieng",
    "Mwangi",
    "Njoroge",
    "Kiprotich",
    "Chebet",
    "Wafula",
    "Akinyi",
    "Mutua",
    "Nyambura",
    "Omondi",
    "Kariuki",
    "Wambui",
    "Kiplagat",
    "Jeptoo",
    "Onyango",
    "Atieno",
    "Waweru",
    "Muthoni",
    "Kibet",
    "Owino",
    "Adhiambo",
    "Macharia",
    "Barasa",
]
GIVEN = [
    "John",
    "Mary",
    "Peter",
    "Grace",
    "James",
    "Faith",
    "Joseph",
    "Esther",
    "David",
    "Ann",
    "Samuel",
    "Ruth",
    "Daniel",
    "Joyce",
]
# The text searched: one accused surname that only ~0.3 % of the cases carry (a real search's selectivity).
RARE_SURNAME = "Lokorodi"


@dataclasses.dataclass
class BenchData:
    """What the measurements need from the generated data."""

    reader_id: int  # a unit head: reads every case, sees the busiest home page
    admin_id: int  # a superuser for the admin changelist (the reference)
    stage: str  # the stage + county filter's values
    county_id: int
    search: str
    cases: int = 0


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def prepare() -> BenchData:
    """Users (with an Argon2id password) and the filter values; the reference data come from migrations."""
    from core.models import County, User
    from core.roles import Role
    from core.services import ensure_demo_users, ensure_roles
    from prosecutions.choices import Stage

    demo = ensure_demo_users()
    reader, _ = User.objects.get_or_create(
        username="bench-unit-head", defaults={"first_name": "Bench", "last_name": "Head"}
    )
    reader.set_password(PASSWORD)
    reader.save()
    ensure_roles(
        reader, [Role.UNIT_HEAD], asked_by=demo["accessadmin"], approved_by=demo["accessadmin2"], reason="Benchmark"
    )
    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_staff": True, "is_superuser": True})
    admin.is_staff = admin.is_superuser = True
    admin.set_password(PASSWORD)
    admin.save()
    county = County.objects.order_by("code")[1]
    return BenchData(reader.pk, admin.pk, Stage.TRIAL.value, county.pk, RARE_SURNAME)


def grow_cases(data: BenchData, total: int, seed: int = SEED) -> int:
    """Insert cases (each with 1–3 accused) until there are ``total``; returns how many were added."""
    from django.utils import timezone

    from core.models import County, User
    from core.roles import Role
    from prosecutions.choices import ClosureReason, ExploitationType, NetworkRole, Scope, Stage
    from prosecutions.models import Accused, Case, Court

    have = Case.objects.count()
    if have >= total:
        data.cases = have
        return 0
    rng = random.Random(seed + have)
    today = timezone.localdate()
    start = today - dt.timedelta(days=3650)
    counties = list(County.objects.values_list("pk", flat=True))
    courts: list[int | None] = [*Court.objects.values_list("pk", flat=True)] or [None]
    leads = list(User.objects.holding([Role.PROSECUTOR, Role.UNIT_HEAD]).values_list("pk", flat=True))
    open_stages = [s for s in Stage.values if s != Stage.CLOSED]
    roles = list(NetworkRole.values)
    added = 0
    for first in range(have, total, BATCH):
        rows: list[Any] = []
        for n in range(first, min(first + BATCH, total)):
            opened = _day(rng, start, today)
            closed = rng.random() < 0.35
            rows.append(
                Case(
                    reference=f"ODPP/CTIP/{opened.year}/{n:06d}",
                    title=f"Republic v. {rng.choice(SURNAMES)} and others",
                    county_id=rng.choice(counties),
                    court_id=rng.choice(courts),
                    court_case_serial=f"E{n % 9000 + 1}",
                    court_case_year=opened.year,
                    ob_number=f"OB/{n % 97}/{opened:%d/%m/%Y}",
                    scope=rng.choice(Scope.values),
                    exploitation_types=rng.sample(ExploitationType.values, rng.randint(1, 2)),
                    stage=Stage.CLOSED if closed else rng.choice(open_stages),
                    lead_prosecutor_id=rng.choice(leads),
                    opened_on=opened,
                    closed_on=min(opened + dt.timedelta(days=400), today) if closed else None,
                    closure_reason=ClosureReason.CONCLUDED if closed else "",
                    last_activity_on=_day(rng, opened, today),
                )
            )
        created = Case.objects.bulk_create(rows, batch_size=BATCH)
        accused: list[Any] = []
        for case in created:
            for _ in range(rng.randint(1, 3)):
                surname = RARE_SURNAME if rng.random() < 0.0015 else rng.choice(SURNAMES)
                accused.append(
                    Accused(
                        case_id=case.pk,
                        name=f"{rng.choice(GIVEN)} {surname}",
                        network_role=rng.choice(roles),
                        id_number=str(rng.randint(10_000_000, 39_999_999)),
                    )
                )
        Accused.objects.bulk_create(accused, batch_size=BATCH)
        added += len(created)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # the steady state autovacuum keeps a table in (visibility map set)
    data.cases = total
    return added
