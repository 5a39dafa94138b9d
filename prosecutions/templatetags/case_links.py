"""``{% case_reference case %}``: a case's number wherever another page names it — a link to the case for
those who may open case pages, plain text for everyone else (the fund roles see case numbers on their pages
but never open a case, so a link would only lead them to a refusal)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from prosecutions.access import can_read_cases

register = template.Library()


@register.simple_tag(takes_context=True)
def case_reference(context: template.Context, case: Any, tab: str = "") -> SafeString | str:
    """The case's reference, linked to its page (at ``tab`` when given) if the signed-in user may open it."""
    if case is None:
        return "—"
    user = context.get("user")
    if user is None or not can_read_cases(user):
        return format_html('<span class="case-ref" data-testid="case-ref">{}</span>', case.reference)
    url = case.get_absolute_url() + (f"?tab={tab}" if tab else "")
    return format_html('<a class="case-ref" href="{}" data-testid="case-link">{}</a>', url, case.reference)
