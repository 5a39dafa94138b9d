"""What pages ask about documents: a record's documents, those of many records at once, a case's (its own and
those of its accused, counts, hearings, assets and orders), each through ``Document.objects.visible_to``;
and the supporting papers a decision needs. Plain data out, a fixed number of queries whatever the rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from core.access import AnyUser
from documents.access import can_attach, of_kind
from documents.choices import DocumentType
from documents.models import Document
from documents.registry import RecordKind, kind_for_model, kind_of, record_kinds

TYPE_PARAM = "type"


def _listed(documents: QuerySet[Document]) -> QuerySet[Document]:
    """What a list of documents shows: uploader, withdrawer and the newer version, newest first."""
    return documents.select_related("content_type", "uploaded_by", "withdrawn_by", "superseded_by").order_by(
        "-uploaded_at", "-id"
    )


def documents_of(record: Any, user: AnyUser, types: Sequence[str] | None = None) -> list[Document]:
    """The documents of one record the user may see (none when they may not see the record's documents)."""
    kind = kind_for_model(type(record))
    if kind is None:
        return []
    found = of_kind(Document.objects.visible_to(user), kind).filter(object_id=record.pk)
    if types:
        found = found.filter(document_type__in=types)
    return list(_listed(found))


def documents_by_record(
    user: AnyUser, records: Iterable[Any], types: Sequence[str] | None = None
) -> dict[int, list[Document]]:
    """The visible documents of many records of one kind, by the record's id: one query."""
    rows = list(records)
    if not rows:
        return {}
    kind = kind_for_model(type(rows[0]))
    if kind is None:
        return {}
    found = of_kind(Document.objects.visible_to(user), kind).filter(object_id__in=[row.pk for row in rows])
    if types:
        found = found.filter(document_type__in=types)
    by_record: dict[int, list[Document]] = defaultdict(list)
    for document in _listed(found):
        by_record[document.object_id].append(document)
    return dict(by_record)


def supporting_documents(record: Any, types: Sequence[str]) -> QuerySet[Document]:
    """The current (neither superseded nor withdrawn) documents of ``types`` on a record, for a service
    deciding on it (unscoped: the service has already settled who acts)."""
    kind = kind_for_model(type(record))
    if kind is None:
        return Document.objects.none()
    return of_kind(Document.objects.all(), kind).filter(
        object_id=record.pk, document_type__in=types, is_superseded=False, withdrawn_at__isnull=True
    )


def label_records(documents: list[Document]) -> list[Document]:
    """Give each document ``record_label`` and ``record_url`` (what it hangs on): one query per kind."""
    wanted: dict[int, set[int]] = defaultdict(set)
    kinds: dict[int, RecordKind] = {}
    for document in documents:
        wanted[document.content_type_id].add(document.object_id)
        kinds.setdefault(document.content_type_id, kind_of(document))
    labels: dict[tuple[int, int], tuple[str, str]] = {}
    for content_type_id, ids in wanted.items():
        kind = kinds[content_type_id]
        for pk, record in kind.records().in_bulk(list(ids)).items():
            labels[(content_type_id, pk)] = (kind.describe(record), kind.record_url(record))
    for document in documents:
        label, url = labels.get((document.content_type_id, document.object_id), ("", ""))
        document.record_label, document.record_url = label, url  # type: ignore[attr-defined]
    return documents


def upload_url(kind: RecordKind, record: Any) -> str:
    return reverse(f"documents:{kind.slug}_upload", args=[record.pk])


def panel_context(record: Any, user: AnyUser) -> dict[str, Any]:
    """The documents panel of a record's page: the documents of the record and of its parts (an asset's
    orders, valuations and sale; a witness's measures), each saying what it hangs on, and the upload link
    for who may attach."""
    kind = kind_for_model(type(record))
    if kind is None or not kind.may_read(user):
        return {"documents_shown": False}
    records = [record, *(kind.parts(record) if kind.parts else [])]
    ids: dict[RecordKind, list[int]] = defaultdict(list)
    for item in records:
        item_kind = kind_for_model(type(item))
        if item_kind is not None and item_kind.may_read(user):
            ids[item_kind].append(item.pk)
    condition = Q(pk__in=[])
    for item_kind, pks in ids.items():
        meta = item_kind.model._meta
        condition |= Q(content_type__app_label=meta.app_label, content_type__model=meta.model_name, object_id__in=pks)
    found = _listed(Document.objects.visible_to(user).filter(condition))
    return {
        "documents_shown": True,
        "documents": label_records(list(found)) if len(records) > 1 else list(found),
        "documents_kind": kind,
        "documents_upload_url": upload_url(kind, record) if can_attach(user, kind, record) else "",
    }


# --- The case's Documents tab --------------------------------------------------------------------------


def _case_condition(case_id: int, user: AnyUser) -> Q:
    """Documents on the case and on every record of a kind that leads to a case (``case_path``)."""
    condition = Q(pk__in=[])
    for kind in record_kinds():
        if kind.case_path is None or not kind.may_read(user):
            continue
        ids = kind.model._default_manager.filter(**{kind.case_path: case_id}).values("pk")
        meta = kind.model._meta
        condition |= Q(content_type__app_label=meta.app_label, content_type__model=meta.model_name, object_id__in=ids)
    return condition


def case_documents(case: Any, user: AnyUser) -> QuerySet[Document]:
    """Every document of the case the user may see: its own, its accused's, counts', hearings', assets' …"""
    return Document.objects.visible_to(user).filter(_case_condition(case.pk, user))


def case_tab_context(case: Any, user: AnyUser, query: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The Documents tab of the case page: the documents (filtered by type with ``?type=``), the types
    present with their counts, and the upload link for who may attach to the case."""
    base = case_documents(case, user)
    counts = dict(base.order_by().values_list("document_type").annotate(n=Count("id")))
    wanted = (query or {}).get(TYPE_PARAM, "")
    wanted = wanted if wanted in DocumentType.values else ""
    shown = base.filter(document_type=wanted) if wanted else base
    kind = kind_for_model(type(case))
    return {
        "documents": label_records(list(_listed(shown))),
        "type_counts": [(value, label, counts[value]) for value, label in DocumentType.choices if value in counts],
        "type_total": sum(counts.values()),
        "type_wanted": wanted,
        "type_param": TYPE_PARAM,
        "documents_upload_url": upload_url(kind, case) if kind and can_attach(user, kind, case) else "",
    }


def case_file_documents(case: Any, user: AnyUser) -> dict[str, Any]:
    """For the printable case file: every document of the case the user may see, with what it hangs on
    (``documents/_list.html`` renders them)."""
    return {"documents": label_records(list(_listed(case_documents(case, user)))), "printable": True}
