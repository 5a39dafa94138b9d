"""``{% documents_panel record %}``: the documents of a record, for any detail page to include — the user's
own view of them (``Model.objects.visible_to``), with the upload link for who may attach."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from core.labels import Label
from documents.queries import panel_context

register = template.Library()


@register.inclusion_tag("documents/_panel.html", takes_context=True)
def documents_panel(
    context: template.Context, record: Any, heading: Label | None = None, compact: bool = False
) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if record is None or user is None:
        return {"documents_shown": False}
    return {
        **panel_context(record, user),
        "heading": heading if heading is not None else _("Documents"),
        "compact": compact,
        "request": request,
    }


@register.filter
def filesize_kb(size: int | None) -> str:
    """A byte count as people read it: 812 bytes, 34 KB, 2.5 MB."""
    if size is None:
        return "—"
    if size < 1024:
        return _("%(count)s bytes") % {"count": size}
    if size < 1024 * 1024:
        return f"{size // 1024} KB"
    return f"{size / (1024 * 1024):.1f} MB"
