"""Chained tables' stored rows: a history row's INSERT returns every column as stored.

What the audit chain digests must be what the database stored — the ciphertext of an encrypted field, a
decimal as its column rounded it — without reading the row back. Every chained table's single-row insert is
an ``INSERT … RETURNING`` every column (``install_returning_inserts``, once at start-up), and the stored row is
kept on the instance (``_audit_stored``) for ``core.audit.chain`` to seal.

A history row is only ever inserted, once, by simple-history: its ``save`` is that one INSERT … RETURNING,
without the rest of Django's per-save machinery (``_save_history_row``) — unless anything else is asked of it
or a ``pre_save`` / ``post_save`` receiver listens on its table, when it is Django's own ``save``.

Sealed as sent: in the outermost transaction of a tracked save on PostgreSQL
(``core.audit.manager.tracked_save_transaction``), a history table whose every column stores exactly what is
sent (``stores_as_sent``: numbers, text, dates and times, booleans, UUIDs, keys, ciphertext — decimals once
rounded as the column rounds them) needs no RETURNING: the stored row is the values sent, and its INSERT waits
for the COMMIT's message, where the database gives it its id. A table with any other column (JSON, say) keeps
INSERT … RETURNING.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from django.db import connections, models, router, transaction
from django.db.models.signals import post_save, pre_save

from core.audit.content import chained_models
from core.audit.manager import SEALED_AS_SENT, DeferredInsert, tracked_save, updates
from core.audit.tracked import is_history_model


@dataclass(frozen=True)
class _InsertPlan:
    """A chained table's single-row INSERT … RETURNING every column, built once per table and field list."""

    sql: str
    every: tuple[models.Field[Any, Any], ...]  # the columns returned, the asked-for ones first
    reads: tuple[tuple[int, Callable[[Any], Any]], ...]  # how the ORM reads a returned value, where it does


_insert_plans: dict[tuple[Any, ...], _InsertPlan | None] = {}


def _insert_plan(
    model: type[models.Model], fields: tuple[Any, ...], returning: tuple[Any, ...], connection: Any
) -> _InsertPlan | None:
    """The plan for ``model``'s INSERT of ``fields``, or None when Django's compiler must build it (a field
    with its own placeholder SQL, or no field at all)."""
    key = (model, fields, returning, connection.alias)
    if key in _insert_plans:
        return _insert_plans[key]
    plan = None
    if fields and not any(hasattr(field, "get_placeholder") for field in fields):
        quote = connection.ops.quote_name
        table = model._meta.db_table
        every = (*returning, *(f for f in model._meta.concrete_fields if f not in returning))
        reads = []
        for i, field in enumerate(every):
            col = field.get_col(table)
            steps = [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)]
            if steps:
                reads.append((i, partial(_apply_converters, steps, col, connection)))
        plan = _InsertPlan(
            sql=f"INSERT INTO {quote(table)} ({', '.join(quote(f.column) for f in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {', '.join(quote(f.column) for f in every)}",
            every=every,
            reads=tuple(reads),
        )
    _insert_plans[key] = plan
    return plan


def _apply_converters(steps: list[Any], col: Any, connection: Any, value: Any) -> Any:
    for step in steps:
        value = step(value, col, connection)
    return value


def _insert_returning_every_column(
    self: models.Model, manager: Any, using: str, fields: Any, returning_fields: Any, raw: bool
) -> Any:
    """``Model._do_insert`` for chained tables: the INSERT returns every column as stored, kept on the
    instance (``_audit_stored``, a model instance built from them) for sealing; no read back. The
    statement is built once per table (``_insert_plan``); the values are prepared as Django's compiler
    prepares them (``pre_save``, ``get_db_prep_save``)."""
    connection = connections[using]
    if not connection.features.can_return_columns_from_insert:
        return manager._insert([self], fields=fields, returning_fields=returning_fields, using=using, raw=raw)
    concrete = self._meta.concrete_fields
    plan = _insert_plan(type(self), tuple(fields), tuple(returning_fields or ()), connection)
    values = [getattr(self, f.attname) if raw else f.pre_save(self, True) for f in fields]
    if plan is None or any(hasattr(value, "resolve_expression") for value in values):
        every = [*returning_fields, *(f for f in concrete if f not in returning_fields)]
        results = manager._insert([self], fields=fields, returning_fields=every, using=using, raw=raw)
        if not results:
            return results
        row = list(results[0])
    else:
        every = list(plan.every)
        params = [field.get_db_prep_save(value, connection) for field, value in zip(fields, values, strict=True)]
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            row = list(cursor.fetchone())
        for i, read in plan.reads:
            row[i] = read(row[i])
    stored = dict(zip((f.attname for f in every), row, strict=True))
    self._audit_stored = type(self).from_db(  # type: ignore[attr-defined]
        using, [f.attname for f in concrete], [stored[f.attname] for f in concrete]
    )
    return [tuple(row[: len(returning_fields)])]


_insert_fields: dict[type[models.Model], list[models.Field[Any, Any]]] = {}


