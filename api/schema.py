"""The OpenAPI schema's house rules: every operation documents the error envelope for the refusals it can
give, and every write documents its ``Idempotency-Key`` header."""

from __future__ import annotations

from typing import Any, Literal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text=_("Stable, machine-readable: the refusal's name in snake_case."))
    message = serializers.CharField(help_text=_("For a person: the same words the pages show."))
    field = serializers.CharField(allow_null=True, help_text=_("The input field at fault, or null."))
    fields = serializers.DictField(
        required=False, child=serializers.JSONField(), help_text=_("Validation errors: each field's messages.")
    )


class ErrorSerializer(serializers.Serializer[Any]):
    """Every refusal the API gives: ``{"error": {"code", "message", "field"}}``."""

    error = ErrorDetailSerializer()


# Refusals any operation can give, and those only a write can give.
COMMON_ERRORS = (400, 401, 403, 404, 429)
WRITE_ERRORS = (409,)


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's schema, plus the error envelope on every operation and the idempotency header on
    every write."""

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self.method == "POST":
            parameters.append(
                OpenApiParameter(
                    "Idempotency-Key",
                    str,
                    OpenApiParameter.HEADER,
                    required=False,
                    description="Any unique string (a UUID) up to 255 characters: a retry with the same key "
                    "and body replays the first answer instead of doing the work twice.",
                )
            )
        return parameters

    def _get_response_bodies(self, direction: Literal["request", "response"] = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        errors = COMMON_ERRORS + (WRITE_ERRORS if self.method == "POST" else ())
        for code in errors:
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(ErrorSerializer, str(code), direction=direction)
        return responses


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """The personal token in the schema's security schemes."""

    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token made on your account page (/accounts/profile/): "
            "`Authorization: Bearer ctip_…`.",
        }
