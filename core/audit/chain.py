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
2. **Linking** (``link_pending``): under the lock on the single ``AuditChainHead`` row, the queued entries
   become links in one order (the queue's), their seals checked, in a few statements for a whole batch;
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
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connections, models, router, transaction
from django.utils import timezone

from core.audit.cases import case_ids_for
from core.audit.content import (
    CONTENT_FILLED,
    GENESIS,
    compute_digest,
    fields_by_attname,
    index_of,
    object_repr_of,
    row_content,
    row_keys,
    source_label,
)
from core.audit.manager import DeferredInsert, tracked_save
from core.audit.seal import seal_holds, seal_of
from core.models import AuditChainHead, AuditLink, AuditPending, AuthEvent, User

HEAD_PK = 1
logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------------
# Sealing (the writer's transaction)


def _pending(source: str, row: Any, case_id: int | None, record: models.Model | None = None) -> AuditPending:
    """The would-be link of a stored row (its seal is added only if it has to wait in the queue). Its content
    leaves out the row's own id, which is the entry's ``row_id`` (given by the database when the row is
    inserted at the end of a tracked save): the linker puts it back (``_links_for``)."""
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
    head = _lock_head(using, wait_for_disk=True)
    assert head is not None
    links, _, seq, prev = _links_for(entries, *head, already=None, trusted=True)
    _write_links(using, links, seq, prev)


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
# Linking (one linker at a time, under the head's lock)

LINK_BATCH = 2000
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


def _lock_head(using: str, wait_for_disk: bool, skip_locked: bool = False) -> tuple[int, str] | None:
    """Lock the chain head's row and read it (creating it in a database flushed by a test). With
    ``skip_locked``, None when another linker holds it (PostgreSQL; SQLite has one writer at a time)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(AuditChainHead._meta.db_table)
        skip = " SKIP LOCKED" if skip_locked else ""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT seq, digest, set_config('synchronous_commit', %s, true) FROM {table} "
                f"WHERE id = %s FOR UPDATE{skip}",
                ["on" if wait_for_disk else "off", HEAD_PK],
            )
            found = cursor.fetchone()
        if found is None and skip_locked and AuditChainHead.objects.using(using).filter(pk=HEAD_PK).exists():
            return None
    else:
        found = (
            AuditChainHead.objects.using(using)
            .select_for_update()
            .filter(pk=HEAD_PK)
            .values_list("seq", "digest")
            .first()
        )
    if found is None:  # a database flushed by a test; the migration creates it otherwise
        AuditChainHead.objects.using(using).get_or_create(pk=HEAD_PK, defaults={"seq": 0, "digest": GENESIS})
        return _lock_head(using, wait_for_disk)
    return int(found[0]), str(found[1])


PENDING_COLUMNS = (
    "id",
    "source",
    "row_id",
    "record_type",
    "object_id",
    "object_repr",
    "case_id",
    "action",
    "user_id",
    "at",
    "reason",
    "content",
    "seal",
)
LINK_INSERT_COLUMNS = (
    "seq",
    "source",
    "row_id",
    "record_type",
    "object_id",
    "object_repr",
    "case_id",
    "action",
    "user_id",
    "at",
    "reason",
    "digest",
    "content_form",
)


def _take_batch(using: str) -> list[AuditPending]:
    """Take the oldest queued entries out of the queue in one statement (``DELETE … RETURNING``); the
    head's lock is held, and a failure rolls the deletion back with the rest."""
    connection = connections[using]
    table = connection.ops.quote_name(AuditPending._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(name) for name in PENDING_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} ORDER BY id LIMIT %s) RETURNING {columns}",
            [LINK_BATCH],
        )
        found = cursor.fetchall()
    at = AuditPending._meta.get_field("at")
    converters = at.get_db_converters(connection) + connection.ops.get_db_converters(  # type: ignore[attr-defined]
        at.get_col(AuditPending._meta.db_table)
    )
    entries = []
    for values in sorted(found, key=lambda row: row[0]):
        stamp = values[9]
        for converter in converters:
            stamp = converter(stamp, at.get_col(AuditPending._meta.db_table), connection)
        entries.append(AuditPending(*values[:9], stamp, *values[10:]))
    return entries


