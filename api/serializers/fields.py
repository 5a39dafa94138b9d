"""Field helpers shared by the prosecutions side's serializers."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


def label(field: str, **kwargs: Any) -> serializers.CharField:
    """``<field>_label``: the choice's label (``get_FOO_display``), in the request's language; the code
    beside it stays stable."""
    return serializers.CharField(source=f"get_{field}_display", read_only=True, **kwargs)
