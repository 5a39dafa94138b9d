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
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils import dates
from django.utils.html import format_html, format_html_join, json_script
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from core.charts import ChartTable, chart_table

register = template.Library()

VEGA_FILES = ("js_lib_vega_embed/vega5.js", "js_lib_vega_embed/vega-lite5.js", "js_lib_vega_embed/vega-embed6.js")


@register.simple_tag
def vega_scripts() -> str:
    """The chart scripts, after the reader's calendar words for Vega's date axes (``time_locale``) and the
    sentence shown if a chart cannot be drawn, as inert JSON."""
    words = json_script(
        {"time": time_locale(), "failed": gettext("This chart could not be drawn; the figures are in the tables.")},
        "vega-words",
    )
    tags = [format_html('<script src="{}"></script>', static(path)) for path in (*VEGA_FILES, "js/charts.js")]
    return format_html("{}" * (len(tags) + 1), words, *tags)


def time_locale() -> dict[str, Any]:
    """Vega's (d3's) time-format locale in the active language: month and day names as Django translates
    them, so a date axis reads "Machi", not "March", for a Kiswahili reader. d3's weeks start on Sunday."""
    sunday_first = (6, 0, 1, 2, 3, 4, 5)
    return {
        "dateTime": "%A, %e %B %Y %H:%M",
        "date": "%d/%m/%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": [str(dates.WEEKDAYS[day]) for day in sunday_first],
        "shortDays": [str(dates.WEEKDAYS_ABBR[day]) for day in sunday_first],
        "months": [str(dates.MONTHS[month]) for month in range(1, 13)],
        "shortMonths": [str(dates.MONTHS_3[month]).title() for month in range(1, 13)],
    }


@register.simple_tag
def vega_chart(key: str, spec: Mapping[str, Any], label: str = "") -> str:
    """A chart container and its specification (as inert JSON, escaped for HTML).

    The container is an image named ``label`` for assistive technology (``role="img"`` and ``aria-label``;
    the specification's ``description`` names the drawing vega-embed puts in it too), followed by the
    figures it draws as a table under a "Show the figures" fold (``core.charts.chart_table``). No
    ``title`` attribute: its tooltip would cover the chart's own."""
    if not isinstance(spec, Mapping) or not spec:
        # A missing context variable renders as "": vega-embed would take it for a URL to fetch.
        return ""
    element_id = f"chart-{key}"
    name = label or key
    spec = {**spec, "description": spec.get("description") or name}
    json.dumps(spec, cls=DjangoJSONEncoder)  # fail here, loudly, on a value that is not JSON (labels may be lazy)
    return format_html(
        '<div class="report-chart" id="{}" data-chart="{}" data-vega-spec="{}-spec" role="img" aria-label="{}">'
        "</div>{}{}",
        element_id,
        key,
        element_id,
        name,
        json_script(spec, f"{element_id}-spec"),
        _figures(element_id, name, chart_table(dict(spec))),
    )


NUMERIC = mark_safe(' class="num"')  # a constant attribute, nothing from the data


def _figures(element_id: str, name: str, table: ChartTable | None) -> str:
    """The chart's figures as a table in a <details> fold ("" when the chart has none to show)."""
    if table is None:
        return ""
    head = format_html_join(
        "",
        '<th scope="col"{}>{}</th>',
        ((NUMERIC if num else "", text) for text, num in zip(table.header, table.numeric, strict=True)),
    )
    body = format_html_join("", "{}", ((_row(row, table.numeric),) for row in table.rows))
    return format_html(
        '<details class="chart-data" data-testid="chart-data-{}"><summary>{}</summary>'
        '<table class="table table-sm mb-0"><caption class="visually-hidden">{}</caption>'
        "<thead><tr>{}</tr></thead><tbody>{}</tbody></table></details>",
        element_id.removeprefix("chart-"),
        gettext("Show the figures"),
        name,
        head,
        body,
    )


def _row(row: list[str], numeric: list[bool]) -> str:
    first, *rest = row
    cells = format_html_join(
        "", "<td{}>{}</td>", ((NUMERIC if num else "", text) for text, num in zip(rest, numeric[1:], strict=True))
    )
    return format_html('<tr><th scope="row">{}</th>{}</tr>', first, cells)
