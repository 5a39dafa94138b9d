"""A drill schedule for the worker tests: imported by ``manage.py run_worker --import tests.jobs.drill_jobs``
in worker subprocesses, it replaces the schedule with jobs that write what they do to ``DRILL_LOG``.

``drill.tick`` runs every second; ``drill.hang`` (only with ``DRILL_HANG=1``) sleeps ``DRILL_SLEEP`` seconds
before finishing, so a test can kill its worker mid-run. ``record`` is a queued task that logs its number.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

from django_tasks import task

from jobs import registry
from jobs.registry import ScheduledJob


def _log(line: str) -> None:
    path = os.environ.get("DRILL_LOG")
    if path:
        with Path(path).open("a") as log:
            log.write(f"{line} {os.getpid()}\n")


def tick() -> str:
    _log("tick start")
    time.sleep(0.3)  # long enough for another worker to try the same job meanwhile
    _log("tick end")
    return "ticked"


def hang() -> str:
    _log("hang start")
    time.sleep(float(os.environ.get("DRILL_SLEEP", "0")))
    _log("hang end")
    return "finished"


TICK = ScheduledJob("drill.tick", "Drill tick", tick, every=dt.timedelta(seconds=1))
HANG = ScheduledJob("drill.hang", "Drill hang", hang, every=dt.timedelta(hours=1), timeout=dt.timedelta(seconds=30))


@task()
def record(number: int) -> int:
    _log(f"task {number}")
    return number


if os.environ.get("DRILL_SCHEDULE"):
    registry._schedule.clear()
    registry.register(HANG if os.environ.get("DRILL_HANG") else TICK)
