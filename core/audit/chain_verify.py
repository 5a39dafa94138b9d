"""Verifying the audit chain: every link recomputed in order from the stored rows (read as tuples, with a
converter per column built once per table), the head checked, and every chained row found linked.

The chain's form and how links are written are in ``core.audit.chain``; ``core.audit.verification`` runs this
with the live-table check for ``verify_audit``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connections, models, router
from django.utils import timezone
from django.utils.translation import gettext

from core.audit.content import (
    CONTENT_LAYOUT,
    GENESIS,
    HISTORY_ACTIONS,
    canonical_value,
    chained_models,
    index_of,
    source_label,
)
from core.audit.linking import HEAD_PK
from core.audit.seal import seal_holds, utc_stamp
from core.models import AuditChainHead, AuditLayout, AuditLink, AuditPending, AuthEvent

VERIFY_CHUNK = 2000  # links (and rows) read per query


@dataclass
class Verification:
    """The outcome of recomputing the chain. ``pending``: rows sealed and queued but not linked yet."""

    ok: bool
    links: int
    head_digest: str
    head_seq: int
    problem: str = ""
    head_at: dt.datetime | None = None
    pending: int = 0


def local_stamp(at: dt.datetime) -> str:
    """A moment as the tracker shows it everywhere, in Nairobi time (``TIME_ZONE``): "2026-12-01 10:14:03".
    The database keeps UTC; a message that printed it as stored would read three hours early."""
    return f"{timezone.localtime(at) if timezone.is_aware(at) else at:%Y-%m-%d %H:%M:%S}"


LINK_COLUMNS = (
    "seq",
    "source",
    "row_id",
    "case_id",
    "object_repr",
    "digest",
    "content_form",
    "record_type",
    "object_id",
    "action",
    "user_id",
    "at",
    "reason",
)


class _Link(NamedTuple):
    seq: int
    source: str
    row_id: int
    case_id: int | None
    object_repr: str
    digest: str
    content_form: int
    record_type: str
    object_id: str
    action: str
    user_id: int | None
    at: dt.datetime
    reason: str


def _describe(link: Any) -> str:
    """The link as problems name it, in the reader's language: "link 7 (prosecutions.historicalcase row 3: …)"."""
    return gettext("link %(seq)s (%(source)s row %(row)s: %(what)s, %(at)s)") % {
        "seq": link.seq,
        "source": link.source,
        "row": link.row_id,
        "what": link.object_repr or link.record_type,
        "at": local_stamp(link.at),
    }


_PLAIN = (
    models.AutoField,
    models.BigAutoField,
    models.BigIntegerField,
    models.BooleanField,
    models.CharField,
    models.IntegerField,
    models.PositiveBigIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SmallIntegerField,
    models.TextField,
    models.EmailField,
    models.SlugField,
    models.SmallAutoField,
)

Convert = Callable[[Any], Any]


def _read_as_orm(field: models.Field[Any, Any], table: str, connection: Any) -> Convert | None:
    """What the ORM would do to a raw value of ``field`` as the driver returns it (the backend's converters,
    then the field's ``from_db_value``), as one function; None when it does nothing."""
    col = field.get_col(table)
    steps = [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)]
    if not steps:
        return None
    if len(steps) == 1:
        step = steps[0]
        return lambda value: step(value, col, connection)

    def convert(value: Any) -> Any:
        for step in steps:
            value = step(value, col, connection)
        return value

    return convert


def _canonical(field: models.Field[Any, Any]) -> Convert | None:
    """How a value of ``field``, as the ORM reads it, becomes canonical JSON (``canonical_value``): None when
    it already is (text, numbers, keys to integer ids), else a function chosen once for the table."""
    if type(field) in _PLAIN:
        return None
    if isinstance(field, models.ForeignKey) and type(field.target_field) in _PLAIN:
        return None  # a key to an integer id
    if isinstance(field, models.DecimalField):
        return lambda value: None if value is None else str(value)
    if type(field) is models.DateTimeField:
        return lambda value: None if value is None else utc_stamp(value)
    if type(field) is models.DateField:
        return lambda value: None if value is None else value.isoformat()
    return lambda value: canonical_value(field, value)


