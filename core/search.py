"""Find anything from one box: the registry of search sources, and the one way text is matched.

core imports no domain app. Each app registers, from its ``search.py`` (imported by its
``registrations.py``), the kinds of record it can find — cases, accused, assets, receipts … — as
``SearchSource``s: who may see the group (roles) and a function ``find(user, text, limit)`` that returns
result rows built from ``Model.objects.visible_to(user)``, so a search never reveals a record the user
could not open.

Matching (``text_match``) is the same everywhere — the search page and the lists' own search filters:
the text is split into words (a "quoted phrase" stays one word) and every word must be found, anywhere
and in any case, in at least one of the searched fields. On PostgreSQL the ``icontains`` it uses is served
by GIN trigram indexes on ``UPPER(column)`` (created by each app's search-index migration), and
``best_matches`` orders the rows by trigram word similarity to the text, best first. SQLite, for laptops,
matches the same way without the indexes and keeps each list's usual order.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlencode

from django import forms
from django.db import connections
from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext as _rt
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.access import AnyUser, roles_of
from core.labels import Label

if TYPE_CHECKING:
    from core.registry import Roles

_M = TypeVar("_M", bound=Model)

MAX_QUERY_LENGTH = 200  # characters: longer than any name, number or reference anyone types
MIN_QUERY_LENGTH = 2
MAX_TERMS = 8  # words of a search that count; the rest are ignored (each adds a condition to every query)
SHORT_TERM = 3  # words shorter than this are ignored when the search has longer ones ("Republic v. Otieno")
GROUP_LIMIT = 10  # rows shown per group on the search page
RANKED_AT_MOST = 200  # records ranked by similarity when more match (see ``best_matches``)


# --- Matching -------------------------------------------------------------------------------------


def search_terms(text: str) -> list[str]:
    """The words of a search, quoted phrases kept whole: ``Mercy "Ole Sankale"`` → ``Mercy``, ``Ole Sankale``.

    One- and two-letter words ("v.", "of") are dropped when longer ones are given: they would match nearly
    everything and no index can serve them. At most ``MAX_TERMS`` words count.
    """
    terms: list[str] = []
    for word in smart_split(text.strip()):
        if len(word) > 1 and word[0] == word[-1] and word[0] in "\"'":
            with contextlib.suppress(ValueError):
                word = unescape_string_literal(word)
        word = " ".join(word.split())
        if word and word not in terms:
            terms.append(word)
    if any(len(term) >= SHORT_TERM for term in terms):
        terms = [term for term in terms if len(term) >= SHORT_TERM]
    return terms[:MAX_TERMS]


def text_match(fields: Sequence[str], text: str) -> Q:
    """Records where every word of ``text`` is found (case-insensitive, anywhere) in one of ``fields``.

    ``fields`` are lookups (``"reference"``, ``"victim__code"``). A text with no words matches nothing.
    """
    terms = search_terms(text)
    if not terms:
        return Q(pk__in=[])
    condition = Q()
    for term in terms:
        anywhere = Q()
        for field in fields:
            anywhere |= Q(**{f"{field}__icontains": term})
        condition &= anywhere
    return condition


def best_matches(visible: QuerySet[_M], fields: Sequence[str], text: str, condition: Q | None = None) -> QuerySet[_M]:
    """Of ``visible`` (a ``visible_to(user)`` queryset), the records matching ``text`` — by ``condition``, or
    else ``text_match(fields, text)`` — best match first.

    On PostgreSQL "best" is the trigram word similarity of the text to the closest of ``fields``. Working it
    out costs a few microseconds a field and a record, so when very many records match (a common surname)
    only the ``RANKED_AT_MOST`` latest recorded are ranked: a search that broad is narrowed by another word,
    or read in full in the list. Ties keep the model's usual order. Elsewhere (SQLite) the usual order.
    """
    matched = visible.filter(text_match(fields, text) if condition is None else condition)
    if connections[visible.db].vendor != "postgresql":
        return matched
    from django.contrib.postgres.search import TrigramWordSimilarity
    from django.db.models.functions import Greatest

    ordering = list(visible.query.order_by or visible.model._meta.ordering or [])
    candidates = matched.order_by("-pk").values("pk")[:RANKED_AT_MOST]  # the latest recorded: no join to sort
    similarities = [TrigramWordSimilarity(text, field) for field in fields]
    rank = Greatest(*similarities) if len(similarities) > 1 else similarities[0]
    return visible.filter(pk__in=candidates).annotate(search_rank=rank).order_by("-search_rank", *ordering)


# --- What the box accepts -------------------------------------------------------------------------


class SearchForm(forms.Form):
    """The search box: a name, a number or a reference; refused with a message when too short or too long."""

    q = forms.CharField(
        label=_("Search"),
        strip=True,
        min_length=MIN_QUERY_LENGTH,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "required": _("Type what you are looking for: a name, a case number, a reference or a code."),
            "min_length": ngettext_lazy(
                "Type at least %(limit_value)d character.", "Type at least %(limit_value)d characters.", "limit_value"
            ),
            "max_length": ngettext_lazy(
                "A search is at most %(limit_value)d character (this one has %(show_value)d). "
                "Type a name, a number or a reference.",
                "A search is at most %(limit_value)d characters (this one has %(show_value)d). "
                "Type a name, a number or a reference.",
                "limit_value",
            ),
            "null_characters_not_allowed": _("The search contains a character that cannot be searched for."),
        },
    )

    def clean_q(self) -> str:
        text: str = self.cleaned_data["q"]
        if not search_terms(text):
            raise forms.ValidationError(_rt("Type a name, a case number, a reference or a code to search for."))
        return text


# --- The registry ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    """One row of results: what it is (``label``), a line about it (``detail``) and where it opens."""

    label: str
    detail: str
    url: str


Finder = Callable[[AnyUser, str, int], Sequence[SearchHit]]


@dataclass(frozen=True)
class SearchSource:
    """A kind of record the box finds, shown as one group to users holding one of ``roles``.

    ``find(user, text, limit)`` returns at most ``limit`` hits from ``Model.objects.visible_to(user)`` in one
    query (or a fixed number of them). ``more_url_name`` is the list page that shows every match, given the
    text as ``more_param``; leave it empty when there is none.
    """

    key: str
    title: Label
    roles: Roles
    find: Finder
    more_url_name: str = ""
    more_param: str = "q"
    order: int = 100

    def may_search(self, user: AnyUser) -> bool:
        roles = self.roles() if callable(self.roles) else self.roles
        return bool(roles & roles_of(user))

    def more_url(self, text: str) -> str:
        if not self.more_url_name:
            return ""
        return f"{reverse(self.more_url_name)}?{urlencode({self.more_param: text})}"


@dataclass(frozen=True)
class SearchGroup:
    """The hits of one source for one search; ``has_more`` when more matched than are shown."""

    source: SearchSource
    hits: Sequence[SearchHit]
    has_more: bool
    more_url: str


_sources: dict[str, SearchSource] = {}


def register_search_source(source: SearchSource) -> None:
    """Add (or replace) a kind of record the search box finds."""
    _sources[source.key] = source


def unregister_search_source(key: str) -> None:
    """Take a source off the registry (tests register made-up ones)."""
    _sources.pop(key, None)


def search_sources_for(user: AnyUser) -> list[SearchSource]:
    """The sources whose groups this user may see, in page order."""
    return sorted(
        (source for source in _sources.values() if source.may_search(user)), key=lambda s: (s.order, str(s.title))
    )


def search(user: AnyUser, text: str, limit: int = GROUP_LIMIT) -> list[SearchGroup]:
    """Every group this user may see, each with at most ``limit`` hits (groups with no hit left out).

    One query per group, whatever the number of records: each source is asked for one more hit than
    shown, to know whether to offer its "more" link.
    """
    groups: list[SearchGroup] = []
    for source in search_sources_for(user):
        hits = list(source.find(user, text, limit + 1))
        if hits:
            has_more = len(hits) > limit
            groups.append(SearchGroup(source, hits[:limit], has_more, source.more_url(text) if has_more else ""))
    return groups
