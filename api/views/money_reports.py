"""Reports as JSON: the reports the user may read, and one report's figures for a period — computed by the
report's own ``compute`` (the registry in ``core.reports``), with the page's period parameters
(``?period=2026`` or ``2026-27``; ``?from=…&to=…`` where the report takes any dates)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from api.base import ApiAccessMixin
from api.serializers.money_reports import ReportFiguresSerializer, ReportSerializer, report_figures
from core.reports import Period, get_report, report_readers, reports_for
from core.views.reports import asked_period


class ReportAccessMixin(ApiAccessMixin):
    """Whoever may read at least one report; each report then checks its own roles."""

    @property
    def allowed_roles(self) -> frozenset[str]:  # type: ignore[override]
        return report_readers()


class ReportListView(ReportAccessMixin, GenericAPIView):
    """Every report the user may read."""

    serializer_class = ReportSerializer
    pagination_class = None
    filter_backends: list[type] = []

    @extend_schema(summary="The reports you may read", responses={200: ReportSerializer(many=True)}, tags=["reports"])
    def get(self, request: Request) -> Response:
        return Response(ReportSerializer(reports_for(request.user), many=True).data)


class ReportFiguresView(ReportAccessMixin, GenericAPIView):
    """One report's figures, tables and notes for one period — what its page shows."""

    serializer_class = ReportFiguresSerializer
    pagination_class = None
    filter_backends: list[type] = []

    @extend_schema(
        summary="A report's figures for a period",
        parameters=[
            OpenApiParameter("key", OpenApiTypes.STR, OpenApiParameter.PATH, description="The report's key."),
            OpenApiParameter(
                "period",
                OpenApiTypes.STR,
                description='A calendar year ("2026") or a financial year ("2026-27"), as the report\'s '
                "`period_kind` says; the period in progress when left out.",
            ),
            OpenApiParameter(
                "from", OpenApiTypes.DATE, description="First day, for a report with `any_dates` (with `to`)."
            ),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last day, for a report with `any_dates`."),
        ],
        responses={200: ReportFiguresSerializer},
        tags=["reports"],
    )
    def get(self, request: Request, key: str) -> Response:
        try:
            report = get_report(key)
        except KeyError:
            raise Http404 from None
        if not report.may_read(request.user):
            raise PermissionDenied
        period = asked_period(report, request.query_params) or Period.containing(
            report.period_kind, timezone.localdate()
        )
        data = report.compute(period, request.user)
        return Response(ReportFiguresSerializer(report_figures(report, period, data)).data)
