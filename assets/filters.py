"""FilterSets of the asset register and the deadline list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assets.choices import AssetStatus, AssetType, Destination
from assets.deadlines import expiring_assets
from assets.models import Asset, CourtOrder
from core.bounds import days_filter, money_filter
from core.models import County


class AssetFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Reference, description or identifier"), method="filter_text")
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=AssetStatus.choices)
    asset_type = django_filters.MultipleChoiceFilter(label=_("Type"), choices=AssetType.choices)
    county = django_filters.ModelChoiceFilter(
        label=_("County"), field_name="case__county", queryset=County.objects.order_by("name")
    )
    case = django_filters.CharFilter(label=_("Case (ODPP file number)"), method="filter_case")
    destination = django_filters.ChoiceFilter(label=_("Destination"), choices=Destination.choices)
    expiring_within = days_filter(_("Preservation expiring within (days)"), method="filter_expiring")
    value_min = money_filter(_("Value from (KES)"), field_name="estimated_value_kes", lookup_expr="gte")
    value_max = money_filter(_("Value up to (KES)"), field_name="estimated_value_kes", lookup_expr="lte")

    class Meta:
        model = Asset
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(reference__icontains=value) | Q(description__icontains=value) | Q(identifier__icontains=value)
        )

    def filter_case(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(case__reference__icontains=value) | Q(case__title__icontains=value))

    def filter_expiring(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return expiring_assets(queryset, int(value))


class DeadlineFilter(django_filters.FilterSet):
    within = days_filter(_("Expiring within (days)"), method="filter_within")
    mine = django_filters.BooleanFilter(label=_("Only cases I lead"), method="filter_mine")
    county = django_filters.ModelChoiceFilter(
        label=_("County"), field_name="asset__case__county", queryset=County.objects.order_by("name")
    )

    class Meta:
        model = CourtOrder
        fields: list[str] = []

    def filter_within(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        limit = timezone.localdate() + dt.timedelta(days=int(value))
        return queryset.filter(expires_on__lte=limit)

    def filter_mine(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        if value and self.request is not None:
            return queryset.filter(asset__case__lead_prosecutor=self.request.user)
        return queryset
