"""Field-by-field differences between consecutive history rows, for History tabs and the audit log."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models

from core.tables import ColumnKind, format_value

HIDDEN_FIELDS = frozenset({"updated_at", "created_at"})


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    """One change: what kind, to which record, by whom, when, why, and the fields it changed."""

    when: Any
    who: str
    kind: str
    record: str
    reason: str
    changes: list[FieldChange]


KIND_LABELS = {"+": "Created", "~": "Changed", "-": "Deleted"}


def _label(record: Any, field_name: str) -> str:
    try:
        return str(record.instance_type._meta.get_field(field_name).verbose_name).capitalize()
    except Exception:  # noqa: BLE001 - a field gone from the model still shows by name
        return field_name


def _show(record: Any, field_name: str, value: Any) -> str:
    if value in (None, ""):
        return "—"
    field = _field(record, field_name)
    if field is None:
        return str(value)
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    kind = ColumnKind.BOOLEAN if isinstance(field, models.BooleanField) else ColumnKind.TEXT
    return format_value(value, kind)


def _foreign_key_names(rows: list[tuple[Any, list[Any]]]) -> dict[tuple[type[models.Model], Any], str]:
    """Names for the related records that changed foreign keys point at: one query per related model."""
    wanted: dict[type[models.Model], set[Any]] = {}
    for record, delta in rows:
        for change in delta:
            field = _field(record, change.field)
            if isinstance(field, models.ForeignKey):
                related: type[models.Model] = field.related_model  # type: ignore[assignment]
                wanted.setdefault(related, set()).update(v for v in (change.old, change.new) if v is not None)
    names: dict[tuple[type[models.Model], Any], str] = {}
    for model, ids in wanted.items():
        for pk, obj in model._default_manager.in_bulk(list(ids)).items():
            names[(model, pk)] = str(obj)
    return names


def _field(record: Any, field_name: str) -> Any:
    try:
        return record.instance_type._meta.get_field(field_name)
    except Exception:  # noqa: BLE001 - a field gone from the model has no metadata
        return None


def history_entries(records: Iterable[Any]) -> list[HistoryEntry]:
    """History rows (any order) as entries, newest first, each with its differences from the row before.

    Differences are computed pairwise in Python over rows already loaded; the records that changed
    foreign keys point at are named with one query per related model, never one per row.
    """
    ordered = sorted(records, key=lambda r: (r.history_date, r.history_id))
    previous_by_object: dict[tuple[Any, Any], Any] = {}
    deltas: list[tuple[Any, list[Any]]] = []
    for record in ordered:
        key = (record.instance_type, record.id)
        previous = previous_by_object.get(key)
        delta = record.diff_against(previous, excluded_fields=HIDDEN_FIELDS).changes if previous is not None else []
        previous_by_object[key] = record
        deltas.append((record, delta))

    names = _foreign_key_names(deltas)

    def show(record: Any, field_name: str, value: Any) -> str:
        field = _field(record, field_name)
        if isinstance(field, models.ForeignKey) and value is not None:
            return names.get((field.related_model, value), f"(removed record {value})")  # type: ignore[arg-type]
        return _show(record, field_name, value)

    entries: list[HistoryEntry] = []
    for record, delta in deltas:
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=str(user) if user else "System",
                kind=KIND_LABELS.get(record.history_type, record.history_type),
                record=f"{record.instance_type._meta.verbose_name.capitalize()}: {record.history_object}",
                reason=record.history_change_reason or "",
                changes=[
                    FieldChange(_label(record, c.field), show(record, c.field, c.old), show(record, c.field, c.new))
                    for c in delta
                ],
            )
        )
    entries.reverse()
    return entries
