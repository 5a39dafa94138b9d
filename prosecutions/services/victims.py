"""Victims on a case file, known by code only (CTIP s.11): no name is stored."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from core.guards import not_in_future
from core.models import User
from core.numbering import calendar_year, next_reference
from prosecutions.choices import ExploitationType, Sex
from prosecutions.exceptions import InvalidDetails
from prosecutions.models import Case, Victim
from prosecutions.services.shared import editable_locked_case

VICTIM_SERIES = "victim"
VICTIM_TEMPLATE = "V-{period}-{number:04d}"


@transaction.atomic
def add_victim(
    case: Case,
    user: User,
    *,
    exploitation_type: str,
    identified_on: dt.date,
    sex: str = Sex.UNKNOWN,
    age_at_exploitation: int | None = None,
    is_child: bool = False,
    nationality: str = "",
    referred_to_services: bool = False,
) -> Victim:
    """Add a victim, known by a code ``V-{year}-{n}`` issued by the year identified. No name is stored."""
    locked = editable_locked_case(case, user)
    not_in_future(identified_on, "date identified", field="identified_on")
    if exploitation_type not in ExploitationType.values:
        raise InvalidDetails("Choose the form of exploitation.", "exploitation_type")
    child = age_at_exploitation < 18 if age_at_exploitation is not None else is_child
    victim = Victim(
        case=locked,
        code=next_reference(VICTIM_SERIES, VICTIM_TEMPLATE, calendar_year(identified_on)),
        sex=sex,
        age_at_exploitation=age_at_exploitation,
        is_child=child,
        nationality=nationality,
        exploitation_type=exploitation_type,
        identified_on=identified_on,
        referred_to_services=referred_to_services,
    )
    victim.save_as(user, "Victim added")
    return victim