def _converter(field: models.Field[Any, Any], table: str, connection: Any) -> Convert | None:
    """How a raw stored value of ``field`` becomes canonical JSON: the ORM's reading, then the canonical
    form, composed once per table; None when the raw value already is canonical."""
    read, canonical = _read_as_orm(field, table, connection), _canonical(field)
    if read is None or canonical is None:
        return read or canonical
    return lambda value: canonical(read(value))


@dataclass
class _Table:
    """How to read one chained table as raw tuples (one query per chunk) and turn a tuple into a link's
    content and audit-log index, with converters built once for the table."""

    model: type[models.Model]
    names: list[str]
    converters: list[tuple[int, Convert]]  # only the columns whose raw value needs converting
    index_reads: list[tuple[int, Convert | None]]  # the index's columns, read as the ORM reads them
    record_type: str
    select: str  # the query for a chunk of rows by primary key, with one parameter (PostgreSQL) or a list
    pk_position: int
    any_array: bool  # PostgreSQL: ``pk = ANY(%s)`` with one array parameter, else ``pk IN (%s, …)``

    @classmethod
    def of(cls, model: type[models.Model], connection: Any) -> _Table:
        fields = list(model._meta.concrete_fields)
        table = model._meta.db_table
        names = [f.attname for f in fields]
        converters = [(i, conv) for i, f in enumerate(fields) if (conv := _converter(f, table, connection))]
        wanted: tuple[str, ...]
        if model is AuthEvent:
            wanted = ("id", "kind", "user_id", "at")
            record_type = "core.authevent"
        else:
            tracked = model.instance_type  # type: ignore[attr-defined]
            wanted = (
                tracked._meta.pk.attname,
                "history_type",
                "history_user_id",
                "history_date",
                "history_change_reason",
            )
            record_type = tracked._meta.label_lower
        positions = [names.index(name) for name in wanted]
        index_reads = [(i, _read_as_orm(fields[i], table, connection)) for i in positions]
        quote = connection.ops.quote_name
        pk = model._meta.pk
        any_array = connection.vendor == "postgresql"
        select = (
            f"SELECT {', '.join(quote(f.column) for f in fields)} FROM {quote(table)} WHERE {quote(pk.column)} "
            + ("= ANY(%s)" if any_array else "IN ({})")
        )
        return cls(model, names, converters, index_reads, record_type, select, names.index(pk.attname), any_array)

    def rows(self, cursor: Any, pks: list[int]) -> dict[int, tuple[Any, ...]]:
        """The rows of ``pks``, raw, by primary key (one query)."""
        if self.any_array:
            cursor.execute(self.select, [pks])
        else:
            cursor.execute(self.select.format(", ".join(["%s"] * len(pks))), pks)
        position = self.pk_position
        return {row[position]: row for row in cursor.fetchall()}

    def content(self, row: tuple[Any, ...], layout: list[str] | None) -> dict[str, Any]:
        values: Any = row
        if self.converters:
            values = list(row)
            for i, conv in self.converters:
                values[i] = conv(values[i])
        if layout is not None:
            by_name = dict(zip(self.names, values, strict=True))
            return {name: by_name.get(name) for name in layout}
        return {
            name: value for name, value in zip(self.names, values, strict=True) if value is not None and value != ""
        }

    def index(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        """(record_type, object_id, action, user_id, at, reason) as ``index_of`` derives them."""
        values = [row[i] if read is None else read(row[i]) for i, read in self.index_reads]
        if self.model is AuthEvent:
            pk, kind, user_id, at = values
            return (self.record_type, str(pk), kind, user_id, at, "")
        object_id, history_type, user_id, at, reason = values
        return (
            self.record_type,
            str(object_id),
            HISTORY_ACTIONS.get(history_type, history_type),
            user_id,
            at,
            reason or "",
        )


def verify_chain(progress: Callable[[int], None] | None = None) -> Verification:
    """Recompute every link in order from the stored rows, read as raw tuples in chunks (memory stays flat);
    report the first broken one, then any row that has neither a link nor a sealed entry in the queue."""
    connection = connections[router.db_for_read(AuditLink)]
    tables = {source_label(m): _Table.of(m, connection) for m in chained_models()}
    layouts = {layout.source: list(layout.columns) for layout in AuditLayout.objects.all()}
    key = hmac.new(str(settings.AUDIT_HMAC_KEY).encode(), digestmod=hashlib.sha256)  # copied per link
    encode = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
    expected_seq, prev, last_at = 1, GENESIS, None
    linked: Counter[str] = Counter()
    with connection.cursor() as cursor:
        _read_timestamps_fast(cursor, connection)
        for chunk in _links_in_order(cursor, connection):
            wanted: dict[str, list[int]] = {}
            for link in chunk:
                wanted.setdefault(link[1], []).append(link[2])
            linked.update({source: len(pks) for source, pks in wanted.items()})
            rows = {source: tables[source].rows(cursor, pks) for source, pks in wanted.items() if source in tables}
            for link in chunk:
                problem = _check_link(link, expected_seq, prev, tables, rows, layouts, key, encode)
                if problem:
                    return Verification(False, expected_seq - 1, prev, expected_seq - 1, problem)
                expected_seq, prev, last_at = expected_seq + 1, link[5], link[11]
            if progress:
                progress(expected_seq - 1)
    count = expected_seq - 1
    head = AuditChainHead.objects.filter(pk=HEAD_PK).first()
    if head is None or head.seq != count or head.digest != prev:
        problem = gettext(
            "the chain head says link %(head)s but the chain ends at link %(count)s: links were removed from the "
            "end, or the head was altered"
        ) % {"head": head.seq if head else "?", "count": count}
        return Verification(False, count, prev, count, problem)
    problem, pending = _unlinked_rows(linked)
    if problem:
        return Verification(False, count, prev, count, problem, pending=pending)
    return Verification(True, count, prev, count, head_at=last_at, pending=pending)


def _read_timestamps_fast(cursor: Any, connection: Any) -> None:
    """On PostgreSQL, have this cursor read ``timestamptz`` values with ``datetime.fromisoformat`` (C code)
    when the server's text is plain ISO in the session's time zone (UTC, as Django sets it); any other
    text goes to Django's own loader, so every value reads exactly as the ORM would read it."""
    if connection.vendor != "postgresql":
        return
    from psycopg.postgres import types
    from psycopg.pq import Format

    adapters = cursor.cursor.adapters
    oid = types["timestamptz"].oid
    django_loader: Any = adapters.get_loader(oid, Format.TEXT)
    if django_loader is None or getattr(django_loader, "timezone", None) is not dt.UTC:
        return

    class IsoLoader(django_loader):
        """Django's timestamptz loader, with ``fromisoformat`` for the usual text."""

        def load(self, data: Any) -> dt.datetime:
            try:
                value = dt.datetime.fromisoformat(str(data, "ascii"))
            except ValueError:  # another DateStyle, BC, infinity, …
                return super().load(data)
            return value if value.tzinfo is dt.UTC else super().load(data)

    adapters.register_loader(oid, IsoLoader)


def _links_in_order(cursor: Any, connection: Any) -> Iterator[list[tuple[Any, ...]]]:
    """Every link by number as a raw tuple of ``LINK_COLUMNS`` (read as the ORM reads them), in chunks, each
    chunk one query from where the last ended (flat memory)."""
    quote = connection.ops.quote_name
    table = AuditLink._meta.db_table
    by_name = {f.attname: f for f in AuditLink._meta.concrete_fields}
    fields = [by_name[name] for name in LINK_COLUMNS]
    reads = [(i, read) for i, f in enumerate(fields) if (read := _read_as_orm(f, table, connection))]
    query = (
        f"SELECT {', '.join(quote(f.column) for f in fields)} FROM {quote(table)} "
        f"WHERE {quote('seq')} > %s ORDER BY {quote('seq')} LIMIT %s"
    )
    last = -1
    while True:
        cursor.execute(query, [last, VERIFY_CHUNK])
        chunk = cursor.fetchall()
        if not chunk:
            return
        if reads:
            converted = []
            for row in chunk:
                values = list(row)
                for i, read in reads:
                    values[i] = read(values[i])
                converted.append(tuple(values))
            chunk = converted
        yield chunk
        last = chunk[-1][0]


def _row_counts(models_by_source: dict[str, type[models.Model]]) -> dict[str, int]:
    """How many rows each chained table holds, in one query."""
    connection = connections[router.db_for_read(AuditLink)]
    sources = list(models_by_source)
    quote = connection.ops.quote_name
    parts = [f"(SELECT COUNT(*) FROM {quote(models_by_source[s]._meta.db_table)})" for s in sources]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}")
        counts = cursor.fetchone()
    return dict(zip(sources, counts, strict=True))


