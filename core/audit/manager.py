"""simple-history's manager for tracked models, whose bulk helper announces the history rows it wrote, and
the transaction of one tracked save.

``bulk_create_with_history`` / ``bulk_update_with_history`` write history rows without simple-history's
per-row signal; this manager sends ``history_rows_bulk_created`` for them inside the same transaction,
and the audit chain (``core.audit.signals``) links them. The manager knows nothing of the chain, so
``core.models`` imports nothing that imports it back.

``tracked_save_transaction`` is the transaction ``TrackedModel.save`` runs in. When it is the outermost
one on PostgreSQL with psycopg 3's client-side cursors (simple query protocol: several statements are one
message, and a failing one stops the rest), a save takes two round trips, as a plain save takes one:

1. ``BEGIN``, the reservation of the history row's id (``nextval`` of its table's sequence) and the save's
   own first statement (the row's UPDATE or INSERT), in one message;
2. the statements the audit chain leaves for the end (``TrackedSave.statements``: the history row's INSERT,
   when ``core.audit.stored`` could seal it from the values it sends; the queue entry's INSERT) and the
   ``COMMIT``, in one message. If any of them fails, nothing is committed.

Elsewhere (inside another transaction, on SQLite) the save's statements are sent one by one, as Django
sends them, and the transaction commits as usual.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any, ClassVar

from django.db import connections, models, router, transaction
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


TRACKED_SAVE = "ctip_tracked_save"  # the connection attribute holding the outermost tracked save under way

# History models whose rows ``core.audit.stored`` can seal from the values it sends (filled at start-up):
# their tracked model → the history model. Their saves reserve the history row's id in their first message.
SEALED_AS_SENT: dict[type[models.Model], type[models.Model]] = {}


@dataclass
class TrackedSave:
    """The outermost tracked save under way on a connection (``tracked_save_transaction``)."""

    history_model: type[models.Model] | None  # whose history row may take ``history_id``
    one_message: bool  # the end's statements and the COMMIT go as one message (see the module's docstring)
    statements: list[tuple[str, list[Any]]] = field(default_factory=list)  # left for the end, in order
    history_id: int | None = None  # reserved for the history row in the transaction's first message
    begun: bool = False  # the transaction's BEGIN has been sent


def tracked_save(using: str) -> TrackedSave | None:
    """The outermost tracked save under way on ``using``, or None (no tracked save, or a nested one)."""
    found: TrackedSave | None = getattr(connections[using], TRACKED_SAVE, None)
    return found


def _one_message(connection: Any) -> bool:
    """True when one ``cursor.execute`` can carry several statements, a BEGIN and a COMMIT among them:
    PostgreSQL through psycopg 3 with client-side binding (Django's default), whose simple query protocol
    sends them as one message and runs none after one that fails."""
    if connection.vendor != "postgresql" or connection.settings_dict.get("OPTIONS", {}).get("server_side_binding"):
        return False
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return bool(is_psycopg3)


_reservations: dict[tuple[type[models.Model], str], str] = {}


def _reservation_sql(history_model: type[models.Model], connection: Any) -> str:
    """The statement reserving the next id of ``history_model``'s table (built once per table)."""
    key = (history_model, connection.alias)
    sql = _reservations.get(key)
    if sql is None:
        meta = history_model._meta
        table = connection.ops.quote_name(meta.db_table).replace("'", "''")
        sql = _reservations[key] = f"SELECT nextval(pg_get_serial_sequence('{table}', '{meta.pk.column}'))"
    return sql


def _lead_with_begin(
    save: TrackedSave, reserve: str, execute: Any, sql: str, params: Any, many: bool, context: Any
) -> Any:
    """Django's execute wrapper for a one-message tracked save: the transaction's first statement carries
    the BEGIN (and the history row's id reservation) in its own message; the driver sends no BEGIN."""
    if save.begun:
        return execute(sql, params, many, context)
    save.begun = True
    cursor = context["cursor"].cursor
    if many:  # executemany cannot carry other statements: the BEGIN and the reservation go first, alone
        cursor.execute(f"BEGIN; {reserve}" if reserve else "BEGIN")
        if reserve:
            cursor.nextset()
            save.history_id = cursor.fetchone()[0]
        return execute(sql, params, many, context)
    result = execute(f"BEGIN; {reserve}; {sql}" if reserve else f"BEGIN; {sql}", params, many, context)
    cursor.nextset()  # past the BEGIN
    if reserve:
        save.history_id = cursor.fetchone()[0]
        cursor.nextset()
    return result  # the cursor now stands on the statement's own result, as Django expects


@contextmanager
def tracked_save_transaction(using: str, model: type[models.Model] | None = None) -> Iterator[None]:
    """The transaction of one tracked save of a ``model`` record (the row, its history row, the history row's
    queue entry)."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using, savepoint=False):
        if not outermost:
            yield
            return
        one_message = _one_message(connection)
        history_model = SEALED_AS_SENT.get(model) if one_message and model is not None else None
        save = TrackedSave(history_model=history_model, one_message=one_message)
        wrapper = None
        if one_message:
            # Django has turned the driver's autocommit off, so psycopg would send a BEGIN of its own before the
            # first statement (a round trip); with it on, the BEGIN is ours, in the first statement's message.
            # Django's commit or rollback at the end still goes to the server whenever a transaction is open.
            connection.connection.autocommit = True
            reserve = _reservation_sql(history_model, connection) if history_model is not None else ""
            wrapper = partial(_lead_with_begin, save, reserve)
            connection.execute_wrappers.append(wrapper)
        setattr(connection, TRACKED_SAVE, save)
        try:
            yield
            if save.statements and not connection.needs_rollback:
                _send_final(connection, save)
        finally:
            delattr(connection, TRACKED_SAVE)
            if wrapper is not None:
                connection.execute_wrappers.remove(wrapper)


def _send_final(connection: Any, save: TrackedSave) -> None:
    """Send the statements left for the end of the save: with the COMMIT, as one message, when the driver
    allows (Django's own commit then finds the transaction ended); otherwise one by one."""
    with connection.cursor() as cursor:
        if save.one_message:
            params = [value for _, values in save.statements for value in values]
            cursor.execute("; ".join([*(sql for sql, _ in save.statements), "COMMIT"]), params)
            return
        for sql, values in save.statements:
            cursor.execute(sql, values)
