"""Cursor pagination for every list: stable under inserts, no page numbers to skip or repeat records."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class ApiCursorPagination(CursorPagination):
    """Newest first by primary key (records that have no date of their own page steadily too);
    ``?page_size=`` up to 200. A view with an ``ordering`` attribute pages in that order."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-pk"

    def get_ordering(self, request, queryset, view):  # type: ignore[no-untyped-def]
        ordering = getattr(view, "ordering", None)
        if ordering:
            return (ordering,) if isinstance(ordering, str) else tuple(ordering)
        return (self.ordering,)
