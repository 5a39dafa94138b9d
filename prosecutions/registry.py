"""Extension points of the case page, filled by apps that depend on prosecutions (assets, witnesses).

prosecutions imports none of them: an app registers a tab and/or a timeline source in its
``AppConfig.ready``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from django_stubs_ext import StrOrPromise

from core.views.generic import Tab

if TYPE_CHECKING:
    from core.access import AnyUser


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
    # A tab that reads the page's query string (a filter) gives ``get_query_context(case, user, query)``.
    get_query_context: Callable[[Any, Any, Mapping[str, str]], dict[str, Any]] | None = None

    def context(self, case: Any, user: Any, query: Mapping[str, str]) -> dict[str, Any]:
        """The tab's template context for this request."""
        if self.get_query_context is not None:
            return self.get_query_context(case, user, query)
        return self.get_context(case, user)


TimelineSource = Callable[[Any], list[TimelineEvent]]

_case_tabs: dict[str, CaseTab] = {}
_timeline_sources: dict[str, TimelineSource] = {}


def register_case_tab(case_tab: CaseTab) -> None:
    _case_tabs[case_tab.tab.slug] = case_tab


def case_tabs_for(user: AnyUser) -> list[CaseTab]:
    return sorted((t for t in _case_tabs.values() if t.visible(user)), key=lambda t: t.order)


def register_timeline_source(key: str, source: TimelineSource) -> None:
    """``source(case)`` returns the events another app adds to the case timeline (a fixed number of queries)."""
    _timeline_sources[key] = source


def timeline_sources() -> list[TimelineSource]:
    return list(_timeline_sources.values())


# Hearing annotations: notes another app adds to hearings wherever they are listed (the diary, the case's
# Hearings tab, the hearings export), e.g. the court measures in force for protected witnesses.
HearingAnnotationSource = Callable[[list[Any]], dict[int, list[str]]]

_hearing_annotations: dict[str, HearingAnnotationSource] = {}


def register_hearing_annotation(key: str, source: HearingAnnotationSource) -> None:
    """``source(hearings)`` returns ``{hearing_id: [text, ...]}`` in a fixed number of queries."""
    _hearing_annotations[key] = source


def annotate_hearings(hearings: Iterable[Any]) -> list[Any]:
    """The hearings as a list, each with ``annotations`` (a list of texts) set from every source."""
    rows = list(hearings)
    found: dict[int, list[str]] = {}
    if rows:
        for source in _hearing_annotations.values():
            for hearing_id, texts in source(rows).items():
                found.setdefault(hearing_id, []).extend(texts)
    for row in rows:
        row.annotations = found.get(row.pk, [])
    return rows


def annotate_hearings_in_chunks(hearings: Iterable[Any], size: int) -> Iterator[Any]:
    """``annotate_hearings`` over a stream, ``size`` rows at a time (for exports)."""
    iterator = iter(hearings)
    while chunk := list(islice(iterator, size)):
        yield from annotate_hearings(chunk)


# Sections of the printable case file that apps above prosecutions add (assets and court orders, witnesses
# by code), each shown only to the users ``visible(user)`` admits.


@dataclass(frozen=True)
class CaseFileSection:
    """A section of the printable case file. ``get_context(case, user)`` returns the context of ``template``
    in a fixed number of queries; ``visible(user)`` says whether the user gets the section at all."""

    key: str
    title: StrOrPromise
    template: str
    get_context: Callable[[Any, Any], dict[str, Any]]
    visible: Callable[[Any], bool] = lambda user: True
    order: int = 100


_case_file_sections: dict[str, CaseFileSection] = {}


def register_case_file_section(section: CaseFileSection) -> None:
    _case_file_sections[section.key] = section


def case_file_sections_for(user: AnyUser) -> list[CaseFileSection]:
    """The registered sections the user may read, in order."""
    return sorted((s for s in _case_file_sections.values() if s.visible(user)), key=lambda s: s.order)