def _write_links(using: str, links: list[AuditLink], seq: int, digest: str) -> None:
    """Insert the links and move the head: one statement on PostgreSQL, each column sent as one array
    (``unnest``), so the statement is the same size whatever the batch (a placeholder per value made the
    driver parse thousands of them per batch)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        AuditLink.objects.using(using).bulk_create(links)
        AuditChainHead.objects.using(using).filter(pk=HEAD_PK).update(seq=seq, digest=digest)
        return
    columns = [[getattr(link, name) for link in links] for name in LINK_INSERT_COLUMNS]
    with connection.cursor() as cursor:
        cursor.execute(_link_insert_sql(connection), [seq, digest, HEAD_PK, *columns])


def _link_insert_sql(connection: Any) -> str:
    """The links' INSERT: every column as an array of its own type, unnested together."""
    quote = connection.ops.quote_name
    fields = fields_by_attname(AuditLink)
    arrays = ", ".join(f"%s::{fields[name].db_type(connection)}[]" for name in LINK_INSERT_COLUMNS)
    return (
        f"WITH head AS (UPDATE {quote(AuditChainHead._meta.db_table)} SET seq = %s, digest = %s WHERE id = %s) "
        f"INSERT INTO {quote(AuditLink._meta.db_table)} ({', '.join(quote(n) for n in LINK_INSERT_COLUMNS)}) "
        f"SELECT * FROM unnest({arrays})"
    )


def link_pending(using: str | None = None, *, wait_for_disk: bool = True, wait_for_lock: bool = True) -> int:
    """Link every queued entry, in the queue's order, under the head's lock; return how many were linked.

    An entry whose seal does not verify (forged or altered while queued), or whose row is linked already,
    is put back in the queue, unlinked, for ``verify_audit`` to report.

    Right after a writer's commit (``wait_for_lock=False, wait_for_disk=False``) no writer waits for
    another: if another linker holds the lock, this one returns at once — the holder looks at the queue
    again after letting go, so it sees every entry committed before this one tried (an entry is committed
    before its writer tries, and the holder looks after it lets go). And PostgreSQL commits the links
    without waiting for the disk: a crash can only lose links (and their removal from the queue), which the
    next run remakes from the queue, durable with the rows; ``verify_audit`` links waiting for the disk
    before it writes a checkpoint.
    """
    using = using or router.db_for_write(AuditLink)
    total = 0
    careful = False
    left_behind: set[int] = set()
    while True:
        try:
            with transaction.atomic(using=using):
                head = _lock_head(using, wait_for_disk, skip_locked=not wait_for_lock)
                if head is None:
                    return total  # another linker holds the lock, and looks again when it lets go
                seq, prev = head
                batch = _take_batch(using)
                already = _already_linked(batch, using) if careful and batch else None
                links, left, seq, prev = _links_for(batch, seq, prev, already)
                if links:
                    _write_links(using, links, seq, prev)
                if left:
                    AuditPending.objects.using(using).bulk_create(left)
        except IntegrityError:  # an entry queued twice for one row: link the others, keep it queued
            if careful:
                raise
            careful = True
            continue
        total += len(links)
        left_behind.update(entry.pk for entry in left)
        if len(batch) == LINK_BATCH and links:
            continue  # more than a batch was queued
        if wait_for_lock:
            return total  # this caller waited its turn: everything committed before it is linked
        if not _queued(using, besides=left_behind):
            return total


def catch_up(using: str | None = None) -> int:
    """Link whatever waits in the queue, without waiting for another linker: one query when nothing waits.
    For pages that read the links (the audit log), so a change shows there at once, linker or not."""
    using = using or router.db_for_write(AuditLink)
    if not _queued(using):
        return 0
    return link_pending(using, wait_for_disk=False, wait_for_lock=False)


def _queued(using: str, besides: set[int] | frozenset[int] = frozenset()) -> bool:
    """Whether any entry but ``besides`` waits in the queue: read from the queue's index, in its order, so
    the answer costs the same however many removed entries the table still holds until it is vacuumed (a
    plain ``exists()`` may read them all)."""
    waiting = AuditPending.objects.using(using).exclude(pk__in=besides).order_by("pk").values_list("pk", flat=True)
    return bool(waiting[:1])


QUEUE_VACUUM_AFTER = 5000  # entries the linker takes out of the queue between two vacuums of it


