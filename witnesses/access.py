"""Who may see witnesses and who may read their identities — decided here and nowhere else.

- Witness protection liaisons see every witness, manage protection and hold the identity vault.
- Prosecutors, the unit head and auditors see the witnesses on the cases they can see: codes, roles,
  statuses and court measures. Programme measures and the reasons behind protection decisions are for
  liaisons (and auditors, who read everything but identities).
- Only a liaison reads an identity. A superuser is not a liaison: being one grants nothing here.
- A prosecutor adds witnesses to the cases they may change and may request protection for them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from core.access import has_role
from core.roles import Role
from prosecutions.access import can_edit_case, cases_editable_by, cases_visible_to
from prosecutions.models import Case
from witnesses.models import Appearance, Witness

LIAISONS = frozenset({Role.WITNESS_LIAISON})
WITNESS_READERS = frozenset({Role.PROSECUTOR, Role.UNIT_HEAD, Role.WITNESS_LIAISON, Role.AUDITOR})
WITNESS_ADDERS = frozenset({Role.PROSECUTOR, Role.UNIT_HEAD, Role.WITNESS_LIAISON})
PROTECTION_REQUESTERS = frozenset({Role.PROSECUTOR, Role.UNIT_HEAD})


def is_liaison(user: Any) -> bool:
    return has_role(user, LIAISONS)


def can_read_witnesses(user: Any) -> bool:
    return has_role(user, WITNESS_READERS)


def witnesses_visible_to(user: Any) -> QuerySet[Witness]:
    """All witnesses for a liaison; for the other reading roles those appearing in a case they can see."""
    if is_liaison(user):
        return Witness.objects.all()
    if can_read_witnesses(user):
        cases = cases_visible_to(user).values("pk")
        return Witness.objects.filter(pk__in=Appearance.objects.filter(case__in=cases).values("witness_id"))
    return Witness.objects.none()


def appearances_visible_to(user: Any) -> QuerySet[Appearance]:
    if is_liaison(user):
        return Appearance.objects.all()
    if can_read_witnesses(user):
        return Appearance.objects.filter(case__in=cases_visible_to(user).values("pk"))
    return Appearance.objects.none()


def sees_protection_details(user: Any) -> bool:
    """Programme measures, flag reasons and the reasons of status moves: liaisons and auditors."""
    return has_role(user, {Role.WITNESS_LIAISON, Role.AUDITOR})


def can_read_identity(user: Any) -> bool:
    """Only a witness protection liaison — never a superuser, auditor or prosecutor as such."""
    return is_liaison(user)


def can_write_identity(user: Any) -> bool:
    return is_liaison(user)


def can_manage_protection(user: Any) -> bool:
    """Flag, assess, admit, decline, suspend, terminate and record measures."""
    return is_liaison(user)


def can_add_witness(user: Any, case: Case) -> bool:
    """A prosecutor who may change the case (or the unit head), or a liaison."""
    return is_liaison(user) or can_edit_case(user, case)


def can_request_protection(user: Any, witness: Witness) -> bool:
    """A prosecutor who may change one of the witness's cases asks for protection."""
    if not has_role(user, PROTECTION_REQUESTERS):
        return False
    return Appearance.objects.filter(witness=witness, case__in=cases_editable_by(user).values("pk")).exists()
