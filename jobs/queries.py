"""What the Scheduled jobs page and /health/ read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs.choices import RunOutcome
from jobs.models import JobRun, ScheduleState, WorkerHeartbeat
from jobs.registry import ScheduledJob, scheduled_jobs
from jobs.scheduler import first_run

FAILED_OUTCOMES = (RunOutcome.FAILED, RunOutcome.ABANDONED)


@dataclass(frozen=True)
class JobLine:
    """One job on the Scheduled jobs page."""

    job: ScheduledJob
    next_run_at: dt.datetime
    running: bool
    consecutive_failures: int
    last_run: JobRun | None
    last_failure: JobRun | None

    @property
    def schedule(self) -> str:
        """When the job runs, in the reader's language ("every 1 h", "daily at 07:00")."""
        if self.job.every is not None:
            minutes = int(self.job.every.total_seconds() // 60)
            if minutes % 60 == 0:
                return _("every %(hours)s h") % {"hours": minutes // 60}
            return _("every %(minutes)s min") % {"minutes": minutes}
        assert self.job.daily_at is not None
        return _("daily at %(time)s") % {"time": f"{self.job.daily_at:%H:%M}"}

    @property
    def failing(self) -> bool:
        return self.consecutive_failures > 0


def job_lines() -> list[JobLine]:
    """Every job on the schedule with its last run, last failure and next run: three queries."""
    runs = JobRun.objects.filter(job_name=OuterRef("name")).order_by("-started_at", "-id")
    states = {
        state.name: state
        for state in ScheduleState.objects.annotate(
            last_pk=Subquery(runs.values("pk")[:1]),
            failure_pk=Subquery(runs.filter(outcome__in=FAILED_OUTCOMES).values("pk")[:1]),
        )
    }
    wanted = {pk for state in states.values() for pk in (state.last_pk, state.failure_pk) if pk}
    by_pk = JobRun.objects.in_bulk(wanted) if wanted else {}
    now = timezone.now()
    lines = []
    for job in scheduled_jobs():
        state = states.get(job.name)
        lines.append(
            JobLine(
                job=job,
                next_run_at=state.next_run_at if state else first_run(job, now),
                running=bool(state and state.current_run_id),
                consecutive_failures=state.consecutive_failures if state else 0,
                last_run=by_pk.get(state.last_pk) if state and state.last_pk else None,
                last_failure=by_pk.get(state.failure_pk) if state and state.failure_pk else None,
            )
        )
    return lines


def recent_runs(limit: int = 25) -> list[JobRun]:
    return list(JobRun.objects.all()[:limit])


def worker_last_seen() -> dt.datetime | None:
    beat = WorkerHeartbeat.objects.order_by("-last_seen_at").values_list("last_seen_at", flat=True).first()
    return beat


def worker_alive(now: dt.datetime | None = None) -> bool:
    seen = worker_last_seen()
    now = now or timezone.now()
    return seen is not None and now - seen <= dt.timedelta(seconds=settings.JOBS_WORKER_STALE_SECONDS)
