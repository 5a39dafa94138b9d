"""The index of persons accused: one record per real person, however many cases they are accused in and
however their name is spelt in each.

Identifiers (national ID, passport and phone numbers) are stored normalised, so that the same number
written two ways matches. Adding an accused offers the persons that match (``person_matching``); the unit
head merges two records found to be one person (``merge_persons``), with a reason and history on both,
and may undo a merge by a second merge record (``undo_merge``) — never by deleting. Protected witnesses
never enter the index.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import phonenumbers
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

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


_SEPARATORS = re.compile(r"[\s\-./]+")
_ID_DIGITS = re.compile(r"\d{7,8}")
_PASSPORT = re.compile(r"[A-Z0-9]{6,9}")


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


def normalised_identifiers(
    national_ids: Iterable[str], passports: Iterable[str], phones: Iterable[str]
) -> list[tuple[str, str]]:
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
    identifiers = normalised_identifiers(national_ids, passports, phones)
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
