"""API routes for cases, hearings, victims and witnesses (by code), and the writes on them."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from api.views import prosecutions as views

router = SimpleRouter()
router.register("cases", views.CaseViewSet, basename="case")
router.register("hearings", views.HearingViewSet, basename="hearing")
router.register("victims", views.VictimViewSet, basename="victim")
router.register("witnesses", views.WitnessViewSet, basename="witness")

urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/<int:pk>/hearings/", views.ScheduleHearingView.as_view(), name="case_schedule_hearing"),
    path("hearings/<int:pk>/outcome/", views.HearingOutcomeView.as_view(), name="hearing_outcome"),
    path("counts/<int:pk>/plea/", views.PleaView.as_view(), name="count_plea"),
    path("counts/<int:pk>/outcome/", views.DispositionView.as_view(), name="count_outcome"),
    *router.urls,
]
