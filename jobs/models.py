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


class ScheduleState(models.Model):
    """One job on the schedule: when it is next due, and the lease that keeps it from running twice at once.

    A worker takes the lease with one conditional UPDATE (free, or expired, and due): the database lets one
    worker win, on PostgreSQL and SQLite alike. A worker that dies holding it loses it when it expires.
    """

    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField(db_index=True)
    lease_owner = models.CharField(max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    current_run = models.ForeignKey("JobRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    consecutive_failures = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class JobRun(models.Model):
    """One run of a scheduled job: who ran it, when, and how it ended."""

    job_name = models.CharField(max_length=100, db_index=True)
    attempt = models.PositiveIntegerField(default=1, help_text=_("1 for a run on time; 2, 3 … for retries."))
    worker_id = models.CharField(max_length=64)
    started_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=RunOutcome.choices, default=RunOutcome.RUNNING)
    message = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["job_name", "-started_at"], name="jobs_run_job_recent")]

    def __str__(self) -> str:
        return f"{self.job_name} at {self.started_at:%Y-%m-%d %H:%M} ({self.outcome})"


class WorkerHeartbeat(models.Model):
    """A worker process that reported in; /health/ reads the newest."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"


class BackgroundExport(models.Model):
    """A list's Excel download too large to build during a request: prepared by a worker, kept privately,
    handed only to the user who asked for it."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    title = models.CharField(max_length=200)
    path = models.CharField(max_length=500, help_text=_("The list page's path, e.g. /cases/."))
    query = models.TextField(blank=True, help_text=_("The list's filters, as a query string."))
    status = models.CharField(max_length=20, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    progress_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=255, blank=True, help_text=_("The download's name."))
    stored_as = models.CharField(max_length=255, blank=True, help_text=_("The file's name in the exports storage."))
    error = models.CharField(max_length=500, blank=True)

    class Meta:
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
