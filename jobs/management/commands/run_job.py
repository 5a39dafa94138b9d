"""``manage.py run_job NAME``: run one scheduled job now, here, and record it like any other run.

It waits for nothing: if another worker is running the job at this moment, it says so and exits 1.
``manage.py run_job --list`` names the jobs on the schedule.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jobs.choices import RunOutcome
from jobs.registry import scheduled_jobs
from jobs.scheduler import run_now
from jobs.worker import new_worker_id


class Command(BaseCommand):
    help = "Run one scheduled job now and record the run."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", help="The job's name (see --list).")
        parser.add_argument("--list", action="store_true", help="List the jobs on the schedule.")

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = {job.name: job for job in scheduled_jobs()}
        if options["list"] or not options["name"]:
            for job in jobs.values():
                when = f"every {job.every}" if job.every else f"daily at {job.daily_at:%H:%M} (Nairobi)"
                self.stdout.write(f"{job.name:45} {when:28} {job.title}")
            return
        name = options["name"]
        if name not in jobs:
            raise CommandError(f"No job named {name!r} on the schedule (see --list).")
        run = run_now(name, new_worker_id())
        if run is None:
            raise CommandError(f"{name} is running in another worker right now.", returncode=1)
        if run.outcome != RunOutcome.SUCCEEDED:
            self.stderr.write(run.error)
            raise CommandError(f"{name} failed; it will be retried by the workers.", returncode=1)
        self.stdout.write(f"{name}: {run.get_message_display() or 'done'}")
