"""Benchmark of the audit chain (not a test): the write overhead of chaining and the time to verify.

Run it against a THROWAWAY database — it migrates it and writes thousands of rows:

    DATABASE_URL=sqlite:////tmp/ctip-bench.sqlite3 .venv/bin/python benchmarks/audit_chain.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctip_bench .venv/bin/python benchmarks/audit_chain.py

1. Saves per second of a tracked record (a court: a row, its history row and, when chained, its link),
   each save in its own transaction as a service does, with the chain and with the chain's receiver
   disconnected (history still written).
2. The time ``verify_chain`` takes over ``--links`` links (100,000 by default), built with simple-history's
   bulk helper (chained in batches) so the set-up stays quick, and the peak memory it used.
3. The time the live-table check (``core.audit.integrity``: every tracked row against its latest history
   row) takes over the same record, the memory it used, and the whole ``verify_audit`` run.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--saves", type=int, default=2000, help="saves timed with and without the chain")
    parser.add_argument("--links", type=int, default=100_000, help="links in the chain to verify")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url or database_url.rstrip("/").endswith(("db.sqlite3", "/ctip")):
        sys.exit("Set DATABASE_URL to a throwaway database (not the shared dev or main database).")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from simple_history.signals import post_create_historical_record
    from simple_history.utils import bulk_create_with_history

    from core.audit.chain_verify import verify_chain
    from core.audit.signals import chain_history_row
    from core.models import AuditLink, County
    from prosecutions.choices import CourtLevel
    from prosecutions.models import Court

    call_command("migrate", verbosity=0)
    county = County.objects.order_by("code").get(code="001")
    run = str(time.time_ns())[-8:]

    def saves(label: str, count: int) -> float:
        started = time.perf_counter()
        for n in range(count):
            with transaction.atomic():
                court = Court(name=f"Bench {run} {label} {n}", level=CourtLevel.RESIDENT_MAGISTRATE, station="B")
                court.county = county
                court.save_as(None, "Benchmark")
        return count / (time.perf_counter() - started)

    print(f"Database: {connection.vendor}; CPUs: {os.cpu_count()}")
    saves("warm-up", 50)
    chained = saves("chained", args.saves)
    post_create_historical_record.disconnect(chain_history_row, dispatch_uid="core.audit.chain_history_row")
    try:
        unchained = saves("unchained", args.saves)
    finally:
        post_create_historical_record.connect(chain_history_row, dispatch_uid="core.audit.chain_history_row")
    print(f"Saves per second with the chain:    {chained:8.0f}")
    print(
        f"Saves per second without the chain: {unchained:8.0f}  (chaining costs {100 * (1 - chained / unchained):.0f}%)"
    )

    # The history rows written without the chain are unlinked, as an attack would leave them; the
    # verification below would (rightly) report them, so they are chained now through the same code.
    from core.audit.chain import link_history_rows

    history = Court.history.model
    unlinked = list(history.objects.exclude(pk__in=AuditLink.objects.values("row_id")).values_list("pk", flat=True))
    with transaction.atomic():
        link_history_rows(history, unlinked)

    missing = args.links - AuditLink.objects.count()
    batch = 2000
    started = time.perf_counter()
    made = 0
    while missing > 0:
        size = min(batch, missing)
        courts = [
            Court(name=f"Bulk {run} {made + n}", level=CourtLevel.RESIDENT_MAGISTRATE, station="B", county=county)
            for n in range(size)
        ]
        bulk_create_with_history(courts, Court, default_change_reason="Benchmark")
        made += size
        missing -= size
    if made:
        print(f"Built {made} more links in {time.perf_counter() - started:.1f}s (bulk helper, chained per batch)")

    connection.close()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = verify_chain()
    elapsed = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"verify_chain over {result.links} links: {elapsed:.1f}s ({result.links / elapsed:,.0f} links/s), "
        f"peak RSS {rss_after / 1024:.0f} MB (grew {max(rss_after - rss_before, 0) / 1024:.0f} MB), ok={result.ok}"
    )
    if not result.ok:
        print(f"  problem: {result.problem}")

    import tracemalloc

    from core.audit.integrity import live_tables_match_history, tracked_pairs
    from core.audit.verification import verify_record

    live_rows = sum(model._base_manager.count() for model, _ in tracked_pairs())
    connection.close()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    problem = live_tables_match_history()
    elapsed = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    live_tables_match_history()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(
        f"live tables against history, {live_rows} live rows in {len(tracked_pairs())} tables: {elapsed:.1f}s "
        f"({live_rows / elapsed:,.0f} rows/s), peak RSS grew {max(rss_after - rss_before, 0) / 1024:.0f} MB, "
        f"peak Python allocations {peak / 2**20:.1f} MB, ok={not problem}"
    )
    if problem:
        print(f"  problem: {problem}")
    started = time.perf_counter()
    report = verify_record(write=False)
    elapsed = time.perf_counter() - started
    print(f"verify_audit in all (chain, checkpoints, every integrity check): {elapsed:.1f}s, ok={report.ok}")


if __name__ == "__main__":
    main()
