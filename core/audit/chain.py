"""The tamper-evident audit chain.

Every history row of every tracked model, and every sign-in event, gets one ``AuditLink``:

    digest(n) = HMAC-SHA256(AUDIT_HMAC_KEY, digest(n-1) + canonical JSON of {n, the row's table and id,
                the row's stored non-empty field values, the case and label the link files it under})

Columns holding NULL or an empty string are left out of the content (content form 2), so adding a column
to a tracked model later — empty on the rows already written — leaves every older link valid; a test holds
every such migration to an empty default. Links written before form 2 cover exactly the columns their table
had then, frozen in ``AuditLayout`` (content form 1).

Writing happens in two steps, so that writers never queue on one lock:

1. **Sealing**, in the writer's transaction: the history row is inserted with ``INSERT … RETURNING`` every
   column (``core.audit.stored``), so what is digested is what was stored (ciphertext of encrypted fields,
   decimals as the column rounded them) without reading it back; the would-be link — the row's
   canonical content, its case, label, who, when, why — is queued as an ``AuditPending`` entry, sealed with
   an HMAC under a key derived from ``AUDIT_HMAC_KEY`` (``core.audit.seal``). One INSERT; when the save has
   its own transaction, sent with its COMMIT in one message, with the history row's INSERT too where its
   content could be sealed from the values sent (``core.audit.manager``). No lock is shared
   with other writers. A rolled-back change leaves neither row nor entry.
2. **Linking** (``core.audit.linking``): under the lock on the single ``AuditChainHead`` row, the queued
   entries become links in one order (the queue's), their seals checked, in a few statements for a batch;
   the linked entries leave the queue. On PostgreSQL the linker is ``run_linker``, a thread of every worker
   (``manage.py run_worker``), within ``AUDIT_LINK_INTERVAL`` seconds of the commit — so a writer's cost is
   its two INSERTs and concurrent writers never wait for each other; on SQLite (one writer at a time) the
   writer links right after its own commit (``links_after_commit``). ``verify_audit``, ``manage.py
   link_audit`` and the audit log page link what waits before they read. The linker's commit need not wait
   for the disk (a crash loses at most links, which the next run recreates from the queue that was
   committed with the rows).

Inside a transaction that never commits (a test case's, rolled back at its end) the rows are linked at
once, inside it. ``verify_chain`` recomputes every link from the stored rows, read as tuples.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connections, models, router, transaction
from django.utils import timezone

from core.audit.cases import case_ids_for
from core.audit.content import (
    index_of,
    object_repr_of,
    row_content,
    source_label,
)
from core.audit.linking import PENDING_COLUMNS, link_pending, links_for, lock_head, write_links
from core.audit.manager import DeferredInsert, tracked_save
from core.audit.seal import seal_of
from core.models import AuditPending, AuthEvent, User

# --------------------------------------------------------------------------------------------------
# Sealing (the writer's transaction)


def _pending(source: str, row: Any, case_id: int | None, record: models.Model | None = None) -> AuditPending:
    """The would-be link of a stored row (its seal is added only if it has to wait in the queue). Its content
    leaves out the row's own id, which is the entry's ``row_id`` (given by the database when the row is
    inserted at the end of a tracked save): the linker puts it back (``links_for``)."""
    index = index_of(row)
    content = row_content(row)
    content.pop(type(row)._meta.pk.attname, None)
    # Positional, in the order of PENDING_COLUMNS (the model's fields): no keyword matching per entry.
    return AuditPending(
        None,
        source,
        row.pk,
        index.record_type,
        index.object_id,
        object_repr_of(row, record),
        case_id,
        index.action,
        index.user_id,
        index.at,
        index.reason,
        json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
        "",
    )


def _queue(
    model: type[models.Model],
    rows: list[Any],
    case_ids: dict[Any, int | None],
    using: str,
    record: models.Model | None = None,
) -> None:
    """Seal ``rows`` (as stored) into the queue, in the writer's transaction: one INSERT, no lock shared with
    any other writer. Who links them depends on where the transaction ends (``_link_after``). ``record``:
    the record one row was just written for, to name it by."""
    source = source_label(model)
    entries = [_pending(source, row, case_ids.get(row.pk), record) for row in rows]
    if not entries:
        return
    connection = connections[using]
    if _never_commits(connection):
        # A test case's transaction, rolled back at its end: no commit, no linker; link here, inside it.
        _link_now(entries, using)
        return
    for entry in entries:
        entry.seal = seal_of(entry)
    _insert_entries(using, entries)
    if connection.in_atomic_block:
        if links_after_commit(using):
            _on_commit(using, _linker)
    elif links_after_commit(using):
        link_pending(using)


def _insert_entries(using: str, entries: list[AuditPending]) -> None:
    """Queue sealed entries: one plain INSERT on PostgreSQL (no ``bulk_create`` machinery on a writer's path),
    left for the end of a tracked save's transaction when one is under way, to go with its COMMIT
    (``core.audit.manager.tracked_save_transaction``) — the entry of a history row inserted there taking the
    row's id there."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        AuditPending.objects.using(using).bulk_create(entries)
        return
    save = tracked_save(using)
    if entries[0].row_id is None:  # the history row left for the end of the save: its id is given there
        assert save is not None and save.history_row is not None and len(entries) == 1, "a row without its id"
        names = PENDING_COLUMNS[1:]
        save.history_entry = DeferredInsert(
            into=_pending_into(connection),
            params=[getattr(entries[0], name) for name in names if name != "row_id"],
            keyed=names.index("row_id"),
        )
        return
    params = [getattr(entry, name) for entry in entries for name in PENDING_COLUMNS[1:]]
    sql = _pending_insert_sql(connection, len(entries))
    if save is not None:
        save.statements.append((sql, params))
        return
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


_pending_inserts: dict[tuple[str, int], str] = {}


_pending_intos: dict[str, str] = {}


def _pending_into(connection: Any) -> str:
    """``INSERT INTO`` the queue ``(`` its columns but the id ``)`` (built once per database)."""
    into = _pending_intos.get(connection.alias)
    if into is None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(name) for name in PENDING_COLUMNS[1:])
        into = _pending_intos[connection.alias] = f"INSERT INTO {quote(AuditPending._meta.db_table)} ({columns})"
    return into


