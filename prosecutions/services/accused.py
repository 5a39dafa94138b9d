"""The accused on a case file: adding them and changing their details."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from core.guards import not_in_future
from core.models import User
from prosecutions.choices import CustodyStatus, NetworkRole, Sex
from prosecutions.models import Accused, Case
from prosecutions.services.shared import editable_locked_case


@transaction.atomic
def add_accused(
    case: Case,
    user: User,
    *,
    name: str,
    sex: str = Sex.UNKNOWN,
    date_of_birth: dt.date | None = None,
    age: int | None = None,
    nationality: str = "",
    id_number: str = "",
    network_role: str = NetworkRole.OTHER,
    custody_status: str = CustodyStatus.REMANDED,
    bail_terms: str = "",
) -> Accused:
    locked = editable_locked_case(case, user)
    if date_of_birth is not None:
        not_in_future(date_of_birth, "date of birth", field="date_of_birth")
    accused = Accused(
        case=locked,
        name=name.strip(),
        sex=sex,
        date_of_birth=date_of_birth,
        age=age,
        nationality=nationality,
        id_number=id_number,
        network_role=network_role,
        custody_status=custody_status,
        bail_terms=bail_terms,
    )
    accused.save_as(user, "Accused added")
    return accused


ACCUSED_FIELDS = frozenset(
    {"name", "sex", "date_of_birth", "age", "nationality", "id_number", "network_role", "custody_status", "bail_terms"}
)


@transaction.atomic
def update_accused(accused: Accused, user: User, reason: str = "", **changes: Any) -> Accused:
    editable_locked_case(accused.case, user)
    unknown = set(changes) - ACCUSED_FIELDS
    if unknown:
        raise ValueError(f"Not accused details: {', '.join(sorted(unknown))}")
    if changes.get("date_of_birth"):
        not_in_future(changes["date_of_birth"], "date of birth", field="date_of_birth")
    for name, value in changes.items():
        setattr(accused, name, value)
    accused.save_as(user, reason or "Accused details updated")
    return accused
