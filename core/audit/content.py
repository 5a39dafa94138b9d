"""What the audit chain digests: which tables are chained, a stored row's canonical content, and a link's
digest.

    digest(n) = HMAC-SHA256(AUDIT_HMAC_KEY, digest(n-1) + canonical JSON of {n, the row's table and id,
                the row's stored non-empty field values, the case and label the link files it under})

Columns holding NULL or an empty string are left out of the content (content form 2), so adding a column to
a tracked model later — empty on the rows already written — leaves every older link valid. Links written
before form 2 cover exactly the columns their table had then, frozen in ``AuditLayout`` (content form 1).
Writing links is ``core.audit.chain``'s; checking them, ``core.audit.chain_verify``'s.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.text import capfirst

from core.audit.tracked import is_history_model
from core.models import AuditAction, AuthEvent

GENESIS = "0" * 64
CONTENT_LAYOUT = 1  # the columns frozen in AuditLayout (links written before form 2)
CONTENT_FILLED = 2  # the columns holding a value
HISTORY_ACTIONS = {"+": AuditAction.CREATED, "~": AuditAction.CHANGED, "-": AuditAction.DELETED}


# --------------------------------------------------------------------------------------------------
# What is chained


def chained_models() -> list[type[models.Model]]:
    """Every table whose rows are chained: all history tables, and the sign-in events."""
    found = [model for model in apps.get_models() if is_history_model(model)]
    return [*sorted(found, key=lambda m: m._meta.label_lower), AuthEvent]


def source_label(model: type[models.Model]) -> str:
    """The name a chained table's links carry: its model label, unless the model moved between apps and
    declares the label its links were written under (``audit_source``), so the old links stay valid."""
    declared: str | None = getattr(model, "audit_source", None)
    return declared or model._meta.label_lower


@cache
def row_keys() -> dict[str, str]:
    """Each chained table's label (``source_label``) → the attribute of its rows' id."""
    return {source_label(model): model._meta.pk.attname for model in chained_models()}


@cache
def masked_fields(model: type[models.Model]) -> frozenset[str]:
    """Names of the fields whose values history must never show (``masked_in_history`` on the field)."""
    return frozenset(f.name for f in model._meta.concrete_fields if getattr(f, "masked_in_history", False))


# --------------------------------------------------------------------------------------------------
# Canonical content and digest


def canonical_value(field: models.Field[Any, Any], value: Any) -> Any:
    """A stored value as JSON that reads the same at write time and at verification time."""
    if value is None:
        return None
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict | list | tuple):
        return json.loads(json.dumps(value, sort_keys=True, default=str))
    # A custom field's value object (e.g. an encrypted value): what the field would store.
    prepared = field.get_prep_value(value)
    return prepared if isinstance(prepared, bool | int | str) or prepared is None else str(prepared)


def row_content(row: models.Model, layout: Iterable[str] | None = None) -> dict[str, Any]:
    """The stored columns of a chained row that a link's digest covers: those holding a value, or, for a
    link of content form 1, exactly the columns of its ``layout`` (a column since dropped reads as NULL)."""
    fields = fields_by_attname(type(row))
    if layout is not None:
        return {name: canonical_value(fields[name], getattr(row, name)) if name in fields else None for name in layout}
    content = {}
    for name, field in fields.items():
        value = canonical_value(field, getattr(row, name))
        if value is not None and value != "":
            content[name] = value
    return content


@cache
def fields_by_attname(model: type[models.Model]) -> dict[str, models.Field[Any, Any]]:
    """A model's concrete fields by column attribute name (once per model)."""
    return {f.attname: f for f in model._meta.concrete_fields}


def compute_digest(
    prev: str, seq: int, source: str, row_id: int, case_id: int | None, object_repr: str, content: dict[str, Any]
) -> str:
    payload = json.dumps(
        {
            "seq": seq,
            "source": source,
            "row_id": row_id,
            "case_id": case_id,
            "object_repr": object_repr,
            "row": content,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    key = str(settings.AUDIT_HMAC_KEY).encode()
    return hmac.new(key, (prev + "\n" + payload).encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class RowIndex:
    """What the audit log files a row under: derived from the row itself, so verification can check it."""

    record_type: str
    object_id: str
    action: str
    user_id: int | None
    at: dt.datetime
    reason: str


def index_of(row: Any) -> RowIndex:
    if isinstance(row, AuthEvent):
        return RowIndex("core.authevent", str(row.pk), row.kind, row.user_id, row.at, "")
    tracked = row.instance_type
    return RowIndex(
        record_type=tracked._meta.label_lower,
        object_id=str(getattr(row, tracked._meta.pk.attname)),
        action=HISTORY_ACTIONS.get(row.history_type, row.history_type),
        user_id=row.history_user_id,
        at=row.history_date,
        reason=row.history_change_reason or "",
    )


def object_repr_of(row: Any, record: models.Model | None = None) -> str:
    """The record's name at the time of the change; records with protected fields go by number only.
    ``record``: the record as it was just saved, when at hand (otherwise it is rebuilt from the row)."""
    if isinstance(row, AuthEvent):
        with translation.override(None):  # stored: in the site's language, whoever signs in
            return f"{row.get_kind_display()}: {row.username}"
    tracked = row.instance_type
    label = capfirst(tracked._meta.verbose_name_raw)  # stored: in English, whoever writes
    object_id = getattr(row, tracked._meta.pk.attname)
    if masked_fields(tracked):
        return f"{label} #{object_id}"
    try:
        return f"{label}: {record if record is not None else row.instance}"[:255]
    except Exception:  # noqa: BLE001 - a name that cannot be built still leaves the number
        return f"{label} #{object_id}"
