"""``{% fund_subnav %}``: the fund's sub-menu with the current page's section marked (trustfund.navigation)."""

from __future__ import annotations

from typing import Any

from django import template

from trustfund.navigation import NAMESPACE, subnav_items

register = template.Library()


def current_page(context: template.Context) -> str | None:
    """The page's section as its view says (``fund_section``), else the URL name of a fund page."""
    if context.get("fund_section"):
        return str(context["fund_section"])
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace != NAMESPACE:
        return None
    return str(match.url_name)


@register.inclusion_tag("trustfund/_subnav_items.html", takes_context=True)
def fund_subnav(context: template.Context) -> dict[str, Any]:
    return {"items": subnav_items(current_page(context))}
