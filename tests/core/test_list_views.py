"""The generic filtered list (used here by the County list): filters, paging, fixed query count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.models import County, User
from core.views.reference import CountyListView

# Counties whose code or name contains "1": about a dozen of the 47.
FEW = "1"


@pytest.fixture(autouse=True)
def _few_is_few(db: None) -> None:
    assert 5 <= County.objects.filter(code__contains=FEW).count() <= 15


def _queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_list_runs_the_same_number_of_queries_for_few_or_many_rows(client: Client, prosecutor: User) -> None:
    client.force_login(prosecutor)
    client.get("/counties/")  # warm up: the first request may load content types and such once
    few = _queries_for(client, f"/counties/?q={FEW}")
    many = _queries_for(client, "/counties/?q=")
    assert few == many


def test_the_download_runs_the_same_number_of_queries_for_few_or_many_rows(client: Client, prosecutor: User) -> None:
    client.force_login(prosecutor)
    client.get("/counties/")
    few = _queries_for(client, f"/counties/?q={FEW}&export=xlsx")
    many = _queries_for(client, "/counties/?q=&export=xlsx")
    assert few == many


def test_the_list_filters_and_says_how_many_rows_match(client: Client, prosecutor: User) -> None:
    client.force_login(prosecutor)
    html = client.get("/counties/", {"q": "nairobi"}).content.decode()
    assert "1 result<" in html
    assert "Nairobi City" in html and "Mombasa" not in html


def test_a_filter_matching_nothing_says_so(client: Client, prosecutor: User) -> None:
    client.force_login(prosecutor)
    html = client.get("/counties/", {"q": "Atlantis"}).content.decode()
    assert "0 results" in html
    assert "Nothing matches these filters." in html


def test_long_lists_are_paged(client: Client, prosecutor: User, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(CountyListView, "paginate_by", 20)
    client.force_login(prosecutor)
    pages = [client.get("/counties/", {"q": "", "page": str(n)}) for n in (1, 2, 3)]
    assert [len(page.context["object_list"]) for page in pages] == [20, 20, 7]
    assert pages[2].context["object_list"][6].name == "Nairobi City"
    assert client.get("/counties/", {"page": 4}).status_code == 404


def test_the_filters_button_says_when_filters_are_in_use(client: Client, auditor: User) -> None:
    client.force_login(auditor)
    assert "Filters (in use)" not in client.get("/counties/?page=2").content.decode()
    assert "Filters (in use)" not in client.get("/counties/?q=").content.decode()
    assert "Filters (in use)" in client.get("/counties/?q=Nyeri").content.decode()
