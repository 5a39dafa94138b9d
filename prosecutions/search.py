"""What the search box finds in the prosecutions app: cases, accused and victims (by code).

``case_match`` is the one rule for finding a case from typed text, shared by the search page and the
case list's own search filter (``prosecutions.filters.CaseFilter``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from core.access import AnyUser
from core.search import SearchHit, SearchSource, best_matches, register_search_source, text_match
from prosecutions.access import CASE_READERS
from prosecutions.models import Accused, Case, Victim

CASE_FIELDS = ("reference", "title", "ob_number", "court_case_serial")
ACCUSED_FIELDS = ("name", "aliases", "id_number")
VICTIM_FIELDS = ("code",)

# A court's number as people type it: "E123 of 2024", "E123/2024", "Criminal Case No. E123 of 2024".
COURT_CASE_NUMBER = re.compile(
    r"^(?:(?:criminal|cr\.?|misc\.?|miscellaneous)\s*(?:case|application|appl\.?)?\s*)?(?:no\.?\s*)?"
    r"(?P<serial>[a-z]{0,4}\s?\d{1,6})\s*(?:of|/)\s*(?P<year>(?:19|20)\d{2})$",
    re.IGNORECASE,
)


def court_case_number_match(text: str) -> Q | None:
    """The cases with this court case number, when ``text`` reads as one (serial and year); else None."""
    found = COURT_CASE_NUMBER.match(" ".join(text.split()))
    if not found:
        return None
    serial = found.group("serial").replace(" ", "")
    return Q(court_case_serial__iexact=serial, court_case_year=int(found.group("year")))


def case_match(text: str) -> Q:
    """Cases found by ``text``: in their file number (``2026/0040`` finds ``ODPP/CTIP/2026/0040``), title,
    OB number or court case number (also typed whole: "E123 of 2024"), or in the name, aliases or ID number
    of one of their accused.

    The ways of finding a case are a union of case ids, so that on PostgreSQL each is served by its indexes.
    """
    own = Case.objects.filter(text_match(CASE_FIELDS, text)).order_by().values("pk")
    others: list[QuerySet[Any, Any]] = [
        Accused.objects.filter(text_match(ACCUSED_FIELDS, text)).order_by().values("case_id")
    ]
    number = court_case_number_match(text)
    if number is not None:
        others.append(Case.objects.filter(number).order_by().values("pk"))
    return Q(pk__in=own.union(*others))


def _case_detail(case: Case) -> str:
    parts = [case.title, case.court_case_number, case.get_stage_display()]
    return " · ".join(part for part in parts if part)


def find_cases(user: AnyUser, text: str, limit: int) -> Sequence[SearchHit]:
    cases = best_matches(Case.objects.visible_to(user), CASE_FIELDS, text, case_match(text))
    return [SearchHit(case.reference, _case_detail(case), case.get_absolute_url()) for case in cases[:limit]]


def _accused_label(accused: Accused) -> str:
    return f"{accused.name} (also known as {accused.aliases})" if accused.aliases else accused.name


def find_accused(user: AnyUser, text: str, limit: int) -> Sequence[SearchHit]:
    people = best_matches(Accused.objects.visible_to(user).select_related("case"), ACCUSED_FIELDS, text)
    return [
        SearchHit(
            _accused_label(person),
            f"{person.case.reference} — {person.case.title}",
            reverse("prosecutions:case_detail", args=[person.case_id]) + "?tab=accused",
        )
        for person in people[:limit]
    ]


def find_victims(user: AnyUser, text: str, limit: int) -> Sequence[SearchHit]:
    """Victims by their code only: no names are stored, and nothing else about them is matched."""
    victims = best_matches(Victim.objects.visible_to(user).select_related("case"), VICTIM_FIELDS, text)
    return [
        SearchHit(
            victim.code,
            f"{victim.case.reference} — {victim.case.title}",
            reverse("prosecutions:case_detail", args=[victim.case_id]) + "?tab=victims",
        )
        for victim in victims[:limit]
    ]


register_search_source(SearchSource("cases", "Cases", CASE_READERS, find_cases, "prosecutions:case_list", order=10))
register_search_source(
    SearchSource("accused", "Accused", CASE_READERS, find_accused, "prosecutions:case_list", order=20)
)
register_search_source(SearchSource("victims", "Victims (by code)", CASE_READERS, find_victims, order=30))
