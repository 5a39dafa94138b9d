"""Benchmark of the cross-case network (not a test): building the whole graph and its measures
(``network.measures.compute_network``, what ``manage.py compute_network`` runs) on generated data.

Run it against a THROWAWAY PostgreSQL database — it migrates it and inserts hundreds of thousands of rows:

    createdb -h 127.0.0.1 -U postgres ctip_network_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctip_network_bench \\
        .venv/bin/python benchmarks/network_bench.py --cases 10000

The dataset is generated quickly with plain ``bulk_create`` (no history rows: this is a benchmark, not app
code). ``--cases`` cases in the 47 counties with 1.9 accused each on average; one accused in five is a person
who recurs (accused in two to four cases), the rest appear once; three accused in four are charged; half
the persons have a phone number; one case in three has a seized asset with a vehicle registration, bank
account or M-Pesa number, one such identifier in ten recurring in another case.

The measurement runs in a fresh process (``--measure-only``) so that its peak memory (the process's maximum
resident set, from ``getrusage``) is the computation's and not the generator's. It prints the time of each
phase — reading the graph, betweenness, the other measures and storing — and the peak memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from benchmarks.reports_bench import refuse_shared_database

BATCH = 5000
ROLES = ["organiser", "recruiter", "transporter", "harbourer", "official", "other"]


def generate(cases: int, seed: int = 21) -> dict[str, int]:
    """Insert ``cases`` cases, their accused (linked to persons), counts, phones and shared assets."""
    from assets.models import Asset, AssetIdentifier
    from core.models import County, User
    from prosecutions.models import Accused, Case, Charge, Offence, Person, PersonIdentifier

    rng = random.Random(seed)
    run = str(time.time_ns())[-6:]
    lead, _ = User.objects.get_or_create(username="bench-network", defaults={"first_name": "Bench"})
    counties = list(County.objects.values_list("pk", flat=True))
    offence = Offence.objects.order_by("pk").first()
    assert offence is not None, "run the migrations (they seed the offences) first"
    today = dt.date.today()

    case_rows = [
        Case(
            reference=f"NB/{run}/{n:06d}",
            title=f"Republic v. Network {n}",
            county_id=rng.choice(counties),
            lead_prosecutor=lead,
            opened_on=today - dt.timedelta(days=rng.randint(30, 2500)),
            last_activity_on=today,
        )
        for n in range(cases)
    ]
    created = Case.objects.bulk_create(case_rows, batch_size=BATCH)
    case_ids = [c.pk for c in created]

    # Accused slots: 1.9 per case on average. One slot in five goes to a recurring person.
    slots = [(case_id, k) for case_id in case_ids for k in range(rng.choice([1, 2, 2, 3]) if rng.random() < 0.9 else 1)]
    recurring_count = max(1, len(slots) // 5 // 3)
    one_off = len(slots) - recurring_count * 3
    persons = Person.objects.bulk_create(
        [Person(reference=f"NBP/{run}/{n:07d}", name=f"Person {n}") for n in range(recurring_count + one_off)],
        batch_size=BATCH,
    )
    person_ids = [p.pk for p in persons]
    recurring, singles = person_ids[:recurring_count], iter(person_ids[recurring_count:])
    pool = [pk for pk in recurring for _ in range(3)]
    rng.shuffle(pool)
    accused_rows = []
    taken: set[tuple[int, int]] = set()
    for case_id, _k in slots:
        person_id = pool.pop() if pool and rng.random() < 0.2 else next(singles, None)
        if person_id is None or (case_id, person_id) in taken:
            person_id = next(singles, None) or rng.choice(person_ids)
        taken.add((case_id, person_id))
        accused_rows.append(
            Accused(case_id=case_id, name="Accused", network_role=rng.choice(ROLES), person_id=person_id)
        )
    accused = Accused.objects.bulk_create(accused_rows, batch_size=BATCH)
    Charge.objects.bulk_create(
        [Charge(accused=a, count_number=1, offence=offence) for a in accused if rng.random() < 0.75],
        batch_size=BATCH,
    )
    phones = PersonIdentifier.objects.bulk_create(
        [
            PersonIdentifier(person_id=pk, kind="phone", value=f"+2547{rng.randint(10_000_000, 99_999_999)}")
            for pk in person_ids
            if rng.random() < 0.5
        ],
        batch_size=BATCH,
    )

    asset_rows, identifiers = [], []
    shared: list[tuple[str, str]] = []
    for n, case_id in enumerate(case_ids):
        if rng.random() >= 1 / 3:
            continue
        asset_rows.append(
            Asset(
                case_id=case_id,
                reference=f"NBA/{run}/{n:06d}",
                asset_type="motor_vehicle",
                description="Lorry",
                seized_on=today,
                seizing_agency="dci",
                estimated_value=Decimal("100000"),
                estimated_value_kes=Decimal("100000"),
            )
        )
    assets = Asset.objects.bulk_create(asset_rows, batch_size=BATCH)
    for asset in assets:
        if shared and rng.random() < 0.1:
            kind, value = rng.choice(shared)
        else:
            kind = rng.choice(["vehicle_registration", "bank_account", "phone"])
            value = {
                "vehicle_registration": f"K{rng.choice('ABCD')}{rng.choice('ABCDEFGH')}{rng.randint(100, 999)}X",
                "bank_account": str(rng.randint(10**11, 10**12)),
                "phone": f"+2547{rng.randint(10_000_000, 99_999_999)}",
            }[kind]
            shared.append((kind, value))
        identifiers.append(AssetIdentifier(asset=asset, kind=kind, value=value))
    AssetIdentifier.objects.bulk_create(identifiers, batch_size=BATCH, ignore_conflicts=True)
    return {
        "cases": len(case_ids),
        "persons": len(person_ids),
        "accused": len(accused),
        "phones": len(phones),
        "assets": len(assets),
    }


def measure(samples: int | None) -> None:
    import networkx as nx

    from network.graph import whole_graph
    from network.measures import betweenness_of, compute_network, person_measures

    started = time.perf_counter()
    whole = whole_graph()
    read = time.perf_counter() - started
    graph: nx.Graph = whole.graph
    started = time.perf_counter()
    betweenness, sampled = betweenness_of(graph, samples)
    between = time.perf_counter() - started
    started = time.perf_counter()
    count = sum(1 for _ in person_measures(whole, betweenness))
    others = time.perf_counter() - started
    print(
        f"Graph: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} links, {count:,} persons; "
        f"betweenness {'exact' if sampled is None else f'from {sampled} sampled nodes'}."
    )
    print(f"Read the graph: {read:.1f} s; betweenness: {between:.1f} s; other measures: {others:.1f} s.")
    del whole, betweenness, graph
    started = time.perf_counter()
    run = compute_network(samples=samples)
    total = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"compute_network (all of it, stored): {total:.1f} s; {run.persons:,} measures stored.")
    print(f"Peak memory of the process: {peak_mb:,.0f} MB.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=None, help="betweenness sample (default: the command's)")
    parser.add_argument("--measure-only", action="store_true", help="measure the data already generated")
    args = parser.parse_args()
    refuse_shared_database()

    import django

    django.setup()
    from django.core.management import call_command

    if args.measure_only:
        measure(args.samples)
        return
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    counts = generate(args.cases)
    print(f"Generated in {time.perf_counter() - started:.1f} s: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    with django.db.connection.cursor() as cursor:
        if django.db.connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    command: list[Any] = [sys.executable, __file__, "--measure-only"]
    if args.samples is not None:
        command += ["--samples", str(args.samples)]
    subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
