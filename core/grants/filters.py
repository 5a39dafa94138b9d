"""FilterSets of the access administrators' lists: accounts and grants."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.choices import GrantStatus
from core.models import RoleGrant, User
from core.roles import Role


class AccountFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name, username or e-mail"), method="filter_text")
    role = django_filters.ChoiceFilter(label=_("Holds the role"), choices=Role.choices, method="filter_role")
    is_active = django_filters.BooleanFilter(label=_("Account in use"))

    class Meta:
        model = User
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(username__icontains=value)
            | Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(email__icontains=value)
        )

    def filter_role(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(pk__in=User.objects.holding([value]).values("pk"))


class GrantFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=GrantStatus.choices)
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices)
    q = django_filters.CharFilter(label=_("Person"), method="filter_person")

    class Meta:
        model = RoleGrant
        fields: list[str] = []

    def filter_person(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(user__username__icontains=value)
            | Q(user__first_name__icontains=value)
            | Q(user__last_name__icontains=value)
        )
