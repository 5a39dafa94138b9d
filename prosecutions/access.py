"""Who may see and change cases — decided here and nowhere else.

Prosecutors, liaisons and auditors read every case; prosecutors change only the cases they lead or
are on the team of; the unit head changes any. A closed case is read-only until a unit head reopens
it. Fund roles never open case pages: they see a case's number and title only where they link to one.

The scope rules below (``Case.objects.visible_to(user)``) say what a user may open; the ``can_*``
helpers say what they may change.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from core.access import AnyUser, PageAccess, has_role
from core.models import User
from core.querysets import scope_rule
from core.roles import FUND_ROLES, Role
from prosecutions.choices import Stage
from prosecutions.models import (
    Accused,
    Case,
    CaseQuerySet,
    Charge,
    Correction,
    Hearing,
    Person,
    PersonIdentifier,
    PersonMerge,
    StageChange,
)

CASE_READERS = frozenset({Role.PROSECUTOR, Role.UNIT_HEAD, Role.WITNESS_LIAISON, Role.AUDITOR})
CASE_WRITERS = frozenset({Role.PROSECUTOR, Role.UNIT_HEAD})
CASE_LABEL_READERS = CASE_READERS | FUND_ROLES
# The unit head changes every case; a prosecutor only the cases they lead or are on the team of.
EVERY_CASE_WRITERS = frozenset({Role.UNIT_HEAD})

# What a GET of a page that changes one case answers: the case writers on the case (and the unit head on
# any case) open it; a prosecutor not on the case sees the case but may not change it (403).
CASE_CHANGE_PAGE = PageAccess(opens=CASE_WRITERS, everywhere=EVERY_CASE_WRITERS, beyond=403)
# A correction page answers as a change page: its record must be open, or the user the unit head, for the
# form to be accepted (``can_correct_case``), which the page checks beyond what a GET declares.
CASE_CORRECTION_PAGE = CASE_CHANGE_PAGE
# A page only the unit head opens (reopening a closed case, assigning prosecutors), on any case.
UNIT_HEAD_PAGE = PageAccess(opens=EVERY_CASE_WRITERS)


def can_read_cases(user: AnyUser) -> bool:
    return has_role(user, CASE_READERS)


def can_open_cases(user: AnyUser) -> bool:
    """Prosecutors and the unit head open new case files."""
    return has_role(user, CASE_WRITERS)


# --- What a user may see (one rule per model a page fetches) ---------------------------------------


@scope_rule(Case)
def _visible_cases(cases: QuerySet[Case], user: AnyUser) -> QuerySet[Case]:
    """The case readers see every case; nobody else opens one."""
    return cases if can_read_cases(user) else cases.none()


@scope_rule(StageChange)
@scope_rule(Correction)
@scope_rule(Accused)
@scope_rule(Charge)
@scope_rule(Hearing)
def _of_visible_cases(records: QuerySet[Any], user: AnyUser) -> QuerySet[Any]:
    """A record that hangs on a case is seen by whoever sees its case: the case readers, on every case."""
    return records if can_read_cases(user) else records.none()


# --- The index of persons ---------------------------------------------------------------------------
# The unit head sees every person; a prosecutor (or an auditor) sees a person only through an accused record
# on a case they may see, so a person accused only in unseen cases shows no trace of them; fund roles and
# witness liaisons see no person index at all.

PERSON_READERS = frozenset({Role.PROSECUTOR, Role.UNIT_HEAD, Role.AUDITOR})
EVERY_PERSON_READERS = frozenset({Role.UNIT_HEAD})
PERSON_MERGERS = frozenset({Role.UNIT_HEAD})


def can_read_persons(user: AnyUser) -> bool:
    return has_role(user, PERSON_READERS)


def can_merge_persons(user: AnyUser) -> bool:
    """Only the unit head merges two persons of the index (and undoes a merge)."""
    return has_role(user, PERSON_MERGERS)


def _persons_seen_by(user: AnyUser) -> QuerySet[Any] | None:
    """The ids of the persons ``user`` may see, or ``None`` for every person."""
    if has_role(user, EVERY_PERSON_READERS):
        return None
    seen_cases = Case.objects.visible_to(user).values("pk")
    return Accused.objects.filter(case_id__in=seen_cases, person_id__isnull=False).values("person_id")


@scope_rule(Person)
def _visible_persons(persons: QuerySet[Person], user: AnyUser) -> QuerySet[Person]:
    if not can_read_persons(user):
        return persons.none()
    seen = _persons_seen_by(user)
    return persons if seen is None else persons.filter(pk__in=seen)


@scope_rule(PersonIdentifier)
def _visible_identifiers(identifiers: QuerySet[PersonIdentifier], user: AnyUser) -> QuerySet[PersonIdentifier]:
    if not can_read_persons(user):
        return identifiers.none()
    seen = _persons_seen_by(user)
    return identifiers if seen is None else identifiers.filter(person_id__in=seen)


@scope_rule(PersonMerge)
def _visible_merges(merges: QuerySet[PersonMerge], user: AnyUser) -> QuerySet[PersonMerge]:
    """A merge is seen by whoever sees both persons it joined (the unit head: every merge)."""
    if not can_read_persons(user):
        return merges.none()
    seen = _persons_seen_by(user)
    return merges if seen is None else merges.filter(merged_id__in=seen, kept_id__in=seen)


# --- Whose cases ----------------------------------------------------------------------------------


def _on_case(user: User) -> Q:
    """Cases the user leads or is on the team of — without a join that would repeat rows."""
    team_case_ids = Case.team.through.objects.filter(user_id=user.pk).values("case_id")
    return Q(lead_prosecutor_id=user.pk) | Q(pk__in=team_case_ids)


def own_cases(cases: CaseQuerySet, user: AnyUser) -> CaseQuerySet:
    """Of ``cases``, those a prosecutor leads or is on the team of (none for other roles)."""
    if not isinstance(user, User) or not has_role(user, CASE_WRITERS):
        return cases.none()
    return cases.filter(_on_case(user))


def cases_of(user: AnyUser) -> CaseQuerySet:
    """ "My cases": the cases a prosecutor leads or is on the team of (open and closed)."""
    return own_cases(Case.objects.all(), user)


def cases_editable_by(user: AnyUser) -> CaseQuerySet:
    """Open cases the user may change: the unit head any, a prosecutor those they lead or are on."""
    if has_role(user, EVERY_CASE_WRITERS):
        return Case.objects.open()
    if isinstance(user, User) and has_role(user, [Role.PROSECUTOR]):
        return Case.objects.open().filter(_on_case(user))
    return Case.objects.none()


def case_labels_visible_to(user: AnyUser) -> QuerySet[Case]:
    """Case numbers and titles only, for pages that link to a case (fund roles included).

    Returns a values queryset of ``id``, ``reference`` and ``title``: nothing else of the case leaks.
    """
    if not has_role(user, CASE_LABEL_READERS):
        return Case.objects.none().values("id", "reference", "title")  # type: ignore[return-value]
    return Case.objects.order_by("-opened_on", "-id").values("id", "reference", "title")  # type: ignore[return-value]


def hearings_scope(user: AnyUser) -> CaseQuerySet:
    """The cases whose hearings appear in the user's diary: all for the unit head, own for a prosecutor."""
    if has_role(user, EVERY_CASE_WRITERS):
        return Case.objects.all()
    return cases_of(user)


# --- What a user may change -----------------------------------------------------------------------


def can_edit_case(user: AnyUser, case: Case) -> bool:
    """True when the user may change this case now (it is open and within their reach)."""
    if case.stage == Stage.CLOSED:
        return False
    if has_role(user, EVERY_CASE_WRITERS):
        return True
    if not isinstance(user, User) or not has_role(user, [Role.PROSECUTOR]):
        return False
    if case.lead_prosecutor_id == user.pk:
        return True
    return case.team.filter(pk=user.pk).exists()


def can_correct_case(user: AnyUser, case: Case) -> bool:
    """True when the user may correct facts already recorded on this case (a plea, an outcome, a sentence,
    a hearing, an accused's details): its prosecutors while it is open, the unit head at any time —
    a closed case included."""
    return has_role(user, EVERY_CASE_WRITERS) or can_edit_case(user, case)


def can_reopen_case(user: AnyUser, case: Case) -> bool:
    return case.stage == Stage.CLOSED and has_role(user, EVERY_CASE_WRITERS)


def can_assign_prosecutors(user: AnyUser, case: Case) -> bool:
    return case.stage != Stage.CLOSED and has_role(user, EVERY_CASE_WRITERS)
