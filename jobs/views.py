"""The Scheduled jobs page, a background export's progress and download, and /health/."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView, View

from core.access import SIGNED_IN, PageAccess, RoleRequiredMixin
from core.roles import ALL_ROLES
from jobs import queries
from jobs.access import SCHEDULE_READERS, exports_of
from jobs.choices import ExportStatus
from jobs.exports import export_storage
from jobs.models import BackgroundExport

logger = logging.getLogger(__name__)

# An export a worker has not moved on for this long was interrupted (its worker stopped).
EXPORT_STALLED_AFTER = dt.timedelta(minutes=15)
POLL_SECONDS = 2


class ScheduleView(RoleRequiredMixin, TemplateView):
    """Every job on the schedule: last run and its outcome, the last failure, the next run; recent runs."""

    allowed_roles = SCHEDULE_READERS
    page_access = PageAccess(opens=SCHEDULE_READERS)
    template_name = "jobs/schedule.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            title=_("Scheduled jobs"),
            lines=queries.job_lines(),
            runs=queries.recent_runs(),
            worker_seen=queries.worker_last_seen(),
            worker_alive=queries.worker_alive(),
        )
        return context


def _stalled(export: BackgroundExport) -> bool:
    if export.status not in (ExportStatus.QUEUED, ExportStatus.RUNNING):
        return False
    moved = export.progress_at or export.requested_at
    return timezone.now() - moved > EXPORT_STALLED_AFTER


class ExportStatusView(RoleRequiredMixin, TemplateView):
    """A background export's progress (htmx polls the partial until it is ready), then its download link."""

    allowed_roles = ALL_ROLES
    page_access = PageAccess(opens=frozenset({SIGNED_IN}))
    template_name = "jobs/export_status.html"

    def get_template_names(self) -> list[str]:
        return ["jobs/_export_progress.html" if self.request.htmx else self.template_name]  # type: ignore[attr-defined]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        export = get_object_or_404(exports_of(self.request.user), token=self.kwargs["token"])
        context.update(
            title=_("Export: %(title)s") % {"title": export.title},
            export=export,
            stalled=_stalled(export),
            poll_seconds=POLL_SECONDS,
        )
        return context


class ExportDownloadView(RoleRequiredMixin, View):
    """The prepared workbook, to the user who asked for it only (404 for anyone else)."""

    allowed_roles = ALL_ROLES
    page_access = PageAccess(opens=frozenset({SIGNED_IN}))

    def get(self, request: HttpRequest, token: str) -> HttpResponseBase:
        export = get_object_or_404(exports_of(request.user), token=token, status=ExportStatus.READY)
        disposition = f'attachment; filename="{export.file_name}"'
        if settings.EXPORT_ACCEL_REDIRECT_PREFIX:
            # nginx sends the file from its internal location (deploy/nginx/ctip.conf); the app only decides.
            response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            response["X-Accel-Redirect"] = settings.EXPORT_ACCEL_REDIRECT_PREFIX.rstrip("/") + "/" + export.stored_as
            response["Content-Disposition"] = disposition
            return response
        try:
            handle = export_storage().open(export.stored_as, "rb")
        except FileNotFoundError as missing:
            raise Http404 from missing
        return FileResponse(
            handle,
            as_attachment=True,
            filename=export.file_name,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


@never_cache
@login_not_required
def health(request: HttpRequest) -> JsonResponse:
    """For a load balancer: is the database answering, has a worker reported lately. No data, no sign-in.

    503 when the database does not answer; the worker's state is in the body (``?require=worker`` makes a
    missing worker a 503 too, for monitoring the workers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
        worker = "ok" if queries.worker_alive() else "late"
    except DatabaseError:
        logger.warning("Health check: the database does not answer")
        database, worker = "unavailable", "unknown"
    healthy = database == "ok" and (worker == "ok" or request.GET.get("require") != "worker")
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "database": database, "worker": worker},
        status=200 if healthy else 503,
    )
