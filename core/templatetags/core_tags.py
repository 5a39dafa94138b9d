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
