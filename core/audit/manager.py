"""simple-history's manager for tracked models, whose bulk helper announces the history rows it wrote, and
the transaction of one tracked save.

``bulk_create_with_history`` / ``bulk_update_with_history`` write history rows without simple-history's
per-row signal; this manager sends ``history_rows_bulk_created`` for them inside the same transaction,
and the audit chain (``core.audit.signals``) links them. The manager knows nothing of the chain, so
``core.models`` imports nothing that imports it back.

``tracked_save_transaction`` is the transaction ``TrackedModel.save`` runs in. When it is the outermost
one on PostgreSQL with psycopg 3's client-side cursors (simple query protocol: several statements are one
message, and a failing one stops the rest), the statements of a save go to the server together:

- **an update** of a record whose history table stores what is sent (``SEALED_AS_SENT``) is one message, as a
  plain save is: ``BEGIN``; one statement — the record's UPDATE, the history row's INSERT of the values the
  UPDATE wrote (``… SELECT … FROM`` the UPDATE: no history row if no record row was updated) and the queue
  entry's INSERT carrying the history row's id (``… FROM`` the history row's INSERT); ``COMMIT``. The
  database gives the history row its id in that statement, after the UPDATE has locked the record, so a
  record's history ids rise in the order its changes committed. If the record's row is gone (deleted since
  it was read), the statement fails on purpose and nothing is committed (``RecordGone``);
- **a creation** takes two: ``BEGIN`` and the record's INSERT (its id comes back); then the history row's and
  the queue entry's INSERTs, as above, and ``COMMIT``;
- any other statement sent during the save (a receiver's query, another record's save) first carries the
  ``BEGIN`` and the deferred UPDATE in its own message, and what is left still goes with the ``COMMIT``.

Elsewhere (inside another transaction, on SQLite) the save's statements are sent one by one, as Django
sends them, and the transaction commits as usual.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any, ClassVar

from django.db import DatabaseError, connections, models, router, transaction
from django.db.models import sql
from django.dispatch import Signal
from django.utils.translation import gettext
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


class RecordGone(DatabaseError):
    """A tracked update found no row to update: the record was deleted after it was read. Nothing was saved."""

    def __init__(self) -> None:
        super().__init__(gettext("This record was not saved: it was deleted after it was opened."))


TRACKED_SAVE = "ctip_tracked_save"  # the connection attribute holding the outermost tracked save under way

# History models whose rows ``core.audit.stored`` can seal from the values it sends (filled at start-up):
# their tracked model → the history model. Their rows are inserted at the end of the save, with the COMMIT.
SEALED_AS_SENT: dict[type[models.Model], type[models.Model]] = {}


@dataclass
class DeferredInsert:
    """A single-row INSERT left for the end of a tracked save: ``INSERT INTO table (columns)`` and the values,
    one per column, but for the column at ``keyed`` (if any), which takes the history row's id there."""

    into: str
    params: list[Any]
    keyed: int | None = None
    key: str = ""  # the quoted key column, for a row whose id the database gives at the end
    row: models.Model | None = None  # the instance to be given that id


@dataclass
class TrackedSave:
    """The outermost tracked save under way on a connection (``tracked_save_transaction``)."""

    history_model: type[models.Model] | None  # whose history row may be inserted at the end
    one_message: bool  # the end's statements and the COMMIT go as one message (see the module's docstring)
    statements: list[tuple[str, list[Any]]] = field(default_factory=list)  # left for the end, in order
    update: tuple[str, list[Any]] | None = None  # the record's UPDATE, not sent yet
    updated: tuple[type[models.Model], Any] | None = None  # the model and key of that record
    history_row: DeferredInsert | None = None  # the history row, its id given at the end
    history_entry: DeferredInsert | None = None  # its queue entry, which takes that id
    begun: bool = False  # the transaction's BEGIN has been sent


def tracked_save(using: str) -> TrackedSave | None:
    """The outermost tracked save under way on ``using``, or None (no tracked save under way)."""
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


# --------------------------------------------------------------------------------------------------
# The record's UPDATE, left for the end


def defer_update(record: models.Model, using: str, pk_val: Any, values: list[tuple[Any, Any, Any]]) -> bool:
    """Leave ``record``'s UPDATE (Django's ``_do_update`` of ``values``) for the end of the tracked save under
    way, when it is the save's first statement and its history row can follow it there; True if it was."""
    save = tracked_save(using)
    model = type(record)
    if (
        save is None
        or not save.one_message
        or save.begun
        or save.update is not None
        or save.history_model is None
        or SEALED_AS_SENT.get(model) is not save.history_model
        or not values
        or record._state.adding
        or model._meta.parents
        or model._meta.select_on_save
    ):
        return False
    statement = _update_statement(model, using, pk_val, values)
    if statement is None:
        return False
    save.update, save.updated = statement, (model, pk_val)
    return True


_update_plans: dict[tuple[type[models.Model], tuple[Any, ...], str], str] = {}


