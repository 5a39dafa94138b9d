"""FilterSet of the victims register."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from prosecutions.choices import Sex
from victims.access import on_a_case
from victims.choices import IdentifyingAgency, ServiceKind
from victims.models import CaseVictim, ServiceProvider, Victim

WITH_CASE = (("yes", _("With a case")), ("no", _("Without a case")))


class VictimFilter(django_filters.FilterSet):
    code = django_filters.CharFilter(label=_("Victim code"), field_name="code", lookup_expr="icontains")
    identified_by = django_filters.MultipleChoiceFilter(label=_("Identified by"), choices=IdentifyingAgency.choices)
    sex = django_filters.MultipleChoiceFilter(label=_("Sex"), choices=Sex.choices)
    identified_after = django_filters.DateFilter(
        label=_("Identified from"), field_name="identified_on", lookup_expr="gte"
    )
    identified_before = django_filters.DateFilter(
        label=_("Identified to"), field_name="identified_on", lookup_expr="lte"
    )
    with_case = django_filters.ChoiceFilter(label=_("Case"), choices=WITH_CASE, method="filter_with_case")
    case = django_filters.CharFilter(label=_("Case (ODPP file number)"), method="filter_case")

    class Meta:
        model = Victim
        fields: list[str] = []

    def filter_with_case(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "yes":
            return queryset.filter(on_a_case())
        if value == "no":
            return queryset.exclude(on_a_case())
        return queryset

    def filter_case(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        linked = CaseVictim.objects.filter(case__reference__icontains=value).values("victim_id")
        return queryset.filter(Q(pk__in=linked) | Q(case__reference__icontains=value))


class ProviderFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("Name"), field_name="name", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("Service offered"), choices=ServiceKind.choices, method="filter_kind")

    class Meta:
        model = ServiceProvider
        fields: list[str] = []

    def filter_kind(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        # JSON containment is not on SQLite: the providers are few, so filter their ids in Python.
        ids = [provider.pk for provider in queryset if value in (provider.kinds or [])]
        return queryset.filter(pk__in=ids)
