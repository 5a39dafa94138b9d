"""Cases, hearings, victims and witnesses (by code) for other systems, and the writes they push: schedule a
hearing, record a hearing's outcome, a plea, a count's outcome — through the same services as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import django_filters
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request

from api.base import ScopedReadOnlyViewSet, ServiceWriteView
from api.serializers import prosecutions as s
from core.exceptions import DomainError
from prosecutions import diary
from prosecutions.access import CASE_READERS, CASE_WRITERS
from prosecutions.filters import CaseFilter, HearingFilter, HearingFilterForm
from prosecutions.models import Accused, Case, Charge, Court, Hearing, StageChange
from prosecutions.services import counts as count_services
from prosecutions.services import hearings as hearing_services
from victims.access import VICTIM_READERS
from victims.filters import VictimFilter
from victims.models import CaseVictim, Victim
from witnesses.access import WITNESS_READERS
from witnesses.filters import WitnessFilter
from witnesses.models import Appearance, Witness


def _accused_count() -> Coalesce:
    per_case = (
        Accused.objects.filter(case=OuterRef("pk")).order_by().values("case_id").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(per_case, output_field=IntegerField()), Value(0))


@extend_schema_view(
    list=extend_schema(
        summary="Cases", description="Case files the user may see, newest first; the case list's filters."
    ),
    retrieve=extend_schema(
        summary="One case",
        description="With its accused and their counts (plea, outcome, sentence), hearings, stage history and "
        "victims' codes.",
    ),
)
class CaseViewSet(ScopedReadOnlyViewSet):
    queryset = Case.objects.all()
    allowed_roles: ClassVar[frozenset[str]] = CASE_READERS
    filterset_class = CaseFilter

    def get_serializer_class(self) -> Any:
        return s.CaseDetailSerializer if self.action == "retrieve" else s.CaseSerializer

    def narrow(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = queryset.select_related("court", "county", "lead_prosecutor").annotate(
            accused_count=_accused_count()
        )
        if self.action != "retrieve":
            return queryset
        charges = Charge.objects.select_related("offence", "sentence", "sentence__compensation_victim").order_by(
            "count_number", "id"
        )
        accused = Accused.objects.order_by("id").prefetch_related(Prefetch("charges", queryset=charges))
        return queryset.prefetch_related(  # type: ignore[type-var]  # the scoped manager is built at run time
            "team",
            Prefetch("accused", queryset=accused),
            Prefetch("hearings", queryset=Hearing.objects.select_related("court").order_by("date", "id")),
            Prefetch(
                "stage_changes",
                queryset=StageChange.objects.select_related("changed_by").order_by("effective_on", "id"),
            ),
            Prefetch("victim_links", queryset=CaseVictim.objects.select_related("victim")),
            Prefetch("victims", queryset=Victim.objects.only("id", "code", "case_id")),
        )


class ApiHearingFilterForm(HearingFilterForm):
    """The diary's date-range checks, except that the range may be left out (every hearing)."""

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        if data.get("start") is None and data.get("end") is None:
            return data
        return super().clean()


class ApiHearingFilter(HearingFilter):
    """The hearings diary's filters, plus the court; the date range is optional."""

    court = django_filters.ModelChoiceFilter(queryset=Court.objects.all(), label=gettext_lazy("Court"))
    case = django_filters.NumberFilter(field_name="case_id", label=gettext_lazy("Case id"))

    class Meta(HearingFilter.Meta):
        form = ApiHearingFilterForm


