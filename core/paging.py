"""One page of a long list shown inside a page (``?<name>_page=N``), with the links to the pages either
side; several lists page independently on one page, and every other parameter of the address is kept.
The Excel download of such a page always holds every row."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, overload

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import QueryDict

T = TypeVar("T")
U = TypeVar("U")


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


class QueryRows(Sequence[T]):
    """The rows of a long list read from a queryset only as they are needed: its length is one ``COUNT``, a
    page on screen reads just its slice, and a workbook iterating every row reads them in chunks — so a page
    showing 25 of 100,000 rows neither loads nor converts the rest. ``to_row`` turns one fetched value (a
    ``values_list`` tuple, say) into a row."""

    def __init__(
        self,
        queryset: QuerySet[Any],
        to_row: Callable[[Any], T],
        chunk_size: int = 2000,
        *,
        counted_by: QueryRows[Any] | None = None,
    ) -> None:
        self.queryset = queryset
        self.to_row = to_row
        self.chunk_size = chunk_size
        self._count: int | None = None
        self._counted_by = counted_by  # the rows this was mapped from: one COUNT serves both

    def __len__(self) -> int:
        if self._counted_by is not None:
            return len(self._counted_by)
        if self._count is None:
            self._count = self.queryset.count()
        return self._count

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self.to_row(value) for value in self.queryset[index]]
        return self.to_row(self.queryset[index])

    def __iter__(self) -> Iterator[T]:
        for value in self.queryset.iterator(chunk_size=self.chunk_size):
            yield self.to_row(value)

    def mapped(self, convert: Callable[[T], U]) -> QueryRows[U]:
        """The same rows, each passed through ``convert`` too (still read only as needed)."""
        to_row = self.to_row
        return QueryRows(self.queryset, lambda value: convert(to_row(value)), self.chunk_size, counted_by=self)
