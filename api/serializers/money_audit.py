"""The audit log's lines as the API shows them: who did what to which record, when and why, with the
field-by-field change. A protected identity's fields show only that they changed, never their value."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.money_common import label
from core.models import AuditAction, AuditLink


class FieldChangeSerializer(serializers.Serializer[object]):
    field = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()
    masked = serializers.BooleanField(help_text=_("A protected field: only the fact of the change is shown."))


class AuditLineSerializer(serializers.ModelSerializer[AuditLink]):
    """One link of the audit chain, as a line of the audit log. ``annotate_lines`` must have run on it."""

    user = serializers.SerializerMethodField(help_text=_('Who did it; "System" for the system.'))
    user_id = serializers.IntegerField(read_only=True, allow_null=True)
    action_label = label("action")
    record_type_label = serializers.CharField(read_only=True)
    case = serializers.IntegerField(source="case_id", read_only=True, allow_null=True)
    case_label = serializers.CharField(read_only=True)
    changes = serializers.SerializerMethodField()

    class Meta:
        model = AuditLink
        fields = [
            "seq",
            "at",
            "user",
            "user_id",
            "action",
            "action_label",
            "record_type",
            "record_type_label",
            "object_id",
            "object_repr",
            "case",
            "case_label",
            "reason",
            "changes",
        ]
        read_only_fields = fields

    def get_user(self, link: AuditLink) -> str:
        if link.user_id:
            return str(link.user)
        return "—" if link.action == AuditAction.LOGIN_FAILED else str(_("System"))

    @extend_schema_field(FieldChangeSerializer(many=True))
    def get_changes(self, link: AuditLink) -> list[dict[str, Any]]:
        return [
            {"field": str(c.field), "old": "" if c.masked else str(c.old), "new": str(c.new), "masked": c.masked}
            for c in getattr(link, "changes", [])
        ]
