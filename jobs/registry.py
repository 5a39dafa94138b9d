"""The schedule, kept in code: every job that runs by itself, declared by the app that owns the work.

An app registers its jobs when it is ready (``AppConfig.ready``)::

    from jobs.registry import ScheduledJob, register

    register(ScheduledJob("notifications.daily_digest", "Daily digest of notifications", send_daily_digests,
                          daily_at=dt.time(7, 0)))

The scheduler (``jobs``) runs each job when it is due — every ``every``, or once a day at ``daily_at``
Nairobi time — records its outcome, and never runs one job twice at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from jobs.outcome import Outcome


@dataclass(frozen=True)
class ScheduledJob:
    """One piece of work on the schedule."""

    name: str  # stable identifier, "<app>.<job>"; the record of runs is kept under it
    title: str | Promise  # what the Scheduled jobs page calls it (gettext_lazy: in the reader's language)
    # Does the work; returns the outcome line for the page (``jobs.outcome.Outcome``: shown in the reader's
    # language), or None.
    func: Callable[[], Outcome | str | None]
    every: dt.timedelta | None = None
    daily_at: dt.time | None = None  # Nairobi time
    # How long a run may take before its worker is presumed dead and the job run again (default
    # JOBS_RUN_TIMEOUT_MINUTES). Set it above the longest run the job can honestly take.
    timeout: dt.timedelta | None = None

    def __post_init__(self) -> None:
        if (self.every is None) == (self.daily_at is None):
            raise ValueError(f"{self.name}: give exactly one of `every` and `daily_at`")


_schedule: dict[str, ScheduledJob] = {}


def register(job: ScheduledJob) -> ScheduledJob:
    """Put a job on the schedule; registering the same name twice is a programming error."""
    if job.name in _schedule and _schedule[job.name] != job:
        raise ValueError(f"a job named {job.name!r} is already on the schedule")
    _schedule[job.name] = job
    return job


def scheduled_jobs() -> list[ScheduledJob]:
    """Every job on the schedule, by name."""
    return [_schedule[name] for name in sorted(_schedule)]


def get(name: str) -> ScheduledJob:
    return _schedule[name]