@extend_schema_view(
    list=extend_schema(
        summary="Hearings",
        description="Hearings of the cases the user may see, by date; `start`/`end` (at most a year), court, "
        "station, prosecutor, stage, purpose, outcome.",
    ),
    retrieve=extend_schema(summary="One hearing"),
)
class HearingViewSet(ScopedReadOnlyViewSet):
    queryset = Hearing.objects.all()
    allowed_roles: ClassVar[frozenset[str]] = CASE_READERS
    filterset_class = ApiHearingFilter
    serializer_class = s.HearingSerializer
    ordering = ("date", "id")

    def narrow(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return diary.with_outcome_missing(queryset.select_related("case", "court"), timezone.localdate())


@extend_schema_view(
    list=extend_schema(
        summary="Victims, by code", description="Codes and what the register counts; never an identity."
    ),
    retrieve=extend_schema(summary="One victim, by code"),
)
class VictimViewSet(ScopedReadOnlyViewSet):
    queryset = Victim.objects.all()
    allowed_roles: ClassVar[frozenset[str]] = VICTIM_READERS
    filterset_class = VictimFilter
    serializer_class = s.VictimSerializer
    lookup_field = "code"
    ordering = ("code",)

    def narrow(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.select_related("case", "identified_in").prefetch_related(
            Prefetch("case_links", queryset=CaseVictim.objects.select_related("case"))
        )


@extend_schema_view(
    list=extend_schema(
        summary="Witnesses, by code", description="Codes, cases and protection status; never an identity."
    ),
    retrieve=extend_schema(summary="One witness, by code"),
)
class WitnessViewSet(ScopedReadOnlyViewSet):
    queryset = Witness.objects.all()
    allowed_roles: ClassVar[frozenset[str]] = WITNESS_READERS
    filterset_class = WitnessFilter
    serializer_class = s.WitnessSerializer
    lookup_field = "code"
    ordering = ("code",)

    def narrow(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        appearances = Appearance.objects.visible_to(self.request.user).select_related("case").order_by("id")
        return queryset.prefetch_related(Prefetch("appearances", queryset=appearances))


# --- Writes ---------------------------------------------------------------------------------------------


def _case(request: Request, pk: int) -> Case:
    return get_object_or_404(Case.objects.visible_to(request.user), pk=pk)


def _hearing(request: Request, pk: int) -> Hearing:
    return get_object_or_404(Hearing.objects.visible_to(request.user).select_related("case"), pk=pk)


def _charge(request: Request, pk: int) -> Charge:
    return get_object_or_404(Charge.objects.visible_to(request.user).select_related("accused__case"), pk=pk)


class ScheduleHearingView(ServiceWriteView):
    """Schedule a hearing on a case (``prosecutions.services.hearings.record_hearing``)."""

    allowed_roles: ClassVar[frozenset[str]] = CASE_WRITERS
    serializer_class = s.ScheduleHearingSerializer

    @extend_schema(summary="Schedule a hearing", responses={201: s.HearingSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return super().post(request, *args, **kwargs)

    def perform(self, request: Request, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        case = _case(request, self.kwargs["pk"])
        court_id = data.pop("court", None)
        court = None
        if court_id is not None:
            court = Court.objects.filter(pk=court_id).first()
            if court is None:
                raise DomainError(_("There is no court with id %(id)s.") % {"id": court_id}, "court")
        hearing = hearing_services.record_hearing(case, request.user, court=court, **data)
        return status.HTTP_201_CREATED, dict(s.HearingSerializer(hearing).data)


class HearingOutcomeView(ServiceWriteView):
    """Record what happened at a hearing and the next date (``record_hearing_outcome``)."""

    allowed_roles: ClassVar[frozenset[str]] = CASE_WRITERS
    serializer_class = s.HearingOutcomeSerializer

    @extend_schema(summary="Record a hearing's outcome", responses={200: s.HearingSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return super().post(request, *args, **kwargs)

    def perform(self, request: Request, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        hearing = _hearing(request, self.kwargs["pk"])
        hearing = hearing_services.record_hearing_outcome(hearing, request.user, **data)
        hearing = Hearing.objects.select_related("case", "court").get(pk=hearing.pk)
        return status.HTTP_200_OK, dict(s.HearingSerializer(hearing).data)


def _count_body(charge: Charge) -> dict[str, Any]:
    fresh = Charge.objects.select_related("offence", "sentence", "sentence__compensation_victim").get(pk=charge.pk)
    return dict(s.CountSerializer(fresh).data)


class PleaView(ServiceWriteView):
    """Record the accused's plea to a count (``prosecutions.services.counts.record_plea``)."""

    allowed_roles: ClassVar[frozenset[str]] = CASE_WRITERS
    serializer_class = s.PleaSerializer

    @extend_schema(summary="Record a plea", responses={200: s.CountSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return super().post(request, *args, **kwargs)

    def perform(self, request: Request, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        charge = _charge(request, self.kwargs["pk"])
        day: dt.date | None = data.get("plea_date")
        count_services.record_plea(charge, request.user, plea=data["plea"], plea_date=day)
        return status.HTTP_200_OK, _count_body(charge)


class DispositionView(ServiceWriteView):
    """Record the outcome of a count (``prosecutions.services.counts.record_disposition``)."""

    allowed_roles: ClassVar[frozenset[str]] = CASE_WRITERS
    serializer_class = s.DispositionSerializer

    @extend_schema(summary="Record a count's outcome", responses={200: s.CountSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return super().post(request, *args, **kwargs)

    def perform(self, request: Request, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        charge = _charge(request, self.kwargs["pk"])
        count_services.record_disposition(
            charge,
            request.user,
            disposition=data["disposition"],
            disposition_date=data.get("disposition_date"),
        )
        return status.HTTP_200_OK, _count_body(charge)
