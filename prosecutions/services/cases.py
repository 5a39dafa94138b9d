"""Opening a case file and changing its details and its prosecutors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from core.access import has_role
from core.guards import not_in_future
from core.models import County, User
from core.numbering import calendar_year, next_reference
from core.roles import Role
from prosecutions.choices import ExploitationType, Scope, Stage
from prosecutions.exceptions import CaseNotEditable, InvalidDetails
from prosecutions.models import Case, Court, StageChange
from prosecutions.services.shared import editable_locked_case

CASE_SERIES = "case"
CASE_TEMPLATE = "ODPP/CTIP/{period}/{number:04d}"


@transaction.atomic
def open_case(
    user: User,
    *,
    title: str,
    county: County,
    opened_on: dt.date,
    lead_prosecutor: User | None = None,
    team: Iterable[User] = (),
    court: Court | None = None,
    court_case_type: str = "Criminal Case",
    court_case_serial: str = "",
    court_case_year: int | None = None,
    police_station: str = "",
    ob_number: str = "",
    ob_date: dt.date | None = None,
    dci_reference: str = "",
    scope: str = Scope.INTERNAL,
    exploitation_types: Sequence[str] = (),
    in_camera: bool = False,
    summary: str = "",
) -> Case:
    """Open a new case file in investigation, numbered ``ODPP/CTIP/{year}/{n}`` by the year it opened."""
    if not has_role(user, [Role.PROSECUTOR, Role.UNIT_HEAD]):
        raise CaseNotEditable(gettext("Only prosecutors and the unit head open cases."))
    not_in_future(opened_on, gettext("opening date"), field="opened_on")
    if ob_date is not None:
        not_in_future(ob_date, gettext("OB date"), field="ob_date")
    lead = lead_prosecutor or user
    if not has_role(lead, [Role.PROSECUTOR, Role.UNIT_HEAD]):
        raise InvalidDetails(
            gettext("%(user)s is not a prosecutor and cannot lead a case.") % {"user": lead}, "lead_prosecutor"
        )
    unknown = set(exploitation_types) - set(ExploitationType.values)
    if unknown:
        raise InvalidDetails(
            gettext("Unknown exploitation type: %(types)s.") % {"types": ", ".join(sorted(unknown))},
            "exploitation_types",
        )
    case = Case(
        reference=next_reference(CASE_SERIES, CASE_TEMPLATE, calendar_year(opened_on)),
        title=title.strip(),
        county=county,
        opened_on=opened_on,
        last_activity_on=opened_on,
        lead_prosecutor=lead,
        court=court,
        court_case_type=court_case_type,
        court_case_serial=court_case_serial.strip(),
        court_case_year=court_case_year,
        police_station=police_station,
        ob_number=ob_number.strip(),
        ob_date=ob_date,
        dci_reference=dci_reference,
        scope=scope,
        exploitation_types=list(exploitation_types),
        in_camera=in_camera,
        summary=summary,
        stage=Stage.INVESTIGATION,
    )
    case.save_as(user, "Case opened")
    members = [member for member in team if member.pk != lead.pk]
    if members:
        case.team.set(members)
    StageChange(
        case=case, from_stage="", to_stage=Stage.INVESTIGATION, effective_on=opened_on, changed_by=user, note="Opened"
    ).save_as(user, "Case opened")
    return case


CASE_DETAIL_FIELDS = frozenset(
    {
        "title",
        "court",
        "court_case_type",
        "court_case_serial",
        "court_case_year",
        "police_station",
        "ob_number",
        "ob_date",
        "dci_reference",
        "county",
        "scope",
        "exploitation_types",
        "in_camera",
        "summary",
    }
)


@transaction.atomic
def update_case_details(case: Case, user: User, reason: str = "", **changes: Any) -> Case:
    """Change the case's descriptive details (not its stage, numbering or team)."""
    locked = editable_locked_case(case, user)
    unknown = set(changes) - CASE_DETAIL_FIELDS
    if unknown:
        raise ValueError(f"Not case details: {', '.join(sorted(unknown))}")
    if changes.get("ob_date"):
        not_in_future(changes["ob_date"], gettext("OB date"), field="ob_date")
    if Stage(locked.stage) not in UNREGISTERED_STAGES:
        for field, label in (("court", gettext("court")), ("court_case_serial", gettext("court case number"))):
            if field in changes and not changes[field]:
                raise InvalidDetails(
                    gettext(
                        "The case is before the court: its %(detail)s stays recorded "
                        "(correct it instead of clearing it)."
                    )
                    % {"detail": label},
                    field,
                )
    for name, value in changes.items():
        setattr(locked, name, list(value) if name == "exploitation_types" else value)
    locked.save_as(user, reason or "Case details updated")
    return locked


# Before the plea a case need not be registered in court; from pre-trial on it has a court and a number.
UNREGISTERED_STAGES = frozenset({Stage.INVESTIGATION, Stage.CHARGING_DECISION})


@transaction.atomic
def assign_prosecutors(
    case: Case, user: User, *, lead_prosecutor: User, team: Iterable[User], reason: str = ""
) -> Case:
    """The unit head assigns the lead prosecutor and the team."""
    if not has_role(user, [Role.UNIT_HEAD]):
        raise CaseNotEditable(gettext("Only the unit head assigns prosecutors to a case."))
    locked = editable_locked_case(case, user)
    if not has_role(lead_prosecutor, [Role.PROSECUTOR, Role.UNIT_HEAD]):
        raise InvalidDetails(
            gettext("%(user)s is not a prosecutor and cannot lead a case.") % {"user": lead_prosecutor},
            "lead_prosecutor",
        )
    locked.lead_prosecutor = lead_prosecutor
    locked.save_as(user, reason or "Prosecutors assigned")
    locked.team.set([member for member in team if member.pk != lead_prosecutor.pk])
    return locked