def _save_history_row(self: models.Model, *args: Any, **kwargs: Any) -> None:
    """``save`` of a history table's row. simple-history's call — a new row, at most ``using`` given, nobody
    listening to the table's ``pre_save`` / ``post_save`` — is what ``Model.save`` would do for it, without
    the rest: the INSERT (``_do_insert``: returning every column), the returned key set, the row marked as
    stored. Any other save (a test altering a stored row, say) is Django's own."""
    model = type(self)
    if (
        args
        or kwargs.keys() - {"using"}
        or not self._state.adding
        or self.pk is not None
        or pre_save.has_listeners(model)
        or post_save.has_listeners(model)
    ):
        models.Model.save(self, *args, **kwargs)
        return
    using = kwargs.get("using") or router.db_for_write(model, instance=self)
    save = tracked_save(using)
    if save is not None and save.history_model is model and save.history_row is None:
        record = model.instance_type  # type: ignore[attr-defined]
        if save.update is None or updates(save, record, getattr(self, record._meta.pk.attname)):
            _insert_sealed_as_sent(self, using, save)  # one row a save, at its end
            self._state.adding = False
            self._state.db = using
            return
    fields = _insert_fields.get(model)
    if fields is None:
        meta = model._meta
        fields = _insert_fields[model] = [
            f for f in meta.local_concrete_fields if not f.generated and f is not meta.auto_field
        ]
    returning = model._meta.db_returning_fields
    with transaction.mark_for_rollback_on_error(using):
        results = self._do_insert(model._base_manager, using, fields, returning, False)  # type: ignore[attr-defined]
    if results:
        for value, field in zip(results[0], returning, strict=False):
            setattr(self, field.attname, value)
    self._state.adding = False
    self._state.db = using


def install_returning_inserts() -> None:
    """Have every chained table's single-row inserts return the stored row, history rows saved by that
    insert alone, and those of tables that store what is sent sealed as sent (called once, at start-up)."""
    for model in chained_models():
        setattr(model, "_do_insert", _insert_returning_every_column)  # noqa: B010 - patched on purpose
        if is_history_model(model):
            setattr(model, "save", _save_history_row)  # noqa: B010 - patched on purpose
            if stores_as_sent(model):
                SEALED_AS_SENT[model.instance_type] = model  # type: ignore[attr-defined]


# --------------------------------------------------------------------------------------------------
# Sealed as sent

# Columns whose stored value is the value sent, as the driver reads it back (``stores_as_sent``).
_AS_SENT_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
        "BooleanField",
        "CharField",
        "TextField",
        "DateField",
        "DateTimeField",
        "TimeField",
        "DecimalField",
        "UUIDField",
    }
)


def _stored_type(field: models.Field[Any, Any]) -> str:
    stored: Any = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
    return str(stored.get_internal_type())


def stores_as_sent(model: type[models.Model]) -> bool:
    """True when every column of ``model``'s table stores exactly the value an INSERT sends (decimals rounded
    to the column's places, as PostgreSQL rounds them), with nothing of the database's own — no default,
    generated value or custom placeholder: its stored row can be sealed from the values sent."""
    return all(
        _stored_type(f) in _AS_SENT_TYPES
        and not f.generated
        and f.db_default is models.NOT_PROVIDED
        and not hasattr(f, "get_placeholder")
        for f in model._meta.concrete_fields
    )


@dataclass(frozen=True)
class _SentPlan:
    """A history table's INSERT of every column but its id (given by the database), and how each value sent
    reads back."""

    into: str
    key: str
    fields: tuple[models.Field[Any, Any], ...]  # every column but the id, in the model's order
    attnames: list[str]  # every column, the id among them
    key_at: int  # where the id stands among them
    reads: tuple[Callable[[Any], Any] | None, ...]  # the value sent → the value the ORM reads back


_sent_plans: dict[tuple[type[models.Model], str], _SentPlan] = {}


def _sent_plan(model: type[models.Model], connection: Any) -> _SentPlan:
    key = (model, connection.alias)
    plan = _sent_plans.get(key)
    if plan is None:
        quote = connection.ops.quote_name
        meta = model._meta
        fields = tuple(f for f in meta.concrete_fields if f is not meta.pk)
        reads: list[Callable[[Any], Any] | None] = []
        for field in fields:
            col = field.get_col(meta.db_table)
            steps = [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)]
            rounding = (
                partial(_rounded, Decimal(1).scaleb(-field.decimal_places))  # type: ignore[attr-defined]
                if field.get_internal_type() == "DecimalField"
                else None
            )
            if rounding is None and not steps:
                reads.append(None)
            else:
                reads.append(partial(_read_back, rounding, steps, col, connection))
        plan = _sent_plans[key] = _SentPlan(
            into=f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)})",
            key=quote(meta.pk.column),
            fields=fields,
            attnames=[f.attname for f in meta.concrete_fields],
            key_at=list(meta.concrete_fields).index(meta.pk),
            reads=tuple(reads),
        )
    return plan


def _rounded(places: Decimal, value: Any) -> Any:
    """A decimal as a numeric column of ``places`` stores it: rounded half away from zero, no negative zero."""
    if not isinstance(value, Decimal) or not value.is_finite():
        return value
    stored = value.quantize(places, rounding=ROUND_HALF_UP)
    return stored.copy_abs() if stored.is_zero() else stored


def _read_back(rounding: Callable[[Any], Any] | None, steps: list[Any], col: Any, connection: Any, value: Any) -> Any:
    if value is None:
        return None
    if rounding is not None:
        value = rounding(value)
    for step in steps:
        value = step(value, col, connection)
    return value


def _insert_sealed_as_sent(row: models.Model, using: str, save: Any) -> None:
    """Leave a history row's INSERT for the end of the tracked save (with the COMMIT), where the database gives
    it its id: the row as stored, for sealing, is the values sent, read back as the ORM reads them, without
    the id (``_audit_stored``); the row is given its id when the end has been sent."""
    connection = connections[using]
    model = type(row)
    plan = _sent_plan(model, connection)
    params = [field.get_db_prep_save(field.pre_save(row, True), connection) for field in plan.fields]
    stored = [value if read is None else read(value) for read, value in zip(plan.reads, params, strict=True)]
    stored.insert(plan.key_at, None)
    row._audit_stored = model.from_db(using, plan.attnames, stored)  # type: ignore[attr-defined]
    save.history_row = DeferredInsert(into=plan.into, params=params, key=plan.key, row=row)
