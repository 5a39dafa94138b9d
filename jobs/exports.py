"""List exports prepared in the background: queued by the list view, built by a worker, kept privately,
handed only to the user who asked.

The worker builds the workbook through the list view itself — the same view class, set up with the asking
user and the same filters — so the file holds exactly the rows and columns the page would have exported,
scoped by the same access rules, checked again when the worker runs. It is built in the language of the
request that asked for it (carried in the queued task's arguments): sheet names, headers, the About sheet.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.files import File
from django.core.files.storage import Storage, storages
from django.http import HttpRequest, HttpResponseBase, QueryDict
from django.shortcuts import redirect
from django.urls import resolve
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from core.access import require_role
from core.exporter import CHUNK_SIZE, AboutExport, write_workbook
from core.models import User
from core.translations import language_of, supported_language
from core.views.generic import EXPORT_PARAM, FilteredListView, describe_filters
from jobs.choices import ExportStatus
from jobs.models import BackgroundExport
from jobs.outcome import Outcome

logger = logging.getLogger(__name__)

EXPORT_QUEUE = "exports"
FAILED_MESSAGE = _("The export could not be prepared. Try again, or narrow the filters.")
EXPORTS_KEPT = dt.timedelta(days=7)
TASK_RESULTS_KEPT = dt.timedelta(days=30)


def export_storage() -> Storage:
    return storages["exports"]


def offer_in_background(request: HttpRequest, title: str) -> HttpResponseBase:
    """Queue the export of the list at ``request`` and send the user to its progress page."""
    query = request.GET.copy()
    query.pop(EXPORT_PARAM, None)
    query.pop("page", None)
    assert isinstance(request.user, User)
    export = BackgroundExport.objects.create(
        requested_by=request.user, title=title[:200], path=request.path, query=query.urlencode()
    )
    prepare_export.enqueue(export.pk, translation.get_language() or "")
    return redirect("jobs:export_status", token=export.token)


def _list_view(export: BackgroundExport) -> FilteredListView:
    """The list view the export came from, set up as if its user had asked for the page again."""
    match = resolve(export.path)
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not issubclass(view_class, FilteredListView):
        raise ValueError(f"{export.path} is not a list that exports")
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = export.path
    request.GET = QueryDict(export.query)
    request.user = export.requested_by
    request.META = {"SERVER_NAME": "worker", "SERVER_PORT": "443"}
    request.in_background = True  # type: ignore[attr-defined]
    view: FilteredListView = view_class(**getattr(match.func, "view_initkwargs", {}))
    view.setup(request, *match.args, **match.kwargs)
    require_role(export.requested_by, view.allowed_roles)  # the same first check as the page's
    return view


def _counted(rows: Iterable[Any], export: BackgroundExport) -> Iterator[Any]:
    """Pass the rows through, recording progress every chunk."""
    for done, row in enumerate(rows, start=1):
        yield row
        if done % CHUNK_SIZE == 0:
            BackgroundExport.objects.filter(pk=export.pk).update(rows_done=done, progress_at=timezone.now())


@task(queue_name=EXPORT_QUEUE)
def prepare_export(export_pk: int, language: str = "") -> str:
    """Build the workbook of one queued export (a django-tasks task; run by ``manage.py run_worker``), in
    ``language`` — the language of the page that asked — or else the requester's chosen language."""
    export = BackgroundExport.objects.select_related("requested_by").get(pk=export_pk)
    if export.status == ExportStatus.READY:
        return "already prepared"
    chosen = supported_language(language) if language else language_of(export.requested_by)
    with translation.override(chosen):
        return _prepare(export)


def _prepare(export: BackgroundExport) -> str:
    now = timezone.now()
    BackgroundExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, progress_at=now, rows_done=0)
    try:
        view = _list_view(export)
        queryset = view.get_queryset()
        total = queryset.count()
        BackgroundExport.objects.filter(pk=export.pk).update(rows_total=total)
        user = export.requested_by
        about = AboutExport(
            title=view.get_title(),
            exported_by=f"{user} ({user.get_username()})",
            filters=describe_filters(view.filterset),
        )
        with tempfile.TemporaryFile() as spool:
            rows = write_workbook(
                spool, view.columns, _counted(queryset.iterator(chunk_size=CHUNK_SIZE), export), about
            )
            spool.seek(0)
            stored_as = export_storage().save(f"{export.token}.xlsx", File(spool))
    except Exception:
        logger.exception("Background export %s failed", export.pk)
        BackgroundExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED, error=str(FAILED_MESSAGE), finished_at=timezone.now()
        )
        raise
    stamp = timezone.localtime(about.exported_at).strftime("%Y%m%d-%H%M")
    BackgroundExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.READY,
        rows_done=rows,
        rows_total=rows,
        stored_as=stored_as,
        file_name=f"{view.export_name}-{stamp}.xlsx",
        finished_at=timezone.now(),
        progress_at=timezone.now(),
    )
    return f"{rows} rows"


def prune_old_work() -> Outcome:
    """Remove prepared exports older than a week (file and record) and finished queue entries older than a
    month; the outcome line for the Scheduled jobs page."""
    now = timezone.now()
    storage = export_storage()
    old = BackgroundExport.objects.filter(requested_at__lt=now - EXPORTS_KEPT)
    files = 0
    for stored_as in old.exclude(stored_as="").values_list("stored_as", flat=True):
        if storage.exists(stored_as):
            storage.delete(stored_as)
            files += 1
    exports, _by_model = old.delete()
    results, _by_kind = DBTaskResult.objects.filter(
        status__in=["SUCCESSFUL", "FAILED"], finished_at__lt=now - TASK_RESULTS_KEPT
    ).delete()
    return Outcome.gettext(
        "Removed %(exports)s old export(s) (%(files)s file(s)) and %(results)s finished task result(s).",
        exports=exports,
        files=files,
        results=results,
    )