def _unlinked_rows(linked: Counter[str]) -> tuple[str, int]:
    """The first row with neither a link nor a sealed queue entry (as a problem), and how many rows wait in
    the queue with a valid seal. ``linked``: the verified links per table (each at a distinct existing row),
    so a table holding as many rows as its links and queued entries has none unlinked; only a table that
    does not is scanned for the row."""
    queue = list(AuditPending.objects.order_by("pk"))
    for entry in queue:
        if not seal_holds(entry):
            return (
                gettext(
                    "the entry queued for %(source)s row %(row)s (%(record)s #%(object)s, %(action)s %(at)s) is not "
                    "one the tracker sealed: it was forged or altered before it was linked"
                )
                % {
                    "source": entry.source,
                    "row": entry.row_id,
                    "record": entry.record_type,
                    "object": entry.object_id,
                    "action": entry.action,
                    "at": local_stamp(entry.at),
                },
                0,
            )
    queued = {(entry.source, entry.row_id) for entry in queue}
    queued_per_source = Counter(source for source, _ in queued)
    models_by_source = {source_label(m): m for m in chained_models()}
    counts = _row_counts(models_by_source)
    for source, model in models_by_source.items():
        if counts[source] == linked[source] + queued_per_source[source]:
            continue
        links = AuditLink.objects.filter(source=source).values("row_id")
        for orphan in model._base_manager.exclude(pk__in=links).order_by("pk").iterator(chunk_size=VERIFY_CHUNK):
            if (source, orphan.pk) in queued:
                continue
            index = index_of(orphan)
            problem = gettext(
                "%(source)s row %(row)s (%(record)s #%(object)s, %(action)s %(at)s) has no link: it was inserted "
                "outside the tracker"
            ) % {
                "source": source,
                "row": orphan.pk,
                "record": index.record_type,
                "object": index.object_id,
                "action": index.action,
                "at": local_stamp(index.at),
            }
            return problem, 0
    return "", len(queue)


