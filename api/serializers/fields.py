"""Field helpers shared by the prosecutions side's serializers."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def label(field: str, **kwargs: Any) -> serializers.CharField:
    """``<field>_label``: the choice's label (``get_FOO_display``), in the request's language; the code
    beside it stays stable."""
    return serializers.CharField(source=f"get_{field}_display", read_only=True, **kwargs)


# A time of day as the courts keep it: East Africa Time, written without an offset ("09:30" or "09:30:00").
# OpenAPI's format "time" means RFC 3339's full-time, which must carry an offset, so the schema says what
# the API really sends and takes.
LOCAL_TIME_SCHEMA = {
    "type": "string",
    "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$",
    "example": "09:30:00",
    "description": "A time of day in East Africa Time, without an offset.",
}


@extend_schema_field(LOCAL_TIME_SCHEMA)
class LocalTimeField(serializers.TimeField):
    """A time of day in East Africa Time, without an offset."""
