"""``core.paging``: a page of a long list, and rows read from a queryset only as they are needed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from core.models import County
from core.paging import QueryRows, paged

pytestmark = pytest.mark.django_db


def counties() -> QueryRows[str]:
    return QueryRows(County.objects.order_by("code").values_list("code", flat=True), lambda code: f"C{code}")


def test_its_length_is_one_count_and_a_page_reads_only_its_slice() -> None:
    everything = list(County.objects.order_by("code").values_list("code", flat=True))
    assert len(everything) > 30
    rows = counties()
    with CaptureQueriesContext(connection) as queries:
        page = paged(QueryDict("counties_page=2"), "counties", rows, 10)
        shown = page.rows
    assert page.count == len(everything)
    assert shown == [f"C{code}" for code in everything[10:20]]
    assert len(queries) == 2  # the count, and the ten rows of page 2
    assert "LIMIT 10" in queries[1]["sql"] and "OFFSET 10" in queries[1]["sql"]


def test_iterating_reads_every_row_and_mapped_converts_each() -> None:
    everything = list(County.objects.order_by("code").values_list("code", flat=True))
    assert list(counties()) == [f"C{code}" for code in everything]
    lengths = counties().mapped(len)
    assert list(lengths) == [len(f"C{code}") for code in everything]
    assert lengths[0] == len(f"C{everything[0]}")


def test_mapped_rows_share_one_count_with_the_rows_they_come_from() -> None:
    rows = counties()
    lengths = rows.mapped(len)
    with CaptureQueriesContext(connection) as queries:
        assert len(lengths) == len(rows) == County.objects.count()
        assert len(lengths) == len(rows)
    assert sum("COUNT(" in query["sql"] for query in queries) == 2  # one for the rows (both), one asserted by hand
