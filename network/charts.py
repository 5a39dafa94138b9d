"""The neighbourhood drawn with Vega's force-directed layout (a full Vega v5 specification: Vega-Lite has
no force layout). Drawn by ``static/js/charts.js`` like every chart of the tracker — no CDN, CSP-safe."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.charts import PALETTE
from core.labels import Label
from network.graph import Neighbourhood

VEGA_SCHEMA = "https://vega.github.io/schema/vega/v5.json"  # an identifier only: nothing is fetched
KINDS = ("person", "case", "identifier", "victim")
KIND_LABELS: dict[str, Label] = {
    "person": _("Person"),
    "case": _("Case"),
    "identifier": _("Phone / asset"),
    "victim": _("Victim (code)"),
}


def force_spec(result: Neighbourhood, *, width: int = 640, height: int = 460) -> dict[str, Any]:
    keys = list(result.nodes)
    index = {key: i for i, key in enumerate(keys)}
    nodes = [
        {
            "index": index[key],
            "name": node.label,
            "kind": str(KIND_LABELS[node.kind]),
            "start": key == result.start,
        }
        for key, node in result.nodes.items()
    ]
    links = [{"source": index[a], "target": index[b], "label": label} for (a, b), label in result.edges.items()]
    return {
        "$schema": VEGA_SCHEMA,
        "description": str(
            _("The network around the record: persons, cases, shared phones and assets, victims by code.")
        ),
        "width": width,
        "height": height,
        "autosize": "none",
        "signals": [{"name": "cx", "update": "width / 2"}, {"name": "cy", "update": "height / 2"}],
        "data": [{"name": "node-data", "values": nodes}, {"name": "link-data", "values": links}],
        "scales": [
            {
                "name": "colour",
                "type": "ordinal",
                "domain": [str(KIND_LABELS[k]) for k in KINDS],
                "range": [PALETTE[4], PALETTE[0], PALETTE[3], PALETTE[2]],
            },
            {
                "name": "shape",
                "type": "ordinal",
                "domain": [str(KIND_LABELS[k]) for k in KINDS],
                "range": ["circle", "square", "diamond", "triangle-up"],
            },
        ],
        "legends": [{"fill": "colour", "shape": "shape", "orient": "top-left", "title": None}],
        "marks": [
            {
                "name": "nodes",
                "type": "symbol",
                "zindex": 1,
                "from": {"data": "node-data"},
                "encode": {
                    "enter": {
                        "fill": {"scale": "colour", "field": "kind"},
                        "shape": {"scale": "shape", "field": "kind"},
                        "stroke": {"value": "#222"},
                        "tooltip": {"signal": "datum.kind + ': ' + datum.name"},
                    },
                    "update": {
                        "size": {"signal": "datum.start ? 420 : 180"},
                        "strokeWidth": {"signal": "datum.start ? 2.5 : 0.5"},
                    },
                },
                "transform": [
                    {
                        "type": "force",
                        "iterations": 300,
                        "static": True,
                        "signal": "force",
                        "forces": [
                            {"force": "center", "x": {"signal": "cx"}, "y": {"signal": "cy"}},
                            {"force": "collide", "radius": 14},
                            {"force": "nbody", "strength": -60},
                            {"force": "link", "links": "link-data", "distance": 50},
                        ],
                    }
                ],
            },
            {
                "type": "text",
                "from": {"data": "nodes"},
                "zindex": 2,
                "encode": {
                    "enter": {"fontSize": {"value": 10}, "fill": {"value": "#222"}, "dy": {"value": -10}},
                    "update": {
                        "x": {"field": "x"},
                        "y": {"field": "y"},
                        "text": {"field": "datum.name"},
                        "align": {"value": "center"},
                    },
                },
            },
            {
                "type": "path",
                "from": {"data": "link-data"},
                "interactive": False,
                "encode": {"update": {"stroke": {"value": "#9aa5b1"}, "strokeWidth": {"value": 1}}},
                "transform": [
                    {
                        "type": "linkpath",
                        "require": {"signal": "force"},
                        "shape": "line",
                        "sourceX": "datum.source.x",
                        "sourceY": "datum.source.y",
                        "targetX": "datum.target.x",
                        "targetY": "datum.target.y",
                    }
                ],
            },
        ],
    }
