"""The accused on a case file: adding them, changing their details, and their custody following the
outcome of their counts (a custodial sentence: serving sentence; acquitted or discharged on every count:
released)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from core.guards import not_in_future
from core.models import User
from prosecutions.choices import ACQUITTALS, DISCHARGES, CustodyStatus, NetworkRole, Sex
from prosecutions.models import Accused, Case, Person, Sentence
from prosecutions.services.persons import (
    person_from_accused_details,
    record_accused_identifier,
    require_linkable,
    split_id_number,
)
from prosecutions.services.shared import editable_locked_case


@transaction.atomic
def add_accused(
    case: Case,
    user: User,
    *,
    name: str,
    aliases: str = "",
    sex: str = Sex.UNKNOWN,
    date_of_birth: dt.date | None = None,
    age: int | None = None,
    nationality: str = "",
    id_number: str = "",
    network_role: str = NetworkRole.OTHER,
    custody_status: str = CustodyStatus.REMANDED,
    bail_terms: str = "",
    person: Person | None = None,
) -> Accused:
    """An accused on the case: ``person`` says who they are in the index of persons (one the user chose from
    the matches offered); with ``None`` a new person is made from the accused's details."""
    locked = editable_locked_case(case, user)
    if date_of_birth is not None:
        not_in_future(date_of_birth, gettext("date of birth"), field="date_of_birth")
    if person is None:
        person = person_from_accused_details(
            user,
            name=name,
            aliases=aliases,
            sex=sex,
            date_of_birth=date_of_birth,
            nationality=nationality,
            id_number=id_number,
        )
    else:
        person = Person.objects.select_for_update().get(pk=person.pk)
        require_linkable(user, person, locked.pk)
    accused = Accused(
        case=locked,
        name=name.strip(),
        aliases=aliases.strip(),
        sex=sex,
        date_of_birth=date_of_birth,
        age=age,
        nationality=nationality,
        id_number=id_number,
        network_role=network_role,
        custody_status=custody_status,
        bail_terms=bail_terms,
        person=person,
    )
    accused.save_as(user, "Accused added")
    return accused


# The details of an accused, in the order forms and corrections list them.
ACCUSED_ORDER = (
    "name",
    "aliases",
    "sex",
    "date_of_birth",
    "age",
    "nationality",
    "id_number",
    "network_role",
    "custody_status",
    "bail_terms",
)
ACCUSED_FIELDS = frozenset(ACCUSED_ORDER)


@transaction.atomic
def update_accused(accused: Accused, user: User, reason: str = "", **changes: Any) -> Accused:
    editable_locked_case(accused.case, user)
    unknown = set(changes) - ACCUSED_FIELDS
    if unknown:
        raise ValueError(f"Not accused details: {', '.join(sorted(unknown))}")
    if changes.get("date_of_birth"):
        not_in_future(changes["date_of_birth"], gettext("date of birth"), field="date_of_birth")
    if "id_number" in changes:
        split_id_number(changes["id_number"])  # the wrong format is refused before anything is saved
    for name, value in changes.items():
        setattr(accused, name, value)
    accused.save_as(user, reason or "Accused details updated")
    if "id_number" in changes:
        record_accused_identifier(user, accused)
    return accused


# Outcomes that end a count without a conviction: an accused acquitted or discharged on every count goes free.
FREEING_OUTCOMES = ACQUITTALS | DISCHARGES


def _set_custody(accused: Accused, user: User, status: CustodyStatus, reason: str) -> None:
    locked = Accused.objects.select_for_update().get(pk=accused.pk)
    if locked.custody_status == status:
        return
    locked.custody_status = status
    locked.save_as(user, reason, update_fields=["custody_status", "updated_at"])
    accused.custody_status = status


def custody_after_sentence(sentence: Sentence, user: User) -> None:
    """A custodial sentence (a term or life) puts the accused in custody serving it. Called in the
    transaction that records or corrects the sentence."""
    if not (sentence.life_imprisonment or sentence.custodial_months):
        return
    charge = sentence.charge
    _set_custody(
        charge.accused,
        user,
        CustodyStatus.SERVING_SENTENCE,
        f"Serving sentence: custodial sentence on count {charge.count_number}",
    )


def custody_after_outcome(accused: Accused, user: User) -> None:
    """An accused acquitted or discharged on every count is released. Called in the transaction that records
    or corrects a count's outcome."""
    outcomes = list(accused.charges.values_list("disposition", flat=True))
    if outcomes and all(outcome in FREEING_OUTCOMES for outcome in outcomes):
        _set_custody(accused, user, CustodyStatus.RELEASED, "Released: acquitted or discharged on every count")
