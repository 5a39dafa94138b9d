"""The tamper-evident audit chain.

Every history row of every tracked model, and every sign-in event, gets one ``AuditLink``:

    digest(n) = HMAC-SHA256(AUDIT_HMAC_KEY, digest(n-1) + canonical JSON of {n, the row's table and id,
                the row's stored non-empty field values, the case and label the link files it under})

Columns holding NULL or an empty string are left out of the content (content form 2), so adding a column
to a tracked model later — empty on the rows already written — leaves every older link valid; a test holds
every such migration to an empty default. Links written before form 2 cover exactly the columns their table
had then, frozen in ``AuditLayout`` (content form 1).

Links are appended under a lock on the single ``AuditChainHead`` row, inside the transaction that wrote
the history row, so the chain has exactly one order and a rolled-back change leaves no link. The row is
read back from the database before it is digested, so the digest covers what was stored (ciphertext of
encrypted fields, decimals as the column rounded them), which is what ``verify_chain`` reads later.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models, router, transaction
from django.utils import timezone
from django.utils.text import capfirst

from core.audit.cases import case_ids_for
from core.audit.tracked import is_history_model
from core.models import AuditAction, AuditChainHead, AuditLayout, AuditLink, AuthEvent, User

GENESIS = "0" * 64
CONTENT_LAYOUT = 1  # the columns frozen in AuditLayout (links written before form 2)
CONTENT_FILLED = 2  # the columns holding a value
HEAD_PK = 1
VERIFY_CHUNK = 2000
HISTORY_ACTIONS = {"+": AuditAction.CREATED, "~": AuditAction.CHANGED, "-": AuditAction.DELETED}


# --------------------------------------------------------------------------------------------------
# What is chained


def chained_models() -> list[type[models.Model]]:
    """Every table whose rows are chained: all history tables, and the sign-in events."""
    found = [model for model in apps.get_models() if is_history_model(model)]
    return [*sorted(found, key=lambda m: m._meta.label_lower), AuthEvent]


def source_label(model: type[models.Model]) -> str:
    """The name a chained table's links carry: its model label, unless the model moved between apps and
    declares the label its links were written under (``audit_source``), so the old links stay valid."""
    declared: str | None = getattr(model, "audit_source", None)
    return declared or model._meta.label_lower


def masked_fields(model: type[models.Model]) -> frozenset[str]:
    """Names of the fields whose values history must never show (``masked_in_history`` on the field)."""
    return frozenset(f.name for f in model._meta.concrete_fields if getattr(f, "masked_in_history", False))


# --------------------------------------------------------------------------------------------------
# Canonical content and digest


def _canonical(field: models.Field[Any, Any], value: Any) -> Any:
    """A stored value as JSON that reads the same at write time and at verification time."""
    if value is None:
        return None
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict | list | tuple):
        return json.loads(json.dumps(value, sort_keys=True, default=str))
    # A custom field's value object (e.g. an encrypted value): what the field would store.
    prepared = field.get_prep_value(value)
    return prepared if isinstance(prepared, bool | int | str) or prepared is None else str(prepared)


def row_content(row: models.Model, layout: Iterable[str] | None = None) -> dict[str, Any]:
    """The stored columns of a chained row that a link's digest covers: those holding a value, or, for a
    link of content form 1, exactly the columns of its ``layout`` (a column since dropped reads as NULL)."""
    fields = {f.attname: f for f in row._meta.concrete_fields}
    if layout is not None:
        return {name: _canonical(fields[name], getattr(row, name)) if name in fields else None for name in layout}
    content = {}
    for name, field in fields.items():
        value = _canonical(field, getattr(row, name))
        if value is not None and value != "":
            content[name] = value
    return content


def compute_digest(
    prev: str, seq: int, source: str, row_id: int, case_id: int | None, object_repr: str, content: dict[str, Any]
) -> str:
    payload = json.dumps(
        {
            "seq": seq,
            "source": source,
            "row_id": row_id,
            "case_id": case_id,
            "object_repr": object_repr,
            "row": content,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    key = str(settings.AUDIT_HMAC_KEY).encode()
    return hmac.new(key, (prev + "\n" + payload).encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class RowIndex:
    """What the audit log files a row under: derived from the row itself, so verification can check it."""

    record_type: str
    object_id: str
    action: str
    user_id: int | None
    at: dt.datetime
    reason: str


def index_of(row: Any) -> RowIndex:
    if isinstance(row, AuthEvent):
        return RowIndex("core.authevent", str(row.pk), row.kind, row.user_id, row.at, "")
    tracked = row.instance_type
    return RowIndex(
        record_type=tracked._meta.label_lower,
        object_id=str(getattr(row, tracked._meta.pk.attname)),
        action=HISTORY_ACTIONS.get(row.history_type, row.history_type),
        user_id=row.history_user_id,
        at=row.history_date,
        reason=row.history_change_reason or "",
    )


def object_repr_of(row: Any) -> str:
    """The record's name at the time of the change; records with protected fields go by number only."""
    if isinstance(row, AuthEvent):
        return f"{row.get_kind_display()}: {row.username}"
    tracked = row.instance_type
    label = capfirst(str(tracked._meta.verbose_name))
    object_id = getattr(row, tracked._meta.pk.attname)
    if masked_fields(tracked):
        return f"{label} #{object_id}"
    try:
        return f"{label}: {row.instance}"[:255]
    except Exception:  # noqa: BLE001 - a name that cannot be built still leaves the number
        return f"{label} #{object_id}"


