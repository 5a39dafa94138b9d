"""FilterSets for core's own lists."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from core.models import County


class CountyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name or code", method="filter_text")

    class Meta:
        model = County
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))
