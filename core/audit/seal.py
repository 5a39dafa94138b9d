"""The seal on a queued audit entry (``AuditPending``): an HMAC, under a key derived from
``AUDIT_HMAC_KEY``, over what the entry says, so that an entry altered while it waits in the queue is refused
by the linker and reported by ``verify_audit`` (``core.audit.chain`` writes and links the entries)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from functools import cache
from typing import Any

from django.conf import settings

from core.models import AuditPending


def _derived_seal_key(audit_key: str) -> bytes:
    """A key derived from AUDIT_HMAC_KEY for the queue's seals, so no seal can pass for a link digest."""
    return hmac.new(audit_key.encode(), b"ctip-audit-pending-seal", hashlib.sha256).digest()


def utc_stamp(at: dt.datetime) -> str:
    return (at.astimezone(dt.UTC) if at.tzinfo is not None else at).isoformat()


def seal_of(entry: AuditPending) -> str:
    """The HMAC over every column of a queued entry but its id, its row's id and the seal itself.

    The row's id is the database's to give, in the statement that inserts the row and the entry
    (``core.audit.manager``), after the seal is made; what binds the entry to its row is the content: the
    row's every other stored column, which verification recomputes from the row the link names."""
    return _seal(_sealed_columns(entry))


def seal_with_row_id(entry: AuditPending) -> str:
    """The seal of an entry queued before the row's id was left to the database: the row's id covered too."""
    values = _sealed_columns(entry)
    values.insert(1, entry.row_id)
    return _seal(values)


def _sealed_columns(entry: AuditPending) -> list[Any]:
    return [
        entry.source,
        entry.record_type,
        entry.object_id,
        entry.object_repr,
        entry.case_id,
        entry.action,
        entry.user_id,
        utc_stamp(entry.at),
        entry.reason,
        entry.content,
    ]


def _seal(values: list[Any]) -> str:
    payload = json.dumps(values, separators=(",", ":"), ensure_ascii=False)
    sealer = _sealer(str(settings.AUDIT_HMAC_KEY)).copy()  # the keyed state, made once
    sealer.update(payload.encode())
    return sealer.hexdigest()


@cache
def _sealer(audit_key: str) -> hmac.HMAC:
    return hmac.new(_derived_seal_key(audit_key), digestmod=hashlib.sha256)


def seal_holds(entry: AuditPending) -> bool:
    """True when a queued entry carries the seal the tracker made for it (of either form)."""
    return hmac.compare_digest(entry.seal, seal_of(entry)) or hmac.compare_digest(entry.seal, seal_with_row_id(entry))