def _update_statement(
    model: type[models.Model], using: str, pk_val: Any, values: list[tuple[Any, Any, Any]]
) -> tuple[str, list[Any]] | None:
    """The UPDATE Django's compiler would send for ``values`` (built once per model and columns when every
    value is plain), or None when it would be more than one statement."""
    connection = connections[using]
    fields = tuple(f for f, _, _ in values)
    plain = not any(
        hasattr(value, "resolve_expression") or hasattr(value, "prepare_database_save") for _, _, value in values
    ) and not any(hasattr(f, "get_placeholder") for f in fields)
    if not plain:
        query: Any = model._base_manager.using(using).filter(pk=pk_val).query.chain(sql.UpdateQuery)
        query.add_update_fields(values)
        query.annotations = {}
        if query.related_updates:
            return None
        text, params = query.get_compiler(using).as_sql()
        return text, list(params)
    key = (model, fields, using)
    text = _update_plans.get(key)
    if text is None:
        quote = connection.ops.quote_name
        meta = model._meta
        text = _update_plans[key] = (
            f"UPDATE {quote(meta.db_table)} SET {', '.join(f'{quote(f.column)} = %s' for f in fields)} "
            f"WHERE {quote(meta.db_table)}.{quote(meta.pk.column)} = %s"
        )
    params = [f.get_db_prep_save(value, connection) for f, _, value in values]
    params.append(model._meta.pk.get_db_prep_value(pk_val, connection))
    return text, params


def updates(save: TrackedSave, model: type[models.Model], pk_val: Any) -> bool:
    """True when the UPDATE left for the end is of the ``model`` record ``pk_val``."""
    return save.updated is not None and save.updated[0] is model and save.updated[1] == pk_val


def _check_updated(cursor: Any) -> None:
    if cursor.rowcount == 0:
        raise RecordGone


def _lead_with_begin(save: TrackedSave, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    """Django's execute wrapper for a one-message tracked save: the transaction's first statement sent carries
    the BEGIN (and the UPDATE left for the end, which can no longer wait) in its own message; the driver
    sends no BEGIN."""
    if save.begun:
        return execute(sql, params, many, context)
    save.begun = True
    cursor = context["cursor"].cursor
    lead = ["BEGIN"]
    lead_params: list[Any] = []
    if save.update is not None:
        update, lead_params = save.update
        lead.append(update)
        save.update = save.updated = None
    if many:  # executemany cannot carry other statements: the lead goes first, alone
        cursor.execute("; ".join(lead), lead_params or None)
        if len(lead) > 1:
            cursor.nextset()
            _check_updated(cursor)
        return execute(sql, params, many, context)
    if lead_params and params is None:
        sql, params = sql.replace("%", "%%"), []
    result = execute("; ".join([*lead, sql]), [*lead_params, *params] if lead_params else params, many, context)
    cursor.nextset()  # past the BEGIN
    if len(lead) > 1:
        _check_updated(cursor)
        cursor.nextset()
    return result  # the cursor now stands on the statement's own result, as Django expects


# --------------------------------------------------------------------------------------------------
# The transaction


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
            wrapper = partial(_lead_with_begin, save)
            connection.execute_wrappers.append(wrapper)
        setattr(connection, TRACKED_SAVE, save)
        try:
            yield
            if wrapper is not None:
                connection.execute_wrappers.remove(wrapper)
                wrapper = None
            if not connection.needs_rollback and (save.statements or save.update or save.history_row):
                _send_final(connection, save)
        finally:
            delattr(connection, TRACKED_SAVE)
            if wrapper is not None:
                connection.execute_wrappers.remove(wrapper)


def _final_statement(save: TrackedSave) -> tuple[str, list[Any]] | None:
    """The one statement of the UPDATE and the history row left for the end, and the history row's queue
    entry: it returns the history row's id, and fails (dividing by the rows written, none) when the UPDATE
    found no row. None when neither was left."""
    row, entry = save.history_row, save.history_entry
    if save.update is None and row is None:
        return None
    parts, params = [], []
    if save.update is not None:
        update, update_params = save.update
        parts.append(f"u AS ({update} RETURNING 1)")
        params.extend(update_params)
    if row is None:
        return f"WITH {parts[0]} SELECT 1 / count(*) FROM u", params
    written = " FROM u" if save.update is not None else ""
    parts.append(f"h AS ({row.into} SELECT {', '.join(['%s'] * len(row.params))}{written} RETURNING {row.key})")
    params.extend(row.params)
    if entry is not None:
        values = ["%s"] * len(entry.params)
        if entry.keyed is not None:
            values.insert(entry.keyed, f"h.{row.key}")
        parts.append(f"e AS ({entry.into} SELECT {', '.join(values)} FROM h)")
        params.extend(entry.params)
    return f"WITH {', '.join(parts)} SELECT coalesce((SELECT {row.key} FROM h), (SELECT 1 / count(*) FROM h))", params


def _send_final(connection: Any, save: TrackedSave) -> None:
    """Send what was left for the end of the save: with the BEGIN (if nothing was sent yet) and the COMMIT, as
    one message, when the driver allows (Django's own commit then finds the transaction ended); otherwise
    one by one."""
    final = _final_statement(save)
    with connection.cursor() as cursor:
        if not save.one_message:
            for text, values in save.statements:
                cursor.execute(text, values)
            return
        statements = ([] if save.begun else ["BEGIN"]) + ([final[0]] if final is not None else [])
        statements += [text for text, _ in save.statements]
        params = [*(final[1] if final is not None else []), *(v for _, values in save.statements for v in values)]
        try:
            cursor.execute("; ".join([*statements, "COMMIT"]), params)
        except DatabaseError as error:
            if final is not None and getattr(error.__cause__, "sqlstate", None) == "22012":  # division by zero
                raise RecordGone from error
            raise
        if not save.begun:
            cursor.nextset()  # past the BEGIN
        if final is not None and save.history_row is not None:
            assigned = cursor.fetchone()[0]
            row = save.history_row.row
            if row is not None:
                setattr(row, row._meta.pk.attname, assigned)
