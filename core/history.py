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
    try:
        field = record.instance_type._meta.get_field(field_name)
    except Exception:  # noqa: BLE001
        return str(value)
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    kind = ColumnKind.BOOLEAN if isinstance(field, models.BooleanField) else ColumnKind.TEXT
    return format_value(value, kind)


def history_entries(records: Iterable[Any]) -> list[HistoryEntry]:
    """History rows (any order) as entries, newest first, each with its differences from the row before.

    Differences are computed pairwise in Python over rows already loaded: no query per row.
    """
    ordered = sorted(records, key=lambda r: (r.history_date, r.history_id))
    previous_by_object: dict[tuple[Any, Any], Any] = {}
    entries: list[HistoryEntry] = []
    for record in ordered:
        key = (record.instance_type, record.id)
        previous = previous_by_object.get(key)
        changes: list[FieldChange] = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=HIDDEN_FIELDS)
            changes = [
                FieldChange(_label(record, c.field), _show(record, c.field, c.old), _show(record, c.field, c.new))
                for c in delta.changes
            ]
        previous_by_object[key] = record
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=str(user) if user else "System",
                kind=KIND_LABELS.get(record.history_type, record.history_type),
                record=f"{record.instance_type._meta.verbose_name.capitalize()}: {record.history_object}",
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    entries.reverse()
    return entries