# --------------------------------------------------------------------------------------------------
# Appending


def _append(model: type[models.Model], rows: list[Any], case_ids: dict[Any, int | None], using: str) -> None:
    """Link ``rows`` (already written, read back) after the current head, under the head's lock."""
    source = source_label(model)
    with transaction.atomic(using=using, savepoint=False):
        heads = AuditChainHead.objects.using(using).select_for_update()
        head = heads.filter(pk=HEAD_PK).first()
        if head is None:  # a database flushed by a test; the migration creates it otherwise
            AuditChainHead.objects.using(using).get_or_create(pk=HEAD_PK, defaults={"seq": 0, "digest": GENESIS})
            head = heads.get(pk=HEAD_PK)
        seq, prev = head.seq, head.digest
        links = []
        for row in rows:
            seq += 1
            case_id = case_ids.get(row.pk)
            label = object_repr_of(row)
            digest = compute_digest(prev, seq, source, row.pk, case_id, label, row_content(row))  # form 2
            index = index_of(row)
            links.append(
                AuditLink(
                    seq=seq,
                    source=source,
                    row_id=row.pk,
                    record_type=index.record_type,
                    object_id=index.object_id,
                    object_repr=label,
                    case_id=case_id,
                    action=index.action,
                    user_id=index.user_id,
                    at=index.at,
                    reason=index.reason,
                    digest=digest,
                    content_form=CONTENT_FILLED,
                )
            )
            prev = digest
        # AuditLink and AuditChainHead are the chain itself, not tracked models.
        AuditLink.objects.using(using).bulk_create(links)
        AuditChainHead.objects.using(using).filter(pk=HEAD_PK).update(seq=seq, digest=prev)


def link_history_rows(history_model: type[models.Model], pks: Iterable[Any], using: str | None = None) -> None:
    """Chain history rows just written (in the writer's transaction)."""
    using = using or router.db_for_write(history_model)
    wanted = list(pks)
    if any(pk is None for pk in wanted):
        raise RuntimeError("History rows must have their ids to be chained (SQLite 3.35+ or PostgreSQL).")
    rows = list(history_model._base_manager.using(using).filter(pk__in=wanted).order_by("pk"))
    _append(history_model, rows, case_ids_for(history_model, rows, using), using)


def record_auth_event(
    kind: str, *, user: User | None = None, username: str = "", ip_address: str | None = None
) -> AuthEvent:
    """Store a sign-in event and chain it, in one transaction."""

    using = router.db_for_write(AuthEvent)
    with transaction.atomic(using=using):
        event = AuthEvent.objects.using(using).create(
            kind=kind,
            user=user if user is not None and user.pk else None,
            username=(username or (user.username if user is not None else ""))[:150],
            at=timezone.now(),
            ip_address=ip_address,
        )
        stored = AuthEvent.objects.using(using).get(pk=event.pk)
        _append(AuthEvent, [stored], {}, using)
    return event


# --------------------------------------------------------------------------------------------------
# Verifying


@dataclass
class Verification:
    """The outcome of recomputing the chain."""

    ok: bool
    links: int
    head_digest: str
    head_seq: int
    problem: str = ""
    head_at: dt.datetime | None = None


def _rows_by_pk(model: type[models.Model], pks: list[int]) -> dict[int, Any]:
    return {row.pk: row for row in model._base_manager.filter(pk__in=pks)}


