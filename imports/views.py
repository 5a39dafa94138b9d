"""The pages of imports: the kinds and their templates, the upload, a batch's preview and progress, the
batches. Every page needs a role (``imports.access``) and reads batches through ``visible_to``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from core.access import PageAccess, RoleRequiredMixin, roles_of
from core.exceptions import DomainError
from core.models import User
from core.roles import PROSECUTION_ROLES
from imports import progress, runner
from imports.access import BATCH_OVERSEERS, kinds_for, may_import
from imports.choices import BatchState
from imports.forms import UploadForm
from imports.kinds.base import KINDS
from imports.models import ImportBatch
from imports.reading import import_limits
from imports.template_workbook import build_template

# Who imports (each kind narrows it further) and who reads the batches.
IMPORTERS: frozenset[str] = PROSECUTION_ROLES
IMPORT_READERS: frozenset[str] = IMPORTERS | BATCH_OVERSEERS
BATCHES_PER_PAGE = 25
PREVIEW_ROWS_PER_PAGE = 100
POLL_SECONDS = 2


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def batches_for(user: User) -> QuerySet[ImportBatch]:
    """The batches ``user`` sees, newest first, without their (possibly large) preview."""
    return ImportBatch.objects.visible_to(user).select_related("uploaded_by").defer("preview", "result")


def _megabytes(count: int) -> int:
    return count // (1024 * 1024)


class ImportIndexView(RoleRequiredMixin, TemplateView):
    """The kinds of register the user may import, their templates, the upload form, recent batches."""

    allowed_roles = IMPORT_READERS
    page_access = PageAccess(opens=IMPORT_READERS)
    template_name = "imports/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = _user(self.request)
        kinds = kinds_for(user)
        context.update(
            title=_("Import registers"),
            kinds=kinds,
            form=UploadForm(user=user) if kinds else None,
            batches=list(batches_for(user)[:10]),
            max_mb=_megabytes(import_limits().max_bytes),
            max_rows=f"{int(settings.IMPORT_MAX_ROWS):,}",
        )
        return context


class UploadView(RoleRequiredMixin, View):
    """Receive a register and queue its preview. A file over the request limit is refused before it is
    read (``core.uploads.LimitedUploadHandler``) and the form says so."""

    allowed_roles = IMPORTERS
    page_access = PageAccess(opens=IMPORTERS)

    def _page(
        self, request: HttpRequest, form: UploadForm | None, status: int = 200, refusal: str = ""
    ) -> HttpResponse:
        user = _user(request)
        context = {
            "refusal": refusal,
            "title": _("Upload a register"),
            "form": form or UploadForm(user=user),
            "kinds": kinds_for(user),
            "max_mb": _megabytes(import_limits().max_bytes),
        }
        return render(request, "imports/upload.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, None)

    @method_decorator(csrf_exempt)  # checked below, once the body is known not to be too large to read
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return super().dispatch(request, *args, **kwargs)

    def post(self, request: HttpRequest) -> HttpResponseBase:
        user = _user(request)
        try:
            files, data = request.FILES, request.POST
        except RequestDataTooBig:
            # Refused by core.uploads.LimitedUploadHandler before the body was read; nothing is done with the
            # request, so saying why needs no CSRF token (the CSRF check would have read the body and failed).
            form = UploadForm(user=user)
            too_large = _(
                "The file is too large: the largest register accepted is %(mb)s MB. Split it into several files."
            )
            return self._page(
                request, form, status=413, refusal=too_large % {"mb": _megabytes(import_limits().max_bytes)}
            )
        refused = CsrfViewMiddleware(lambda request: HttpResponse()).process_view(request, None, (), {})  # type: ignore[arg-type]
        if refused is not None:
            return refused
        form = UploadForm(data, files, user=user)
        if not form.is_valid():
            return self._page(request, form, status=400)
        upload = form.cleaned_data["file"]
        try:
            batch = runner.upload(form.cleaned_data["kind"], upload.name or "", upload.chunks(), upload.size or 0, user)
        except DomainError as error:
            form.add_error("file", error.message)
            return self._page(request, form, status=400)
        messages.success(request, _("The file is being read; its preview appears below when it is ready."))
        return redirect("imports:batch_detail", pk=batch.pk)


class BatchListView(RoleRequiredMixin, TemplateView):
    """The batches the user sees (their own; all of them for the unit head and auditors), paged."""

    allowed_roles = IMPORT_READERS
    page_access = PageAccess(opens=IMPORT_READERS)
    template_name = "imports/batch_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = _user(self.request)
        paginator = Paginator(batches_for(user), BATCHES_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("page"))
        context.update(
            title=_("Import batches"),
            page_obj=page,
            paginator=paginator,
            is_paginated=page.has_other_pages(),
            batches=page.object_list,
            sees_all=bool(roles_of(user) & BATCH_OVERSEERS),
        )
        return context


class BatchDetailView(RoleRequiredMixin, View):
    """One batch: its progress while a worker reads or imports it (polled with htmx), then its preview —
    every row's plan and errors by row and column, paged — with Confirm and Cancel, or its result."""

    allowed_roles = IMPORT_READERS
    page_access = PageAccess(opens=IMPORT_READERS)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = _user(request)
        batch = get_object_or_404(ImportBatch.objects.visible_to(user).select_related("uploaded_by"), pk=pk)
        context: dict[str, Any] = {
            "title": _("Import: %(name)s") % {"name": batch.file_name},
            "batch": batch,
            "kind_title": KINDS[batch.kind].title if batch.kind in KINDS else batch.kind,
            "rows_done": progress.read_progress(batch),
            "poll_seconds": POLL_SECONDS,
            "is_uploader": batch.uploaded_by_id == user.pk,
        }
        if getattr(request, "htmx", False):
            response = render(request, "imports/_batch_status.html", context)
            if not batch.is_working:
                response["HX-Refresh"] = "true"  # the preview or the result: the whole page changes
            return response
        errors_only = request.GET.get("errors") == "1"
        rows = batch.rows.order_by("row")
        if errors_only:
            rows = rows.filter(has_errors=True)
        page = Paginator(rows, PREVIEW_ROWS_PER_PAGE).get_page(request.GET.get("page"))
        context.update(
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            plans=page.object_list,
            errors_only=errors_only,
            notes=batch.preview.get("notes", []) if isinstance(batch.preview, dict) else [],
            counts=batch.preview.get("counts", {}) if isinstance(batch.preview, dict) else {},
            may_confirm=context["is_uploader"] and batch.is_ready and may_import(user, KINDS[batch.kind])
            if batch.kind in KINDS
            else False,
            may_cancel=context["is_uploader"] and batch.state in (BatchState.UPLOADED, BatchState.PREVIEWED),
        )
        return render(request, "imports/batch_detail.html", context)


