"""Pages of documents, one set per kind of record (``documents:<kind>_upload`` …), so each answers with its
kind's access: a role that never sees such documents gets 403 (naming nothing), a document or record out of
the user's sight 404 — a guessed address included — and the record's own rule decides who attaches.

Downloads stream the stored file as an attachment (``Content-Disposition: attachment``), with
``X-Content-Type-Options: nosniff`` and ``Cache-Control: no-store``: nothing is ever served by URL.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.access import PageAccess, RoleRequiredMixin
from core.history import history_entries
from core.querysets import require_scoped
from core.versioning import Versioned, lock_row
from core.views.generic import RecordFormView, Tab, TabbedDetailView
from documents import access, storage
from documents.files import MAX_NAME
from documents.forms import SupersedeForm, Target, UploadForm, WithdrawForm
from documents.models import Document
from documents.queries import documents_of, label_records
from documents.registry import RecordKind, kind_by_slug, kind_for_model
from documents.services import max_bytes

logger = logging.getLogger(__name__)


# Which of a kind's role sets a page opens to, and the access it declares for the generated access test.
AUDIENCES: dict[str, Callable[[RecordKind], PageAccess]] = {
    "readers": access.read_access,
    "attachers": access.attach_access,
    "withdrawers": access.withdraw_access,
}


class KindMixin:
    """A page of one kind's documents: ``as_view(kind_slug="case")``, open to the kind's ``audience``."""

    kind_slug: ClassVar[str] = ""
    audience: ClassVar[str] = "readers"
    request: HttpRequest
    allowed_roles: Any

    @classmethod
    def page_access_for(cls, **initkwargs: Any) -> PageAccess:
        return AUDIENCES[cls.audience](cls._kind(initkwargs))

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)  # type: ignore[misc]  # the view class this mixes into
        self.allowed_roles = getattr(self.kind, self.audience)

    @property
    def kind(self) -> RecordKind:
        kind = kind_by_slug(self.kind_slug)
        if kind is None:
            raise Http404("No such kind of record.")
        return kind

    def documents(self) -> QuerySet[Document]:
        """The documents of this kind the user may see."""
        return access.of_kind(Document.objects.visible_to(self.request.user), self.kind)

    @staticmethod
    def _kind(initkwargs: dict[str, Any]) -> RecordKind:
        kind = kind_by_slug(initkwargs["kind_slug"])
        assert kind is not None
        return kind


UPLOAD_HEADER = "X-Document-Upload"  # sent by static/js/documents.js
LOCATION_HEADER = "X-Document-Location"


class ScriptedUploadMixin:
    """The upload script sends the form itself (for its progress bar) and cannot stop the browser following
    a redirect, which would show — and so use up — the confirmation on a page nobody sees. To the script, a
    saved upload answers 204 with the address to go to; the confirmation waits there."""

    request: HttpRequest

    def form_valid(self, form: Any) -> HttpResponse:
        response: HttpResponse = super().form_valid(form)  # type: ignore[misc]
        if self.request.headers.get(UPLOAD_HEADER) == "1" and response.status_code == 302:
            answer = HttpResponse(status=204)
            answer[LOCATION_HEADER] = response["Location"]
            return answer
        return response


def _upload_context(kind: RecordKind) -> dict[str, Any]:
    limit = max_bytes()
    return {"max_bytes": limit, "max_mb": limit // (1024 * 1024), "max_name": MAX_NAME, "kind": kind}


class UploadView(ScriptedUploadMixin, KindMixin, RecordFormView):
    """Attach a document to a record — or, from a case's or an asset's page, to one of its parts (an
    accused, a count, a hearing, an order)."""

    template_name = "documents/upload.html"
    form_class = UploadForm
    # Adding a document depends on no field of the record; the same file twice is refused by its hash,
    # under the record's lock.
    versioned = False

    audience = "attachers"

    def get_record_queryset(self) -> QuerySet[Any]:
        kind = self.kind
        records: QuerySet[Any] = kind.model._default_manager.visible_to(self.request.user)  # type: ignore[attr-defined]
        return records.select_related(*kind.select_related) if kind.select_related else records

    def permitted(self, record: Any) -> bool:
        return access.can_attach(self.request.user, self.kind, record)

    def targets(self) -> list[Target]:
        """The record, then its parts the user may see and attach to."""
        kind, user = self.kind, self.request.user
        found = [
            Target(
                kind,
                self.record,
                _("This %(record)s: %(description)s")
                % {"record": kind.noun, "description": kind.describe(self.record)},
            )
        ]
        for part in kind.parts(self.record) if kind.parts else []:
            part_kind = kind_for_model(type(part))
            if part_kind is None or not access.can_attach(user, part_kind, part):
                continue
            label = f"{capfirst(part_kind.noun)}: {part_kind.describe(part)}"
            found.append(Target(part_kind, part, label))
        return found

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "targets": self.targets()}

    def get_title(self) -> str:
        return _("Attach a document — %(record)s %(description)s") % {
            "record": self.kind.noun,
            "description": self.kind.describe(self.record),
        }

    def get_cancel_url(self) -> str:
        return self.kind.record_url(self.record)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(_upload_context(self.kind), documents=documents_of(self.record, self.request.user))
        return context

    def get_success_message(self, result: Document) -> str:
        sent = self.request.FILES.get("file")
        renamed = sent is not None and sent.name != result.original_name
        values = {"type": result.get_document_type_display(), "title": result.title, "name": result.original_name}
        if renamed:
            return _("Document attached: %(type)s “%(title)s”. The file is kept as “%(name)s”.") % values
        return _("Document attached: %(type)s “%(title)s”.") % values

    def save_form(self, form: Any) -> Any:
        self.target: Target = form.cleaned_data["attach_to"]
        with storage.kept_only_if_committed():
            return super().save_form(form)

    def get_success_url_for(self, result: Document) -> str:
        return self.target.kind.record_url(self.target.record)


class DocumentDetailView(KindMixin, TabbedDetailView):
    """One document: what it is, where it hangs, its versions and its withdrawal; its history."""

    template_name = "documents/detail.html"
    tabs = (Tab("overview", gettext_lazy("Document"), "documents/tabs/overview.html"),)

    def get_queryset(self) -> QuerySet[Document]:
        return self.documents().select_related("content_type", "uploaded_by", "withdrawn_by")

    def get_overview_context(self) -> dict[str, Any]:
        document: Document = self.object
        kind, user = self.kind, self.request.user
        chain = self.documents().filter(object_id=document.object_id).select_related("content_type", "uploaded_by")
        versions = _versions(document, list(chain))
        label_records([document])
        return {
            "kind": kind,
            "versions": versions,
            "may_supersede": document.is_current and access.can_attach(user, kind, document.record),
            "may_withdraw": document.is_current and kind.may_withdraw(user, document),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = str(self.object)
        return context

    def get_tab_context(self, tab: Tab) -> dict[str, Any]:
        if tab.slug == "history":
            return {"history": history_entries(self.object.history.select_related("history_user"))}
        return super().get_tab_context(tab)


def _versions(document: Document, same_record: list[Document]) -> list[Document]:
    """The document's chain of versions, oldest first, from the documents of its record."""
    by_pk = {d.pk: d for d in same_record}
    newer = {d.supersedes_id: d for d in same_record if d.supersedes_id}
    first = document
    while first.supersedes_id in by_pk:
        first = by_pk[first.supersedes_id]
    chain = [first]
    while chain[-1].pk in newer and len(chain) <= len(same_record):
        chain.append(newer[chain[-1].pk])
    return chain