def _pending_insert_sql(connection: Any, entries: int) -> str:
    """The queue's INSERT of ``entries`` rows (kept for the few-row inserts of single saves)."""
    key = (connection.vendor, entries)
    sql = _pending_inserts.get(key)
    if sql is None:
        row = "(" + ", ".join(["%s"] * (len(PENDING_COLUMNS) - 1)) + ")"
        sql = f"{_pending_into(connection)} VALUES {', '.join([row] * entries)}"
        if entries <= 4:
            _pending_inserts[key] = sql
    return sql


def links_after_commit(using: str) -> bool:
    """Whether the writer links its own entries right after its commit (SQLite, one writer at a time; or
    ``AUDIT_LINK_AFTER_COMMIT``), rather than leaving them to the linker (``run_linker``, in every worker,
    which links what is queued within ``AUDIT_LINK_INTERVAL`` seconds on PostgreSQL): there, writers never
    wait on the chain head, so tracking adds no serialisation between them."""
    configured: bool | None = getattr(settings, "AUDIT_LINK_AFTER_COMMIT", None)
    if configured is not None:
        return configured
    return connections[using].vendor != "postgresql"


def _link_now(entries: list[AuditPending], using: str) -> None:
    """Link entries built just now from the rows' INSERT (trusted: never stored, so no seal to check)."""
    head = lock_head(using, wait_for_disk=True)
    assert head is not None
    links, _, seq, prev = links_for(entries, *head, already=None, trusted=True)
    write_links(using, links, seq, prev)


def seal_history_row(
    history_model: type[models.Model], row: Any, using: str | None = None, record: models.Model | None = None
) -> None:
    """Seal the history row simple-history has just inserted (``post_create_historical_record``) for
    ``record``, the record just saved or deleted."""
    using = using or router.db_for_write(history_model)
    stored = getattr(row, "_audit_stored", None)
    if stored is None:  # inserted without RETURNING (an old SQLite): read it back
        link_history_rows(history_model, [row.pk], using)
        return
    del row._audit_stored
    _queue(history_model, [stored], case_ids_for(history_model, [stored], using), using, record)


def link_history_rows(history_model: type[models.Model], pks: Iterable[Any], using: str | None = None) -> None:
    """Chain history rows just written (in the writer's transaction), reading them back in one query: the
    path of simple-history's bulk helpers, whose INSERT returns only the ids."""
    using = using or router.db_for_write(history_model)
    wanted = list(pks)
    if any(pk is None for pk in wanted):
        raise RuntimeError("History rows must have their ids to be chained (SQLite 3.35+ or PostgreSQL).")
    rows = list(history_model._base_manager.using(using).filter(pk__in=wanted).order_by("pk"))
    _queue(history_model, rows, case_ids_for(history_model, rows, using), using)


def record_auth_event(
    kind: str, *, user: User | None = None, username: str = "", ip_address: str | None = None
) -> AuthEvent:
    """Store a sign-in event and seal it, in one transaction; it is linked like a history row."""

    using = router.db_for_write(AuthEvent)
    with transaction.atomic(using=using):
        event = AuthEvent.objects.using(using).create(
            kind=kind,
            user=user if user is not None and user.pk else None,
            username=(username or (user.username if user is not None else ""))[:150],
            at=timezone.now(),
            ip_address=ip_address,
        )
        stored = getattr(event, "_audit_stored", None)
        if stored is None:
            stored = AuthEvent.objects.using(using).get(pk=event.pk)
        else:
            del event._audit_stored  # type: ignore[attr-defined]
        _queue(AuthEvent, [stored], {}, using)
    return event


# --------------------------------------------------------------------------------------------------
# After the writer's commit


_linkers: dict[str, Callable[[], None]] = {}


def _never_commits(connection: Any) -> bool:
    """True inside a test case's transaction, rolled back at its end: callbacks on commit never run."""
    return bool(connection.in_atomic_block and getattr(connection.atomic_blocks[0], "_from_testcase", False))


def _on_commit(using: str, make: Callable[[str], Callable[[], None]]) -> None:
    """Register ``make(using)`` to run after the commit, once per transaction."""
    hook = make(using)
    if not any(entry[1] is hook for entry in connections[using].run_on_commit):
        transaction.on_commit(hook, using=using, robust=True)


def _linker(using: str) -> Callable[[], None]:
    key = f"link:{using}"
    if key not in _linkers:
        _linkers[key] = partial(_link_queue_after_commit, using)
    return _linkers[key]


def _link_queue_after_commit(using: str) -> None:
    link_pending(using, wait_for_disk=False, wait_for_lock=False)
