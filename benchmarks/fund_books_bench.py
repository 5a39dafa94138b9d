"""Benchmark of the fund pages that must stay fast (not a test): the fund statement, the reconciliation
report, the month-end reconciliation statement, the asset recovery report and the fund home, at 10,000
cases and about 5,500 bank statement lines.

Run it against a THROWAWAY database — it migrates it and inserts tens of thousands of rows:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctip_books_bench .venv/bin/python benchmarks/fund_books_bench.py

The data are those of ``benchmarks/reports_bench.py`` (``--cases`` cases with their assets, orders and
sales) and ``benchmarks/fund_reports_bench.py`` (``--receipts`` receipts and ``--disbursements`` paid
disbursements with their journal entries, and a statement matching about 85 % of them, plus a monthly
bank charge left unmatched): the defaults give about 5,500 statement lines. ``--reuse`` times a previous
run's data again.

Each page is fetched ``--repeat`` times by a fund administrator (who sees the fund home's queues); it
prints each page's SQL queries, its median time, and that time as a multiple of the fund statement
page's — the target is at most 3× for every page, with a number of queries that does not grow with the
data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# The benchmark's users have no authenticator: without this every fund page would answer with the redirect
# to two-factor enrolment, and the timings would be those of the redirect.
os.environ.setdefault("DJANGO_2FA_REQUIRED", "0")

from fund_reports_bench import generate_fund  # this folder is on sys.path when run as a script
from reports_bench import _timed, generate, refuse_shared_database

TARGET_RATIO = 3.0


def pages(today: Any) -> list[tuple[str, str, dict[str, str]]]:
    """(label, URL, parameters) of each page timed; the fund statement first (the yardstick)."""
    from django.urls import reverse

    from core.reports import Period, PeriodKind
    from trustfund.periods import month_bounds

    year = Period.containing(PeriodKind.FINANCIAL_YEAR, today).shifted(-1)
    last_month = month_bounds(today.replace(day=1) - dt.timedelta(days=1))[0]
    return [
        ("Fund statement (report)", reverse("trustfund:statement"), {"period": year.param}),
        ("Reconciliation report", reverse("trustfund:reconciliation"), {"period": year.param}),
        (
            "Reconciliation statement (month-end)",
            reverse("trustfund:reconciliation_statement"),
            {"month": f"{last_month:%Y-%m}"},
        ),
        ("Asset recovery report", reverse("assets:recovery"), {"period": year.param}),
        ("Fund home", reverse("trustfund:home"), {}),
        ("Month-end (books)", reverse("trustfund:books"), {}),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--receipts", type=int, default=2_700)
    parser.add_argument("--disbursements", type=int, default=3_700)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="time the data a previous run generated")
    args = parser.parse_args()
    refuse_shared_database()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from core.models import User
    from trustfund.models import StatementLine

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the role grants' notices
    call_command("migrate", verbosity=0)
    if not args.reuse:
        counts = generate(args.cases)
        counts.update(generate_fund(args.receipts, args.disbursements))
        print("Generated: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    with django.db.connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    client = Client()
    client.force_login(User.objects.get(username="bench-fund-admin"))
    today = timezone.localdate()
    lines = StatementLine.objects.count()
    vendor = django.db.connection.vendor
    print(f"\nDatabase: {vendor}; {lines:,} statement lines; median of {args.repeat} interleaved runs.\n")
    print("| Page | Queries | Median (ms) | × fund statement |")
    print("|---|---|---|---|")
    timed = pages(today)

    def fetcher(url: str, params: dict[str, str]) -> Any:
        def fetch() -> None:
            response = client.get(url, params)
            assert response.status_code == 200, (url, response.status_code)

        return fetch

    fetches = [fetcher(url, params) for _label, url, params in timed]
    queries = [_timed(fetch, 1)[1] for fetch in fetches]  # also warms caches (templates, the first connection)
    # Interleaved: every page once per round, so a slower moment of the machine weighs on all pages alike.
    times: list[list[float]] = [[] for _ in fetches]
    for _ in range(args.repeat):
        for index, fetch in enumerate(fetches):
            times[index].append(_timed(fetch, 1)[0])
    medians = [statistics.median(page_times) for page_times in times]
    for (label, _url, _params), median, count in zip(timed, medians, queries, strict=True):
        ratio = median / medians[0]
        flag = "" if ratio <= TARGET_RATIO else "  ← over the target"
        print(f"| {label} | {count} | {median:.0f} | {ratio:.2f}{flag} |")


if __name__ == "__main__":
    main()
