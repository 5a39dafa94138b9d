"""History for the records that migrations create: the reference data (courts, offences, the fund's chart
of accounts) and the existing rows of a model that has just been given history.

A data migration works on the migration state's models, which simple-history does not follow, so its
rows would have no history — and ``verify_audit`` would rightly report every one of them as inserted
outside the tracker. So when ``migrate`` finishes, each tracked row created during that run (an id above
the highest one before it), and every row of a model whose history table that run created, gets a
"created" history row, chained like any other, with the reason below. A row inserted behind the
tracker's back before the run stays without history, and is still reported. The first run with this
module (no checkpoints table yet: a new database, or one from before the live-table check) records every
row that has none, so an existing installation starts from a clean baseline.

The timestamps of these rows and of their history are kept to the millisecond, so they survive a JSON
round trip unchanged: Django's serializer (fixtures, the test runner's serialized rollback) drops the
microseconds, which would otherwise rewrite append-only rows and break their links.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connections, models
from django.db.models import Max
from django.utils import timezone

from core.audit.integrity import tracked_pairs
from core.models import AuditCheckpoint

REASON = "Recorded when the database was migrated (created by a migration, or before its history was kept)"
BATCH = 500

# Per database: the highest id of each tracked model before the run (None: its history table was new).
_before: dict[str, dict[str, int | None]] = {}


def note_before_migrate(using: str) -> None:
    tables = set(connections[using].introspection.table_names())
    adopting = AuditCheckpoint._meta.db_table not in tables
    state: dict[str, int | None] = {}
    for tracked, history in tracked_pairs():
        label = tracked._meta.label_lower
        if adopting or history._meta.db_table not in tables:
            state[label] = None
        elif tracked._meta.db_table not in tables:
            state[label] = 0
        else:
            state[label] = tracked._base_manager.using(using).aggregate(top=Max("pk"))["top"] or 0
    _before[using] = state


def record_history_after_migrate(using: str) -> int:
    """Give history to the rows that came in with this run; returns how many rows got it."""
    state = _before.pop(using, None)
    if state is None:  # a flush, not a migration: nothing came in
        return 0
    recorded = 0
    for tracked, history in tracked_pairs():
        key = tracked._meta.pk.attname
        since = state.get(tracked._meta.label_lower)
        rows = tracked._base_manager.using(using).exclude(pk__in=history._base_manager.using(using).values(key))
        if since is not None:
            rows = rows.filter(pk__gt=since)
        manager: Any = getattr(tracked, tracked._meta.simple_history_manager_attribute)  # type: ignore[attr-defined]
        batch = list(rows.order_by(key)[:BATCH])
        while batch:
            for row in batch:
                _to_the_millisecond(row)
            manager.bulk_history_create(batch, default_change_reason=REASON, default_date=_millisecond(timezone.now()))
            recorded += len(batch)
            batch = list(rows.order_by(key)[:BATCH])  # those just recorded have left ``rows``
    return recorded


def _millisecond(moment: dt.datetime) -> dt.datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _to_the_millisecond(row: models.Model) -> None:
    """Store the row's timestamps to the millisecond (a raw save: no history, no ``auto_now``)."""
    changed = []
    for field in row._meta.concrete_fields:
        value = getattr(row, field.attname)
        if isinstance(field, models.DateTimeField) and value is not None and value.microsecond % 1000:
            setattr(row, field.attname, _millisecond(value))
            changed.append(field.attname)
    if changed:
        row.save_base(raw=True, update_fields=changed)
