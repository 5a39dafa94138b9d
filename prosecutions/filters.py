"""FilterSets of the prosecutions lists."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from core.guards import today
from core.models import County, User
from prosecutions.access import CASE_WRITERS
from prosecutions.choices import ExploitationType, HearingOutcome, HearingPurpose, NetworkRole, Stage
from prosecutions.models import Accused, Charge, Court, Offence


def offence_section_choices() -> list[tuple[str, str]]:
    """One choice per statute and section (across penalty versions), e.g. ``ctip:7``."""
    seen: dict[str, str] = {}
    for offence in Offence.objects.order_by("statute", "section", "-effective_from"):
        key = f"{offence.statute}:{offence.section}"
        seen.setdefault(key, f"{offence.short_statute} s.{offence.section} — {offence.title}")
    return list(seen.items())


def prosecutor_queryset(request: HttpRequest | None = None) -> QuerySet[User]:
    """Everyone who may lead a case (prosecutors and the unit head), by name."""
    return User.objects.holding(CASE_WRITERS).order_by("last_name", "first_name")


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search", method="filter_text", help_text="File number, title, court case number or OB number"
    )
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices)
    county = django_filters.ModelChoiceFilter(queryset=County.objects.order_by("name"))
    court = django_filters.ModelChoiceFilter(queryset=Court.objects.order_by("name"))
    lead_prosecutor = django_filters.ModelChoiceFilter(label="Lead prosecutor", queryset=prosecutor_queryset)
    offence = django_filters.ChoiceFilter(
        label="Offence section", choices=offence_section_choices, method="filter_offence"
    )
    exploitation_type = django_filters.ChoiceFilter(
        label="Exploitation type", choices=ExploitationType.choices, method="filter_exploitation"
    )
    network_role = django_filters.ChoiceFilter(
        label="Accused network role", choices=NetworkRole.choices, method="filter_network_role"
    )
    opened = django_filters.DateFromToRangeFilter(
        label="Opened between",
        field_name="opened_on",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(reference__icontains=text)
            | Q(title__icontains=text)
            | Q(court_case_serial__icontains=text)
            | Q(ob_number__icontains=text)
        )

    def filter_offence(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        statute, _, section = value.partition(":")
        charged = Charge.objects.filter(offence__statute=statute, offence__section=section).values("accused__case_id")
        return queryset.filter(pk__in=charged)

    def filter_exploitation(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        # The JSON list holds plain strings; match the quoted value so "slavery" does not match
        # "similar_to_slavery".
        return queryset.filter(exploitation_types__icontains=f'"{value}"')

    def filter_network_role(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(pk__in=Accused.objects.filter(network_role=value).values("case_id"))


class Week:
    THIS = "this"
    NEXT = "next"


def week_bounds(which: str, day: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """Monday to Sunday of this or next week."""
    start = (day or today()) - dt.timedelta(days=(day or today()).weekday())
    if which == Week.NEXT:
        start += dt.timedelta(days=7)
    return start, start + dt.timedelta(days=6)


class HearingFilter(django_filters.FilterSet):
    week = django_filters.ChoiceFilter(
        label="Week",
        choices=[(Week.THIS, "This week"), (Week.NEXT, "Next week")],
        method="filter_week",
        empty_label="This week and next week",
    )
    court = django_filters.ModelChoiceFilter(queryset=Court.objects.order_by("name"))
    purpose = django_filters.ChoiceFilter(choices=HearingPurpose.choices)
    outcome = django_filters.ChoiceFilter(choices=HearingOutcome.choices)
    flagged = django_filters.BooleanFilter(label="Adjournment over s.205 limit", field_name="exceeds_adjournment_limit")

    class Meta:
        fields: list[str] = []

    def filter_week(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        start, end = week_bounds(value)
        return queryset.filter(date__range=(start, end))
