"""Who may see and change cases — decided here and nowhere else.

Prosecutors, liaisons and auditors read every case; prosecutors change only the cases they lead or
are on the team of; the unit head changes any. A closed case is read-only until a unit head reopens
it. Fund roles never open case pages: they see a case's number and title only where they link to one.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from core.access import has_role
from core.roles import FUND_ROLES, Role
from prosecutions.choices import Stage
from prosecutions.models import Case

CASE_READERS = frozenset({Role.PROSECUTOR, Role.UNIT_HEAD, Role.WITNESS_LIAISON, Role.AUDITOR})
CASE_WRITERS = frozenset({Role.PROSECUTOR, Role.UNIT_HEAD})
CASE_LABEL_READERS = CASE_READERS | FUND_ROLES


def can_read_cases(user: Any) -> bool:
    return has_role(user, CASE_READERS)


def can_open_cases(user: Any) -> bool:
    """Prosecutors and the unit head open new case files."""
    return has_role(user, CASE_WRITERS)


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """Every case the user may open (all of them, for the roles that read cases)."""
    if can_read_cases(user):
        return Case.objects.all()
    return Case.objects.none()


def _on_case(user: Any) -> Q:
    """Cases the user leads or is on the team of — without a join that would repeat rows."""
    team_case_ids = Case.team.through.objects.filter(user_id=user.pk).values("case_id")
    return Q(lead_prosecutor_id=user.pk) | Q(pk__in=team_case_ids)


def cases_of(user: Any) -> QuerySet[Case]:
    """ "My cases": the cases a prosecutor leads or is on the team of (open and closed)."""
    if not has_role(user, CASE_WRITERS):
        return Case.objects.none()
    return Case.objects.filter(_on_case(user))


def cases_editable_by(user: Any) -> QuerySet[Case]:
    """Open cases the user may change: the unit head any, a prosecutor those they lead or are on."""
    if has_role(user, [Role.UNIT_HEAD]):
        return Case.objects.open()
    if has_role(user, [Role.PROSECUTOR]):
        return Case.objects.open().filter(_on_case(user))
    return Case.objects.none()


def case_labels_visible_to(user: Any) -> QuerySet[Case]:
    """Case numbers and titles only, for pages that link to a case (fund roles included).

    Returns a values queryset of ``id``, ``reference`` and ``title``: nothing else of the case leaks.
    """
    if not has_role(user, CASE_LABEL_READERS):
        return Case.objects.none().values("id", "reference", "title")  # type: ignore[return-value]
    return Case.objects.order_by("-opened_on", "-id").values("id", "reference", "title")  # type: ignore[return-value]


def hearings_scope(user: Any) -> QuerySet[Case]:
    """The cases whose hearings appear in the user's diary: all for the unit head, own for a prosecutor."""
    if has_role(user, [Role.UNIT_HEAD]):
        return Case.objects.all()
    return cases_of(user)


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


def can_assign_prosecutors(user: Any, case: Case) -> bool:
    return case.stage != Stage.CLOSED and has_role(user, [Role.UNIT_HEAD])
