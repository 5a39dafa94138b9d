"""The case list against the Django admin changelist of the same cases (the reference).

The reference is a real ``ModelAdmin`` with the case list's columns, filters (``list_filter``) and search
(``search_fields``, the accused's names included), registered on an AdminSite of the benchmark's own — the
product's admin is not touched — and served under ``/bench-admin/`` by the benchmark's URLconf.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import admin
from django.test import Client
from django.urls import include, path, reverse

from benchmarks.national.common import BenchRow, BenchSizes, count_queries, interleaved, peak_mib, ratio
from benchmarks.national.data import BenchData

bench_site = admin.AdminSite(name="bench_admin")


def _register() -> None:
    from prosecutions.models import Case

    class CaseAdmin(admin.ModelAdmin[Case]):
        list_display = (
            "reference",
            "title",
            "stage",
            "county",
            "court",
            "court_case_serial",
            "ob_number",
            "lead_prosecutor",
            "exploitation_types",
            "opened_on",
            "last_activity_on",
            "closure_reason",
        )
        list_select_related = ("county", "court", "lead_prosecutor")
        list_filter = ("stage", "county", "court", "lead_prosecutor", "opened_on")
        search_fields = (
            "reference",
            "title",
            "ob_number",
            "court_case_serial",
            "accused__name",
            "accused__aliases",
            "accused__id_number",
        )
        list_per_page = 25

    if not bench_site.is_registered(Case):
        bench_site.register(Case, CaseAdmin)


_register()

# The benchmark's URLconf: the product's URLs plus the reference admin.
urlpatterns = [path("bench-admin/", bench_site.urls), path("", include("config.urls"))]


def _client(user_id: int) -> Client:
    from core.models import User

    client = Client()
    client.force_login(User.objects.get(pk=user_id))
    return client


def _getter(client: Client, url: str, params: dict[str, str]) -> Any:
    def get() -> Any:
        response = client.get(url, params)
        assert response.status_code == 200, f"{url} {params} answered {response.status_code}"
        return response

    return get


def one_row(
    database_alias: str,
    data: BenchData,
    work: str,
    params: dict[str, str],
    admin_params: dict[str, str],
    goal: float,
    rounds: int,
) -> BenchRow:
    tracker = _getter(_client(data.reader_id), reverse("prosecutions:case_list"), params)
    reference = _getter(_client(data.admin_id), reverse("bench_admin:prosecutions_case_changelist"), admin_params)
    # Both pages must show the same number of cases, or the comparison is not fair.
    mine, theirs = tracker().content.decode(), reference().content.decode()
    found = re.search(r'data-testid="result-count">([\d,]+) result', mine)
    assert found, f"{work}: no result count on the case list"
    shown = int(found.group(1).replace(",", ""))
    admin_counts = re.search(r"([\d,]+) results? \(|([\d,]+) cases?\b", theirs)
    assert admin_counts, f"{work}: no result count on the admin changelist"
    admin_shown = int((admin_counts.group(1) or admin_counts.group(2)).replace(",", ""))
    assert shown == admin_shown, (work, shown, admin_shown)
    tracker_ms, reference_ms, taken = interleaved(tracker, reference, rounds)
    captured = count_queries(database_alias, tracker)
    admin_captured = count_queries(database_alias, reference)
    return BenchRow(
        work=work,
        tracker_ms=round(tracker_ms, 2),
        reference_ms=round(reference_ms or 0, 2),
        ratio=ratio(tracker_ms, reference_ms),
        goal=goal,
        queries=captured,
        peak_mib=round(peak_mib(tracker), 2),
        note=f"{shown:,} cases match; admin changelist ran {admin_captured} queries; {taken} rounds",
    )


def measure_small(database_alias: str, data: BenchData, rounds: int) -> list[BenchRow]:
    """Stage + county at the size the data has now (1,000 cases)."""
    return [
        one_row(
            database_alias,
            data,
            f"Case list, stage + county, {data.cases:,}",
            {"stage": data.stage, "county": str(data.county_id)},
            {"stage__exact": data.stage, "county__id__exact": str(data.county_id)},
            0.7,
            rounds,
        )
    ]


def measure(database_alias: str, data: BenchData, sizes: BenchSizes, rounds: int) -> list[BenchRow]:
    """Unfiltered, stage + county and text search at the full size."""
    n = f"{data.cases:,}"
    return [
        one_row(database_alias, data, f"Case list, unfiltered, {n} cases", {}, {}, 0.5, rounds),
        one_row(
            database_alias,
            data,
            f"Case list, stage + county, {n}",
            {"stage": data.stage, "county": str(data.county_id)},
            {"stage__exact": data.stage, "county__id__exact": str(data.county_id)},
            0.5,
            rounds,
        ),
        one_row(
            database_alias, data, f"Case list, text search, {n}", {"q": data.search}, {"q": data.search}, 0.5, rounds
        ),
    ]
