"""The index of persons accused: one record per real person, however many cases they are accused in and
however their name is spelt in each.

Identifiers (national ID, passport and phone numbers) are stored normalised, so that the same number
written two ways matches. Adding an accused offers the persons that match (``person_matches``); the unit
head merges two records found to be one person (``merge_persons``), with a reason and history on both,
and may undo a merge by a second merge record (``undo_merge``) — never by deleting. Protected witnesses
never enter the index.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import phonenumbers
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from rapidfuzz import fuzz, utils

from core.guards import not_in_future, today
from core.models import User
from core.numbering import calendar_year, next_reference
from prosecutions.access import can_correct_case, can_merge_persons
from prosecutions.choices import IdentifierKind, Sex
from prosecutions.exceptions import CaseNotEditable, InvalidDetails, InvalidIdentifier, MergeNotAllowed
from prosecutions.models import Accused, Case, Person, PersonIdentifier, PersonMerge
from prosecutions.services.shared import lock_case

PERSON_SERIES = "person"
PERSON_TEMPLATE = "PER/{period}/{number:05d}"
DEFAULT_PHONE_REGION = "KE"

# A name at least this alike (rapidfuzz token_sort_ratio, 0–100) is offered as a possible match; two persons
# this alike, born the same year and of the same sex, are listed as possible duplicates.
NAME_MATCH_MIN = 80
DUPLICATE_NAME_MIN = 90
# How many index records the name matcher compares at most: the database narrows the candidates first.
NAME_CANDIDATES = 200
TRIGRAM_MIN = 0.2
# How many persons of one sex and birth year the duplicate finder compares pairwise.
DUPLICATE_BUCKET = 200

_SEPARATORS = re.compile(r"[\s\-./]+")
_ID_DIGITS = re.compile(r"\d{7,8}")
_PASSPORT = re.compile(r"[A-Z0-9]{6,9}")

IDENTIFIER_REASONS = {
    IdentifierKind.NATIONAL_ID: gettext_lazy("same national ID"),
    IdentifierKind.PASSPORT: gettext_lazy("same passport number"),
    IdentifierKind.PHONE: gettext_lazy("same phone number"),
}


# --- Normalising identifiers ----------------------------------------------------------------------


def normalise_phone(text: str) -> str:
    """A phone number in E.164 (``+254712345678``); numbers without a country code are read as Kenyan."""
    raw = (text or "").strip()
    if not raw:
        raise InvalidIdentifier(gettext("Enter a phone number."), "phones")
    try:
        number = phonenumbers.parse(raw, DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise InvalidIdentifier(gettext("“%(raw)s” is not a phone number.") % {"raw": raw}, "phones") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidIdentifier(
            gettext(
                "“%(raw)s” is not a valid phone number. Give a Kenyan number (0712 345 678) or the country code "
                "of a foreign one (+256 …)."
            )
            % {"raw": raw},
            "phones",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_national_id(text: str) -> str:
    """A Kenyan national ID number: 7 or 8 digits, spaces and dashes removed."""
    raw = (text or "").strip()
    value = _SEPARATORS.sub("", raw)
    if not _ID_DIGITS.fullmatch(value):
        raise InvalidIdentifier(
            gettext("“%(raw)s” is not a Kenyan national ID number: it has 7 or 8 digits and nothing else.")
            % {"raw": raw},
            "national_ids",
        )
    return value


def normalise_passport(text: str) -> str:
    """A passport number: 6 to 9 letters and digits (at least one digit), upper case, separators removed."""
    raw = (text or "").strip()
    value = _SEPARATORS.sub("", raw).upper()
    if not _PASSPORT.fullmatch(value) or not any(c.isdigit() for c in value):
        raise InvalidIdentifier(
            gettext("“%(raw)s” is not a passport number: 6 to 9 letters and digits, with at least one digit.")
            % {"raw": raw},
            "passports",
        )
    return value


def split_id_number(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """An accused's "ID or passport number" as (national IDs, passports): a national ID if it reads as one,
    otherwise a passport number; nothing for a blank one. Anything else is refused."""
    raw = (text or "").strip()
    if not raw:
        return (), ()
    try:
        return (normalise_national_id(raw),), ()
    except InvalidIdentifier:
        pass
    try:
        return (), (normalise_passport(raw),)
    except InvalidIdentifier:
        raise InvalidIdentifier(
            gettext(
                "“%(raw)s” is neither a Kenyan national ID number (7 or 8 digits) nor a passport number "
                "(6 to 9 letters and digits)."
            )
            % {"raw": raw},
            "id_number",
        ) from None


def _normalised(national_ids: Iterable[str], passports: Iterable[str], phones: Iterable[str]) -> list[tuple[str, str]]:
    """Every identifier given, normalised, each once, in a stable order; the first bad one is refused."""
    pairs: list[tuple[str, str]] = []
    for kind, values, normalise in (
        (IdentifierKind.NATIONAL_ID, national_ids, normalise_national_id),
        (IdentifierKind.PASSPORT, passports, normalise_passport),
        (IdentifierKind.PHONE, phones, normalise_phone),
    ):
        for value in values:
            if not (value or "").strip():
                continue
            pair = (str(kind), normalise(value))
            if pair not in pairs:
                pairs.append(pair)
    return pairs


# --- Creating and linking ---------------------------------------------------------------------------


@transaction.atomic
def create_person(
    user: User,
    *,
    name: str,
    aliases: str = "",
    sex: str = Sex.UNKNOWN,
    date_of_birth: dt.date | None = None,
    birth_year: int | None = None,
    nationality: str = "",
    addresses: str = "",
    national_ids: Iterable[str] = (),
    passports: Iterable[str] = (),
    phones: Iterable[str] = (),
) -> Person:
    """A new person in the index, with their identifiers (all checked before anything is saved)."""
    name = (name or "").strip()
    if not name:
        raise InvalidDetails(gettext("Give the person's name."), "name")
    if sex not in Sex.values:
        raise InvalidDetails(gettext("“%(sex)s” is not a sex the index records.") % {"sex": sex}, "sex")
    if date_of_birth is not None:
        not_in_future(date_of_birth, gettext("date of birth"), field="date_of_birth")
        if birth_year is not None and birth_year != date_of_birth.year:
            raise InvalidDetails(gettext("The year of birth does not match the date of birth."), "birth_year")
        birth_year = date_of_birth.year
    if birth_year is not None and not 1900 <= birth_year <= today().year:
        raise InvalidDetails(gettext("%(year)s is not a possible year of birth.") % {"year": birth_year}, "birth_year")
    identifiers = _normalised(national_ids, passports, phones)
    person = Person(
        reference=next_reference(PERSON_SERIES, PERSON_TEMPLATE, calendar_year(today())),
        name=name,
        aliases=(aliases or "").strip(),
        sex=sex,
        date_of_birth=date_of_birth,
        birth_year=birth_year,
        nationality=(nationality or "").strip(),
        addresses=(addresses or "").strip(),
    )
    person.save_as(user, "Person added to the index")
    for kind, value in identifiers:
        PersonIdentifier(person=person, kind=kind, value=value).save_as(user, "Identifier recorded")
    return person


def person_from_accused_details(
    user: User,
    *,
    name: str,
    aliases: str = "",
    sex: str = Sex.UNKNOWN,
    date_of_birth: dt.date | None = None,
    nationality: str = "",
    id_number: str = "",
) -> Person:
    """A new person made from what an accused record says of them (its "ID or passport number" read as a
    national ID if it is one, otherwise as a passport number)."""
    national_ids, passports = split_id_number(id_number)
    return create_person(
        user,
        name=name,
        aliases=aliases,
        sex=sex,
        date_of_birth=date_of_birth,
        nationality=nationality,
        national_ids=national_ids,
        passports=passports,
    )


def require_linkable(user: User, person: Person, case_id: int, accused_id: int | None = None) -> None:
    """Refuse a person who cannot be who an accused on this case is: merged away, out of the user's sight,
    or already an accused on the same case."""
    if person.merged_into_id is not None:
        kept = Person.objects.only("reference").get(pk=person.merged_into_id)
        raise InvalidDetails(
            gettext("%(merged)s was merged into %(kept)s: choose that person.")
            % {"merged": person.reference, "kept": kept.reference},
            "person",
        )
    unseen = not Person.objects.visible_to(user).filter(pk=person.pk).exists()
    if unseen and person.accused_records.exists():
        raise InvalidDetails(gettext("That person is not in the index you may see."), "person")
    others = person.accused_records.filter(case_id=case_id)
    if accused_id is not None:
        others = others.exclude(pk=accused_id)
    if others.exists():
        raise InvalidDetails(
            gettext("%(reference)s is already an accused on this case.") % {"reference": person.reference}, "person"
        )


@transaction.atomic
def link_accused(user: User, accused: Accused, person: Person) -> Accused:
    """Say which person in the index an accused record is (or correct it)."""
    case = lock_case(accused.case)
    if not can_correct_case(user, case):
        raise CaseNotEditable(
            gettext("You may not change the accused of %(reference)s.") % {"reference": case.reference}
        )
    locked = Accused.objects.select_for_update().get(pk=accused.pk)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if locked.person_id == person.pk:
        return locked
    require_linkable(user, person, case.pk, accused_id=locked.pk)
    locked.person = person
    locked.save_as(user, f"Linked to person {person.reference}", update_fields=["person", "updated_at"])
    accused.person = person
    return locked


def record_accused_identifier(user: User, accused: Accused) -> list[PersonIdentifier]:
    """Add the accused's "ID or passport number" (normalised) to their person's identifiers, when the person
    does not hold it yet — so that a corrected ID number is found by matching, search and the network.
    The identifiers already held stay: a person may have had both, and history keeps who added which.
    Called inside the transaction that records or corrects the accused; a number that reads as neither a
    national ID nor a passport number is refused (``InvalidIdentifier``) and the transaction rolls back."""
    national_ids, passports = split_id_number(accused.id_number)
    if accused.person_id is None:
        return []
    wanted = [(str(IdentifierKind.NATIONAL_ID), v) for v in national_ids]
    wanted += [(str(IdentifierKind.PASSPORT), v) for v in passports]
    held = set(PersonIdentifier.objects.filter(person_id=accused.person_id).values_list("kind", "value"))
    added = []
    for kind, value in wanted:
        if (kind, value) in held:
            continue
        identifier = PersonIdentifier(person_id=accused.person_id, kind=kind, value=value)
        identifier.save_as(user, f"Identifier from the accused record on case {accused.case_id}")
        added.append(identifier)
    return added


# --- Matching ---------------------------------------------------------------------------------------


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
    identifiers = _normalised(national_ids, passports, phones)
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


# --- Merging ----------------------------------------------------------------------------------------


def _short(text: str, size: int = 100) -> str:
    """History keeps a reason of at most 100 characters."""
    return text if len(text) <= size else text[: size - 1] + "…"


def _lock_persons(*persons: Person) -> list[Person]:
    """The persons' rows, locked in one order (by id) so two merges never wait on each other."""
    locked = Person.objects.select_for_update().in_bulk([p.pk for p in persons])
    return [locked[p.pk] for p in persons]


