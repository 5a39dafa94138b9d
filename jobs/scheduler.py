"""The scheduler: run each job on the schedule when it is due, once, and keep the record.

Every worker calls :func:`run_due_jobs` between tasks. For each job that is due, the worker tries to take its
lease in ``ScheduleState`` with one conditional UPDATE — "due, and nobody holds a live lease" — which the
database grants to exactly one worker (PostgreSQL re-checks the condition on the locked row; SQLite takes
its write lock). The winner records a ``JobRun``, runs the job outside any transaction, and records how it
ended:

- succeeded: the next run is the job's next regular time;
- failed: shown as failed, retried after 1, 2, 4 … minutes (``JOBS_RETRY_MAX_MINUTES`` at most), or at its
  next regular time if that comes first;
- the worker died mid-run: the lease expires after ``timeout`` (``JOBS_RUN_TIMEOUT_MINUTES`` unless the job
  sets its own), the next worker records the run as abandoned and runs the job again.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from jobs.choices import RunOutcome
from jobs.models import JobRun, ScheduleState
from jobs.outcome import Outcome
from jobs.registry import ScheduledJob, scheduled_jobs

logger = logging.getLogger(__name__)

ABANDONED = Outcome.gettext("The worker running it stopped before it finished; it was run again.")
MESSAGE_LENGTH = 500
ERROR_LENGTH = 4000


def run_timeout(job: ScheduledJob) -> dt.timedelta:
    """How long a run may take before its worker is presumed dead and the job is run again."""
    return job.timeout if job.timeout is not None else dt.timedelta(minutes=settings.JOBS_RUN_TIMEOUT_MINUTES)


def next_regular_run(job: ScheduledJob, after: dt.datetime) -> dt.datetime:
    """The job's next regular time strictly after ``after``: ``after + every``, or the next ``daily_at`` in
    Nairobi time."""
    if job.every is not None:
        return after + job.every
    assert job.daily_at is not None
    local = timezone.localtime(after)
    candidate = timezone.make_aware(dt.datetime.combine(local.date(), job.daily_at))
    if candidate <= after:
        candidate = timezone.make_aware(dt.datetime.combine(local.date() + dt.timedelta(days=1), job.daily_at))
    return candidate


def retry_delay(failures: int) -> dt.timedelta:
    """Back-off after ``failures`` failures in a row: 1, 2, 4 … minutes, capped."""
    minutes = min(2 ** max(failures - 1, 0), settings.JOBS_RETRY_MAX_MINUTES)
    return dt.timedelta(minutes=minutes)


def first_run(job: ScheduledJob, now: dt.datetime) -> dt.datetime:
    """When a job new to the schedule first runs: a periodic job at once, a daily one at its time."""
    return now if job.every is not None else next_regular_run(job, now)


def sync_schedule(now: dt.datetime | None = None) -> None:
    """Give every job on the schedule its state row (several workers may try at once: one row each)."""
    now = now or timezone.now()
    known = set(ScheduleState.objects.values_list("name", flat=True))
    for job in scheduled_jobs():
        if job.name not in known:
            try:
                with transaction.atomic():
                    ScheduleState.objects.create(name=job.name, next_run_at=first_run(job, now))
            except IntegrityError:
                pass  # another worker created it first


def claim(job: ScheduledJob, worker_id: str, now: dt.datetime) -> JobRun | None:
    """Take the job's lease and record the run, or None when it is not due or another worker holds it."""
    with transaction.atomic():
        taken = (
            ScheduleState.objects.filter(name=job.name, next_run_at__lte=now)
            .filter(Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lte=now))
            .update(lease_owner=worker_id, lease_expires_at=now + run_timeout(job))
        )
        if not taken:
            return None
        state = ScheduleState.objects.get(name=job.name)
        if state.current_run_id is not None:
            # The last run's worker let its lease expire without finishing: it died (or hung). Say so.
            abandoned = JobRun.objects.filter(pk=state.current_run_id, outcome=RunOutcome.RUNNING).update(
                outcome=RunOutcome.ABANDONED,
                finished_at=now,
                message=ABANDONED.message,
                message_params=ABANDONED.params(),
            )
            if abandoned:
                state.consecutive_failures += 1
                logger.warning("Scheduled job %s: the last run was abandoned by its worker", job.name)
        run = JobRun.objects.create(
            job_name=job.name, attempt=state.consecutive_failures + 1, worker_id=worker_id, started_at=now
        )
        state.current_run = run
        state.save(update_fields=["current_run", "consecutive_failures"])
    return run


