"""What the search box finds in the prosecutions app: cases, accused and persons (victims: ``victims.search``).

``case_match`` is the one rule for finding a case from typed text, shared by the search page and the
case list's own search filter (``prosecutions.filters.CaseFilter``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.access import AnyUser
from core.search import SearchHit, SearchSource, best_matches, register_search_source, text_match
from prosecutions.access import CASE_READERS, PERSON_READERS
from prosecutions.exceptions import InvalidIdentifier
from prosecutions.models import Accused, Case, Person, PersonIdentifier
from prosecutions.services import persons as person_services

CASE_FIELDS = ("reference", "title", "ob_number", "court_case_serial")
ACCUSED_FIELDS = ("name", "aliases", "id_number")
PERSON_FIELDS = ("name", "aliases", "reference")

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
    if not accused.aliases:
        return accused.name
    return gettext("%(name)s (also known as %(aliases)s)") % {"name": accused.name, "aliases": accused.aliases}


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


def identifier_values(text: str) -> list[str]:
    """What ``text`` would be stored as, read as a phone number, a national ID or a passport number (each
    reading that works; none when it reads as none), so that "0712 345 678" finds "+254712345678"."""
    values: list[str] = []
    for normalise in (
        person_services.normalise_phone,
        person_services.normalise_national_id,
        person_services.normalise_passport,
    ):
        try:
            value = normalise(text)
        except InvalidIdentifier:
            continue
        if value not in values:
            values.append(value)
    return values


def person_match(text: str) -> Q:
    """Persons found by ``text``: in their name, aliases or reference, or by one of their national ID,
    passport or phone numbers typed in any usual way — the one rule of the search box and the person list."""
    found: list[QuerySet[Any, Any]] = [Person.objects.filter(text_match(PERSON_FIELDS, text)).order_by().values("pk")]
    values = identifier_values(text.strip())
    if values:
        found.append(PersonIdentifier.objects.filter(value__in=values).order_by().values("person_id"))
    return Q(pk__in=found[0].union(*found[1:])) if len(found) > 1 else Q(pk__in=found[0])


def _person_detail(person: Person) -> str:
    parts = [
        gettext("also known as %(aliases)s") % {"aliases": person.aliases} if person.aliases else "",
        person.nationality,
    ]
    born = person.date_of_birth.year if person.date_of_birth else person.birth_year
    if born:
        parts.append(gettext("born %(year)s") % {"year": born})
    return " · ".join(part for part in parts if part)


def find_persons(user: AnyUser, text: str, limit: int) -> Sequence[SearchHit]:
    """Persons of the index the user may see (never one merged into another), by name, alias, ID or phone."""
    visible = Person.objects.visible_to(user).filter(merged_into__isnull=True)
    persons = best_matches(visible, PERSON_FIELDS, text, person_match(text))
    return [SearchHit(str(person), _person_detail(person), person.get_absolute_url()) for person in persons[:limit]]


register_search_source(SearchSource("cases", _("Cases"), CASE_READERS, find_cases, "prosecutions:case_list", order=10))
register_search_source(
    SearchSource("accused", _("Accused"), CASE_READERS, find_accused, "prosecutions:case_list", order=20)
)
register_search_source(
    SearchSource("persons", _("Persons"), PERSON_READERS, find_persons, "prosecutions:person_list", order=25)
)
