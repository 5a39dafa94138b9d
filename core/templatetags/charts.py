"""Charts on a page: ``{% vega_scripts %}`` once (in ``{% block scripts %}``), then
``{% vega_chart key spec %}`` wherever a chart goes.

The JavaScript comes from the pinned ``django-js-lib-vega-embed`` package (Vega, Vega-Lite and
vega-embed, served as static files — no CDN); ``static/js/charts.js`` draws every chart container.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django import template
from django.templatetags.static import static
from django.utils.html import format_html, json_script

register = template.Library()

VEGA_FILES = ("js_lib_vega_embed/vega5.js", "js_lib_vega_embed/vega-lite5.js", "js_lib_vega_embed/vega-embed6.js")


@register.simple_tag
def vega_scripts() -> str:
    tags = [format_html('<script src="{}"></script>', static(path)) for path in (*VEGA_FILES, "js/charts.js")]
    return format_html("{}" * len(tags), *tags)


@register.simple_tag
def vega_chart(key: str, spec: Mapping[str, Any], label: str = "") -> str:
    """A chart container and its specification (as inert JSON, escaped for HTML)."""
    if not isinstance(spec, Mapping) or not spec:
        # A missing context variable renders as "": vega-embed would take it for a URL to fetch.
        return ""
    element_id = f"chart-{key}"
    json.dumps(spec)  # fail here, loudly, on a value that is not JSON
    return format_html(
        '<div class="report-chart" id="{}" data-chart="{}" data-vega-spec="{}-spec" role="img" aria-label="{}">'
        "</div>{}",
        element_id,
        key,
        element_id,
        label or key,
        json_script(spec, f"{element_id}-spec"),
    )
