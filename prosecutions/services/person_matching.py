"""Finding persons in the index: the persons who may be the one being entered (``person_matches``,
offered when an accused is added) and the pairs of index records that may be one person
(``possible_duplicates``, for the unit head to merge). A shared identifier is certain; names are compared
with rapidfuzz, initials read as the names they may stand for, after the database has narrowed the
candidates (trigram similarity on PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext, gettext_lazy
from rapidfuzz import fuzz, utils

from core.models import User
from prosecutions.choices import IdentifierKind
from prosecutions.models import Person, PersonIdentifier
from prosecutions.services.persons import normalised_identifiers

# A name at least this alike (rapidfuzz token_sort_ratio, 0–100) is offered as a possible match; two persons
# this alike, born the same year and of the same sex, are listed as possible duplicates.
NAME_MATCH_MIN = 80
DUPLICATE_NAME_MIN = 90
# How many index records the name matcher compares at most: the database narrows the candidates first.
NAME_CANDIDATES = 200
TRIGRAM_MIN = 0.2
# How many persons of one sex and birth year the duplicate finder compares pairwise.
DUPLICATE_BUCKET = 200

IDENTIFIER_REASONS = {
    IdentifierKind.NATIONAL_ID: gettext_lazy("same national ID"),
    IdentifierKind.PASSPORT: gettext_lazy("same passport number"),
    IdentifierKind.PHONE: gettext_lazy("same phone number"),
}


@dataclass(frozen=True)
class PersonMatch:
    """A person in the index who may be the one being entered, how likely (0–100) and why."""

    person: Person
    score: int
    reasons: list[str] = field(default_factory=list)


def _names_of(person: Person) -> list[str]:
    return [person.name, *(alias.strip() for alias in person.aliases.split(",") if alias.strip())]


def _expand_initials(name: str, other: str) -> str:
    """``name`` with each initial ("J.") replaced by the word of ``other`` it could stand for."""
    words = utils.default_process(name).split()
    others = utils.default_process(other).split()
    expanded = []
    for word in words:
        if len(word) == 1:
            word = next((o for o in others if len(o) > 1 and o.startswith(word)), word)
        expanded.append(word)
    return " ".join(expanded)


def name_likeness(first: str, second: str) -> int:
    """How alike two names are, 0–100: rapidfuzz's token_sort_ratio, with initials read as the names they
    may stand for ("J. Mwakidheu" against "Juma Mwakideu")."""
    plain = fuzz.token_sort_ratio(first, second, processor=utils.default_process)
    initials = fuzz.token_sort_ratio(_expand_initials(first, second), _expand_initials(second, first))
    return round(max(plain, initials))


def best_name_likeness(name: str, person: Person) -> tuple[int, str]:
    """The best likeness of ``name`` to the person's name or any alias, and which one it was."""
    best, which = 0, person.name
    for known in _names_of(person):
        score = name_likeness(name, known)
        if score > best:
            best, which = score, known
    return best, which


def _name_words(name: str) -> list[str]:
    return [word for word in utils.default_process(name).split() if len(word) >= 3]


