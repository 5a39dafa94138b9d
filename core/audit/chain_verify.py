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

from core.audit.chain import (
    CONTENT_LAYOUT,
    GENESIS,
    HEAD_PK,
    HISTORY_ACTIONS,
    canonical_value,
    chained_models,
    index_of,
    seal_of,
    source_label,
    utc_stamp,
)
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


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a stored value of ``field`` becomes canonical JSON: None when it already is (text, numbers, keys
    read from the database as such), else a function built once for the table."""
    if type(field) in _PLAIN:
        return None
    if isinstance(field, models.ForeignKey) and type(field.target_field) in _PLAIN:
        return None  # a key to an integer id
    if type(field) is models.DecimalField:
        return lambda value: None if value is None else str(value)
    if type(field) is models.DateTimeField:
        return lambda value: None if value is None else utc_stamp(value)
    if type(field) is models.DateField:
        return lambda value: None if value is None else value.isoformat()
    return lambda value: canonical_value(field, value)


@dataclass
class _Table:
    """How to read one chained table as tuples and turn a tuple into a link's content and index."""

    model: type[models.Model]
    names: list[str]
    converters: list[tuple[int, str, Callable[[Any], Any] | None]]
    index_columns: tuple[int, ...]
    record_type: str

    @classmethod
    def of(cls, model: type[models.Model]) -> _Table:
        fields = list(model._meta.concrete_fields)
        names = [f.attname for f in fields]
        converters = [(i, f.attname, _converter(f)) for i, f in enumerate(fields)]
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
        return cls(model, names, converters, tuple(names.index(name) for name in wanted), record_type)

    def rows(self, pks: list[int]) -> dict[int, tuple[Any, ...]]:
        key = self.model._meta.pk.attname
        position = self.names.index(key)
        found = self.model._base_manager.filter(pk__in=pks).values_list(*self.names)
        return {row[position]: row for row in found}

    def content(self, row: tuple[Any, ...], layout: list[str] | None) -> dict[str, Any]:
        if layout is not None:
            values = {name: (conv(row[i]) if conv else row[i]) for i, name, conv in self.converters}
            return {name: values.get(name) for name in layout}
        content = {}
        for i, name, conv in self.converters:
            value = row[i]
            if conv is not None:
                value = conv(value)
            if value is not None and value != "":
                content[name] = value
        return content

    def index(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        """(record_type, object_id, action, user_id, at, reason) as ``index_of`` derives them."""
        if self.model is AuthEvent:
            pk, kind, user_id, at = (row[i] for i in self.index_columns)
            return (self.record_type, str(pk), kind, user_id, at, "")
        object_id, history_type, user_id, at, reason = (row[i] for i in self.index_columns)
        return (
            self.record_type,
            str(object_id),
            HISTORY_ACTIONS.get(history_type, history_type),
            user_id,
            at,
            reason or "",
        )


def verify_chain(progress: Callable[[int], None] | None = None) -> Verification:
    """Recompute every link in order from the stored rows, read as tuples in chunks (memory stays flat);
    report the first broken one, then any row that has neither a link nor a sealed entry in the queue."""
    tables = {source_label(m): _Table.of(m) for m in chained_models()}
    layouts = {layout.source: list(layout.columns) for layout in AuditLayout.objects.all()}
    key = hmac.new(str(settings.AUDIT_HMAC_KEY).encode(), digestmod=hashlib.sha256)  # copied per link
    expected_seq, prev, last_at = 1, GENESIS, None
    linked: Counter[str] = Counter()
    for chunk in _links_in_order():
        wanted: dict[str, list[int]] = {}
        for link in chunk:
            wanted.setdefault(link.source, []).append(link.row_id)
        linked.update({source: len(pks) for source, pks in wanted.items()})
        rows = {source: tables[source].rows(pks) for source, pks in wanted.items() if source in tables}
        for link in chunk:
            problem = _check_link(link, expected_seq, prev, tables, rows, layouts, key)
            if problem:
                return Verification(False, expected_seq - 1, prev, expected_seq - 1, problem)
            expected_seq, prev, last_at = expected_seq + 1, link.digest, link.at
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


def _links_in_order() -> Iterator[list[_Link]]:
    """Every link by number, in chunks, each chunk one query from where the last ended (flat memory)."""
    last = -1
    while True:
        page = AuditLink.objects.filter(seq__gt=last).order_by("seq").values_list(*LINK_COLUMNS)[:VERIFY_CHUNK]
        chunk = [_Link(*values) for values in page]
        if not chunk:
            return
        yield chunk
        last = chunk[-1].seq


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
        if not hmac.compare_digest(entry.seal, seal_of(entry)):
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
    link: _Link,
    expected_seq: int,
    prev: str,
    tables: dict[str, _Table],
    rows: dict[str, dict[int, tuple[Any, ...]]],
    layouts: dict[str, list[str]],
    key: hmac.HMAC,
) -> str:
    if link.seq != expected_seq:
        return gettext("link %(seq)s is missing (the next link is %(next)s): a link was deleted") % {
            "seq": expected_seq,
            "next": link.seq,
        }
    table = tables.get(link.source)
    if table is None:
        return gettext("%(link)s points at an unknown table") % {"link": _describe(link)}
    row = rows.get(link.source, {}).get(link.row_id)
    if row is None:
        return gettext("%(link)s: its row was deleted") % {"link": _describe(link)}
    if link.content_form == CONTENT_LAYOUT and link.source not in layouts:
        return gettext("%(link)s: the column layout its digest covers is missing") % {"link": _describe(link)}
    layout = layouts[link.source] if link.content_form == CONTENT_LAYOUT else None
    payload = json.dumps(
        {
            "seq": link.seq,
            "source": link.source,
            "row_id": link.row_id,
            "case_id": link.case_id,
            "object_repr": link.object_repr,
            "row": table.content(row, layout),
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    mac = key.copy()
    mac.update((prev + "\n" + payload).encode())
    if not hmac.compare_digest(mac.hexdigest(), link.digest):
        return gettext("%(link)s: the row or the link was altered, or links were reordered") % {"link": _describe(link)}
    if (link.record_type, link.object_id, link.action, link.user_id, link.at, link.reason) != table.index(row):
        return gettext("%(link)s: the audit-log entry no longer matches its row") % {"link": _describe(link)}
    return ""


def find_checkpoint(digest: str) -> AuditLink | None:
    return AuditLink.objects.filter(digest=digest.strip().lower()).first()
