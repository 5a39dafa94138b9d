"""Vega-Lite chart specifications built from pandas data, for report pages and home-page panels.

Each helper takes a ``DataFrame`` (one row per bar or point) and returns a Vega-Lite v5
specification as a plain dict; the ``{% vega_chart %}`` tag (``core/templatetags/charts.py``)
renders it with vega-embed from the pinned ``django-js-lib-vega-embed`` static files.
Categories keep the order of the frame's rows (Vega-Lite would otherwise sort them alphabetically).
Money is plotted as KES numbers: a chart only draws, the figures stay ``Decimal`` in the tables.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd
from django.utils import dateformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.labels import Label

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"  # an identifier only: nothing is fetched
PALETTE = ["#1F3B57", "#3C7A89", "#9FC490", "#E4B363", "#C8553D", "#6C4B5E", "#8E9AAF", "#2E933C"]
HEIGHT = 220


def _plain(value: Any) -> Any:
    """A JSON-friendly value: Decimals as numbers, dates as ISO text, missing values as null."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    return value


def records(frame: pd.DataFrame, fields: list[str]) -> list[dict[str, Any]]:
    return [{name: _plain(row[name]) for name in fields} for _, row in frame.iterrows()]


def _base(title: Label | None, values: list[dict[str, Any]]) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "$schema": SCHEMA,
        "data": {"values": values},
        "width": "container",
        "height": HEIGHT,
        "config": {"range": {"category": PALETTE}, "view": {"stroke": None}},
    }
    if title:
        spec["title"] = str(title)
    return spec


NOTHING_TO_SHOW: Label = _("Nothing to show for this period.")


def empty(title: Label | None = None, message: Label = NOTHING_TO_SHOW) -> dict[str, Any]:
    """A chart with no data: a line of text instead (Vega cannot scale axes over nothing)."""
    spec = _base(title, [{"text": str(message)}])
    spec["height"] = 40
    spec["mark"] = {"type": "text", "fontSize": 13, "color": "#6c757d"}
    spec["encoding"] = {"text": {"field": "text", "type": "nominal"}}
    return spec


def _value_axis(title: Label, money: bool) -> dict[str, Any]:
    return {"title": title, "format": ",.0f" if money else ",d"}


def _category_axis(horizontal: bool) -> dict[str, Any]:
    """Labels read across: level under vertical bars (shortened with an ellipsis), wide beside horizontal ones."""
    return {"labelLimit": 220} if horizontal else {"labelAngle": 0, "labelLimit": 110}


def bar(
    frame: pd.DataFrame,
    category: str,
    value: str,
    *,
    title: Label | None = None,
    category_title: Label = "",
    value_title: Label = "",
    horizontal: bool = False,
    money: bool = False,
) -> dict[str, Any]:
    """One bar per row of ``frame``: ``category`` labels, ``value`` lengths."""
    if frame.empty:
        return empty(title)
    spec = _base(title, records(frame, [category, value]))
    cat = {
        "field": category,
        "type": "nominal",
        "sort": None,
        "title": category_title,
        "axis": _category_axis(horizontal),
    }
    val = {"field": value, "type": "quantitative", "axis": _value_axis(value_title, money), "title": value_title}
    tooltip = [
        {"field": category, "type": "nominal", "title": category_title or category},
        {"field": value, "type": "quantitative", "title": value_title or value, "format": ",.2f" if money else ",d"},
    ]
    spec["mark"] = {"type": "bar", "color": PALETTE[0], "tooltip": True}
    spec["encoding"] = {("y" if horizontal else "x"): cat, ("x" if horizontal else "y"): val, "tooltip": tooltip}
    if horizontal:
        spec["height"] = {"step": 22}
    return spec


def grouped_bar(
    frame: pd.DataFrame,
    category: str,
    series: dict[str, str],
    *,
    title: Label | None = None,
    category_title: Label = "",
    value_title: Label = "",
    stacked: bool = False,
    horizontal: bool = False,
    money: bool = False,
) -> dict[str, Any]:
    """Several measures per category (``series`` maps column → legend label), side by side or stacked."""
    if frame.empty:
        return empty(title)
    long = frame[[category, *series]].melt(id_vars=[category], var_name="_series", value_name="_value")
    long["_series"] = long["_series"].map(series)
    spec = _base(title, records(long, [category, "_series", "_value"]))
    cat = {
        "field": category,
        "type": "nominal",
        "sort": None,
        "title": category_title,
        "axis": _category_axis(horizontal),
    }
    val = {"field": "_value", "type": "quantitative", "axis": _value_axis(value_title, money), "title": value_title}
    order = list(series.values())
    colour = {"field": "_series", "type": "nominal", "title": None, "sort": order, "legend": {"orient": "bottom"}}
    encoding: dict[str, Any] = {
        ("y" if horizontal else "x"): cat,
        ("x" if horizontal else "y"): val,
        "color": colour,
        "tooltip": [
            {"field": category, "type": "nominal", "title": category_title or category},
            {"field": "_series", "type": "nominal", "title": gettext("Measure")},
            {"field": "_value", "type": "quantitative", "title": value_title, "format": ",.2f" if money else ",d"},
        ],
    }
    if not stacked:
        encoding["xOffset" if not horizontal else "yOffset"] = {"field": "_series", "sort": order}
    else:
        val["stack"] = "zero"
    spec["mark"] = {"type": "bar", "tooltip": True}
    spec["encoding"] = encoding
    if horizontal:
        spec["height"] = {"step": 22}
    return spec


