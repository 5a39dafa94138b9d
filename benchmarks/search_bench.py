"""Benchmark of the search box (not a test): the search page against the Django admin's own search.

Run it against a THROWAWAY PostgreSQL database — it migrates it and inserts hundreds of thousands of rows:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctip_search_bench .venv/bin/python benchmarks/search_bench.py

The dataset is generated quickly with plain ``bulk_create`` (no history rows: this is a benchmark, not
app code): ``--cases`` cases (100,000 by default) with one to three accused each (names drawn from common
Kenyan first names and surnames, some with aliases, most with an ID number), victims by code, and seized
assets with preservation orders. A second run with ``--reuse`` times the data already there.

For each search it times, in interleaved runs (search, admin, search, admin …) so that both see the same
cache and load, the median of ``--repeat`` runs of:

- the search page (``core:search``) of a unit head, who sees the cases, accused, victims, witnesses, assets
  and court orders groups (one query each), and
- the Django admin's case list searched with the same text, as shipped (``search_fields`` reference and
  title) and with ``search_fields`` widened to every case and accused field the search box matches
  (reference, title, OB number, court case serial, accused name, aliases and ID number).

It prints the queries each page runs and the ratio search ÷ admin (goal: at most 0.5 against the admin
searching the same fields).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_2FA_REQUIRED", "0")  # the bench signs in with force_login: no second step

BATCH = 5000
START_YEAR = 2019
PREFIX = "ODPP/CTIP"

FIRST_NAMES = (  # noqa: SIM905
    "Mercy John Peter Mary Grace Joseph James Faith Esther David Daniel Ruth Samuel Lucy Paul Ann Brian "
    "Caroline Kevin Joyce Dennis Nancy Stephen Purity Moses Agnes Collins Eunice Felix Janet George Sharon "
    "Hassan Amina Ali Fatuma Omar Zainab Juma Halima Said Mwanaisha Kiprono Chebet Kipchoge Jepkosgei "
    "Wanjiru Kamau Njeri Mwangi Akinyi Otieno Achieng Odhiambo Nafula Wafula Moraa Nyaboke Kerubo Onyango"
).split()
SURNAMES = (  # noqa: SIM905
    "Atieno Otieno Odhiambo Onyango Ochieng Owino Awuor Adhiambo Akoth Anyango Kamau Mwangi Njoroge Kariuki "
    "Wanjiku Githinji Kimani Macharia Mutua Musyoka Mwende Kilonzo Wambua Ndunda Kiprotich Kipkemboi Rotich "
    "Cheruiyot Koech Langat Kirui Ngetich Wekesa Wafula Barasa Simiyu Nyongesa Wanyama Makokha Juma Hamisi "
    "Mohamed Abdi Hussein Ahmed Yusuf Omondi Okoth Ouma Nyamweya Mokaya Nyakundi Ombati Momanyi Oduya Kahindi "
    "Baya Karisa Chengo Kazungu Mwamburi Tsuma Mugo Ndegwa Gitau Waweru Muriuki Kinyua Mutiso Nzioka Lemayian"
).split()
ALIASES = ("Mama", "Baba", "Mzee", "Dada", "Kaka", "Boss", "Doctor", "Madam")


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"


def generate(cases: int, seed: int = 2026) -> dict[str, int]:
    """Insert ``cases`` cases with their accused, victims, assets and orders; returns the row counts."""
    from django.utils import timezone

    from assets.choices import AssetStatus, AssetType, LegalBasis, OrderType, SeizingAgency
    from assets.models import Asset, CourtOrder
    from core.models import County, User
    from prosecutions.choices import ExploitationType, NetworkRole, Stage
    from prosecutions.models import Accused, Case, Court
    from victims.models import Victim

    rng = random.Random(seed)
    today = timezone.localdate()
    lead = User.objects.get(username="bench-unit-head")
    counties = list(County.objects.all())
    courts = list(Court.objects.all())
    years = list(range(START_YEAR, today.year + 1))
    per_year: dict[int, int] = {}
    case_rows, people = [], []
    for _ in range(cases):
        year = rng.choice(years)
        per_year[year] = per_year.get(year, 0) + 1
        opened = min(dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364)), today)
        names = [_name(rng) for _ in range(rng.choices((1, 2, 3), (5, 3, 2))[0])]
        people.append(names)
        others = f" and {len(names) - 1} other{'s' if len(names) > 2 else ''}" if len(names) > 1 else ""
        charged = rng.random() < 0.7
        case_rows.append(
            Case(
                reference=f"{PREFIX}/{year}/{per_year[year]:05d}",
                title=f"Republic v. {names[0]}{others}",
                county=rng.choice(counties),
                court=rng.choice(courts) if charged else None,
                court_case_serial=f"E{rng.randint(1, 9999)}" if charged else "",
                court_case_year=year if charged else None,
                police_station="Central",
                ob_number=f"OB {rng.randint(1, 99)}/{opened:%d/%m/%Y}",
                exploitation_types=[rng.choice(ExploitationType.values)],
                stage=Stage.PRE_TRIAL if charged else Stage.INVESTIGATION,
                lead_prosecutor=lead,
                opened_on=opened,
                last_activity_on=opened,
            )
        )
    created = Case.objects.bulk_create(case_rows, batch_size=BATCH)
    accused: list[Any] = []
    victims: list[Any] = []
    assets: list[Any] = []
    victim_numbers: dict[int, int] = {}
    for case, names in zip(created, people, strict=True):
        for name in names:
            alias = f"{rng.choice(ALIASES)} {name.split()[0]}" if rng.random() < 0.2 else ""
            accused.append(
                Accused(
                    case=case,
                    name=name,
                    aliases=alias,
                    id_number=str(rng.randint(10_000_000, 39_999_999)) if rng.random() < 0.7 else "",
                    network_role=rng.choice(NetworkRole.values),
                )
            )
        for _ in range(rng.randint(0, 3)):
            year = case.opened_on.year
            victim_numbers[year] = victim_numbers.get(year, 0) + 1
            victims.append(
                Victim(
                    case=case,
                    code=f"V-{year}-{victim_numbers[year]:05d}",
                    exploitation_type=rng.choice(ExploitationType.values),
                    identified_on=case.opened_on,
                )
            )
        if rng.random() < 0.4:
            value = Decimal(rng.randint(50_000, 20_000_000))
            assets.append(
                Asset(
                    case=case,
                    reference=f"AST/{case.opened_on.year}/{len(assets) + 1:06d}",
                    asset_type=AssetType.MOTOR_VEHICLE,
                    description=rng.choice(("Toyota Probox", "Nissan matatu", "Isuzu lorry", "Plot", "Cash")),
                    identifier=f"K{rng.choice('ABCD')}{rng.choice('ABCDEFGH')} {rng.randint(100, 999)}X",
                    seized_on=case.opened_on,
                    seizing_agency=SeizingAgency.DCI,
                    estimated_value=value,
                    estimated_value_kes=value,
                    status=AssetStatus.PRESERVED,
                )
            )
    Accused.objects.bulk_create(accused, batch_size=BATCH)
    Victim.objects.bulk_create(victims, batch_size=BATCH)
    assets = Asset.objects.bulk_create(assets, batch_size=BATCH)
    orders = [
        CourtOrder(
            asset=asset,
            order_type=OrderType.PRESERVATION,
            legal_basis=LegalBasis.POCAMLA_S82,
            court_name="High Court",
            order_number=f"HCACEC Misc. Appl. E{asset.pk % 1000:03d} of {asset.seized_on.year}",
            granted_on=asset.seized_on,
            expires_on=asset.seized_on + dt.timedelta(days=90),
        )
        for asset in assets
    ]
    CourtOrder.objects.bulk_create(orders, batch_size=BATCH)
    return {"cases": len(created), "accused": len(accused), "victims": len(victims), "assets": len(assets)}


def bench_users() -> tuple[Any, Any]:
    """The unit head who searches, and the superuser who searches in the admin."""
    from core.models import User
    from core.roles import Role
    from core.services import ensure_demo_users, ensure_roles

    demo = ensure_demo_users()  # the access administrators who grant the bench user its role
    head, _ = User.objects.get_or_create(username="bench-unit-head", defaults={"first_name": "Bench"})
    ensure_roles(
        head, [Role.UNIT_HEAD], asked_by=demo["accessadmin"], approved_by=demo["accessadmin2"], reason="Benchmark"
    )
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"first_name": "Bench", "is_staff": True, "is_superuser": True}
    )
    return head, admin


def searches() -> list[tuple[str, str]]:
    """(what, text) pairs drawn from the generated data: names, numbers and references people type."""
    from prosecutions.models import Accused, Case

    several = Case.objects.filter(title__contains=" and ").order_by("pk")[100]
    second = Accused.objects.filter(case=several).order_by("pk").values_list("name", flat=True)[1]
    with_id = Accused.objects.exclude(id_number="").order_by("pk").values_list("id_number", flat=True)[200]
    case = Case.objects.exclude(court_case_serial="").order_by("pk")[300]
    return [
        ("second accused's full name", second),
        ("a surname alone", second.split()[-1]),
        ("file number without prefix", case.reference.removeprefix(f"{PREFIX}/")),
        ("court case number", f"{case.court_case_serial} of {case.court_case_year}"),
        ("ID number", with_id),
        ("OB number", case.ob_number),
    ]


def _timed(function: Callable[[], Any]) -> tuple[float, int, float]:
    """Milliseconds taken, the number of queries run and the milliseconds spent in them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        function()
        elapsed = time.perf_counter() - started
    in_sql = sum(float(query["time"]) for query in captured.captured_queries)
    return elapsed * 1000, len(captured), in_sql * 1000


