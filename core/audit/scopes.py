"""Which part of the audit log each role reads: a registry, so core names no domain app's models.

A scope gives a set of roles the history of the records of some apps (by app label). ``None`` as the
app labels means everything, sign-in events included (the auditors).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from core.access import AnyUser, roles_of
from core.models import AuditLink
from core.querysets import scope_rule


@dataclass(frozen=True)
class AuditScope:
    key: str
    roles: frozenset[str]
    app_labels: frozenset[str] | None  # None: every record type and the sign-in events


_scopes: dict[str, AuditScope] = {}


def register_audit_scope(scope: AuditScope) -> None:
    _scopes[scope.key] = scope


def audit_roles() -> frozenset[str]:
    """Every role that reads some part of the audit log."""
    return frozenset().union(*(scope.roles for scope in _scopes.values()))


def visible_app_labels(user: AnyUser) -> frozenset[str] | None:
    """The app labels whose history ``user`` may read in the audit log; None means all of it."""
    roles = roles_of(user)
    labels: set[str] = set()
    for scope in _scopes.values():
        if scope.roles & roles:
            if scope.app_labels is None:
                return None
            labels |= scope.app_labels
    return frozenset(labels)


def scope_filter(user: AnyUser) -> Q:
    """A filter on ``AuditLink`` rows: the part of the log ``user`` reads (nothing for other roles)."""
    labels = visible_app_labels(user)
    if labels is None:
        return Q()
    if not labels:
        return Q(pk__in=[])
    condition = Q()
    for label in sorted(labels):
        condition |= Q(record_type__startswith=f"{label}.")
    return condition


@scope_rule(AuditLink)
def _visible_links(links: QuerySet[AuditLink], user: AnyUser) -> QuerySet[AuditLink]:
    """The audit-log lines of the user's scopes."""
    return links.filter(scope_filter(user))
