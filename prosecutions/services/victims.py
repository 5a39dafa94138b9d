"""Victims on a case file, known by code only (CTIP s.11): no name is stored.

The ``Victim`` model lives in the victims register (``victims``), which sits above this app; it is named
lazily here. The register's own services (a victim without a case) are in ``victims.services``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from core.guards import not_in_future
from core.models import User
from core.numbering import calendar_year, next_reference
from prosecutions.choices import ExploitationType, Sex
from prosecutions.exceptions import InvalidDetails
from prosecutions.models import Case, case_victim_model, victim_model
from prosecutions.services.shared import editable_locked_case

VICTIM_SERIES = "victim"
VICTIM_TEMPLATE = "V-{period}-{number:04d}"
# The register's role (victims.choices.CaseRole) of a victim added from the case file.
NAMED_IN_COUNT = "named_in_count"


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
) -> Any:
    """Add a victim, known by a code ``V-{year}-{n}`` issued by the year identified. No name is stored."""
    locked = editable_locked_case(case, user)
    not_in_future(identified_on, gettext("date identified"), field="identified_on")
    if exploitation_type not in ExploitationType.values:
        raise InvalidDetails(gettext("Choose the form of exploitation."), "exploitation_type")
    child = age_at_exploitation < 18 if age_at_exploitation is not None else is_child
    victim = victim_model()(
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
    case_victim_model()(victim=victim, case=locked, role=NAMED_IN_COUNT).save_as(user, f"Linked to {locked.reference}")
    return victim