def _name_candidates(persons: QuerySet[Person], name: str) -> QuerySet[Person]:
    """At most ``NAME_CANDIDATES`` persons whose name or aliases could be like ``name``: by trigram
    similarity on PostgreSQL, by a shared word beginning elsewhere."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity
        from django.db.models.functions import Greatest

        return (
            persons.annotate(likeness=Greatest(TrigramSimilarity("name", name), TrigramSimilarity("aliases", name)))
            .filter(likeness__gte=TRIGRAM_MIN)
            .order_by("-likeness", "pk")[:NAME_CANDIDATES]
        )
    words = _name_words(name)
    if not words:
        return persons.none()
    near = Q()
    for word in words:
        stem = word[:4]
        near |= Q(name__icontains=stem) | Q(aliases__icontains=stem)
    return persons.filter(near).order_by("pk")[:NAME_CANDIDATES]


def _resolve(person_ids: Iterable[int]) -> dict[int, int]:
    """Each person id mapped to the person it was (eventually) merged into, or itself."""
    resolved: dict[int, int] = {}
    pending = {pk: pk for pk in person_ids}
    for _hop in range(10):  # merge chains are short; this bounds a pathological one
        if not pending:
            break
        targets = dict(Person.objects.filter(pk__in=set(pending.values())).values_list("pk", "merged_into_id"))
        still: dict[int, int] = {}
        for origin, current in pending.items():
            target = targets.get(current)
            if target is None:
                resolved[origin] = current
            else:
                still[origin] = target
        pending = still
    return resolved


def person_matches(
    *,
    name: str,
    national_ids: Iterable[str] = (),
    passports: Iterable[str] = (),
    phones: Iterable[str] = (),
    user: User,
    limit: int = 10,
) -> list[PersonMatch]:
    """The persons of the index ``user`` may see who may be the person being entered: those sharing an
    identifier first (score 100), then those with a name or alias at least ``NAME_MATCH_MIN`` alike. A
    merged person is never offered (the person it was merged into is, if it matches)."""
    identifiers = normalised_identifiers(national_ids, passports, phones)
    visible = Person.objects.visible_to(user).filter(merged_into__isnull=True)
    found: dict[int, tuple[int, list[str]]] = {}

    if identifiers:
        by_value = Q()
        for kind, value in identifiers:
            by_value |= Q(kind=kind, value=value)
        shared = list(PersonIdentifier.objects.filter(by_value).values_list("person_id", "kind")[: limit * 10])
        resolved = _resolve({pk for pk, _kind in shared})
        seen = set(visible.filter(pk__in=set(resolved.values())).values_list("pk", flat=True))
        for pk, kind in shared:
            target = resolved.get(pk)
            if target in seen:
                _score, reasons = found.setdefault(target, (100, []))
                reason = str(IDENTIFIER_REASONS[IdentifierKind(kind)])
                if reason not in reasons:
                    reasons.append(reason)

    persons: dict[int, Person] = {p.pk: p for p in visible.filter(pk__in=list(found))}
    if (name or "").strip():
        for candidate in _name_candidates(visible, name):
            likeness, which = best_name_likeness(name, candidate)
            if likeness < NAME_MATCH_MIN:
                continue
            persons.setdefault(candidate.pk, candidate)
            reason = (
                gettext("name %(likeness)s%% alike") % {"likeness": likeness}
                if which == candidate.name
                else gettext("alias “%(alias)s” %(likeness)s%% alike") % {"alias": which, "likeness": likeness}
            )
            score, reasons = found.get(candidate.pk, (likeness, []))
            found[candidate.pk] = (max(score, likeness), [*reasons, reason])

    matches = [PersonMatch(persons[pk], score, reasons) for pk, (score, reasons) in found.items() if pk in persons]
    matches.sort(key=lambda match: (-match.score, -len(match.reasons), match.person.name, match.person.pk))
    return matches[:limit]


@dataclass(frozen=True)
class DuplicatePair:
    """Two persons of the index who may be one: why, and how likely (0–100)."""

    first: Person
    second: Person
    score: int
    reasons: list[str] = field(default_factory=list)


def possible_duplicates(limit: int = 50) -> list[DuplicatePair]:
    """For the unit head: pairs of persons (neither merged) sharing an identifier, then pairs whose names
    are at least ``DUPLICATE_NAME_MIN`` alike, born the same year and of the same sex."""
    live = Person.objects.filter(merged_into__isnull=True)
    pairs: dict[tuple[int, int], tuple[int, list[str]]] = {}

    shared_values = (
        PersonIdentifier.objects.filter(person__merged_into__isnull=True)
        .values("kind", "value")
        .annotate(persons=Count("person", distinct=True))
        .filter(persons__gt=1)
        .order_by("kind", "value")[:limit]
    )
    by_value = Q()
    for row in shared_values:
        by_value |= Q(kind=row["kind"], value=row["value"])
    if shared_values:
        groups: dict[tuple[str, str], list[int]] = {}
        rows = PersonIdentifier.objects.filter(by_value, person__merged_into__isnull=True).order_by("person_id")
        for kind, value, pk in rows.values_list("kind", "value", "person_id"):
            members = groups.setdefault((kind, value), [])
            if pk not in members:
                members.append(pk)
        for (kind, _value), members in groups.items():
            for i, first in enumerate(members):
                for second in members[i + 1 :]:
                    _score, reasons = pairs.setdefault((first, second), (100, []))
                    reason = str(IDENTIFIER_REASONS[IdentifierKind(kind)])
                    if reason not in reasons:
                        reasons.append(reason)

    buckets = (
        live.filter(birth_year__isnull=False)
        .values("sex", "birth_year")
        .annotate(persons=Count("pk"))
        .filter(persons__gt=1)
        .order_by("birth_year", "sex")
    )
    for bucket in buckets:
        if len(pairs) >= limit:
            break
        born_alike = list(
            live.filter(sex=bucket["sex"], birth_year=bucket["birth_year"]).order_by("pk")[:DUPLICATE_BUCKET]
        )
        for i, one in enumerate(born_alike):
            for other in born_alike[i + 1 :]:
                likeness, _which = best_name_likeness(one.name, other)
                if likeness < DUPLICATE_NAME_MIN:
                    continue
                score, reasons = pairs.get((one.pk, other.pk), (likeness, []))
                reason = gettext("names %(likeness)s%% alike, born %(year)s, same sex") % {
                    "likeness": likeness,
                    "year": one.birth_year,
                }
                pairs[(one.pk, other.pk)] = (max(score, likeness), [*reasons, reason])

    ordered = sorted(pairs.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
    wanted = {pk for (first, second), _ in ordered for pk in (first, second)}
    persons = Person.objects.in_bulk(wanted)
    return [DuplicatePair(persons[a], persons[b], score, reasons) for (a, b), (score, reasons) in ordered]
