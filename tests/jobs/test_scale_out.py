"""Scale-out on PostgreSQL: two worker processes and two app processes against one database.

- Two workers (subprocesses) run the schedule and the queue for a few seconds: no scheduled run overlaps
  another of the same job, every queued task runs exactly once.
- A worker killed (SIGKILL) in the middle of a job: the run is recorded as abandoned once its lease expires,
  the job is run again and finishes once.
- Two app processes (gunicorn) serve the same signed-in session and report the same worker alive: nothing
  that must be shared is held in process memory.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django_tasks_db.models import DBTaskResult

from jobs import registry
from jobs.choices import RunOutcome
from jobs.models import JobRun
from jobs.scheduler import Clock, run_due_jobs
from jobs.worker import beat
from tests.jobs import drill_jobs

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ROOT = Path(settings.BASE_DIR)
DEADLINE_SECONDS = 60  # a safety net for a stuck subprocess, not a measurement


def _env(log: Path, **extra: str) -> dict[str, str]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DRILL_LOG": str(log), "DRILL_SCHEDULE": "1", **extra}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _worker(name: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "manage.py", "run_worker", "--worker-id", name, "--interval", "0.1"]
    return subprocess.Popen([*command, "--import", "tests.jobs.drill_jobs"], cwd=ROOT, env=env)


def _wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.2)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=DEADLINE_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_two_workers_never_run_a_job_twice_at_once_and_each_task_once(tmp_path: Path) -> None:
    log = tmp_path / "drill.log"
    for number in range(30):
        drill_jobs.record.enqueue(number)
    env = _env(log)
    workers = [_worker("worker-a", env), _worker("worker-b", env)]
    try:
        _wait_for(
            lambda: (
                JobRun.objects.filter(job_name="drill.tick", outcome=RunOutcome.SUCCEEDED).count() >= 6
                and not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()
            ),
            "six ticks and every task",
        )
    finally:
        for worker in workers:
            _stop(worker)
    lines = log.read_text().splitlines()
    tasks = sorted(int(line.split()[1]) for line in lines if line.startswith("task "))
    assert tasks == list(range(30))  # each queued task ran exactly once
    runs = list(JobRun.objects.filter(job_name="drill.tick").order_by("started_at"))
    assert {run.outcome for run in runs} == {RunOutcome.SUCCEEDED}
    for earlier, later in itertools.pairwise(runs):
        assert earlier.finished_at is not None and earlier.finished_at <= later.started_at, "two runs overlapped"
    starts = [line for line in lines if line.startswith("tick start")]
    assert len(starts) == len(runs)  # no run of the job that the record does not know of
    # Both workers were alive and taking work from the same database.
    assert {result.worker_ids[0] for result in DBTaskResult.objects.all()} <= {"worker-a", "worker-b"}


def test_a_worker_killed_mid_job_leaves_it_to_be_retried_and_it_finishes_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "drill.log"
    doomed = _worker("worker-doomed", _env(log, DRILL_HANG="1", DRILL_SLEEP="600"))
    try:
        _wait_for(lambda: JobRun.objects.filter(job_name="drill.hang").exists(), "the job to start")
        _wait_for(lambda: log.exists() and "hang start" in log.read_text(), "the job's work to begin")
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=DEADLINE_SECONDS)
    finally:
        if doomed.poll() is None:
            doomed.kill()
    [dead] = JobRun.objects.filter(job_name="drill.hang")
    assert dead.outcome == RunOutcome.RUNNING  # nobody told the record: the worker just vanished

    monkeypatch.setattr(registry, "_schedule", {})
    registry.register(drill_jobs.HANG)
    monkeypatch.setenv("DRILL_LOG", str(log))
    monkeypatch.setenv("DRILL_SLEEP", "0")
    assert run_due_jobs("worker-b") == []  # within the lease: presumed still running
    [rerun] = run_due_jobs("worker-b", Clock.at(dead.started_at + dt.timedelta(seconds=31)))
    dead.refresh_from_db()
    assert dead.outcome == RunOutcome.ABANDONED
    assert rerun.outcome == RunOutcome.SUCCEEDED and rerun.attempt == 2
    assert log.read_text().count("hang end") == 1  # finished once
    assert JobRun.objects.filter(job_name="drill.hang", outcome=RunOutcome.SUCCEEDED).count() == 1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def two_app_servers(tmp_path: Path) -> Iterator[list[str]]:
    env = _env(tmp_path / "unused.log")
    env.pop("DRILL_SCHEDULE")
    servers, urls = [], []
    for _ in range(2):
        port = _free_port()
        command = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        servers.append(subprocess.Popen([*command, "--workers", "1"], cwd=ROOT, env=env))
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url in urls:
            _wait_for(lambda url=url: _up(url), f"{url} to serve")
        yield urls
    finally:
        for server in servers:
            _stop(server)


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health/", timeout=5):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def _get(url: str, cookie: str = "") -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie, "Host": "localhost"})
    opener = urllib.request.build_opener(_NoRedirect())
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_two_app_processes_share_sessions_and_see_the_same_workers(two_app_servers: list[str], auditor) -> None:
    beat("worker-seen-by-both")
    client = Client()
    client.force_login(auditor)  # a session written by this process, read by both servers
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    for url in two_app_servers:
        status, body = _get(f"{url}/health/")
        assert status == 200 and '"worker": "ok"' in body
        status, body = _get(f"{url}/jobs/", cookie)
        assert status == 200 and "Scheduled jobs" in body and "A worker reported in" in body