@transaction.atomic
def merge_persons(user: User, *, kept: Person, merged: Person, reason: str) -> PersonMerge:
    """The unit head's decision that ``merged`` is ``kept``: every accused record of ``merged`` moves to
    ``kept``; ``merged`` points at ``kept`` and is no longer offered or listed. History on both."""
    if not can_merge_persons(user):
        raise MergeNotAllowed(gettext("Only the unit head merges persons of the index."))
    reason = (reason or "").strip()
    if not reason:
        raise MergeNotAllowed(gettext("Give the reason for the merge: it is kept in both persons' history."), "reason")
    if kept.pk == merged.pk:
        raise MergeNotAllowed(gettext("A person cannot be merged into themselves: choose two different persons."))
    kept, merged = _lock_persons(kept, merged)
    for person in (kept, merged):
        if person.merged_into_id is not None:
            raise MergeNotAllowed(
                gettext("%(reference)s has already been merged into another person.") % {"reference": person.reference}
            )
    moving = list(Accused.objects.select_for_update().filter(person=merged).order_by("pk"))
    shared = sorted({a.case_id for a in moving} & set(kept.accused_records.values_list("case_id", flat=True)))
    if shared:
        references = ", ".join(Case.objects.filter(pk__in=shared).values_list("reference", flat=True))
        raise MergeNotAllowed(
            gettext(
                "%(merged)s and %(kept)s are both accused in %(cases)s: two accused on one "
                "case are two persons, so they cannot be merged."
            )
            % {"merged": merged.reference, "kept": kept.reference, "cases": references}
        )
    why = _short(f"Merged {merged.reference} into {kept.reference}: {reason}")
    for accused in moving:
        accused.person = kept
        accused.save_as(user, why, update_fields=["person", "updated_at"])
    merged.merged_into = kept
    merged.save_as(user, why, update_fields=["merged_into", "updated_at"])
    kept.save_as(user, _short(f"{merged.reference} merged into this person: {reason}"), update_fields=["updated_at"])
    merge = PersonMerge(
        merged=merged, kept=kept, reason=reason, moved_accused=[a.pk for a in moving], by=user, at=timezone.now()
    )
    merge.save_as(user, "Persons merged")
    return merge


