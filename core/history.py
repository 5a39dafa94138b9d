"""Field-by-field differences between consecutive history rows, for History tabs and the audit log.

A field whose model field carries ``masked_in_history = True`` (the witnesses' encrypted identity
fields) shows as "changed": its values never leave the database through history.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from core.tables import ColumnKind, format_value

HIDDEN_FIELDS = frozenset({"updated_at", "created_at"})


# Translators: shown instead of a protected value that changed (the value itself is never shown).
MASKED_TEXT = gettext_noop("changed")  # a plain string; shown through gettext, in the reader's language


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str
    masked: bool = False


@dataclass(frozen=True)
class HistoryEntry:
    """One change: what kind, to which record, by whom, when, why, and the fields it changed."""

    when: Any
    who: str
    kind: str
    record: str
    reason: str
    changes: list[FieldChange]
    history_type: str = ""  # "+" created, "~" changed, "-" deleted (``kind`` is its label)


KIND_LABELS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


def _label(record: Any, field_name: str) -> str:
    try:
        return capfirst(str(record.instance_type._meta.get_field(field_name).verbose_name))
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


def is_masked(record: Any, field_name: str) -> bool:
    """True for a field whose values history must not show (on the model's field or the history copy)."""
    field = _field(record, field_name)
    if getattr(field, "masked_in_history", False):
        return True
    try:
        return bool(getattr(type(record)._meta.get_field(field_name), "masked_in_history", False))
    except Exception:  # noqa: BLE001 - not a field of the history table either
        return False


def _has_masked_fields(model: Any) -> bool:
    return any(getattr(f, "masked_in_history", False) for f in model._meta.concrete_fields)


def record_label(record: Any) -> str:
    """ "Case: ODPP/CTIP/2026/0007 — …"; records holding protected fields go by number only."""
    model = record.instance_type
    label = capfirst(str(model._meta.verbose_name))
    if _has_masked_fields(model):
        return gettext("%(kind)s #%(number)s") % {"kind": label, "number": getattr(record, model._meta.pk.attname)}
    return gettext("%(kind)s: %(record)s") % {"kind": label, "record": record.history_object}


def _foreign_key_names(rows: list[tuple[Any, list[Any]]]) -> dict[tuple[type[models.Model], Any], str]:
    """Names for the related records that changed foreign keys point at: one query per related model."""
    wanted: dict[type[models.Model], set[Any]] = {}
    for record, delta in rows:
        for change in delta:
            if is_masked(record, change.field):
                continue
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
    pairs: list[tuple[Any, Any]] = []
    for record in ordered:
        key = (record.instance_type, record.id)
        pairs.append((record, previous_by_object.get(key)))
        previous_by_object[key] = record
    entries = entries_against(pairs)
    entries.reverse()
    return entries


def entries_against(
    pairs: list[tuple[Any, Any]],
    *,
    excluded_fields: Collection[str] = HIDDEN_FIELDS,
    included_fields: Collection[str] | None = None,
) -> list[HistoryEntry]:
    """One entry per (history row, the object's previous history row or None), in the order given.

    ``excluded_fields`` / ``included_fields`` narrow the differences shown (the stale-form refusal in
    ``core.versioning`` names only the fields its form depends on)."""
    excluded = list(excluded_fields)
    included = None if included_fields is None else list(included_fields)
    deltas: list[tuple[Any, list[Any]]] = []
    for record, previous in pairs:
        delta = (
            record.diff_against(previous, excluded_fields=excluded, included_fields=included).changes
            if previous is not None
            else []
        )
        deltas.append((record, delta))

    names = _foreign_key_names(deltas)

    def show(record: Any, field_name: str, value: Any) -> str:
        field = _field(record, field_name)
        if isinstance(field, models.ForeignKey) and value is not None:
            missing = gettext("(removed record %(number)s)") % {"number": value}
            return names.get((field.related_model, value), missing)  # type: ignore[arg-type]
        return _show(record, field_name, value)

    def change(record: Any, field_name: str, old: Any, new: Any) -> FieldChange:
        label = _label(record, field_name)
        if is_masked(record, field_name):
            return FieldChange(label, "", gettext(MASKED_TEXT), masked=True)
        return FieldChange(label, show(record, field_name, old), show(record, field_name, new))

    entries: list[HistoryEntry] = []
    for record, delta in deltas:
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=str(user) if user else gettext("System"),
                kind=str(KIND_LABELS.get(record.history_type, record.history_type)),
                record=record_label(record),
                reason=record.history_change_reason or "",
                changes=[change(record, c.field, c.old, c.new) for c in delta],
                history_type=record.history_type,
            )
        )
    return entries