def _check_link(
    link: tuple[Any, ...],
    expected_seq: int,
    prev: str,
    tables: dict[str, _Table],
    rows: dict[str, dict[int, tuple[Any, ...]]],
    layouts: dict[str, list[str]],
    key: hmac.HMAC,
    encode: Callable[[Any], str],
) -> str:
    """What is wrong with one link (a tuple of ``LINK_COLUMNS``) given the one before it, or ""."""
    seq, source, row_id, case_id, object_repr, digest, content_form = link[:7]
    if seq != expected_seq:
        return gettext("link %(seq)s is missing (the next link is %(next)s): a link was deleted") % {
            "seq": expected_seq,
            "next": seq,
        }
    table = tables.get(source)
    if table is None:
        return gettext("%(link)s points at an unknown table") % {"link": _describe(_Link(*link))}
    row = rows.get(source, {}).get(row_id)
    if row is None:
        return gettext("%(link)s: its row was deleted") % {"link": _describe(_Link(*link))}
    layout = None
    if content_form == CONTENT_LAYOUT:
        if source not in layouts:
            return gettext("%(link)s: the column layout its digest covers is missing") % {
                "link": _describe(_Link(*link))
            }
        layout = layouts[source]
    payload = encode(
        {
            "seq": seq,
            "source": source,
            "row_id": row_id,
            "case_id": case_id,
            "object_repr": object_repr,
            "row": table.content(row, layout),
        }
    )
    mac = key.copy()
    mac.update((prev + "\n" + payload).encode())
    if not hmac.compare_digest(mac.hexdigest(), digest):
        return gettext("%(link)s: the row or the link was altered, or links were reordered") % {
            "link": _describe(_Link(*link))
        }
    if link[7:] != table.index(row):
        return gettext("%(link)s: the audit-log entry no longer matches its row") % {"link": _describe(_Link(*link))}
    return ""


def find_checkpoint(digest: str) -> AuditLink | None:
    return AuditLink.objects.filter(digest=digest.strip().lower()).first()
