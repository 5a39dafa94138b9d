"""Template helpers of the trust fund pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """``mapping[key]`` in a template, or ``None``."""
    if not mapping:
        return None
    return mapping.get(key)
