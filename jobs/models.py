"""The record of work that runs by itself: the schedule's state, every run, the workers, background exports.

These are infrastructure, not records of the unit's work: they carry no simple-history and stay out of the
audit chain (a run every few minutes would swamp it). What a job changes in the domain goes through the
services and is audited there.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobs.choices import ExportStatus, RunOutcome
from jobs.outcome import shown


class ScheduleState(models.Model):
    """One job on the schedule: when it is next due, and the lease that keeps it from running twice at once.

    A worker takes the lease with one conditional UPDATE (free, or expired, and due): the database lets one
    worker win, on PostgreSQL and SQLite alike. A worker that dies holding it loses it when it expires.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    next_run_at = models.DateTimeField(_("next run at"), db_index=True)
    lease_owner = models.CharField(_("lease owner"), max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True)
    current_run = models.ForeignKey(
        "JobRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("current run")
    )
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0)

    class Meta:
        verbose_name = _("schedule state")
        verbose_name_plural = _("schedule states")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class JobRun(models.Model):
    """One run of a scheduled job: who ran it, when, and how it ended."""

    job_name = models.CharField(_("job name"), max_length=100, db_index=True)
    attempt = models.PositiveIntegerField(
        _("attempt"), default=1, help_text=_("1 for a run on time; 2, 3 … for retries.")
    )
    worker_id = models.CharField(_("worker id"), max_length=64)
    started_at = models.DateTimeField(_("started at"), db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=RunOutcome.choices, default=RunOutcome.RUNNING)
    message = models.CharField(
        _("message"), max_length=500, blank=True, help_text=_("The outcome line, untranslated (jobs.outcome).")
    )
    message_params = models.JSONField(
        _("message parameters"),
        null=True,
        blank=True,
        help_text=_("The outcome line's values; empty for a line stored already written out."),
    )
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["job_name", "-started_at"], name="jobs_run_job_recent")]

    def __str__(self) -> str:
        return f"{self.job_name} at {self.started_at:%Y-%m-%d %H:%M} ({self.outcome})"

    def get_message_display(self) -> str:
        """The outcome line in the reader's language (as stored, for a run recorded before lines were kept
        untranslated)."""
        return shown(self.message, self.message_params)


class WorkerHeartbeat(models.Model):
    """A worker process that reported in; /health/ reads the newest."""

    worker_id = models.CharField(_("worker id"), max_length=64, unique=True)
    hostname = models.CharField(_("hostname"), max_length=255)
    pid = models.PositiveIntegerField(_("pid"))
    started_at = models.DateTimeField(_("started at"))
    last_seen_at = models.DateTimeField(_("last seen at"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"


class BackgroundExport(models.Model):
    """A list's Excel download too large to build during a request: prepared by a worker, kept privately,
    handed only to the user who asked for it."""

    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    title = models.CharField(_("title"), max_length=200)
    path = models.CharField(_("path"), max_length=500, help_text=_("The list page's path, e.g. /cases/."))
    query = models.TextField(_("query"), blank=True, help_text=_("The list's filters, as a query string."))
    status = models.CharField(_("status"), max_length=20, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows total"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    progress_at = models.DateTimeField(_("progress at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True, help_text=_("The download's name."))
    stored_as = models.CharField(
        _("stored as"), max_length=255, blank=True, help_text=_("The file's name in the exports storage.")
    )
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("background export")
        verbose_name_plural = _("background exports")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} for {self.requested_by_id}"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.READY:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(100 * self.rows_done / self.rows_total))
