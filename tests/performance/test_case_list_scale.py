"""The case list at national scale (issue 20): a fixed number of queries however many cases, the accused
counted on the page's rows only, no DISTINCT where nothing can repeat a case, reference-data choices read
once per process, and an export from ``values_list()`` that says exactly what the screen says."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import openpyxl
import pytest
from django import forms
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import County
from core.roles import Role
from prosecutions import services
from prosecutions.choices import ClosureReason, Stage
from prosecutions.filters import COUNTY_CHOICES, CaseFilter
from prosecutions.models import Accused, Case
from prosecutions.tables import CASE_COLUMNS
from tests.factories import UserFactory
from tests.prosecutions.factories import court, make_accused, make_case

URL = "prosecutions:case_list"


def bulk_cases(lead: Any, count: int, *, start: int = 0, accused_each: int = 2) -> list[Case]:
    """``count`` cases inserted in bulk (no history: the list reads none), each with ``accused_each`` accused."""
    counties = list(County.objects.order_by("code")[:5])
    today = services.today()
    cases = Case.objects.bulk_create(
        [
            Case(
                reference=f"BULK/{start + n:06d}",
                title=f"Republic v. Bulk {start + n}",
                county=counties[n % len(counties)],
                court=court(),
                stage=Stage.TRIAL if n % 2 else Stage.INVESTIGATION,
                lead_prosecutor=lead,
                opened_on=today - dt.timedelta(days=n % 900),
                last_activity_on=today,
                exploitation_types=["forced_labour"],
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    Accused.objects.bulk_create(
        [Accused(case=case, name=f"Accused {case.pk}-{a}") for case in cases for a in range(accused_each)],
        batch_size=2000,
    )
    return cases


def _queries(client: Client, params: dict[str, str] | None = None) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(URL), params or {})
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("params", [{}, {"stage": "trial"}, {"county": "__county__", "stage": "trial"}, {"q": "Bulk"}])
def test_the_case_list_runs_the_same_queries_from_10_to_5000_cases(
    client: Client, prosecutor: Any, params: dict
) -> None:
    client.force_login(prosecutor)
    county = County.objects.order_by("code").first()
    assert county is not None
    wanted = {key: (str(county.pk) if value == "__county__" else value) for key, value in params.items()}
    bulk_cases(prosecutor, 10)
    _queries(client, wanted)  # the process reads the reference data once (core.filters.ReferenceChoices)
    few = _queries(client, wanted)
    bulk_cases(prosecutor, 4_990, start=10)
    many = _queries(client, wanted)
    assert len(many) == len(few), "\n".join(many)


def test_the_accused_are_counted_on_the_page_rows_only_and_the_count_has_no_join(
    client: Client, prosecutor: Any
) -> None:
    bulk_cases(prosecutor, 60)
    client.force_login(prosecutor)
    queries = [sql for sql in _queries(client, {"stage": "trial"}) if 'FROM "prosecutions_case"' in sql]
    page = [sql for sql in queries if "LIMIT 25" in sql]
    counts = [sql for sql in queries if "COUNT(*)" in sql.upper() and "LIMIT" not in sql]
    assert len(page) == 1 and len(counts) == 1, queries
    # The page: the accused counted by a subquery on its rows, not a join + GROUP BY over every case.
    assert 'GROUP BY "prosecutions_case"."id"' not in page[0]
    assert 'JOIN "prosecutions_accused"' not in page[0]
    # The paginator's count: the cases alone, no join, no DISTINCT.
    assert '"prosecutions_accused"' not in counts[0]
    assert "DISTINCT" not in counts[0].upper()
    assert "JOIN" not in counts[0].upper()


def test_each_row_shows_its_own_number_of_accused(client: Client, prosecutor: Any) -> None:
    none = make_case(prosecutor, title="Republic v. Nobody")
    two = make_case(prosecutor, title="Republic v. Two")
    make_accused(two, prosecutor, name="First Accused")
    make_accused(two, prosecutor, name="Second Accused")
    client.force_login(prosecutor)
    rows = {case.pk: case.accused_count for case in client.get(reverse(URL)).context["object_list"]}
    assert rows == {none.pk: 0, two.pk: 2}


def test_the_county_filter_renders_as_django_would_and_marks_the_choice(prosecutor: Any) -> None:
    county = County.objects.get(code="001")
    filterset = CaseFilter({"county": str(county.pk)}, queryset=Case.objects.visible_to(prosecutor))
    html = str(filterset.form["county"])
    plain = forms.Select(choices=[("", "---------"), *COUNTY_CHOICES()])
    django_html = plain.render("county", str(county.pk), attrs={"id": "id_county"})
    assert html == re.sub(r">\s+<", "><", django_html)
    assert f'<option value="{county.pk}" selected>{county.name}</option>' in html
    assert html.count(" selected") == 1


def test_reference_choices_are_read_once_and_again_after_a_change(prosecutor: Any) -> None:
    COUNTY_CHOICES()
    with CaptureQueriesContext(connection) as captured:
        first = COUNTY_CHOICES()
        str(CaseFilter(None, queryset=Case.objects.visible_to(prosecutor)).form["county"])
    assert not [q for q in captured.captured_queries if "core_county" in q["sql"]]
    county = County.objects.order_by("code").first()
    assert county is not None
    county.name = "Mombasa Renamed"
    county.save()
    renamed = COUNTY_CHOICES()
    assert (str(county.pk), "Mombasa Renamed") in renamed
    assert len(renamed) == len(first)


def test_a_new_prosecutor_is_offered_as_lead_at_once(client: Client, prosecutor: Any) -> None:
    client.force_login(prosecutor)
    before = client.get(reverse(URL)).content.decode()
    assert "Wafula" not in before
    newcomer = UserFactory.create(username="wafula", first_name="Brian", last_name="Wafula", roles=[Role.PROSECUTOR])
    after = client.get(reverse(URL)).content.decode()
    assert f'<option value="{newcomer.pk}">Brian Wafula</option>' in after


def test_an_unknown_county_is_refused_not_ignored(client: Client, prosecutor: Any) -> None:
    make_case(prosecutor)
    client.force_login(prosecutor)
    response = client.get(reverse(URL), {"county": "999999"})
    assert response.status_code == 200
    assert response.context["result_count"] == 0
    assert "county" in response.context["filter"].form.errors


def test_the_filters_described_name_the_county_and_court(client: Client, prosecutor: Any) -> None:
    county = County.objects.get(code="001")
    make_case(prosecutor, county=county, court=court("Mombasa"))
    client.force_login(prosecutor)
    response = client.get(reverse(URL), {"county": county.pk, "court": court("Mombasa").pk})
    described = dict(response.context["filters_described"])
    assert described["County"] == county.name
    assert described["Court"] == court("Mombasa").name
    assert response.context["result_count"] == 1


def test_the_export_from_values_says_what_the_screen_says(client: Client, prosecutor: Any, unit_head: Any) -> None:
    closed = make_case(
        prosecutor,
        title='=HYPERLINK("x")',
        court_case_serial="E77",
        court_case_year=2025,
        ob_number="OB 4/5/2025",
        exploitation_types=["forced_labour", "sexual_exploitation"],
    )
    make_accused(closed, prosecutor)
    Case.objects.filter(pk=closed.pk).update(
        stage=Stage.CLOSED, closed_on=services.today(), closure_reason=ClosureReason.CONCLUDED
    )
    make_case(unit_head, title="Republic v. Plain", court=None)
    client.force_login(prosecutor)
    screen = client.get(reverse(URL))
    expected = [
        tuple(_cell(column.value(case), column.kind) for column in CASE_COLUMNS)
        for case in screen.context["object_list"]
    ]
    response = client.get(reverse(URL), {"export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    rows = list(book["Data"].iter_rows(values_only=True))
    assert rows[0] == tuple(column.label for column in CASE_COLUMNS)
    assert rows[1:] == expected
    formula = book["Data"]["B2"] if str(rows[1][1]).startswith("=") else book["Data"]["B3"]
    assert formula.data_type == "s" and formula.quotePrefix


def _cell(value: Any, kind: str) -> Any:
    """What the workbook holds for a screen value: blanks for "", real dates, numbers."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    if kind == "integer":
        return value
    return str(value)


def test_the_export_memory_stays_flat_from_values(prosecutor: Any) -> None:
    import tempfile
    import tracemalloc

    from core.exporter import AboutExport, write_workbook
    from core.tables import values_plan

    plan = values_plan(CASE_COLUMNS)
    assert plan is not None

    def peak(rows: int) -> int:
        fake = (
            (
                "R",
                "T",
                "trial",
                "Nairobi",
                "Court",
                "Criminal Case",
                "E1",
                2025,
                "OB",
                "A",
                "B",
                "a",
                ["forced_labour"],
                3,
                dt.date(2025, 1, 1),
                dt.date(2025, 1, 2),
                "",
            )
            for _ in range(rows)
        )
        with tempfile.TemporaryFile() as target:
            tracemalloc.start()
            try:
                write_workbook(target, CASE_COLUMNS, plan.cells(fake), AboutExport("t", "e"), cells=True)
                _, top = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
        return top

    small, large = peak(2_000), peak(20_000)
    assert large - small < 512 * 1024, (small, large)
