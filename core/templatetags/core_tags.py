"""Template helpers for the generic list and detail pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from core.tables import Column

register = template.Library()


@register.simple_tag(takes_context=True)
def cell(context: template.Context, row: Any, column: Column) -> str:
    """The cell of ``row`` in ``column`` as display text (escaped by the template engine) — or, for a column
    linking to another record (``Column.link_to``), a link to it when the signed-in user may open it."""
    text = column.display(row)
    if column.link_to is None:
        return text
    url = column.link_for(row, context.get("user"))
    return format_html('<a href="{}">{}</a>', url, text) if url else text


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """``mapping[key]`` in a template, or ``None`` (e.g. a row's actions by its primary key)."""
    if not mapping:
        return None
    return mapping.get(key)
