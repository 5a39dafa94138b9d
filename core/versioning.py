"""Optimistic locks for forms: a form carries the version of the records it was shown, and a form sent
after one of them changed is refused with what changed, by whom and when — nothing is saved.

**A record's version is the id of its latest history row.** Every change to a tracked record writes a
history row (``core.models.TrackedModel``; no ``QuerySet.update()`` on tracked models, which
``tests/core/test_audit_no_gaps.py`` enforces), and history ids come from an auto-increment key that
never repeats or goes back (a PostgreSQL sequence; SQLite ``AUTOINCREMENT``). Two saves in the same
clock tick still get two ids, where ``updated_at`` could tie; and the history rows of one record are
written under that record's row lock, so a later change always has a larger id.

A form may depend on several records — a sentence form on its count and on the sentence that may already
have been recorded: its version is one id per record, in a fixed order (``"1204.0"``; 0 for a record that
did not exist when the form was opened). ``core.views.generic.RecordFormView`` renders it in a hidden
field (:data:`VERSION_FIELD`). On POST it opens the transaction the service will run in, locks the rows
(``select_for_update``, in the order the service locks them), then reads each record's history rows
written after the version shown, and refuses the form if one of them changed a field the form depends
on. Because the check runs under the same locks as the service's write, no change can slip in between.

Saves that touch only bookkeeping (``updated_at``; a part may name more, such as a case's
``last_activity_on``, moved forward by every hearing) do not count. A save that changed no field of the
row itself (the case's team, a many-to-many) counts when the form depends on the whole record. Values the
History tabs mask (the witnesses' encrypted identity fields) show only as "changed".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import dateformat, timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.history import HIDDEN_FIELDS, FieldChange, HistoryEntry, entries_against

#: The name of the hidden form field that carries the version.
VERSION_FIELD = "record_version"

#: Fields whose change reads "moved from … to …": the lifecycle of cases, assets, disbursements, witnesses.
LIFECYCLE_FIELDS = ("stage", "status", "protection_status")

#: How many changes a refusal lists before it sends the reader to the History tab.
MAX_LISTED = 5

_MAX_TOKEN = 400
_AGAIN = gettext_lazy("Nothing was saved: check the form against this and send it again.")


@dataclass(frozen=True)
class Versioned:
    """One record a form depends on, as the version check sees it.

    ``pk`` is None for a record that does not exist (yet); ``where`` then names it by its parent
    (``{"charge_id": 31}``), so that a version sent for it can only be one of *its* history rows.
    ``watch`` narrows the fields the form depends on (None: every field of the row); ``ignore`` adds
    bookkeeping fields whose change never counts. ``noun`` names the record in the refusal ("case
    ODPP/CTIP/2026/0007").
    """

    model: type[models.Model]
    pk: Any
    noun: str
    watch: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    where: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        instance: models.Model,
        *,
        noun: str = "",
        watch: Iterable[str] | None = None,
        ignore: Iterable[str] = (),
    ) -> Versioned:
        """The version of an existing record."""
        return cls(
            type(instance),
            instance.pk,
            noun or default_noun(instance),
            None if watch is None else frozenset(watch),
            frozenset(ignore),
        )

    @classmethod
    def maybe(
        cls,
        model: type[models.Model],
        instance: models.Model | None,
        *,
        noun: str,
        where: Mapping[str, Any],
        watch: Iterable[str] | None = None,
    ) -> Versioned:
        """The version of a record that may not exist yet (a sentence not yet passed, an identity not yet
        entered), named by its parent in ``where``. Whoever creates it must hold the parent's lock, as
        the form view does while it checks."""
        return cls(
            model,
            None if instance is None else instance.pk,
            noun,
            None if watch is None else frozenset(watch),
            frozenset(),
            dict(where),
        )


def default_noun(instance: models.Model) -> str:
    """ "count Count 2"; a record holding protected fields goes by its number only."""
    meta = instance._meta
    if any(getattr(f, "masked_in_history", False) for f in meta.concrete_fields):
        return f"{meta.verbose_name} #{instance.pk}"
    return f"{meta.verbose_name} {instance}"


def version_field(initial: str) -> forms.CharField:
    """The hidden field a form carries its version in (never required: a missing version is refused with
    a message of its own)."""
    return forms.CharField(widget=forms.HiddenInput, required=False, initial=initial)


# --------------------------------------------------------------------------------------------------
# Reading and locking


def _history(model: type[models.Model]) -> Any:
    return model.history  # type: ignore[attr-defined]


def _object_id_field(model: type[models.Model]) -> str:
    pk = model._meta.pk
    assert pk is not None
    return pk.attname


def latest_version(part: Versioned) -> int:
    """The id of the record's latest history row; 0 when the record does not exist."""
    if part.pk is None:
        return 0
    ids = _history(part.model).filter(**{_object_id_field(part.model): part.pk}).order_by("-history_id")
    latest: int | None = ids.values_list("history_id", flat=True).first()
    return latest or 0


def version_token(parts: Sequence[Versioned]) -> str:
    """The version of the records a form depends on, as the form carries it: ``"1204.0"``."""
    return ".".join(str(latest_version(part)) for part in parts)


def parse_token(token: str, count: int) -> list[int] | None:
    """The history ids in a token, or None when it is not one for ``count`` records."""
    pieces = token.split(".")
    if len(token) > _MAX_TOKEN or len(pieces) != count or not all(p.isdigit() and len(p) <= 18 for p in pieces):
        return None
    return [int(piece) for piece in pieces]


def lock_row(model: type[models.Model], pk: Any) -> None:
    """Lock one row for the rest of the transaction.

    A plain ``SELECT … FOR UPDATE`` on the table alone: no join, which PostgreSQL refuses to lock on the
    nullable side of. (SQLite has no row locks: its writers queue on the database lock.)
    """
    list(model._base_manager.select_for_update().filter(pk=pk).values_list("pk", flat=True))


def lock(parts: Iterable[Versioned]) -> None:
    """Lock the rows of the parts that exist, in the order given."""
    for part in parts:
        if part.pk is not None:
            lock_row(part.model, part.pk)


# --------------------------------------------------------------------------------------------------
# The check


def refusal(parts: Sequence[Versioned], token: str | None) -> str | None:
    """Why a form that carried ``token`` must be refused, in words; None when none of the records changed
    in a way the form depends on. Call it under the locks the write will hold (``RecordFormView`` does).
    """
    if not parts:
        return None
    noun = parts[0].noun
    if not token:
        return _("This form did not say which version of %(record)s it was opened on. %(again)s") % {
            "record": noun,
            "again": _AGAIN,
        }
    shown = parse_token(token, len(parts))
    if shown is None:
        return _never_had(noun)
    sentences: list[str] = []
    for part, since in zip(parts, shown, strict=True):
        changes = changes_since(part, since)
        if changes is None:
            return _never_had(part.noun)
        if changes:
            sentences.append(
                _("%(record)s changed since you opened the form: %(changes)s.")
                % {"record": capfirst(part.noun), "changes": "; ".join(changes)}
            )
    if not sentences:
        return None
    return " ".join([*sentences, str(_AGAIN)])


def _never_had(noun: str) -> str:
    return _("This form carried a version that %(record)s never had. %(again)s") % {"record": noun, "again": _AGAIN}


def changes_since(part: Versioned, since: int) -> list[str] | None:
    """The changes to the record after history row ``since`` that the form depends on, oldest first, each
    as "stage moved from Trial to Judgment by Brian Kiprotich at 14:02". None when ``since`` is not a
    history row of this record (a forged or misplaced version)."""
    history = _history(part.model)
    id_field = _object_id_field(part.model)
    base: Any = None
    if since:
        narrowed = {id_field: part.pk} if part.pk is not None else dict(part.where)
        if not narrowed:
            return None
        base = history.filter(history_id=since, **narrowed).first()
        if base is None:
            return None
        object_id = getattr(base, id_field)
    elif part.pk is None:
        return []
    else:
        object_id = part.pk
    rows = history.filter(**{id_field: object_id, "history_id__gt": since}).select_related("history_user")
    pairs: list[tuple[Any, Any]] = []
    previous = base
    for row in rows.order_by("history_id"):
        if _counts(part, row, previous):
            pairs.append((row, previous))
        previous = row
    entries = entries_against(pairs, excluded_fields=HIDDEN_FIELDS | part.ignore, included_fields=part.watch)
    described = [_describe(part, entry) for entry in entries]
    if len(described) > MAX_LISTED:
        earlier = len(described) - MAX_LISTED
        more = ngettext("and %(count)s earlier change", "and %(count)s earlier changes", earlier) % {"count": earlier}
        described = [*described[-MAX_LISTED:], more]
    return described


def _counts(part: Versioned, row: Any, previous: Any) -> bool:
    """Whether a history row is a change the form depends on."""
    if previous is None or row.history_type != "~":
        return True  # created (or recreated) or deleted since the form was opened
    names = {change.field for change in row.diff_against(previous, excluded_fields=HIDDEN_FIELDS).changes}
    if not names:
        # Saved without a change to the row itself (its many-to-many relations): it matters to a form that
        # depends on the whole record.
        return part.watch is None
    relevant = names - part.ignore
    if part.watch is not None:
        relevant &= part.watch
    return bool(relevant)


def _describe(part: Versioned, entry: HistoryEntry) -> str:
    names = {"who": entry.who, "when": _when(entry.when), "reason": entry.reason}
    if entry.history_type == "+":
        return _("recorded by %(who)s %(when)s") % names
    if entry.history_type == "-":
        return _("deleted by %(who)s %(when)s") % names
    if entry.changes:
        moving = _lifecycle_labels(part.model)
        order = _field_order(part.model)
        changes = sorted(entry.changes, key=lambda change: order.get(change.field, len(order)))
        names["changes"] = ", ".join(_field_text(change, moving) for change in changes)
        return _("%(changes)s by %(who)s %(when)s") % names
    if entry.reason:
        return _("saved by %(who)s %(when)s (“%(reason)s”)") % names
    return _("saved by %(who)s %(when)s") % names


def _field_order(model: type[models.Model]) -> dict[str, int]:
    """Field labels in the order the model declares them, so a refusal lists changes the same way each time."""
    fields = model._meta.get_fields()
    return {capfirst(str(getattr(f, "verbose_name", f.name))): index for index, f in enumerate(fields)}


def _lifecycle_labels(model: type[models.Model]) -> set[str]:
    labels: set[str] = set()
    for name in LIFECYCLE_FIELDS:
        try:
            found = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        labels.add(capfirst(str(getattr(found, "verbose_name", name))))
    return labels


def _field_text(change: FieldChange, moving: set[str]) -> str:
    label = change.field
    if len(label) > 1 and not label[1].isupper():
        label = label[0].lower() + label[1:]
    if change.masked:
        return _("%(field)s changed") % {"field": label}
    old, new = (Truncator(value).chars(60) for value in (change.old, change.new))
    names = {"field": label, "old": old, "new": new}
    if change.field in moving:
        return _("%(field)s moved from %(old)s to %(new)s") % names
    return _("%(field)s changed from %(old)s to %(new)s") % names


def _when(moment: Any) -> str:
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    if local.date() == timezone.localdate():
        return _("at %(time)s") % {"time": f"{local:%H:%M}"}
    return _("on %(day)s at %(time)s") % {"day": dateformat.format(local, "j M Y"), "time": f"{local:%H:%M}"}
