"""Reference data pages: the counties."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.access import PageAccess
from core.filters import CountyFilter
from core.models import County
from core.roles import ALL_ROLES
from core.tables import COUNTY_COLUMNS
from core.views.generic import FilteredListView


class CountyListView(FilteredListView):
    """The 47 counties and their codes, filterable and downloadable."""

    filterset_class = CountyFilter
    columns = COUNTY_COLUMNS
    title = _("Counties")
    page_access = PageAccess(opens=ALL_ROLES)
    export_name = "counties"
    paginate_by = 50

    def get_base_queryset(self) -> QuerySet[Any]:
        return County.objects.visible_to(self.request.user).order_by("code")