class DownloadView(KindMixin, RoleRequiredMixin, View):
    """The file, streamed as an attachment to whoever may see the document."""

    def get(self, request: HttpRequest, pk: int, **kwargs: Any) -> HttpResponseBase:
        documents = self.documents()
        require_scoped(documents, request.user)
        document = get_object_or_404(documents, pk=pk)
        try:
            stream = storage.backend().open(document.file.name, "rb")
        except (FileNotFoundError, OSError):
            logger.error("Document %s: its file %s is missing from the storage.", document.pk, document.file.name)
            raise Http404("The file is missing.") from None
        response = FileResponse(stream, as_attachment=True, filename=document.original_name)
        response["Content-Type"] = document.media_type
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "no-store"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


class DocumentFormView(KindMixin, RecordFormView):
    """A form on one document the user may see (404 otherwise)."""

    record: Document

    def get_record_queryset(self) -> QuerySet[Document]:
        return self.documents().select_related("content_type", "uploaded_by")

    def get_version_parts(self) -> list[Versioned]:
        return [Versioned.of(self.record, noun=f"document #{self.record.pk}")]

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "document": self.record}

    def get_cancel_url(self) -> str:
        return self.record.get_absolute_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(_upload_context(self.kind), document=self.record)
        return context


class SupersedeView(ScriptedUploadMixin, DocumentFormView):
    """Upload a new version: the old one stays, marked superseded."""

    template_name = "documents/supersede.html"
    form_class = SupersedeForm

    audience = "attachers"

    def permitted(self, record: Document) -> bool:
        return access.can_attach(self.request.user, self.kind, record.record)

    def lock_record(self) -> None:
        # As the service does: the record the document hangs on first, then the document.
        lock_row(self.kind.model, self.record.object_id)
        super().lock_record()

    def get_title(self) -> str:
        return _("New version of %(document)s") % {"document": self.record}

    def save_form(self, form: Any) -> Any:
        with storage.kept_only_if_committed():
            return super().save_form(form)

    def get_success_message(self, result: Document) -> str:
        return _("New version attached; the earlier one is kept, marked superseded (SHA-256 %(sha)s…).") % {
            "sha": result.short_sha
        }


class WithdrawView(DocumentFormView):
    """Withdraw a document attached by mistake, saying why: the file is kept."""

    form_class = WithdrawForm

    audience = "withdrawers"

    def get_title(self) -> str:
        return _("Withdraw %(document)s") % {"document": self.record}

    def get_success_message(self, result: Document) -> str:
        return _("Document withdrawn; it stays on the record, marked withdrawn, with its file.")
