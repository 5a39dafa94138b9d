"""The audit chain's linker: under the lock on the single ``AuditChainHead`` row, the entries writers sealed
into the queue (``core.audit.chain``) become links, in the queue's order, their seals checked, a batch at a
time; the linked entries leave the queue. ``run_linker`` is the loop each worker runs in a thread of its own
(``manage.py run_worker``; ``manage.py link_audit --follow`` runs it alone)."""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connections, router, transaction

from core.audit.content import CONTENT_FILLED, GENESIS, compute_digest, fields_by_attname, row_keys
from core.audit.seal import seal_holds
from core.models import AuditChainHead, AuditLink, AuditPending

HEAD_PK = 1
logger = logging.getLogger(__name__)


LINK_BATCH = 2000


def lock_head(using: str, wait_for_disk: bool, skip_locked: bool = False) -> tuple[int, str] | None:
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
        return lock_head(using, wait_for_disk)
    return int(found[0]), str(found[1])


# What a queue entry says of its row and what its link keeps of it, column for column.
CARRIED_COLUMNS = (
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
)
PENDING_COLUMNS = ("id", *CARRIED_COLUMNS, "content", "seal")
LINK_INSERT_COLUMNS = ("seq", *CARRIED_COLUMNS, "digest", "content_form")


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
    where = PENDING_COLUMNS.index("at")
    for values in sorted(found, key=lambda row: row[0]):
        stamp = values[where]
        for converter in converters:
            stamp = converter(stamp, at.get_col(AuditPending._meta.db_table), connection)
        entries.append(AuditPending(*values[:where], stamp, *values[where + 1 :]))
    return entries


def write_links(using: str, links: list[AuditLink], seq: int, digest: str) -> None:
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
                head = lock_head(using, wait_for_disk, skip_locked=not wait_for_lock)
                if head is None:
                    return total  # another linker holds the lock, and looks again when it lets go
                seq, prev = head
                batch = _take_batch(using)
                already = _already_linked(batch, using) if careful and batch else None
                links, left, seq, prev = links_for(batch, seq, prev, already)
                if links:
                    write_links(using, links, seq, prev)
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


def links_for(
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