def compare(repeat: int) -> None:
    from django.contrib import admin
    from django.test import Client
    from django.urls import reverse

    from prosecutions.models import Case
    from prosecutions.search import ACCUSED_FIELDS, CASE_FIELDS

    head, superuser = bench_users()
    searcher, admin_client = Client(), Client()
    searcher.force_login(head)
    admin_client.force_login(superuser)
    case_admin = admin.site._registry[Case]
    shipped = tuple(case_admin.search_fields)
    widened = (*CASE_FIELDS, *(f"accused__{field}" for field in ACCUSED_FIELDS))
    search_url, admin_url = reverse("core:search"), reverse("admin:prosecutions_case_changelist")

    def page(client: Client, url: str, text: str) -> Callable[[], Any]:
        def get() -> None:
            response = client.get(url, {"q": text})
            assert response.status_code == 200, response.status_code

        return get

    print(
        "| Search | Text | Search page: ms (queries, ms in SQL) | Admin as shipped | Admin, same fields "
        "| Ratio vs shipped | Ratio vs same fields |"
    )
    print("|---|---|---|---|---|---|---|")
    ratios_shipped, ratios_same = [], []
    for what, text in searches():
        runs: dict[str, list[tuple[float, int, float]]] = {"search": [], "shipped": [], "same": []}
        for _ in range(repeat + 1):  # the first round warms the caches and is not counted
            for key, fields in (("search", None), ("shipped", shipped), ("same", widened)):
                if fields is not None:
                    case_admin.search_fields = fields  # type: ignore[misc]  # the admin's own search, widened
                client, url = (searcher, search_url) if fields is None else (admin_client, admin_url)
                runs[key].append(_timed(page(client, url, text)))
        case_admin.search_fields = shipped  # type: ignore[misc]
        cells, median = {}, {}
        for key, measured in runs.items():
            median[key] = statistics.median(run[0] for run in measured[1:])
            in_sql = statistics.median(run[2] for run in measured[1:])
            cells[key] = f"{median[key]:.0f} ({measured[-1][1]} q, {in_sql:.0f} in SQL)"
        ratios_shipped.append(median["search"] / median["shipped"])
        ratios_same.append(median["search"] / median["same"])
        print(
            f"| {what} | `{text}` | {cells['search']} | {cells['shipped']} | {cells['same']} "
            f"| {ratios_shipped[-1]:.2f} | {ratios_same[-1]:.2f} |"
        )
    print(
        f"\nGeometric mean of the ratios: {statistics.geometric_mean(ratios_shipped):.2f} against the admin as "
        f"shipped, {statistics.geometric_mean(ratios_same):.2f} against the admin searching the same fields."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="time the data a previous run generated")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres") or database_url.rstrip("/").endswith("/ctip"):
        sys.exit("Set DATABASE_URL to a throwaway PostgreSQL database, e.g. …/ctip_search_bench.")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from prosecutions.models import Case

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # no grant notices on screen
    call_command("migrate", verbosity=0)
    bench_users()
    if not args.reuse:
        if Case.objects.exists():
            sys.exit("The database already holds cases: run with --reuse, or drop and recreate it.")
        started = time.perf_counter()
        counts = generate(args.cases)
        summary = ", ".join(f"{v:,} {k}" for k, v in counts.items())
        print(f"Generated in {time.perf_counter() - started:.1f} s: {summary}")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # fresh planner statistics and visibility map, as autovacuum would leave
    print(f"\n{Case.objects.count():,} cases; PostgreSQL; median of {args.repeat} interleaved runs; milliseconds.\n")
    compare(args.repeat)


if __name__ == "__main__":
    main()
