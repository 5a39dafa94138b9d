"""The reconciliation page row, measured by last session's fund benchmark (``benchmarks/fund_books_bench.py``):
its data generators and its page list are reused as they are; this module only times its first two pages
(the fund statement, the reference, and the reconciliation report) interleaved, the harness's way."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.db import connections
from django.test import Client

from benchmarks.national.common import BenchRow, BenchSizes, count_queries, interleaved, peak_mib, ratio

RECONCILIATION_CASES = 10_000
GOAL = 3.0


def measure(database_alias: str, sizes: BenchSizes, rounds: int) -> list[BenchRow]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the fund benchmark imports its siblings
    from fund_books_bench import pages
    from fund_reports_bench import generate_fund
    from reports_bench import generate

    from core.models import User

    cases = min(RECONCILIATION_CASES, sizes.cases)
    generate(cases)
    generate_fund(int(2_700 * cases / RECONCILIATION_CASES), int(3_700 * cases / RECONCILIATION_CASES))
    with connections[database_alias].cursor() as cursor:
        if connections[database_alias].vendor == "postgresql":
            cursor.execute("ANALYZE")
    from django.utils import timezone

    client = Client()
    client.force_login(User.objects.get(username="bench-fund-admin"))
    timed = {label: (url, params) for label, url, params in pages(timezone.localdate())}

    def getter(label: str) -> Any:
        url, params = timed[label]

        def get() -> None:
            response = client.get(url, params)
            assert response.status_code == 200, (url, response.status_code)

        return get

    tracker, reference = getter("Reconciliation report"), getter("Fund statement (report)")
    tracker_ms, reference_ms, taken = interleaved(tracker, reference, rounds)
    captured = count_queries(database_alias, tracker)
    return [
        BenchRow(
            work=f"Reconciliation page, {cases:,} cases",
            tracker_ms=round(tracker_ms, 1),
            reference_ms=round(reference_ms or 0, 1),
            ratio=ratio(tracker_ms, reference_ms),
            goal=GOAL,
            queries=captured,
            peak_mib=round(peak_mib(tracker), 2),
            note=f"reference: the fund statement page (benchmarks/fund_books_bench.py); {taken} rounds",
        )
    ]
