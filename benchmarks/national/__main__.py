"""``make bench``: every row of issue 20's table, tracker against reference, in one run on PostgreSQL.

    .venv/bin/python -m benchmarks.national [--sizes small|national] [--rounds N] [--json PATH] [--keep]

It creates its own database ``ctip_bench_<pid>`` on the server of ``BENCH_DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432``), migrates it, generates the data with a fixed seed (bulk inserts),
measures each row as interleaved tracker/reference rounds (at least ``--rounds``, more while a row's runs add up
to less than ``common.MIN_SAMPLE_SECONDS``) and prints their medians, then drops the
database (``--keep`` keeps it). ``BENCH_SIZES=small`` (or ``--sizes small``) is a quick run: 1,000 cases
and 10,000 links instead of 100,000 and 100,000.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.national.common import MIN_SAMPLE_SECONDS, BenchRow, BenchSizes  # noqa: E402

SMALL_LIST_CASES = 1_000


def _server_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")


def _admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{_server_url()}/postgres", autocommit=True) as connection:
        connection.execute(statement.encode())


def _fmt(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def print_rows(rows: list[BenchRow]) -> None:
    print("| Work | Tracker (ms) | Reference (ms) | Ratio | Goal | Met | Queries | Peak MiB | Note |")
    print("|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        goal = (
            "—" if row.goal is None else (f"≤ {row.goal:g}×" if row.reference_ms is not None else f"≤ {row.goal:g} ms")
        )
        met = {True: "yes", False: "NO", None: "—"}[row.met]
        queries = "—" if row.queries is None else str(row.queries)
        print(
            f"| {row.work} | {_fmt(row.tracker_ms)} | {_fmt(row.reference_ms)} | {_fmt(row.ratio, 2)}"
            f"{'×' if row.ratio is not None else ''} | {goal} | {met} | {queries}"
            f" | {_fmt(row.peak_mib, 2)} | {row.note} |",
            flush=True,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "national"))
    parser.add_argument("--cases", type=int, help="override the number of cases")
    parser.add_argument("--links", type=int, help="override the number of audit-chain links")
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", "7")))
    parser.add_argument("--export-rounds", type=int, default=int(os.environ.get("BENCH_EXPORT_ROUNDS", "3")))
    parser.add_argument("--json", default=os.environ.get("BENCH_JSON", "benchmarks/national/results.json"))
    parser.add_argument("--only", default="", help="comma-separated: list,export,signin,chain,reconciliation")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    sizes = BenchSizes.named(args.sizes)
    if args.cases or args.links:
        sizes = BenchSizes(cases=args.cases or sizes.cases, links=args.links or sizes.links)
    only = {part.strip() for part in args.only.split(",") if part.strip()}

    name = f"ctip_bench_{os.getpid()}"
    _admin_sql(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = f"{_server_url()}/{name}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DJANGO_2FA_REQUIRED"] = "0"  # the bench users have no authenticator
    rows: list[BenchRow] = []
    started = time.monotonic()
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connections
        from django.urls import clear_url_caches

        settings.DEBUG = False  # development keys, production behaviour: no query log, no debug pages
        settings.ROOT_URLCONF = "benchmarks.national.case_list"  # the product's URLs + the reference admin
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        clear_url_caches()
        print(f"Database {name}: migrating…", flush=True)
        call_command("migrate", verbosity=0)

        from benchmarks.national import case_list, data, export, reconciliation, signin

        bench = data.prepare()
        alias = "default"

        def run(key: str, label: str, step: Callable[[], list[BenchRow]]) -> None:
            if only and key not in only:
                return
            print(f"… {label}", flush=True)
            connections[alias].queries_log.clear()  # a full query log (9,000 entries) would count nothing
            try:
                new = step()
            except Exception as error:  # noqa: BLE001 - a failing row is reported, the others still run
                traceback.print_exc()
                new = [BenchRow(label, float("nan"), None, None, None, note=f"FAILED: {error!r}")]
            rows.extend(new)
            print_rows(new)

        small = min(SMALL_LIST_CASES, sizes.cases)
        t0 = time.monotonic()
        data.grow_cases(bench, small)
        print(f"Generated {small:,} cases in {time.monotonic() - t0:.1f} s", flush=True)
        run("list", "case list at 1,000", lambda: case_list.measure_small(alias, bench, args.rounds))
        if sizes.cases > small:
            t0 = time.monotonic()
            data.grow_cases(bench, sizes.cases)
            print(f"Generated {sizes.cases:,} cases in {time.monotonic() - t0:.1f} s", flush=True)
        run("list", "case list", lambda: case_list.measure(alias, bench, sizes, args.rounds))
        run("export", "Excel export", lambda: export.measure(alias, bench, sizes, args.export_rounds))
        run("signin", "sign-in → home", lambda: signin.measure(alias, bench, sizes, args.rounds))

        def chain_rows() -> list[BenchRow]:
            try:
                from benchmarks.national import chain  # written by the audit-chain work (perfchain)
            except ImportError:
                return [
                    BenchRow("Tracked save / verify_audit", float("nan"), None, None, None, note="skipped: no chain.py")
                ]
            measured: list[BenchRow] = chain.measure(alias, sizes, args.rounds)
            return measured

        run("chain", "audit chain", chain_rows)
        run("reconciliation", "reconciliation page", lambda: reconciliation.measure(alias, sizes, args.rounds))
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001 - the database is dropped whatever went wrong
            traceback.print_exc()
        if args.keep:
            print(f"Kept database {name}")
        else:
            _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    print(
        f"\nAll rows ({sizes.cases:,} cases, {sizes.links:,} links; medians of at least {args.rounds} interleaved"
        f" rounds, {args.export_rounds} for the export, more while they add up to under"
        f" {MIN_SAMPLE_SECONDS:.0f} s (each row's note says how many); {time.monotonic() - started:.0f} s):\n"
    )
    print_rows(rows)
    report: dict[str, Any] = {
        "sizes": {"cases": sizes.cases, "links": sizes.links},
        "rounds": args.rounds,
        "export_rounds": args.export_rounds,
        "min_sample_seconds": MIN_SAMPLE_SECONDS,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "rows": [row.as_dict() for row in rows],
    }
    Path(args.json).write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"\nWrote {args.json}")
    return 0 if all(row.met is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
