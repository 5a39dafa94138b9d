"""The hearings diary: this week and next week across the user's cases, with Excel download."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponseBase

from core.access import PageAccess
from core.exporter import CHUNK_SIZE, AboutExport, xlsx_response
from core.views.generic import FilteredListView, describe_filters
from prosecutions.access import CASE_WRITERS, hearings_scope
from prosecutions.filters import HearingFilter, Week, week_bounds
from prosecutions.models import Hearing
from prosecutions.registry import annotate_hearings, annotate_hearings_in_chunks
from prosecutions.tables import HEARING_COLUMNS


class HearingListView(FilteredListView):
    """The diary: the unit head sees every case's hearings, a prosecutor those of the cases they are on."""

    allowed_roles = CASE_WRITERS
    page_access = PageAccess(opens=CASE_WRITERS)
    filterset_class = HearingFilter
    columns = HEARING_COLUMNS
    title = "Hearings this week and next week"
    export_name = "hearings"
    paginate_by = 50

    def get_base_queryset(self) -> QuerySet[Any]:
        start, _ = week_bounds(Week.THIS)
        _, end = week_bounds(Week.NEXT)
        return (
            Hearing.objects.visible_to(self.request.user)
            .filter(case__in=hearings_scope(self.request.user), date__range=(start, end))
            .select_related("case", "court")
            .order_by("date", "court__name", "id")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["object_list"] = annotate_hearings(context["object_list"])
        return context

    def export(self) -> HttpResponseBase:
        """As the generic export, with the registered annotations (one query per source per chunk)."""
        queryset = self.get_queryset()
        about = AboutExport(
            title=self.get_title(),
            exported_by=f"{self.request.user} ({self.request.user.get_username()})",
            filters=describe_filters(self.filterset),
        )
        rows = annotate_hearings_in_chunks(queryset.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE)
        return xlsx_response(self.export_name, self.columns, rows, about)
