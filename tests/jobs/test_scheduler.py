"""The scheduler: a due job runs once and is recorded; failures show and are retried with back-off; a job
never runs twice at once; a run whose worker died is recorded as abandoned and run again, finishing once."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from jobs.choices import RunOutcome
from jobs.models import JobRun, ScheduleState
from jobs.registry import ScheduledJob
from jobs.scheduler import Clock, claim, execute, next_regular_run, retry_delay, run_due_jobs, sync_schedule
from tests.jobs.conftest import Schedule, later

pytestmark = pytest.mark.django_db
NAIROBI = zoneinfo.ZoneInfo("Africa/Nairobi")


def test_a_periodic_job_runs_at_once_then_waits_its_interval(schedule: Schedule) -> None:
    schedule.add("test.count", every=dt.timedelta(minutes=10))
    first = run_due_jobs("w1")
    assert [run.outcome for run in first] == [RunOutcome.SUCCEEDED]
    assert first[0].message == "test.count done" and first[0].finished_at is not None
    assert run_due_jobs("w1") == []  # not due again yet
    assert run_due_jobs("w1", later(9)) == []
    assert len(run_due_jobs("w1", later(11))) == 1
    assert schedule.calls == {"test.count": 2}


def test_a_daily_job_waits_for_its_time_in_nairobi(schedule: Schedule) -> None:
    job = schedule.add("test.daily", daily_at=dt.time(2, 0))
    now = dt.datetime(2026, 12, 1, 14, 0, tzinfo=NAIROBI)
    assert next_regular_run(job, now) == dt.datetime(2026, 12, 2, 2, 0, tzinfo=NAIROBI)
    early = dt.datetime(2026, 12, 1, 1, 0, tzinfo=NAIROBI)
    assert next_regular_run(job, early) == dt.datetime(2026, 12, 1, 2, 0, tzinfo=NAIROBI)
    assert run_due_jobs("w1", Clock.at(now)) == []
    assert ScheduleState.objects.get(name="test.daily").next_run_at == dt.datetime(2026, 12, 2, 2, 0, tzinfo=NAIROBI)
    runs = run_due_jobs("w1", Clock.at(dt.datetime(2026, 12, 2, 2, 1, tzinfo=NAIROBI)))
    assert [run.job_name for run in runs] == ["test.daily"]


def test_a_failing_job_is_recorded_as_failed_and_retried_with_back_off(schedule: Schedule) -> None:
    outcomes = iter([RuntimeError("bank feed down"), RuntimeError("still down"), None])

    def flaky() -> str:
        error = next(outcomes)
        if error:
            raise error
        return "recovered"

    schedule.add("test.flaky", flaky, every=dt.timedelta(hours=6))
    start = timezone.now()
    [failed] = run_due_jobs("w1", Clock.at(start))
    assert failed.outcome == RunOutcome.FAILED and "bank feed down" in failed.error
    state = ScheduleState.objects.get(name="test.flaky")
    assert state.consecutive_failures == 1
    assert failed.finished_at is not None
    assert state.next_run_at == failed.finished_at + dt.timedelta(minutes=1)
    assert run_due_jobs("w1", Clock.at(start + dt.timedelta(seconds=30))) == []  # backing off
    [second] = run_due_jobs("w1", Clock.at(start + dt.timedelta(minutes=2)))
    assert second.outcome == RunOutcome.FAILED and second.attempt == 2
    state.refresh_from_db()
    assert second.finished_at is not None
    assert state.next_run_at == second.finished_at + dt.timedelta(minutes=2)  # 1, 2, 4 … minutes
    [third] = run_due_jobs("w1", Clock.at(start + dt.timedelta(minutes=5)))
    assert third.outcome == RunOutcome.SUCCEEDED and third.attempt == 3 and third.message == "recovered"
    state.refresh_from_db()
    assert state.consecutive_failures == 0
    assert third.finished_at is not None
    assert state.next_run_at == third.finished_at + dt.timedelta(hours=6)


def test_back_off_doubles_up_to_its_cap(settings) -> None:
    settings.JOBS_RETRY_MAX_MINUTES = 30
    assert [retry_delay(n).total_seconds() // 60 for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]


def test_a_job_running_in_one_worker_is_not_started_by_another(schedule: Schedule) -> None:
    job = schedule.add("test.long")
    sync_schedule()
    now = timezone.now()
    run = claim(job, "worker-a", now)
    assert run is not None
    assert claim(job, "worker-b", now) is None  # the lease is held
    assert claim(job, "worker-b", now + dt.timedelta(minutes=30)) is None  # still within the timeout
    assert run_due_jobs("worker-b", later(30)) == []
    execute(job, run, Clock())
    assert JobRun.objects.filter(job_name="test.long").count() == 1


def test_a_run_whose_worker_died_is_abandoned_and_run_again_finishing_once(schedule: Schedule, settings) -> None:
    settings.JOBS_RUN_TIMEOUT_MINUTES = 15
    job = schedule.add("test.killed")
    sync_schedule()
    dead = claim(job, "worker-killed", timezone.now())  # the worker took the job, then was killed
    assert dead is not None
    assert run_due_jobs("worker-b", later(10)) == []  # not yet presumed dead
    [rerun] = run_due_jobs("worker-b", later(16))
    dead.refresh_from_db()
    assert dead.outcome == RunOutcome.ABANDONED and "stopped before it finished" in dead.get_message_display()
    assert rerun.outcome == RunOutcome.SUCCEEDED and rerun.attempt == 2
    assert schedule.calls == {"test.killed": 1}
    assert JobRun.objects.filter(job_name="test.killed", outcome=RunOutcome.SUCCEEDED).count() == 1


def test_a_late_finish_after_the_lease_passed_on_leaves_the_new_run_alone(schedule: Schedule, settings) -> None:
    settings.JOBS_RUN_TIMEOUT_MINUTES = 15
    job = schedule.add("test.slow")
    sync_schedule()
    slow = claim(job, "worker-slow", timezone.now())
    assert slow is not None
    taken_over = claim(job, "worker-b", timezone.now() + dt.timedelta(minutes=16))
    assert taken_over is not None
    execute(job, slow, Clock())  # the slow worker comes back and finishes
    state = ScheduleState.objects.get(name="test.slow")
    assert state.current_run_id == taken_over.pk and state.lease_owner == "worker-b"


def test_a_job_sets_its_own_timeout(schedule: Schedule) -> None:
    job = schedule.add("test.quick", every=dt.timedelta(minutes=5), timeout=dt.timedelta(minutes=2))
    sync_schedule()
    assert claim(job, "worker-a", timezone.now()) is not None
    assert claim(job, "worker-b", timezone.now() + dt.timedelta(minutes=3)) is not None


def test_a_job_needs_exactly_one_schedule() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        ScheduledJob("test.bad", "Bad", lambda: None)
    with pytest.raises(ValueError, match="exactly one"):
        ScheduledJob("test.bad", "Bad", lambda: None, every=dt.timedelta(hours=1), daily_at=dt.time(1, 0))