@transaction.atomic
def undo_merge(user: User, merge: PersonMerge, *, reason: str) -> PersonMerge:
    """Undo a merge by a second merge record: the accused records it moved go back to the person merged,
    who is listed again. The first merge stays, marked as undone."""
    if not can_merge_persons(user):
        raise MergeNotAllowed(gettext("Only the unit head undoes a merge of persons."))
    reason = (reason or "").strip()
    if not reason:
        raise MergeNotAllowed(gettext("Give the reason for undoing the merge."), "reason")
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undoes_id is not None:
        raise MergeNotAllowed(gettext("This record already undoes a merge; merge the two persons again instead."))
    if PersonMerge.objects.filter(undoes=merge).exists():
        raise MergeNotAllowed(gettext("This merge has already been undone."))
    kept, merged = _lock_persons(merge.kept, merge.merged)
    if merged.merged_into_id != kept.pk or kept.merged_into_id is not None:
        raise MergeNotAllowed(
            gettext("%(reference)s has since been merged into another person: undo that merge first.")
            % {"reference": kept.reference}
        )
    moving = list(Accused.objects.select_for_update().filter(pk__in=merge.moved_accused, person=kept).order_by("pk"))
    why = _short(f"Merge of {merged.reference} into {kept.reference} undone: {reason}")
    for accused in moving:
        accused.person = merged
        accused.save_as(user, why, update_fields=["person", "updated_at"])
    merged.merged_into = None
    merged.save_as(user, why, update_fields=["merged_into", "updated_at"])
    kept.save_as(user, why, update_fields=["updated_at"])
    undo = PersonMerge(
        merged=merged,
        kept=kept,
        reason=reason,
        moved_accused=[a.pk for a in moving],
        undoes=merge,
        by=user,
        at=timezone.now(),
    )
    undo.save_as(user, "Merge undone")
    return undo
