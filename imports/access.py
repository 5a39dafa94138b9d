"""Who may import registers and who sees an import batch.

A kind of register says who may import it (``ImportKind.allowed_roles``). A batch is seen by the person
who uploaded it; the unit head sees every batch, and auditors read every batch. Only the uploader
confirms or cancels a batch.
"""

from __future__ import annotations

from django.db.models import QuerySet

from core.access import AnyUser, roles_of
from core.querysets import scope_rule
from core.roles import Role
from imports.kinds.base import KINDS, ImportKind
from imports.models import ImportBatch

BATCH_OVERSEERS: frozenset[str] = frozenset({Role.UNIT_HEAD, Role.AUDITOR})


def kinds_for(user: AnyUser) -> list[type[ImportKind]]:
    """The kinds of register ``user`` may import, in a stable order."""
    roles = roles_of(user)
    return [kind for slug, kind in sorted(KINDS.items()) if kind.allowed_roles & roles]


def import_roles() -> frozenset[str]:
    """Everyone who may open the import pages: whoever may import some kind, and the overseers."""
    roles: set[str] = set(BATCH_OVERSEERS)
    for kind in KINDS.values():
        roles |= kind.allowed_roles
    return frozenset(roles)


def may_import(user: AnyUser, kind: type[ImportKind]) -> bool:
    return bool(kind.allowed_roles & roles_of(user))


@scope_rule(ImportBatch)
def _visible_batches(batches: QuerySet[ImportBatch], user: AnyUser) -> QuerySet[ImportBatch]:
    """The uploader's own batches; every batch for the unit head and auditors; none without a role."""
    roles = roles_of(user)
    if roles & BATCH_OVERSEERS:
        return batches
    if roles:
        return batches.filter(uploaded_by_id=user.pk)
    return batches.none()
