"""What ``verify_audit`` checks besides the chain: that the live tables still say what their history says.

The chain proves that history was not rewritten; it says nothing of a live row edited with raw SQL (a
posted journal line's amount ×10, a case's lead prosecutor), deleted (an identity-access row) or
inserted (a payment nobody asked for). Every tracked record's current row must equal its latest history
row, field by field, as stored (encrypted fields compare as ciphertext, which the row and its history
share; the timestamps are copied too); no live row may lack history; no row whose history says it
exists may be gone, and none whose history says it was deleted may be back.

Each comparison is an ordered merge of two streamed queries per tracked model (the live rows by id, and
the newest history row of each id), so memory stays flat and no query is made per row.

Other parts of the system add checks of their own with ``register_integrity_check`` (a name, and a
function that returns the first problem found as a sentence, or ``""``). The name is English marked with
``gettext_noop`` — it is also the check's key — and is translated where it is shown; the sentence is written
with ``gettext`` when the check runs, so the Verify page reads in the auditor's language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext, gettext_noop, pgettext_lazy

from core.audit.chain_verify import local_stamp
from core.audit.content import source_label
from core.audit.tracked import is_history_model
from core.models import AuditLink

CHUNK = 2000
LIVE_TABLES = gettext_noop("live tables match their history")
HISTORY_TYPES = {
    "+": pgettext_lazy("audit history", "created"),
    "~": pgettext_lazy("audit history", "changed"),
    "-": pgettext_lazy("audit history", "deleted"),
}

IntegrityCheck = Callable[[], str | None]
_checks: dict[str, IntegrityCheck] = {}


def register_integrity_check(name: str, check: IntegrityCheck) -> None:
    """Have ``verify_audit`` run ``check`` (a problem as a sentence naming what broke, or "" / None).
    ``name``: English marked with ``gettext_noop``, translated where it is shown."""
    _checks[name] = check


def integrity_checks() -> list[tuple[str, IntegrityCheck]]:
    """The registered checks, in the order they were registered."""
    return list(_checks.items())


# --------------------------------------------------------------------------------------------------
# Live tables against their history


def tracked_pairs() -> list[tuple[type[models.Model], type[models.Model]]]:
    """(tracked model, its history model) for every model with history, by label."""
    pairs = [(m.instance_type, m) for m in apps.get_models() if is_history_model(m)]  # type: ignore[attr-defined]
    return sorted(pairs, key=lambda pair: pair[0]._meta.label_lower)


def compared_fields(tracked: type[models.Model], history: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The tracked model's stored fields that its history copies (all but the key and any excluded)."""
    copied = {f.attname for f in history._meta.concrete_fields}
    return [f for f in tracked._meta.concrete_fields if f.attname in copied and not f.primary_key]


def _show(field: models.Field[Any, Any], value: Any) -> str:
    if getattr(field, "masked_in_history", False):
        return gettext("(protected)")
    if value is None:
        return gettext("empty")
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return repr(text if len(text) <= 60 else text[:57] + "…")


def _live_rows(tracked: type[models.Model], names: list[str]) -> Iterator[tuple[Any, ...]]:
    key = tracked._meta.pk.attname
    rows = tracked._base_manager.order_by(key).values_list(key, *names)
    return rows.iterator(chunk_size=CHUNK)


def _latest_history_rows(
    tracked: type[models.Model], history: type[models.Model], names: list[str]
) -> Iterator[tuple[Any, ...]]:
    """The newest history row of each record id (no later row for the same id), by id."""
    key = tracked._meta.pk.attname
    history_key = history._meta.pk.attname
    later = history._base_manager.filter(**{key: OuterRef(key), f"{history_key}__gt": OuterRef(history_key)})
    rows = (
        history._base_manager.filter(~Exists(later))
        .order_by(key)
        .values_list(key, *names, "history_type", "history_date", history_key)
    )
    return rows.iterator(chunk_size=CHUNK)


def _where(tracked: type[models.Model], pk: Any) -> str:
    return gettext("%(table)s row %(row)s (%(model)s)") % {
        "table": tracked._meta.db_table,
        "row": pk,
        "model": tracked._meta.label_lower,
    }


def _history_entry(history: type[models.Model], row: tuple[Any, ...]) -> str:
    """ "changed 2026-12-01 10:14:03, link 7503": the latest history row, as the audit log shows it."""
    history_type, at, history_pk = row[-3:]
    seq = (
        AuditLink.objects.filter(source=source_label(history), row_id=history_pk).values_list("seq", flat=True).first()
    )
    entry = {"action": HISTORY_TYPES.get(history_type, history_type), "at": local_stamp(at), "seq": seq}
    if seq is None:
        return gettext("%(action)s %(at)s") % entry
    return gettext("%(action)s %(at)s, link %(seq)s") % entry


def compare_table(tracked: type[models.Model], history: type[models.Model]) -> str:
    """The first difference between ``tracked``'s rows and their latest history rows, or ""."""
    fields = compared_fields(tracked, history)
    names = [f.attname for f in fields]
    live, latest = _live_rows(tracked, names), _latest_history_rows(tracked, history, names)
    row, past = next(live, None), next(latest, None)
    while row is not None or past is not None:
        if past is None or (row is not None and row[0] < past[0]):
            assert row is not None
            return gettext("%(where)s has no history: it was inserted outside the tracker") % {
                "where": _where(tracked, row[0])
            }
        if row is None or past[0] < row[0]:
            if past[-3] != "-":
                return gettext(
                    "%(where)s is missing, but its history says it exists (last %(entry)s): it was deleted outside "
                    "the tracker"
                ) % {"where": _where(tracked, past[0]), "entry": _history_entry(history, past)}
            past = next(latest, None)
            continue
        if past[-3] == "-":
            return gettext(
                "%(where)s exists, but its history says it was deleted (%(entry)s): it was put back outside the tracker"
            ) % {"where": _where(tracked, row[0]), "entry": _history_entry(history, past)}
        differences = [
            gettext("%(field)s is %(now)s in the table but %(then)s in its history")
            % {"field": field.name, "now": _show(field, now), "then": _show(field, then)}
            for field, now, then in zip(fields, row[1:], past[1:], strict=False)
            if now != then
        ]
        if differences:
            return gettext(
                "%(where)s differs from its latest history (%(entry)s): %(differences)s — it was changed outside "
                "the tracker"
            ) % {
                "where": _where(tracked, row[0]),
                "entry": _history_entry(history, past),
                "differences": "; ".join(differences),
            }
        row, past = next(live, None), next(latest, None)
    return ""


def live_tables_match_history() -> str:
    """The first live row that differs from its history, lacks history or has vanished; "" when none."""
    for tracked, history in tracked_pairs():
        problem = compare_table(tracked, history)
        if problem:
            return problem
    return ""
