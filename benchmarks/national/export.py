"""The case list's "Download Excel" against a raw xlsxwriter loop over the same queryset (the reference).

The reference is what a developer would write by hand: ``.values_list()`` of the case list's queryset
(same rows, same order, the accused count included), streamed in chunks into a constant-memory workbook,
one ``write_*`` call per non-empty cell. The tracker's time is the whole download request (filters, the
"About this export" sheet, formula-safe text, column widths) read to its last byte.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import Any

import xlsxwriter
from django.conf import settings
from django.test import Client
from django.urls import reverse

from benchmarks.national.common import BenchRow, BenchSizes, count_queries, interleaved, peak_mib, ratio
from benchmarks.national.data import BenchData

REFERENCE_FIELDS = (
    "reference",
    "title",
    "stage",
    "county__name",
    "court__name",
    "court_case_type",
    "court_case_serial",
    "court_case_year",
    "ob_number",
    "lead_prosecutor__first_name",
    "lead_prosecutor__last_name",
    "exploitation_types",
    "accused_count",
    "opened_on",
    "last_activity_on",
    "closure_reason",
)


def raw_loop(user: Any) -> int:
    """The reference: a bare constant-memory xlsxwriter loop over ``.values_list()``."""
    from prosecutions.models import Case
    from prosecutions.views.cases import case_list_queryset

    queryset = case_list_queryset(Case.objects.visible_to(user)).order_by("-opened_on", "-id")
    with tempfile.TemporaryFile() as target:
        workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
        sheet = workbook.add_worksheet("Data")
        date_format = workbook.add_format({"num_format": "dd mmm yyyy"})
        for col, name in enumerate(REFERENCE_FIELDS):
            sheet.write_string(0, col, name)
        row_number = 0
        for row_number, values in enumerate(queryset.values_list(*REFERENCE_FIELDS).iterator(chunk_size=2000), 1):
            for col, value in enumerate(values):
                if value is None or value == "":
                    continue
                if isinstance(value, dt.date):
                    sheet.write_datetime(row_number, col, dt.datetime.combine(value, dt.time()), date_format)
                elif isinstance(value, int):
                    sheet.write_number(row_number, col, value)
                else:
                    sheet.write_string(row_number, col, str(value))
        workbook.close()
    return row_number


def measure(database_alias: str, data: BenchData, sizes: BenchSizes, rounds: int) -> list[BenchRow]:
    from core.models import User

    # A list this long is exported by a background worker in the product (core.export_jobs); the worker runs
    # the same export. Built here in the request, so that the engine itself is what is timed.
    settings.EXPORT_BACKGROUND_ROWS = 0
    user = User.objects.get(pk=data.reader_id)
    client = Client()
    client.force_login(user)
    url = reverse("prosecutions:case_list")

    def tracker() -> int:
        response = client.get(url, {"export": "xlsx"})
        assert response.status_code == 200, response.status_code
        content: Any = response.streaming_content  # type: ignore[attr-defined]
        return sum(len(part) for part in content)

    def reference() -> int:
        return raw_loop(user)

    tracker_ms, reference_ms, taken = interleaved(tracker, reference, rounds, warmup=0)
    captured = count_queries(database_alias, tracker)
    tracker_peak = peak_mib(tracker)
    reference_peak = peak_mib(reference)
    return [
        BenchRow(
            work=f"Excel export, {data.cases:,} case rows",
            tracker_ms=round(tracker_ms, 1),
            reference_ms=round(reference_ms or 0, 1),
            ratio=ratio(tracker_ms, reference_ms),
            goal=1.3,
            queries=captured,
            peak_mib=round(tracker_peak, 2),
            note=f"raw loop's peak {reference_peak:.2f} MiB (Python heap, tracemalloc); {taken} rounds",
        )
    ]
