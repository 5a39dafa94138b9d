"""Who may see witnesses and who may read their identities — decided here and nowhere else.

- Witness protection liaisons see every witness, manage protection and hold the identity vault.
- Prosecutors, the unit head and auditors see the witnesses on the cases they can see: codes, roles,
  statuses and court measures. Programme measures and the reasons behind protection decisions are for
  liaisons (and auditors, who read everything but identities).
- Only a liaison reads an identity. A superuser is not a liaison: being one grants nothing here.
- A prosecutor adds witnesses to the cases they may change and may request protection for them.

What a user may see is asked of the model (``Witness.objects.visible_to(user)``): the scope rules below
say it once per model a page fetches.
"""

from __future__ import annotations

from django.db.models import QuerySet

from core.access import AnyUser, has_role
from core.querysets import scope_rule
from core.roles import Role
from prosecutions.access import can_edit_case, cases_editable_by
from prosecutions.models import Case
from witnesses.choices import MeasureCategory
from witnesses.models import Appearance, Identity, ProtectionMeasure, Witness

LIAISONS = frozenset({Role.WITNESS_LIAISON})
WITNESS_READERS = frozenset({Role.PROSECUTOR, Role.UNIT_HEAD, Role.WITNESS_LIAISON, Role.AUDITOR})
WITNESS_ADDERS = frozenset({Role.PROSECUTOR, Role.UNIT_HEAD, Role.WITNESS_LIAISON})
PROTECTION_REQUESTERS = frozenset({Role.PROSECUTOR, Role.UNIT_HEAD})
# Who adds witnesses to any open case, and who asks protection for any witness on one; a prosecutor
# does either only on the cases they lead or are on the team of.
WITNESS_ADDERS_EVERYWHERE = frozenset({Role.UNIT_HEAD, Role.WITNESS_LIAISON})
PROTECTION_REQUESTERS_EVERYWHERE = frozenset({Role.UNIT_HEAD})
PROTECTION_DETAIL_READERS = frozenset({Role.WITNESS_LIAISON, Role.AUDITOR})


def is_liaison(user: AnyUser) -> bool:
    return has_role(user, LIAISONS)


def can_read_witnesses(user: AnyUser) -> bool:
    return has_role(user, WITNESS_READERS)


# --- What a user may see (one rule per model a page fetches) ---------------------------------------


@scope_rule(Witness)
def _visible_witnesses(witnesses: QuerySet[Witness], user: AnyUser) -> QuerySet[Witness]:
    """All witnesses for a liaison; for the other reading roles those appearing in a case they can see."""
    if is_liaison(user):
        return witnesses
    if can_read_witnesses(user):
        cases = Case.objects.visible_to(user).values("pk")
        return witnesses.filter(pk__in=Appearance.objects.filter(case__in=cases).values("witness_id"))
    return witnesses.none()


@scope_rule(Appearance)
def _visible_appearances(appearances: QuerySet[Appearance], user: AnyUser) -> QuerySet[Appearance]:
    """A witness's part in a case: every one for a liaison, those in the cases they see for the others."""
    if is_liaison(user):
        return appearances
    if can_read_witnesses(user):
        return appearances.filter(case__in=Case.objects.visible_to(user).values("pk"))
    return appearances.none()


@scope_rule(ProtectionMeasure)
def _visible_measures(measures: QuerySet[ProtectionMeasure], user: AnyUser) -> QuerySet[ProtectionMeasure]:
    """The measures of the witnesses the user sees: court measures for every reader, programme measures
    only for those who see the protection details."""
    measures = measures.filter(witness__in=Witness.objects.visible_to(user))
    return measures if sees_protection_details(user) else measures.filter(category=MeasureCategory.COURT)


@scope_rule(Identity)
def _visible_identities(identities: QuerySet[Identity], user: AnyUser) -> QuerySet[Identity]:
    """An identity record (its values stay sealed) for a liaison only — never a superuser as such."""
    return identities if can_read_identity(user) else identities.none()


# --- What a user may read and do -------------------------------------------------------------------


def sees_protection_details(user: AnyUser) -> bool:
    """Programme measures, flag reasons and the reasons of status moves: liaisons and auditors."""
    return has_role(user, PROTECTION_DETAIL_READERS)


def can_read_identity(user: AnyUser) -> bool:
    """Only a witness protection liaison — never a superuser, auditor or prosecutor as such."""
    return is_liaison(user)


def can_write_identity(user: AnyUser) -> bool:
    return is_liaison(user)


def can_manage_protection(user: AnyUser) -> bool:
    """Flag, assess, admit, decline, suspend, terminate and record measures."""
    return is_liaison(user)


def can_add_witness(user: AnyUser, case: Case) -> bool:
    """A prosecutor who may change the case (or the unit head), or a liaison."""
    return is_liaison(user) or can_edit_case(user, case)


def can_request_protection(user: AnyUser, witness: Witness) -> bool:
    """A prosecutor who may change one of the witness's cases asks for protection."""
    if not has_role(user, PROTECTION_REQUESTERS):
        return False
    return Appearance.objects.filter(witness=witness, case__in=cases_editable_by(user).values("pk")).exists()
