"""The audit log through the API: auditors only. The same lines as the audit log page — the chain's links
with each record's field-by-field change, protected fields masked — filtered as the page filters them,
newest first."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view

from api.base import ScopedReadOnlyViewSet
from api.serializers.money_audit import AuditLineSerializer
from core.audit.log import annotate_lines
from core.models import AuditLink
from core.roles import Role
from core.views.audit import AuditLogFilter

AUDIT_READERS = frozenset({Role.AUDITOR})


@extend_schema_view(list=extend_schema(summary="The audit log", tags=["audit"]))
class AuditLogViewSet(ScopedReadOnlyViewSet):
    """Every recorded change and sign-in event, newest first (by the chain's sequence)."""

    queryset = AuditLink.objects.all()
    allowed_roles = AUDIT_READERS
    filterset_class = AuditLogFilter
    serializer_class = AuditLineSerializer
    ordering = "-seq"

    def narrow(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.select_related("user")

    def paginate_queryset(self, queryset: QuerySet[Any]) -> list[Any] | None:
        # A page's differences cost a fixed number of queries per record type, never one per line.
        page = super().paginate_queryset(queryset)
        return annotate_lines(list(page)) if page is not None else None
