"""Every change to documents: attach, supersede with a new version, withdraw. Each checks everything before a
byte is written, writes the file under a random name, records the document (its history row carries the
SHA-256 into the audit chain) in one transaction, and deletes the file again if anything fails — so a
refused or rolled-back upload leaves neither a row nor a file behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import guards
from core.models import User
from documents import files, storage
from documents.access import can_attach
from documents.exceptions import (
    DocumentError,
    DocumentNotCurrent,
    DocumentRefused,
    DocumentTypeNotAllowed,
    DuplicateDocument,
    NotAllowedToAttach,
    NotAllowedToWithdraw,
    ReasonRequired,
)
from documents.models import Document
from documents.registry import RecordKind, kind_for_model, kind_of


class Upload(Protocol):
    """An uploaded file as Django hands it over (``UploadedFile``), or any file-like with these."""

    name: str | None
    size: int | None

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]: ...

    def seek(self, offset: int, whence: int = 0) -> int: ...

    def read(self, size: int = -1) -> bytes: ...


def max_bytes() -> int:
    limit: int = settings.DOCUMENT_MAX_BYTES
    return limit


def _kind(record: Any) -> RecordKind:
    kind = kind_for_model(type(record))
    if kind is None:
        raise DocumentError(
            _("Documents cannot be attached to a %(kind)s.") % {"kind": type(record)._meta.verbose_name}
        )
    return kind


def _inspect(upload: Upload) -> tuple[files.Inspected, str]:
    """The file's size, SHA-256 and real type, and the name it will be given back under."""
    if upload is None:
        raise DocumentRefused(_("Choose the file to upload."))
    upload.seek(0)
    inspected = files.inspect(upload.chunks(files.CHUNK), int(upload.size or 0), max_bytes())
    name = files.safe_name(upload.name or "", inspected.file_type)
    return inspected, name


def _lock(kind: RecordKind, record: Any) -> Any:
    return kind.model._default_manager.select_for_update().get(pk=record.pk)


def _refuse_duplicate(kind: RecordKind, record: Any, sha256: str) -> None:
    """The same file twice on one record is refused, naming the copy already there."""
    existing = (
        Document.objects.filter(
            content_type=kind.content_type(), object_id=record.pk, sha256=sha256, withdrawn_at__isnull=True
        )
        .select_related("uploaded_by")
        .first()
    )
    if existing is not None:
        when = timezone.localtime(existing.uploaded_at)
        raise DuplicateDocument(
            _(
                "This file is already attached to this %(record)s: “%(title)s”, uploaded by %(who)s on %(date)s "
                "at %(time)s."
            )
            % {
                "record": kind.noun,
                "title": existing.title,
                "who": existing.uploaded_by,
                "date": date_format(when, "d M Y"),
                "time": date_format(when, "H:i"),
            }
        )


def _title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise DocumentError(_("Give the document a title (what it is, as it would be cited)."), field="title")
    if len(title) > 200:
        raise DocumentError(_("The title may be 200 characters at most."), field="title")
    return title


def _history_reason(action: str, sha256: str) -> str:
    """What the audit chain files the change under: the action and the file's SHA-256 (within the 100
    characters a history row keeps for its reason)."""
    return f"{action}, SHA-256 {sha256}"


def _store(document: Document, upload: Upload) -> None:
    upload.seek(0)
    document.file.name = storage.write(upload)  # type: ignore[arg-type]


def upload_document(
    record: Any,
    user: User,
    *,
    document_type: str,
    title: str,
    document_date: dt.date,
    upload: Upload,
    today: dt.date | None = None,
) -> Document:
    """Attach a file to a record: checked first (who, what type of paper, the file's real type and size,
    not the same file twice on the record), then written, then recorded with its SHA-256."""
    kind = _kind(record)
    if document_type not in kind.types:
        raise DocumentTypeNotAllowed(_("That kind of paper is not kept on a %(record)s.") % {"record": kind.noun})
    title = _title(title)
    guards.not_in_future(document_date, "date of the document", field="document_date", as_of=today)
    inspected, name = _inspect(upload)
    with storage.kept_only_if_committed(), transaction.atomic():
        locked = _lock(kind, record)
        if not can_attach(user, kind, locked):
            raise NotAllowedToAttach(_("You may not attach documents to this %(record)s.") % {"record": kind.noun})
        _refuse_duplicate(kind, locked, inspected.sha256)
        document = Document(
            content_type=kind.content_type(),
            object_id=locked.pk,
            document_type=document_type,
            title=title,
            document_date=document_date,
            original_name=name,
            size=inspected.size,
            media_type=inspected.media_type,
            sha256=inspected.sha256,
            uploaded_by=user,
            uploaded_at=timezone.now(),
        )
        _store(document, upload)
        document.save_as(user, _history_reason("Attached", document.sha256))
    return document