def finish(
    job: ScheduledJob, run: JobRun, *, now: dt.datetime, outcome: Outcome | str | None = None, error: str = ""
) -> None:
    """Record how the run ended and when the job runs next, unless the lease has passed to another worker
    (then only the run's own record is written). An ``Outcome`` is stored untranslated with its values, to
    be shown in each reader's language; a plain line is stored as written."""
    ok = not error
    with transaction.atomic():
        run.outcome = RunOutcome.SUCCEEDED if ok else RunOutcome.FAILED
        run.finished_at = now
        if isinstance(outcome, Outcome):
            run.message, run.message_params = outcome.message[:MESSAGE_LENGTH], outcome.params()
        else:
            run.message, run.message_params = str(outcome or "")[:MESSAGE_LENGTH], None
        run.error = error[-ERROR_LENGTH:]
        run.save(update_fields=["outcome", "finished_at", "message", "message_params", "error"])
        state = ScheduleState.objects.select_for_update().get(name=job.name)
        if state.current_run_id != run.pk or state.lease_owner != run.worker_id:
            logger.warning("Scheduled job %s: run %s finished after its lease had passed on", job.name, run.pk)
            return
        regular = next_regular_run(job, now)
        if ok:
            state.consecutive_failures = 0
            state.next_run_at = regular
        else:
            state.consecutive_failures += 1
            state.next_run_at = min(now + retry_delay(state.consecutive_failures), regular)
        state.lease_owner = ""
        state.lease_expires_at = None
        state.current_run = None
        state.save(
            update_fields=["consecutive_failures", "next_run_at", "lease_owner", "lease_expires_at", "current_run"]
        )


@dataclass(frozen=True)
class Clock:
    """Scheduler time. Tests move it; a worker uses the real one."""

    offset: dt.timedelta = dt.timedelta(0)

    def now(self) -> dt.datetime:
        return timezone.now() + self.offset

    @classmethod
    def at(cls, moment: dt.datetime) -> Clock:
        return cls(moment - timezone.now())


def execute(job: ScheduledJob, run: JobRun, clock: Clock) -> JobRun:
    """Run the job's work and record the outcome. A job's exception is recorded, never raised."""
    try:
        outcome = job.func()
    except Exception:  # any failure of a job is recorded and retried; the worker goes on
        logger.exception("Scheduled job %s failed", job.name)
        finish(job, run, now=clock.now(), error=traceback.format_exc())
    else:
        finish(job, run, now=clock.now(), outcome=outcome)
    run.refresh_from_db()
    return run


def run_due_jobs(worker_id: str, clock: Clock | None = None, only: set[str] | None = None) -> list[JobRun]:
    """Run every job that is due and not running elsewhere; the runs this worker made."""
    clock = clock or Clock()
    sync_schedule(clock.now())
    runs = []
    for job in scheduled_jobs():
        if only is not None and job.name not in only:
            continue
        run = claim(job, worker_id, clock.now())
        if run is not None:
            runs.append(execute(job, run, clock))
    return runs


def run_now(name: str, worker_id: str) -> JobRun | None:
    """Make a job due now and run it here, unless it is running elsewhere (``manage.py run_job``)."""
    sync_schedule()
    ScheduleState.objects.filter(name=name).update(next_run_at=timezone.now())
    runs = run_due_jobs(worker_id, only={name})
    return runs[0] if runs else None
