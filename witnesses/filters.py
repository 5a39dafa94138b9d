"""FilterSet of the witness register."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from witnesses.access import is_liaison
from witnesses.choices import ProtectionStatus, RiskLevel, WitnessRole
from witnesses.models import Appearance, Witness


class WitnessFilter(django_filters.FilterSet):
    code = django_filters.CharFilter(label=_("Witness code"), field_name="code", lookup_expr="icontains")
    protection_status = django_filters.MultipleChoiceFilter(
        label=_("Protection status"), choices=ProtectionStatus.choices
    )
    role = django_filters.MultipleChoiceFilter(label=_("Role"), choices=WitnessRole.choices, method="filter_role")
    case = django_filters.CharFilter(label=_("Case (ODPP file number or title)"), method="filter_case")
    risk_level = django_filters.MultipleChoiceFilter(label=_("Risk level"), choices=RiskLevel.choices)

    class Meta:
        model = Witness
        fields: list[str] = []

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        if request is not None and not is_liaison(request.user):
            del self.filters["risk_level"]

    def filter_role(self, queryset: QuerySet[Any], name: str, value: list[str]) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.filter(pk__in=Appearance.objects.filter(role__in=value).values("witness_id"))

    def filter_case(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        cases = Q(case__reference__icontains=value) | Q(case__title__icontains=value)
        return queryset.filter(pk__in=Appearance.objects.filter(cases).values("witness_id"))
