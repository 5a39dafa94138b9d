"""FilterSets of the prosecutions lists."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.filters import FixedChoices, FormClassOnce, ReferenceChoiceFilter, ReferenceChoices, ReferenceSelect
from core.models import County, RoleGrant, User
from prosecutions import diary
from prosecutions.access import CASE_WRITERS
from prosecutions.choices import ExploitationType, HearingOutcome, HearingPurpose, NetworkRole, Sex, Stage
from prosecutions.models import Accused, Case, Charge, Court, Offence
from prosecutions.search import case_match, person_match


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


# The reference data the case filters offer, read and rendered once per process (core.filters).
COUNTY_CHOICES = ReferenceChoices(lambda: County.objects.order_by("name").values_list("pk", "name"), County)
COURT_CHOICES = ReferenceChoices(lambda: Court.objects.order_by("name").values_list("pk", "name"), Court)
OFFENCE_SECTION_CHOICES = ReferenceChoices(offence_section_choices, Offence)


def prosecutor_choices() -> list[tuple[int, str]]:
    return [(user.pk, str(user)) for user in prosecutor_queryset()]


# Who may lead a case changes with role grants, group memberships and names: each drops the list.
PROSECUTOR_CHOICES = ReferenceChoices(prosecutor_choices, User, RoleGrant, through=[User.groups.through])


class CaseFilter(FormClassOnce, django_filters.FilterSet):
    """The case list's filters. Every label and choice is static or reference data, so the form class is
    built once (``FormClassOnce``) and the rendered form remembered (``CaseListView.filter_form_cacheable``)."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        help_text=_("File number, title, court case or OB number, or an accused's name, alias or ID number"),
    )
    # One value per case: no join can repeat a case, so no DISTINCT (which would wrap the page's COUNT too).
    stage = django_filters.MultipleChoiceFilter(choices=FixedChoices(Stage), distinct=False, label=_("Stage"))
    county = ReferenceChoiceFilter(label=_("County"), source=COUNTY_CHOICES)
    court = ReferenceChoiceFilter(label=_("Court"), source=COURT_CHOICES)
    lead_prosecutor = ReferenceChoiceFilter(label=_("Lead prosecutor"), source=PROSECUTOR_CHOICES)
    offence = django_filters.ChoiceFilter(
        label=_("Offence section"),
        choices=OFFENCE_SECTION_CHOICES,
        method="filter_offence",
        widget=ReferenceSelect(OFFENCE_SECTION_CHOICES),
    )
    exploitation_type = django_filters.ChoiceFilter(
        label=_("Exploitation type"), choices=FixedChoices(ExploitationType), method="filter_exploitation"
    )
    network_role = django_filters.ChoiceFilter(
        label=_("Accused network role"), choices=FixedChoices(NetworkRole), method="filter_network_role"
    )
    opened = django_filters.DateFromToRangeFilter(
        label=_("Opened between"),
        field_name="opened_on",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(case_match(text))  # the search box's rule (prosecutions.search)

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


def station_choices() -> list[tuple[str, str]]:
    """Every court station, once each (a station may have several courts)."""
    stations = Court.objects.order_by("station").values_list("station", flat=True).distinct()
    return [(station, station) for station in stations]


class HearingFilterForm(forms.Form):
    """The diary's filters, with its date range: in order, within the dates the diary takes, and at most a
    year long."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: dt.date | None = data.get("start")
        end: dt.date | None = data.get("end")
        for name, day in (("start", start), ("end", end)):
            if day is not None and not diary.in_bounds(day):
                self.add_error(
                    name,
                    gettext("Choose a date between %(earliest)s and %(latest)s.")
                    % {"earliest": f"{diary.EARLIEST:%d %b %Y}", "latest": f"{diary.LATEST:%d %b %Y}"},
                )
                return data
        if not self.errors and (start is None or end is None):
            self.add_error("end" if start else "start", gettext("Give the range's start and end dates."))
        elif start and end and end < start:
            self.add_error(
                "end", gettext("The end of the range is before its start: choose an end on or after the start.")
            )
        elif start and end and (end - start).days + 1 > diary.MAX_RANGE_DAYS:
            self.add_error(
                "end",
                gettext("Choose a range of at most one year (%(max)s days); this one is %(days)s days.")
                % {"max": diary.MAX_RANGE_DAYS, "days": (end - start).days + 1},
            )
        return data


class HearingFilter(django_filters.FilterSet):
    """The hearings diary: a date range (the view fills in this week and next when none is given), the
    court station, the prosecutor, the case's stage and what happened."""

    start = django_filters.DateFilter(
        label=_("From"), field_name="date", lookup_expr="gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = django_filters.DateFilter(
        label=_("To"), field_name="date", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )
    station = django_filters.ChoiceFilter(label=_("Court station"), field_name="court__station", choices=[])
    prosecutor = django_filters.ModelChoiceFilter(
        label=_("Prosecutor"),
        queryset=prosecutor_queryset,
        method="filter_prosecutor",
        help_text=_("Leading the case or on its team."),
    )
    stage = django_filters.MultipleChoiceFilter(
        label=_("Case stage"), field_name="case__stage", choices=Stage.choices, widget=forms.CheckboxSelectMultiple
    )
    purpose = django_filters.ChoiceFilter(choices=HearingPurpose.choices, label=_("Purpose"))
    outcome = django_filters.ChoiceFilter(choices=HearingOutcome.choices, label=_("Outcome"))
    unrecorded = django_filters.BooleanFilter(label=_("Outcome not recorded"), field_name="outcome_missing")
    flagged = django_filters.BooleanFilter(
        label=_("Adjournment over s.205 limit"), field_name="exceeds_adjournment_limit"
    )

    class Meta:
        fields: list[str] = []
        form = HearingFilterForm

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read when the page is drawn (a list, not a callable, so the Excel download can name the choice).
        # A filter's form field is built once and then copied with the filter, so it is set on the field too
        # (a field built before, with the class's empty choices, would otherwise refuse every station).
        station = self.filters["station"]
        station.extra["choices"] = station.field.choices = station_choices()

    def filter_prosecutor(self, queryset: QuerySet[Any], name: str, value: User) -> QuerySet[Any]:
        team_cases = Case.team.through.objects.filter(user_id=value.pk).values("case_id")
        return queryset.filter(Q(case__lead_prosecutor_id=value.pk) | Q(case_id__in=team_cases))


class PersonFilter(django_filters.FilterSet):
    """The person list: found by name, alias, reference, or a national ID, passport or phone number."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        help_text=_("Name, alias or reference, or a national ID, passport or phone number"),
    )
    sex = django_filters.ChoiceFilter(choices=Sex.choices, label=_("Sex"))
    nationality = django_filters.CharFilter(lookup_expr="icontains", label=_("Nationality"))

    class Meta:
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(person_match(text))  # the search box's rule (prosecutions.search)
