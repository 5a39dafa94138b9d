"""The records that accept documents: each app declares its own, with the papers each kind of record
takes and who may see, attach and withdraw them (``<app>/documents.py``, imported by its registrations).

The documents app imports no domain app. Whether a user sees a record's documents is asked of the record's
own model (``Model.objects.visible_to(user)``, the owning app's scope rule) and, on top of it, of the kind's
``readers`` (a witness's papers only to liaisons, the fund's to the fund roles and auditors): whoever may see
the record may see its documents, and only they.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.access import AnyUser, has_role
from core.labels import Label

if TYPE_CHECKING:
    from documents.models import Document


# Translators: who withdraws a document, as a refusal names them ("Only the unit head withdraws …").
UNIT_HEAD: Label = _("the unit head")


@dataclass(frozen=True)
class RecordKind:
    """A kind of record that takes documents (a case, a count, a court order, a disbursement …).

    ``readers``: the roles that may see such records' documents (the record itself must also be visible to
    the user). ``attachers`` open the upload page; ``attachers_everywhere`` are those of them who attach to
    any such record — the others only where ``can_attach(user, record)`` says so (a prosecutor on their own
    cases). ``withdrawers`` withdraw a document wrongly attached; with ``withdraw_four_eyes`` not the one
    who attached it (``withdrawn_by`` names them in a refusal). ``case_path`` leads from the record to its
    case (``"accused__case"``) so the case page lists it; ``parts(record)`` are the records of other kinds a
    user may attach to from this record's upload page (a case's accused, counts and hearings).
    ``confidential`` kinds never show a document's title outside the pages of their readers (the audit log
    names them by number).
    """

    slug: str
    model: type[models.Model]
    noun: Label
    types: tuple[str, ...]
    readers: frozenset[str]
    attachers: frozenset[str]
    withdrawers: frozenset[str]
    can_attach: Callable[[AnyUser, Any], bool]
    describe: Callable[[Any], str]
    record_url: Callable[[Any], str]
    attachers_everywhere: frozenset[str] | None = None
    select_related: tuple[str, ...] = ()
    case_path: str | None = None
    parts: Callable[[Any], list[Any]] | None = None
    confidential: bool = False
    withdraw_four_eyes: bool = False
    withdrawn_by: Label = UNIT_HEAD  # who withdraws, as the refusal names them

    def may_read(self, user: AnyUser) -> bool:
        return has_role(user, self.readers)

    def may_withdraw(self, user: AnyUser, document: Document) -> bool:
        """The role, and — for four-eyes kinds — someone other than whoever attached it."""
        if not has_role(user, self.withdrawers):
            return False
        return not (self.withdraw_four_eyes and document.uploaded_by_id == getattr(user, "pk", None))

    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model, for_concrete_model=True)

    def records(self) -> models.QuerySet[Any]:
        """Every record of this kind, with what ``describe`` reads (unscoped: callers narrow it)."""
        queryset: models.QuerySet[Any] = self.model._default_manager.all()
        return queryset.select_related(*self.select_related) if self.select_related else queryset


_kinds: dict[str, RecordKind] = {}


def register_record_kind(kind: RecordKind) -> None:
    _kinds[kind.slug] = kind


def record_kinds() -> list[RecordKind]:
    return list(_kinds.values())


def kind_by_slug(slug: str) -> RecordKind | None:
    return _kinds.get(slug)


def kind_for_model(model: type[models.Model]) -> RecordKind | None:
    for kind in _kinds.values():
        if kind.model is model or (isinstance(model, type) and issubclass(model, kind.model)):
            return kind
    return None


def kind_for_content_type(content_type: ContentType | int) -> RecordKind | None:
    """The kind of a content type (given loaded, or by id through Django's content-type cache)."""
    if not isinstance(content_type, ContentType):
        content_type = ContentType.objects.get_for_id(content_type)
    model = content_type.model_class()
    return kind_for_model(model) if model is not None else None


def kind_of(document: Document) -> RecordKind:
    """The kind of record a document hangs on (no query when its content type was loaded with it)."""
    loaded = document._state.fields_cache.get("content_type")
    kind = kind_for_content_type(loaded if loaded is not None else document.content_type_id)
    if kind is None:  # a record kind no app registers any more
        raise LookupError(f"Document {document.pk} hangs on a record kind no app registers.")
    return kind