def local_stamp(at: dt.datetime) -> str:
    """A moment as the tracker shows it everywhere, in Nairobi time (``TIME_ZONE``): "2026-12-01 10:14:03".
    The database keeps UTC; a message that printed it as stored would read three hours early."""
    return f"{timezone.localtime(at) if timezone.is_aware(at) else at:%Y-%m-%d %H:%M:%S}"


def _describe(link: AuditLink) -> str:
    what = link.object_repr or link.record_type
    return f"link {link.seq} ({link.source} row {link.row_id}: {what}, {local_stamp(link.at)})"


def _chunks(links: Iterator[AuditLink], size: int) -> Iterator[list[AuditLink]]:
    chunk: list[AuditLink] = []
    for link in links:
        chunk.append(link)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def verify_chain(progress: Callable[[int], None] | None = None) -> Verification:
    """Recompute every link in order; report the first broken one. Memory stays flat (chunks of links)."""
    models_by_source = {source_label(m): m for m in chained_models()}
    layouts = {layout.source: list(layout.columns) for layout in AuditLayout.objects.all()}
    expected_seq, prev, last_at = 1, GENESIS, None
    links = AuditLink.objects.order_by("seq").iterator(chunk_size=VERIFY_CHUNK)
    for chunk in _chunks(links, VERIFY_CHUNK):
        wanted: dict[str, list[int]] = {}
        for link in chunk:
            wanted.setdefault(link.source, []).append(link.row_id)
        rows: dict[str, dict[int, Any]] = {
            source: _rows_by_pk(models_by_source[source], pks)
            for source, pks in wanted.items()
            if source in models_by_source
        }
        for link in chunk:
            problem = _check_link(link, expected_seq, prev, models_by_source, rows, layouts)
            if problem:
                return Verification(False, expected_seq - 1, prev, expected_seq - 1, problem)
            expected_seq, prev, last_at = expected_seq + 1, link.digest, link.at
        if progress:
            progress(expected_seq - 1)
    count = expected_seq - 1
    head = AuditChainHead.objects.filter(pk=HEAD_PK).first()
    if head is None or head.seq != count or head.digest != prev:
        problem = (
            f"the chain head says link {head.seq if head else '?'} but the chain ends at link {count}: "
            "links were removed from the end, or the head was altered"
        )
        return Verification(False, count, prev, count, problem)
    for model in chained_models():
        source = source_label(model)
        linked = AuditLink.objects.filter(source=source).values("row_id")
        orphan = model._base_manager.exclude(pk__in=linked).order_by("pk").first()
        if orphan is not None:
            index = index_of(orphan)
            problem = (
                f"{source} row {orphan.pk} ({index.record_type} #{index.object_id}, {index.action} "
                f"{local_stamp(index.at)}) has no link: it was inserted outside the tracker"
            )
            return Verification(False, count, prev, count, problem)
    return Verification(True, count, prev, count, head_at=last_at)


def _check_link(
    link: AuditLink,
    expected_seq: int,
    prev: str,
    models_by_source: dict[str, type[models.Model]],
    rows: dict[str, dict[int, Any]],
    layouts: dict[str, list[str]],
) -> str:
    if link.seq != expected_seq:
        return f"link {expected_seq} is missing (the next link is {link.seq}): a link was deleted"
    model = models_by_source.get(link.source)
    if model is None:
        return f"{_describe(link)} points at an unknown table"
    row = rows.get(link.source, {}).get(link.row_id)
    if row is None:
        return f"{_describe(link)}: its row was deleted"
    if link.content_form == CONTENT_LAYOUT and link.source not in layouts:
        return f"{_describe(link)}: the column layout its digest covers is missing"
    layout = layouts[link.source] if link.content_form == CONTENT_LAYOUT else None
    content = row_content(row, layout)
    digest = compute_digest(prev, link.seq, link.source, link.row_id, link.case_id, link.object_repr, content)
    if not hmac.compare_digest(digest, link.digest):
        return f"{_describe(link)}: the row or the link was altered, or links were reordered"
    index = index_of(row)
    if (link.record_type, link.object_id, link.action, link.user_id, link.at, link.reason) != (
        index.record_type,
        index.object_id,
        index.action,
        index.user_id,
        index.at,
        index.reason,
    ):
        return f"{_describe(link)}: the audit-log entry no longer matches its row"
    return ""


def find_checkpoint(digest: str) -> AuditLink | None:
    return AuditLink.objects.filter(digest=digest.strip().lower()).first()
