"""Assets through the API: the register with valuations, court orders and the sale; the preservation
deadlines; and the two writes other systems push — a court order with its gazette date, and a realisation.

The same rules as the pages: readers are ``ASSET_READERS``; the deadline list ``DEADLINE_READERS``; a write
needs ``ASSET_WRITERS`` (403), an asset the user may see (404) and may change (``can_change_asset``, 403), and
goes through ``assets.services`` with their guards and messages.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.serializers import BaseSerializer

from api.base import ScopedReadOnlyViewSet, ServiceWriteView
from api.serializers.money_assets import (
    AssetDetailSerializer,
    AssetSerializer,
    AssetStateSerializer,
    CourtOrderInputSerializer,
    CourtOrderRecordedSerializer,
    CourtOrderSerializer,
    DeadlineSerializer,
    RealisationInputSerializer,
    RealisationRecordedSerializer,
    RealisationSerializer,
)
from assets import services
from assets.access import ASSET_READERS, ASSET_WRITERS, DEADLINE_READERS, can_change_asset
from assets.deadlines import deadline_orders, latest_preservation_expiry, warning_days
from assets.filters import AssetFilter, DeadlineFilter
from assets.models import Asset, AssetStatusChange, CourtOrder


@extend_schema_view(
    list=extend_schema(summary="The asset register", tags=["assets"]),
    retrieve=extend_schema(summary="One asset with its valuations, court orders, sale and moves", tags=["assets"]),
)
class AssetViewSet(ScopedReadOnlyViewSet):
    """Assets seized in trafficking cases, filtered as the register page filters them."""

    queryset = Asset.objects.all()
    allowed_roles = ASSET_READERS
    filterset_class = AssetFilter
    serializer_class = AssetSerializer

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        return AssetDetailSerializer if self.action == "retrieve" else AssetSerializer

    def narrow(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = queryset.select_related("case", "case__county", "owner").annotate(
            preservation_expires_on=latest_preservation_expiry()
        )
        if self.action == "retrieve":
            orders: Prefetch[Any] = Prefetch("orders", queryset=CourtOrder.objects.select_related("court"))
            moves: Prefetch[Any] = Prefetch(
                "status_changes", queryset=AssetStatusChange.objects.order_by("effective_on", "id")
            )
            queryset = queryset.select_related("realisation").prefetch_related("valuations", orders, moves)
        return queryset


@extend_schema_view(
    list=extend_schema(
        summary="Preservation deadlines",
        description="Current preservation orders of assets still only preserved that expire within `within` days "
        "(the configured warning window when not given) or have already expired, soonest first.",
        tags=["assets"],
    )
)
class DeadlineViewSet(ScopedReadOnlyViewSet):
    """The preservation deadline list, as its page computes it."""

    queryset = CourtOrder.objects.all()
    allowed_roles = DEADLINE_READERS
    filterset_class = DeadlineFilter
    serializer_class = DeadlineSerializer
    ordering = ("expires_on", "id")

    def narrow(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return deadline_orders(None).filter(pk__in=queryset.values("pk"))

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # As on the page: the warning window applies when the request names none.
        data = self.request.query_params.copy()
        if not data.get("within"):
            data["within"] = str(warning_days())
        filterset = DeadlineFilter(data, queryset=queryset, request=self.request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        filtered: QuerySet[Any] = filterset.qs
        return filtered


# --------------------------------------------------------------------------------------------------
# Writes


class AssetWriteView(ServiceWriteView):
    """A write on one asset: the writer roles, then an asset the user may see (404), then one they may
    change (403) — checked before the body is read, as the pages check before the form."""

    allowed_roles = ASSET_WRITERS
    queryset = Asset.objects.all()  # for the schema's path parameter; records come from visible_to
    asset: Asset

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.asset = get_object_or_404(Asset.objects.visible_to(request.user).select_related("case"), pk=kwargs["pk"])
        if not can_change_asset(request.user, self.asset):
            raise PermissionDenied


@extend_schema(
    summary="Record a court order over an asset",
    description="A preservation order's expiry is computed from its gazette date (or its grant date), never "
    "sent. A forfeiture or confiscation order moves the asset to forfeited and needs `destination`. "
    "Refusals carry the service's message: e.g. `illegal_asset_move` (409), `invalid_date` (400).",
    request=CourtOrderInputSerializer,
    responses={201: CourtOrderRecordedSerializer},
    tags=["assets"],
)
class CourtOrderCreateView(AssetWriteView):
    serializer_class = CourtOrderInputSerializer

    def perform(self, request: Request, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        order = services.record_court_order(self.asset, request.user, **data)
        body = {"order": CourtOrderSerializer(order).data, "asset": AssetStateSerializer(self.asset).data}
        return status.HTTP_201_CREATED, body


@extend_schema(
    summary="Record the sale or conversion of a forfeited asset",
    description="Net proceeds are gross less costs, in KES through `exchange_rate` for another currency. The "
    "asset moves to realised. Refusals carry the service's message: e.g. `not_forfeited`, `invalid_amount`.",
    request=RealisationInputSerializer,
    responses={201: RealisationRecordedSerializer},
    tags=["assets"],
)
class RealisationCreateView(AssetWriteView):
    serializer_class = RealisationInputSerializer

    def perform(self, request: Request, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        sale = services.record_realisation(self.asset, request.user, **data)
        body = {"realisation": RealisationSerializer(sale).data, "asset": AssetStateSerializer(self.asset).data}
        return status.HTTP_201_CREATED, body
