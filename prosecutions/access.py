"""Who may see and change cases — decided here and nowhere else.

Prosecutors, liaisons and auditors read every case; prosecutors change only the cases they lead or
are on the team of; the unit head changes any. A closed case is read-only until a unit head reopens
it. Fund roles never open case pages: they see a case's number and title only where they link to one.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from core.access import has_role
from core.roles import Role
from prosecutions.choices import Stage
from prosecutions.models import Case

CASE_READERS = frozenset({Role.PROSECUTOR, Role.UNIT_HEAD, Role.WITNESS_LIAISON, Role.AUDITOR})
CASE_WRITERS = frozenset({Role.PROSECUTOR, Role.UNIT_HEAD})


def can_read_cases(user: Any) -> bool:
    return has_role(user, CASE_READERS)


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """Every case the user may open (all of them, for the roles that read cases)."""
    if can_read_cases(user):
        return Case.objects.all()
    return Case.objects.none()


def cases_editable_by(user: Any) -> QuerySet[Case]:
    """Open cases the user may change: the unit head any, a prosecutor those they lead or are on."""
    if has_role(user, [Role.UNIT_HEAD]):
        return Case.objects.open()
    if has_role(user, [Role.PROSECUTOR]):
        return Case.objects.open().filter(Q(lead_prosecutor=user) | Q(team=user)).distinct()
    return Case.objects.none()


def can_edit_case(user: Any, case: Case) -> bool:
    """True when the user may change this case now (it is open and within their reach)."""
    if case.stage == Stage.CLOSED:
        return False
    if has_role(user, [Role.UNIT_HEAD]):
        return True
    if not has_role(user, [Role.PROSECUTOR]):
        return False
    if case.lead_prosecutor_id == user.pk:
        return True
    return case.team.filter(pk=user.pk).exists()


def can_reopen_case(user: Any, case: Case) -> bool:
    return case.stage == Stage.CLOSED and has_role(user, [Role.UNIT_HEAD])
