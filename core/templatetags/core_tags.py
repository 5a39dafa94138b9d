"""Template helpers for the generic list and detail pages."""

from __future__ import annotations

from typing import Any

from django import template

from core.tables import Column

register = template.Library()


@register.simple_tag
def cell(row: Any, column: Column) -> str:
    """The cell of ``row`` in ``column`` as display text (escaped by the template engine)."""
    return column.display(row)


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """``mapping[key]`` in a template, or ``None`` (e.g. a row's actions by its primary key)."""
    if not mapping:
        return None
    return mapping.get(key)
