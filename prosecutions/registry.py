"""Extension points of the case page, filled by apps that depend on prosecutions (assets, witnesses).

prosecutions imports none of them: an app registers a tab and/or a timeline source in its
``AppConfig.ready``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.views.generic import Tab


@dataclass(frozen=True)
class TimelineEvent:
    """One dated line on a case's merged timeline."""

    date: dt.date
    kind: str  # short label such as "Stage", "Hearing", "Disposition", "Asset"
    text: str
    url: str = ""


@dataclass(frozen=True)
class CaseTab:
    """An extra tab on the case page. ``get_context(case, user)`` returns its template context;
    ``visible(user)`` says whether the user sees the tab at all."""

    tab: Tab
    get_context: Callable[[Any, Any], dict[str, Any]]
    visible: Callable[[Any], bool] = lambda user: True
    order: int = 100


TimelineSource = Callable[[Any], list[TimelineEvent]]

_case_tabs: dict[str, CaseTab] = {}
_timeline_sources: dict[str, TimelineSource] = {}


def register_case_tab(case_tab: CaseTab) -> None:
    _case_tabs[case_tab.tab.slug] = case_tab


def case_tabs_for(user: Any) -> list[CaseTab]:
    return sorted((t for t in _case_tabs.values() if t.visible(user)), key=lambda t: t.order)


def register_timeline_source(key: str, source: TimelineSource) -> None:
    """``source(case)`` returns the events another app adds to the case timeline (a fixed number of queries)."""
    _timeline_sources[key] = source


def timeline_sources() -> list[TimelineSource]:
    return list(_timeline_sources.values())
