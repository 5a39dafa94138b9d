"""Who may see, attach and withdraw documents — decided by the kinds the apps register.

A user sees a document when they hold one of its kind's ``readers`` roles *and* see the record it hangs on
(the owning app's scope rule, ``Model.objects.visible_to(user)``): whoever may see the record may see its
documents, and only they. A witness's and a protection measure's papers are for liaisons only; the fund's
records' papers for the fund roles and auditors — as their kinds declare.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from core.access import AnyUser, PageAccess, has_role
from core.querysets import scope_rule
from documents.models import Document
from documents.registry import RecordKind, record_kinds


def _of_kind(kind: RecordKind) -> Q:
    """Documents hanging on records of ``kind`` (by the content type's natural key: no lookup needed)."""
    meta = kind.model._meta
    return Q(content_type__app_label=meta.app_label, content_type__model=meta.model_name)


@scope_rule(Document)
def _visible_documents(documents: QuerySet[Document], user: AnyUser) -> QuerySet[Document]:
    """For each kind the user reads, the documents of the records of that kind they may see."""
    condition = Q(pk__in=[])
    for kind in record_kinds():
        if kind.may_read(user):
            visible: QuerySet[Any] = kind.model._default_manager.visible_to(user)  # type: ignore[attr-defined]
            condition |= _of_kind(kind) & Q(object_id__in=visible.values("pk"))
    return documents.filter(condition)


def of_kind(documents: QuerySet[Document], kind: RecordKind) -> QuerySet[Document]:
    return documents.filter(_of_kind(kind))


def can_attach(user: AnyUser, kind: RecordKind, record: Any) -> bool:
    """The kind's attaching role, and the record within the user's reach (their own case, say)."""
    return has_role(user, kind.attachers) and bool(kind.can_attach(user, record))


# What a GET of each kind's pages answers (core.access.PageAccess; the generated access test holds the
# views to it): the readers open a document anywhere; the attachers open the upload page on the records
# within their reach (403 beyond it); the withdrawers open the withdrawal page.


def read_access(kind: RecordKind) -> PageAccess:
    return PageAccess(opens=kind.readers)


def attach_access(kind: RecordKind) -> PageAccess:
    everywhere = kind.attachers if kind.attachers_everywhere is None else kind.attachers_everywhere
    return PageAccess(opens=kind.attachers, everywhere=everywhere, beyond=403)


def withdraw_access(kind: RecordKind) -> PageAccess:
    return PageAccess(opens=kind.withdrawers)
