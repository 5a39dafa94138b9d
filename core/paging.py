"""One page of a long list shown inside a page (``?<name>_page=N``), with the links to the pages either
side; several lists page independently on one page, and every other parameter of the address is kept.
The Excel download of such a page always holds every row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import QueryDict


@dataclass(frozen=True)
class PagedList:
    """A page of the list ``name`` and the query strings of the pages before and after it ("" at an end)."""

    name: str
    page: Page[Any]
    previous_query: str
    next_query: str

    @property
    def rows(self) -> list[Any]:
        return list(self.page.object_list)

    @property
    def count(self) -> int:
        return self.page.paginator.count


def paged(query: QueryDict, name: str, items: Sequence[Any], size: int) -> PagedList:
    """The page of ``items`` the address asks for as ``<name>_page`` (the first, or the last when past the
    end, as Django's ``get_page``)."""
    param = f"{name}_page"
    page = Paginator(items, size).get_page(query.get(param))

    def query_for(number: int) -> str:
        asked = query.copy()
        asked[param] = str(number)
        return asked.urlencode()

    return PagedList(
        name,
        page,
        previous_query=query_for(page.previous_page_number()) if page.has_previous() else "",
        next_query=query_for(page.next_page_number()) if page.has_next() else "",
    )