def _vacuum_queue(using: str) -> None:
    """Vacuum the queue's table (PostgreSQL): every entry linked leaves a removed row behind, and a table
    that only ever holds a few live rows should not keep hundreds of thousands of dead ones until
    autovacuum comes by (or never, where it is off). A few milliseconds for a few thousand rows; skipped if
    someone else holds the table."""
    connection = connections[using]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (SKIP_LOCKED) {connection.ops.quote_name(AuditPending._meta.db_table)}")


def run_linker(stop: threading.Event, using: str | None = None, interval: float | None = None) -> None:
    """The linker loop of a worker: link whatever writers queued, every ``interval`` seconds
    (``AUDIT_LINK_INTERVAL``, default 0.5), until ``stop`` is set. Several workers may each run one: they
    take turns on the head's lock and never link an entry twice. A failure is logged and retried. Every
    ``QUEUE_VACUUM_AFTER`` entries linked, it vacuums the queue's table (``_vacuum_queue``)."""
    using = using or router.db_for_write(AuditLink)
    pause = float(interval if interval is not None else getattr(settings, "AUDIT_LINK_INTERVAL", 0.5))
    _yield_cpu(int(getattr(settings, "AUDIT_LINKER_NICENESS", 10)))
    since_vacuum = 0
    try:
        while not stop.is_set():
            try:
                since_vacuum += catch_up(using)
                if since_vacuum >= QUEUE_VACUUM_AFTER:
                    since_vacuum = 0
                    _vacuum_queue(using)
            except Exception:  # the database went away or a link failed: try again later
                logger.exception("The audit linker failed; retrying in %s s", pause)
                connections[using].close()
            stop.wait(pause)
    finally:
        connections[using].close()


def _yield_cpu(niceness: int) -> None:
    """Lower the calling thread's CPU priority by ``niceness`` (on Linux the nice value is a thread's own):
    linking can wait, the requests of the app servers on the same machine cannot. When every core is busy the
    linker gets the time the writers leave it, and links at full speed as soon as they pause; its queue,
    committed with the rows, loses nothing meanwhile."""
    if niceness <= 0 or not sys.platform.startswith("linux"):
        return
    thread = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, thread, min(19, os.getpriority(os.PRIO_PROCESS, thread) + niceness))
    except OSError:  # not allowed here (a container's policy): link at the normal priority
        logger.warning("The audit linker could not lower its CPU priority; it links at the normal priority.")


def _already_linked(batch: list[AuditPending], using: str) -> set[tuple[str, int]]:
    found: set[tuple[str, int]] = set()
    for source in {entry.source for entry in batch}:
        ids = [entry.row_id for entry in batch if entry.source == source]
        found.update(
            (source, row_id)
            for row_id in AuditLink.objects.using(using)
            .filter(source=source, row_id__in=ids)
            .values_list("row_id", flat=True)
        )
    return found


def _links_for(
    batch: list[AuditPending],
    seq: int,
    prev: str,
    already: set[tuple[str, int]] | None,
    trusted: bool = False,
) -> tuple[list[AuditLink], list[AuditPending], int, str]:
    """The links for a batch after ``seq``/``prev``, and the entries left out (bad seal, row linked already).
    ``trusted``: entries built just now from the rows' INSERT, never stored, so there is no seal to check."""
    links: list[AuditLink] = []
    left: list[AuditPending] = []
    seen: set[tuple[str, int]] = set()
    keys = row_keys()
    for entry in batch:
        if not trusted and not seal_holds(entry):
            left.append(entry)
            continue
        content = json.loads(entry.content)
        row_key = keys.get(entry.source)
        if row_key is None or content.setdefault(row_key, entry.row_id) != entry.row_id:
            left.append(entry)  # no such table, or an entry naming one row and holding another's id
            continue
        if already is not None:
            key = (entry.source, entry.row_id)
            if key in already or key in seen:
                left.append(entry)
                continue
            seen.add(key)
        seq += 1
        prev = compute_digest(prev, seq, entry.source, entry.row_id, entry.case_id, entry.object_repr, content)
        links.append(
            AuditLink(
                seq=seq,
                source=entry.source,
                row_id=entry.row_id,
                record_type=entry.record_type,
                object_id=entry.object_id,
                object_repr=entry.object_repr,
                case_id=entry.case_id,
                action=entry.action,
                user_id=entry.user_id,
                at=entry.at,
                reason=entry.reason,
                digest=prev,
                content_form=CONTENT_FILLED,
            )
        )
    return links, left, seq, prev
