"""simple-history's manager for tracked models, whose bulk helper announces the history rows it wrote, and
the transaction of one tracked save.

``bulk_create_with_history`` / ``bulk_update_with_history`` write history rows without simple-history's
per-row signal; this manager sends ``history_rows_bulk_created`` for them inside the same transaction,
and the audit chain (``core.audit.signals``) links them. The manager knows nothing of the chain, so
``core.models`` imports nothing that imports it back.

``tracked_save_transaction`` is the transaction ``TrackedModel.save`` runs in. When it is the outermost
one, the statements the audit chain leaves for its end (``final_statements``: the queue's INSERT) are sent
with its COMMIT, in one round trip on PostgreSQL with psycopg 3's client-side cursors (simple query
protocol: the INSERT and the COMMIT are one message; if the INSERT fails, nothing is committed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from django.db import connections, router, transaction
from django.dispatch import Signal
from simple_history.manager import HistoryManager

# Sent with ``sender`` = the history model, ``row_ids`` = the new rows' ids, ``using`` = the database.
history_rows_bulk_created = Signal()


class ChainedHistoryManager(HistoryManager):
    """History manager whose bulk writes are chained like single saves.

    simple-history's descriptor asks for ``from_queryset(…)`` on every access of ``instance.history`` (once
    per tracked save): the class it builds is made once per queryset class here, not once per save."""

    _made: ClassVar[dict[tuple[type, type, str | None], type]] = {}

    @classmethod
    def from_queryset(cls, queryset_class: type, class_name: str | None = None) -> Any:
        key = (cls, queryset_class, class_name)
        made = cls._made.get(key)
        if made is None:
            made = cls._made[key] = super().from_queryset(queryset_class, class_name)
        return made

    def bulk_history_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        using = router.db_for_write(self.model)
        with transaction.atomic(using=using, savepoint=False):
            rows = super().bulk_history_create(objs, *args, **kwargs)
            if rows:
                history_rows_bulk_created.send(sender=self.model, row_ids=[row.pk for row in rows], using=using)
        return rows


FINAL_STATEMENTS = "ctip_final_statements"  # the connection attribute holding them while a save runs

# A statement left for the end of a tracked save's transaction: called with ``commit=True`` when it is the
# last one and the driver lets it carry the COMMIT (it then ends the transaction itself).
FinalStatement = Callable[[bool], None]


def final_statements(using: str) -> list[FinalStatement] | None:
    """Where a writer may leave statements to be sent last in the current tracked save's transaction, the
    last one with its COMMIT; None when no outermost tracked save is under way on ``using``."""
    found: list[FinalStatement] | None = getattr(connections[using], FINAL_STATEMENTS, None)
    return found


def _commits_with_statements(connection: Any) -> bool:
    """True when one ``cursor.execute`` can carry a statement and a COMMIT, after which Django's own commit
    finds nothing to do: PostgreSQL through psycopg 3 with client-side binding (Django's default), whose
    simple query protocol sends both in one message and commits nothing if the statement fails."""
    if connection.vendor != "postgresql" or connection.settings_dict.get("OPTIONS", {}).get("server_side_binding"):
        return False
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return bool(is_psycopg3)


@contextmanager
def tracked_save_transaction(using: str) -> Iterator[None]:
    """The transaction of one tracked save (the row, its history row, the history row's queue entry)."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using, savepoint=False):
        if not outermost:
            yield
            return
        setattr(connection, FINAL_STATEMENTS, [])
        try:
            yield
            statements: list[FinalStatement] = getattr(connection, FINAL_STATEMENTS)
        finally:
            delattr(connection, FINAL_STATEMENTS)
        if connection.needs_rollback:
            return  # an inner block failed: Django rolls the whole transaction back on leaving
        commit = _commits_with_statements(connection)
        for n, send in enumerate(statements, start=1):
            send(commit and n == len(statements))
