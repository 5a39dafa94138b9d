"""Benchmark of the statistical reports (not a test): each report on a generated 10,000-case dataset.

Run it against a THROWAWAY database — it migrates it and inserts tens of thousands of rows:

    DATABASE_URL=sqlite:////tmp/ctip-reports-bench.sqlite3 .venv/bin/python benchmarks/reports_bench.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctip_bench .venv/bin/python benchmarks/reports_bench.py

The dataset is generated quickly with plain ``bulk_create`` (no history rows: this is a benchmark, not
app code; the apps themselves only ever save through their services). It has ``--cases`` cases opened
2019–2026, about three quarters charged, with their accused, counts, verdicts, sentences, victims,
hearings and adjournments, and seized assets with preservation and forfeiture orders, lapses and sales.

For each report it prints the SQL queries and the median time (of ``--repeat`` runs) to compute the
figures, to render the page and to build the Excel workbook, and the same for the unit head's home page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_2FA_REQUIRED", "0")  # the bench signs in with force_login: no second step

BATCH = 2000
START = dt.date(2019, 1, 1)


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def generate(cases: int, seed: int = 2026) -> dict[str, int]:
    """Insert ``cases`` cases and everything hanging off them; returns the row counts."""
    from django.utils import timezone

    from assets.choices import AssetStatus, Destination, LegalBasis, OrderType
    from assets.models import Asset, AssetStatusChange, CourtOrder, Realisation
    from core.models import County, User
    from core.roles import Role
    from core.services import ensure_demo_users, ensure_roles
    from prosecutions.choices import (
        ACQUITTALS,
        CONVICTIONS,
        AdjournmentReason,
        ClosureReason,
        Disposition,
        ExploitationType,
        HearingOutcome,
        HearingPurpose,
        NetworkRole,
        Plea,
        Scope,
        Sex,
        Stage,
        Statute,
    )
    from prosecutions.models import Accused, Case, Charge, Court, Hearing, Offence, Sentence, StageChange
    from victims.models import Victim

    rng = random.Random(seed)
    today = timezone.localdate()
    run = str(time.time_ns())[-6:]
    demo = ensure_demo_users()  # the access administrators who grant the bench user its role
    lead, _ = User.objects.get_or_create(username="bench-unit-head", defaults={"first_name": "Bench"})
    ensure_roles(
        lead, [Role.UNIT_HEAD], asked_by=demo["accessadmin"], approved_by=demo["accessadmin2"], reason="Benchmark"
    )
    county = County.objects.order_by("code").first()
    court = Court.objects.order_by("id").first()
    offences = list(
        Offence.objects.filter(
            statute=Statute.CTIP, effective_to__isnull=True, section__in=["3(1)", "4", "6", "7", "8"]
        )
    )
    roles = [
        NetworkRole.ORGANISER,
        NetworkRole.RECRUITER,
        NetworkRole.TRANSPORTER,
        NetworkRole.HARBOURER,
        NetworkRole.FACILITATING_OFFICIAL,
        NetworkRole.OTHER,
    ]
    role_weights = [1, 4, 3, 2, 1, 1]
    verdicts = [*CONVICTIONS, *ACQUITTALS, Disposition.DISCHARGED_WITHDRAWN, Disposition.DISCHARGED_NOLLE_PROSEQUI]
    heavier = {
        Disposition.CONVICTED_AFTER_TRIAL: 5,
        Disposition.CONVICTED_OWN_PLEA: 2,
        Disposition.ACQUITTED_NO_CASE: 2,
    }
    verdict_weights = [heavier.get(verdict, 1) for verdict in verdicts]  # follows the Act's outcomes as they grow

    case_rows: list[Any] = []
    plans: list[dict[str, Any]] = []
    for n in range(cases):
        opened = _day(rng, START, today - dt.timedelta(days=30))
        charged = opened + dt.timedelta(days=rng.randint(20, 120)) if rng.random() < 0.75 else None
        if charged and charged > today:
            charged = None
        closed = None
        if charged and rng.random() < 0.45:
            closed = charged + dt.timedelta(days=rng.randint(120, 900))
            closed = closed if closed <= today else None
        stage = (
            Stage.CLOSED
            if closed
            else (rng.choice([Stage.PRE_TRIAL, Stage.TRIAL, Stage.JUDGMENT]) if charged else Stage.INVESTIGATION)
        )
        plans.append({"opened": opened, "charged": charged, "closed": closed})
        case_rows.append(
            Case(
                reference=f"BENCH/{run}/{n:05d}",
                title=f"Republic v. Bench {n}",
                county=county,
                court=court,
                scope=rng.choice([Scope.INTERNAL, Scope.TRANSNATIONAL]),
                exploitation_types=[rng.choice(ExploitationType.values)],
                stage=stage,
                lead_prosecutor=lead,
                opened_on=opened,
                closed_on=closed,
                closure_reason=ClosureReason.CONCLUDED if closed else "",
                last_activity_on=closed or charged or opened,
            )
        )
    created = Case.objects.bulk_create(case_rows, batch_size=BATCH)

    changes: list[Any] = []
    accused_rows: list[Any] = []
    accused_plan: list[Any] = []
    victims: list[Any] = []
    hearings: list[Any] = []
    assets: list[Any] = []
    asset_plan: list[Any] = []
    for case, plan in zip(created, plans, strict=True):
        changes.append(
            StageChange(case=case, to_stage=Stage.INVESTIGATION, effective_on=plan["opened"], changed_by=lead)
        )
        for v in range(rng.randint(0, 4)):
            age = rng.randint(8, 40)
            victims.append(
                Victim(
                    case=case,
                    code=f"VB-{run}-{case.pk}-{v}",
                    sex=rng.choice([Sex.FEMALE, Sex.FEMALE, Sex.MALE]),
                    age_at_exploitation=age,
                    is_child=age < 18,
                    nationality=rng.choice(["Kenyan", "Kenyan", "Kenyan", "Ugandan", "Ethiopian", ""]),
                    exploitation_type=rng.choice(ExploitationType.values),
                    identified_on=min(plan["opened"] + dt.timedelta(days=rng.randint(0, 60)), today),
                )
            )
        if plan["charged"]:
            changes.append(
                StageChange(
                    case=case,
                    from_stage=Stage.CHARGING_DECISION,
                    to_stage=Stage.PRE_TRIAL,
                    effective_on=plan["charged"],
                    changed_by=lead,
                )
            )
            for _ in range(rng.randint(3, 8)):
                day = _day(rng, plan["charged"], plan["closed"] or today)
                adjourned = rng.random() < 0.4
                hearings.append(
                    Hearing(
                        case=case,
                        date=day,
                        court=court,
                        purpose=rng.choice(HearingPurpose.values),
                        outcome=HearingOutcome.ADJOURNED if adjourned else HearingOutcome.PROCEEDED,
                        adjournment_reason=rng.choice(AdjournmentReason.values) if adjourned else "",
                        next_date=day + dt.timedelta(days=rng.randint(7, 60)) if adjourned else None,
                        exceeds_adjournment_limit=adjourned and rng.random() < 0.3,
                    )
                )
        for a in range(rng.randint(1, 3)):
            role = rng.choices(roles, role_weights)[0]
            accused_rows.append(Accused(case=case, name=f"Bench accused {case.pk}-{a}", network_role=role))
            accused_plan.append(plan)
        if rng.random() < 0.6:
            for _ in range(rng.randint(1, 2)):
                seized = min(plan["opened"] + dt.timedelta(days=rng.randint(0, 60)), today)
                value = Decimal(rng.randint(50_000, 20_000_000))
                assets.append(
                    Asset(
                        case=case,
                        reference=f"AB/{run}/{len(assets):06d}",
                        asset_type="cash",
                        description="Bench",
                        seized_on=seized,
                        seizing_agency="dci",
                        estimated_value=value,
                        estimated_value_kes=value,
                        status=AssetStatus.SEIZED,
                    )
                )
                asset_plan.append(seized)
    StageChange.objects.bulk_create(changes, batch_size=BATCH)
    Victim.objects.bulk_create(victims, batch_size=BATCH)
    Hearing.objects.bulk_create(hearings, batch_size=BATCH)
    accused = Accused.objects.bulk_create(accused_rows, batch_size=BATCH)

    charges, charge_days = [], []
    for person, plan in zip(accused, accused_plan, strict=True):
        if not plan["charged"]:
            continue
        for count in range(1, rng.randint(1, 2) + 1):
            decided = plan["charged"] + dt.timedelta(days=rng.randint(60, 800))
            disposition = Disposition.PENDING
            if plan["closed"] or (decided <= today and rng.random() < 0.5):
                disposition = rng.choices(verdicts, verdict_weights)[0]
                decided = min(decided, plan["closed"] or today)
            charges.append(
                Charge(
                    accused=person,
                    count_number=count,
                    offence=rng.choice(offences),
                    plea=Plea.NOT_GUILTY,
                    disposition=disposition,
                    disposition_date=None if disposition == Disposition.PENDING else decided,
                )
            )
            charge_days.append(decided)
    charges = Charge.objects.bulk_create(charges, batch_size=BATCH)
    sentences = [
        Sentence(
            charge=charge,
            sentenced_on=min(day + dt.timedelta(days=14), today),
            life_imprisonment=(life := rng.random() < 0.05),
            custodial_months=None if life else rng.randint(12, 480),
        )
        for charge, day in zip(charges, charge_days, strict=True)
        if charge.disposition in CONVICTIONS
    ]
    Sentence.objects.bulk_create(sentences, batch_size=BATCH)

    assets = Asset.objects.bulk_create(assets, batch_size=BATCH)
    orders, sales, lapses, moved = [], [], [], []
    for asset, seized in zip(assets, asset_plan, strict=True):
        if rng.random() < 0.5:
            continue
        granted = seized + dt.timedelta(days=10)
        if granted > today:
            continue
        orders.append(
            CourtOrder(
                asset=asset,
                order_type=OrderType.PRESERVATION,
                legal_basis=LegalBasis.POCAMLA_S82,
                court_name="High Court",
                order_number=f"P-{asset.pk}",
                granted_on=granted,
                expires_on=granted + dt.timedelta(days=90),
            )
        )
        asset.status = AssetStatus.PRESERVED
        roll = rng.random()
        if roll < 0.1 and granted + dt.timedelta(days=91) <= today:
            asset.status = AssetStatus.LAPSED
            lapses.append(
                AssetStatusChange(
                    asset=asset,
                    from_status=AssetStatus.PRESERVED,
                    to_status=AssetStatus.LAPSED,
                    effective_on=granted + dt.timedelta(days=91),
                )
            )
        elif roll < 0.6:
            forfeited = granted + dt.timedelta(days=rng.randint(60, 400))
            if forfeited <= today:
                orders.append(
                    CourtOrder(
                        asset=asset,
                        order_type=OrderType.FORFEITURE,
                        legal_basis=LegalBasis.CTIP_S17,
                        court_name="High Court",
                        order_number=f"F-{asset.pk}",
                        granted_on=forfeited,
                        destination=Destination.TRUST_FUND,
                    )
                )
                asset.status = AssetStatus.FORFEITED
                sold = forfeited + dt.timedelta(days=rng.randint(30, 300))
                if rng.random() < 0.6 and sold <= today:
                    # Whole shillings: SQLite compares the net = gross - costs constraint in floating point.
                    gross = Decimal(int(asset.estimated_value_kes * Decimal(rng.choice(["0.6", "0.8", "1.0"]))))
                    costs = Decimal(int(gross / 20))
                    sales.append(
                        Realisation(
                            asset=asset,
                            realised_on=sold,
                            method="auction",
                            gross_proceeds=gross,
                            costs=costs,
                            net_proceeds=gross - costs,
                            net_proceeds_kes=gross - costs,
                            destination=Destination.TRUST_FUND,
                        )
                    )
                    asset.status = AssetStatus.REALISED
        moved.append(asset)
    CourtOrder.objects.bulk_create(orders, batch_size=BATCH)
    Realisation.objects.bulk_create(sales, batch_size=BATCH)
    AssetStatusChange.objects.bulk_create(lapses, batch_size=BATCH)
    Asset.objects.bulk_update(moved, ["status"], batch_size=BATCH)
    return {
        "cases": len(created),
        "accused": len(accused),
        "counts": len(charges),
        "sentences": len(sentences),
        "victims": len(victims),
        "hearings": len(hearings),
        "assets": len(assets),
        "orders": len(orders),
        "sales": len(sales),
        "lapses": len(lapses),
    }


def refuse_shared_database() -> None:
    """Stop unless DATABASE_URL names a throwaway database: a benchmark migrates it and fills it with rows."""
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url or database_url.rstrip("/").endswith(("db.sqlite3", "/ctip")):
        sys.exit("Set DATABASE_URL to a throwaway database (not the shared dev or main database).")


def get_ok(client: Any, url: str, params: dict[str, str] | None = None) -> Any:
    """The page, refusing to time anything but a 200 (a redirect to sign-in or enrolment is not the page)."""
    response = client.get(url, params or {})
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response


def _timed(function: Any, repeat: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            function()
            times.append(time.perf_counter() - started)
        queries = len(captured)
    return statistics.median(times) * 1000, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="time the data a previous run generated")
    args = parser.parse_args()
    refuse_shared_database()

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from core.models import User
    from core.reports import Period, get_report

    call_command("migrate", verbosity=0)
    if not args.reuse:
        started = time.perf_counter()
        counts = generate(args.cases)
        summary = ", ".join(f"{v:,} {k}" for k, v in counts.items())
        print(f"Generated in {time.perf_counter() - started:.1f} s: {summary}")
    with django.db.connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would gather after a bulk load

    user = User.objects.get(username="bench-unit-head")
    client = Client()
    client.force_login(user)
    today = timezone.localdate()
    print(f"\nDatabase: {django.db.connection.vendor}; median of {args.repeat} runs; times in milliseconds.\n")
    print("| Report | Period | Queries | Compute | Page | Excel |")
    print("|---|---|---|---|---|---|")
    for key in ("tip_statistics", "performance", "network_roles", "asset_recovery"):
        report = get_report(key)
        period = Period.containing(report.period_kind, today).shifted(-1)
        url = reverse(report.url_name)
        compute_ms, queries = _timed(lambda r=report, p=period: r.compute(p, user), args.repeat)
        page_ms, _ = _timed(lambda u=url, p=period: get_ok(client, u, {"period": p.param}), args.repeat)

        def excel(u: str = url, p: Period = period) -> None:
            response: Any = get_ok(client, u, {"period": p.param, "export": "xlsx"})
            b"".join(response.streaming_content)

        excel_ms, _ = _timed(excel, args.repeat)
        print(f"| {report.title} | {period.param} | {queries} | {compute_ms:.0f} | {page_ms:.0f} | {excel_ms:.0f} |")
    home_ms, home_queries = _timed(lambda: get_ok(client, reverse("core:home")), args.repeat)
    print(f"| Home page of the unit head (four chart panels) | — | {home_queries} | — | {home_ms:.0f} | — |")


if __name__ == "__main__":
    main()
