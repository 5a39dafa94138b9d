"""Audit-log lines: the chain's links, each with its record's field-by-field difference.

The links are the log's index (who, what, when, which case, why), so a page of the log is one query
over links; the differences then cost two queries per record type on the page (the history rows with
the id of the row before each, then those rows) plus one per related model named — never one per line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from django.apps import apps
from django.db.models import OuterRef, Subquery
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.audit.cases import case_model
from core.audit.content import chained_models, source_label
from core.history import FieldChange, entries_against
from core.models import AuditLink, AuthEvent

AUTH_RECORD_TYPE = "core.authevent"


def record_type_label(record_type: str) -> str:
    if record_type == AUTH_RECORD_TYPE:
        return _("Sign-in event")
    try:
        return capfirst(str(apps.get_model(record_type)._meta.verbose_name))
    except LookupError:
        return record_type


def record_type_choices(app_labels: frozenset[str] | None) -> list[tuple[str, str]]:
    """Record types the log can show, limited to ``app_labels`` (None: all, sign-in events included)."""
    choices = []
    for model in chained_models():
        if model is AuthEvent:
            if app_labels is None:
                choices.append((AUTH_RECORD_TYPE, record_type_label(AUTH_RECORD_TYPE)))
            continue
        tracked = model.instance_type  # type: ignore[attr-defined]
        if app_labels is None or tracked._meta.app_label in app_labels:
            label = tracked._meta.label_lower
            choices.append(
                (
                    label,
                    _("%(record_type)s (%(app)s)")
                    % {"record_type": record_type_label(label), "app": tracked._meta.app_config.verbose_name},
                )
            )
    return sorted(choices, key=lambda choice: choice[1])


def changes_text(changes: list[FieldChange]) -> str:
    """The difference as one line of text (for the spreadsheet)."""
    parts = []
    for change in changes:
        parts.append(
            f"{change.field}: {change.new}" if change.masked else f"{change.field}: {change.old} → {change.new}"
        )
    return "; ".join(parts)


def annotate_lines(links: list[AuditLink]) -> list[AuditLink]:
    """Give each link ``changes`` (FieldChange list), ``changes_text``, ``record_type_label`` and ``case_label``."""
    models_by_source = {source_label(m): m for m in chained_models()}
    by_source: dict[str, list[AuditLink]] = defaultdict(list)
    for link in links:
        by_source[link.source].append(link)

    pairs: list[tuple[Any, Any]] = []
    paired_links: list[AuditLink] = []
    for source, group in by_source.items():
        model = models_by_source.get(source)
        if model is None or model is AuthEvent:
            continue
        pk_name = model.instance_type._meta.pk.attname  # type: ignore[attr-defined]
        previous = (
            model._base_manager.filter(**{pk_name: OuterRef(pk_name)}, history_id__lt=OuterRef("history_id"))
            .order_by("-history_id")
            .values("history_id")[:1]
        )
        rows = {
            row.pk: row
            for row in model._base_manager.filter(pk__in=[link.row_id for link in group])
            .select_related("history_user")
            .annotate(previous_history_id=Subquery(previous))
        }
        previous_ids = [row.previous_history_id for row in rows.values() if row.previous_history_id]
        earlier = model._base_manager.in_bulk(previous_ids) if previous_ids else {}
        for link in group:
            row = rows.get(link.row_id)
            if row is not None:
                pairs.append((row, earlier.get(row.previous_history_id)))
                paired_links.append(link)

    for link in links:
        link.changes = []  # type: ignore[attr-defined]
    for link, entry in zip(paired_links, entries_against(pairs), strict=True):
        link.changes = entry.changes  # type: ignore[attr-defined]

    cases = case_model()
    case_ids = {link.case_id for link in links if link.case_id is not None}
    case_names = {pk: str(case) for pk, case in cases._default_manager.in_bulk(list(case_ids)).items()} if cases else {}
    for link in links:
        link.changes_text = changes_text(link.changes)  # type: ignore[attr-defined]
        link.record_type_label = record_type_label(link.record_type)  # type: ignore[attr-defined]
        link.case_label = case_names.get(link.case_id, "") if link.case_id else ""  # type: ignore[attr-defined]
    return links


def annotated_in_chunks(links: Iterable[AuditLink], size: int) -> Iterator[AuditLink]:
    """For exports: stream links, annotating them a chunk at a time (memory stays flat)."""
    iterator = iter(links)
    while chunk := list(islice(iterator, size)):
        yield from annotate_lines(chunk)
