"""The hearings diary: this week and next week across the user's cases, with Excel download."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from core.views.generic import FilteredListView
from prosecutions.access import CASE_WRITERS, hearings_scope
from prosecutions.filters import HearingFilter, Week, week_bounds
from prosecutions.models import Hearing
from prosecutions.tables import HEARING_COLUMNS


class HearingListView(FilteredListView):
    allowed_roles = CASE_WRITERS
    filterset_class = HearingFilter
    columns = HEARING_COLUMNS
    title = "Hearings this week and next week"
    export_name = "hearings"
    paginate_by = 50

    def get_base_queryset(self) -> QuerySet[Any]:
        start, _ = week_bounds(Week.THIS)
        _, end = week_bounds(Week.NEXT)
        return (
            Hearing.objects.filter(case__in=hearings_scope(self.request.user), date__range=(start, end))
            .select_related("case", "court")
            .order_by("date", "court__name", "id")
        )
