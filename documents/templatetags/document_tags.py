"""``{% documents_panel record %}``: the documents of a record, for any detail page to include — the user's
own view of them (``Model.objects.visible_to``), with the upload link for who may attach."""

from __future__ import annotations

from typing import Any

from django import template

from documents.queries import panel_context

register = template.Library()


@register.inclusion_tag("documents/_panel.html", takes_context=True)
def documents_panel(
    context: template.Context, record: Any, heading: str = "Documents", compact: bool = False
) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if record is None or user is None:
        return {"documents_shown": False}
    return {**panel_context(record, user), "heading": heading, "compact": compact, "request": request}


@register.filter
def filesize_kb(size: int | None) -> str:
    """A byte count as people read it: 812 bytes, 34 KB, 2.5 MB."""
    if size is None:
        return "—"
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size // 1024} KB"
    return f"{size / (1024 * 1024):.1f} MB"