def line(
    frame: pd.DataFrame,
    x: str,
    series: dict[str, str],
    *,
    title: Label | None = None,
    x_title: Label = "",
    value_title: Label = "",
    money: bool = False,
    temporal: bool = False,
) -> dict[str, Any]:
    """One line per measure in ``series`` over ``x`` (a date when ``temporal``, else ordered labels)."""
    if frame.empty:
        return empty(title)
    long = frame[[x, *series]].melt(id_vars=[x], var_name="_series", value_name="_value")
    long["_series"] = long["_series"].map(series)
    spec = _base(title, records(long, [x, "_series", "_value"]))
    spec["mark"] = {"type": "line", "point": True, "tooltip": True}
    spec["encoding"] = {
        "x": {"field": x, "type": "temporal" if temporal else "ordinal", "sort": None, "title": x_title},
        "y": {"field": "_value", "type": "quantitative", "axis": _value_axis(value_title, money), "title": value_title},
        "color": {"field": "_series", "type": "nominal", "title": None, "legend": {"orient": "bottom"}},
    }
    return spec


def donut(frame: pd.DataFrame, category: str, value: str, *, title: Label | None = None) -> dict[str, Any]:
    """Shares of a whole (e.g. victims by sex); zero rows are left out."""
    shown = frame[frame[value] > 0]
    if shown.empty:
        return empty(title)
    spec = _base(title, records(shown, [category, value]))
    spec["mark"] = {"type": "arc", "innerRadius": 50, "tooltip": True}
    spec["encoding"] = {
        "theta": {"field": value, "type": "quantitative", "stack": True},
        "color": {"field": category, "type": "nominal", "sort": None, "title": None, "legend": {"orient": "right"}},
        "order": {"field": value, "type": "quantitative", "sort": "descending"},
    }
    return spec


def weekly_counts(
    counts: Iterable[tuple[dt.date, int]], today: dt.date, weeks: int, overdue: str | None = None
) -> pd.DataFrame:
    """Dated counts bucketed into the ``weeks`` weeks from ``today`` (labelled by their first day,
    "30 Nov"), for a dashboard bar chart; with ``overdue`` a first bucket so labelled gathers the dates
    before today."""
    labels = [dateformat.format(today + dt.timedelta(weeks=n), "d M") for n in range(weeks)]  # reader's months
    totals = dict.fromkeys(labels, 0)
    if overdue:
        totals = {overdue: 0, **totals}
    for day, n in counts:
        offset = (day - today).days
        if offset < 0:
            if overdue:
                totals[overdue] += n
        elif offset < weeks * 7:
            totals[labels[offset // 7]] += n
    return pd.DataFrame({"week": list(totals), "count": list(totals.values())})


@dataclass(frozen=True)
class ChartTable:
    """The figures a chart draws, as a table: its accessible fallback (``{% vega_chart %}`` renders it under
    the chart, for screen readers and for anyone who wants the numbers)."""

    header: list[str]
    rows: list[list[str]]
    numeric: list[bool]


def _label(channel: dict[str, Any], fallback: str) -> str:
    title = channel.get("title")
    if title:
        return str(title)
    field = str(channel.get("field") or fallback)
    # A chart should title its channels; the field name is the last resort (in the data's own words).
    return gettext("Measure") if field == "_series" else field.strip("_").replace("_", " ").capitalize()


def _figure(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def chart_table(spec: dict[str, Any]) -> ChartTable | None:
    """The table behind a chart made by the helpers above (bar, grouped bar, line, donut); None for an
    empty chart (its message says there is nothing) or a specification it does not recognise."""
    values: list[dict[str, Any]] = (spec.get("data") or {}).get("values") or []
    encoding: dict[str, Any] = spec.get("encoding") or {}
    mark = spec.get("mark")
    kind = mark.get("type") if isinstance(mark, dict) else mark
    if not values or kind == "text":
        return None
    if kind == "arc":
        category, measure = encoding.get("color") or {}, encoding.get("theta") or {}
    else:
        x, y = encoding.get("x") or {}, encoding.get("y") or {}
        category, measure = (y, x) if x.get("type") == "quantitative" else (x, y)
    cat_field, value_field = category.get("field"), measure.get("field")
    if not cat_field or not value_field:
        return None
    series = (encoding.get("color") or {}).get("field") if kind != "arc" else None
    if not series or series == cat_field:
        rows = [[_figure(row.get(cat_field)), _figure(row.get(value_field))] for row in values]
        header = [_label(category, gettext("Category")), _label(measure, gettext("Value"))]
        return ChartTable(header, rows, [False, True])
    # Several measures per category (long form): one column per measure, in the order they come.
    names = list(dict.fromkeys(str(row.get(series)) for row in values))
    cells: dict[str, dict[str, Any]] = {}
    for row in values:
        cells.setdefault(str(row.get(cat_field)), {})[str(row.get(series))] = row.get(value_field)
    rows = [[_figure(cat), *(_figure(found.get(name)) for name in names)] for cat, found in cells.items()]
    return ChartTable([_label(category, gettext("Category")), *names], rows, [False, *[True] * len(names)])