class _BatchAction(RoleRequiredMixin, View):
    """A POST on one batch by its uploader (anyone else who sees it gets 403, anyone else 404)."""

    allowed_roles = IMPORTERS
    page_access = PageAccess(opens=IMPORTERS, beyond=404)
    http_method_names = ["post"]
    done_message = gettext_lazy("Done.")

    def act(self, batch: ImportBatch, user: User) -> None:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        user = _user(request)
        batch = get_object_or_404(ImportBatch.objects.visible_to(user), pk=pk)
        if batch.uploaded_by_id != user.pk:
            raise PermissionDenied
        try:
            self.act(batch, user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, str(self.done_message))
        return redirect("imports:batch_detail", pk=batch.pk)


class ConfirmView(_BatchAction):
    done_message = gettext_lazy("Import confirmed: every row is being saved, or none.")

    def act(self, batch: ImportBatch, user: User) -> None:
        if batch.kind not in KINDS or not may_import(user, KINDS[batch.kind]):
            raise DomainError(_("You may not import this kind of register."))
        runner.confirm(batch, user)


class CancelView(_BatchAction):
    done_message = gettext_lazy("The file was cancelled; nothing was imported.")

    def act(self, batch: ImportBatch, user: User) -> None:
        runner.cancel(batch, user)


class TemplateDownloadView(RoleRequiredMixin, View):
    """The empty template of one kind of register (.xlsx), for those who may import it."""

    allowed_roles = IMPORTERS
    page_access = PageAccess(opens=IMPORTERS)

    def get(self, request: HttpRequest, kind: str) -> HttpResponse:
        user = _user(request)
        kind_class = KINDS.get(kind)
        if kind_class is None:
            raise Http404(_("There is no register of that kind."))
        if not may_import(user, kind_class):
            raise PermissionDenied
        content = build_template(kind_class)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{kind_class.slug}-register-template.xlsx"'
        return response