def _lock_document(document: Document) -> Document:
    return Document.objects.select_for_update().select_related("uploaded_by").get(pk=document.pk)


def supersede_document(
    document: Document,
    user: User,
    *,
    upload: Upload,
    title: str = "",
    document_date: dt.date | None = None,
    today: dt.date | None = None,
) -> Document:
    """A new version of a document: the new file is attached to the same record as the same type of paper,
    and the old one is marked superseded (both kept)."""
    kind = kind_of(document)
    if document_date is not None:
        guards.not_in_future(document_date, "date of the document", field="document_date", as_of=today)
    inspected, name = _inspect(upload)
    with storage.kept_only_if_committed(), transaction.atomic():
        record = _lock(kind, document.record)
        old = _lock_document(document)
        if not can_attach(user, kind, record):
            raise NotAllowedToAttach(_("You may not attach documents to this %(record)s.") % {"record": kind.noun})
        if old.is_withdrawn:
            raise DocumentNotCurrent(_("This document was withdrawn: attach the right one as a new document instead."))
        if old.is_superseded:
            raise DocumentNotCurrent(_("This document already has a newer version: supersede that one."))
        _refuse_duplicate(kind, record, inspected.sha256)
        new = Document(
            content_type_id=old.content_type_id,
            object_id=old.object_id,
            document_type=old.document_type,
            title=_title(title or old.title),
            document_date=document_date or old.document_date,
            original_name=name,
            size=inspected.size,
            media_type=inspected.media_type,
            sha256=inspected.sha256,
            uploaded_by=user,
            uploaded_at=timezone.now(),
            supersedes=old,
        )
        _store(new, upload)
        new.save_as(user, _history_reason(f"New version of #{old.pk}", new.sha256))
        old.is_superseded = True
        old.save_as(
            user,
            _history_reason(f"Superseded by #{new.pk}", new.sha256),
            update_fields=["is_superseded", "updated_at"],
        )
    document.is_superseded = True
    return new


@transaction.atomic
def withdraw_document(document: Document, user: User, *, reason: str) -> Document:
    """Withdraw a document attached by mistake: the unit head (a fund approver for the fund's records, another
    liaison for a witness's), saying why. The document and its file are kept, marked withdrawn."""
    kind = kind_of(document)
    reason = (reason or "").strip()
    locked = _lock_document(document)
    if not kind.may_withdraw(user, locked):
        if locked.uploaded_by_id == user.pk and kind.withdraw_four_eyes:
            raise NotAllowedToWithdraw(
                _("You attached this document: %(who)s must withdraw it.") % {"who": kind.withdrawn_by}
            )
        raise NotAllowedToWithdraw(
            _("Only %(who)s withdraws a document from a %(record)s.") % {"who": kind.withdrawn_by, "record": kind.noun}
        )
    if locked.is_withdrawn:
        raise DocumentNotCurrent(_("This document is already withdrawn."))
    if locked.is_superseded:
        raise DocumentNotCurrent(_("This document has a newer version: withdraw the current version."))
    if not reason:
        raise ReasonRequired(_("Say why the document is withdrawn."))
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_by = user
    locked.withdrawal_reason = reason
    locked.save_as(
        user,
        _history_reason("Withdrawn (file kept)", locked.sha256),
        update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "updated_at"],
    )
    document.withdrawn_at, document.withdrawn_by, document.withdrawal_reason = (
        locked.withdrawn_at,
        user,
        reason,
    )
    return locked
