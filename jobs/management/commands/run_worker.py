"""``manage.py run_worker``: a worker process — the schedule and the task queue (docs/operations.md).

Run one beside the development server (``make run`` does) and as many as you like in production, each its
own process (deploy/systemd/ctip-worker@.service). ``--once`` runs one pass and exits (cron, tests, drills).
"""

from __future__ import annotations

import importlib
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jobs.worker import Worker


class Command(BaseCommand):
    help = "Run a background worker: scheduled jobs when due, and the queued tasks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run one pass (due jobs, queued tasks) and exit.")
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between passes (default 5).")
        parser.add_argument("--worker-id", default=None, help="A name unique among the workers (default: generated).")
        parser.add_argument(
            "--import",
            dest="imports",
            action="append",
            default=[],
            metavar="MODULE",
            help="Import a module that registers more scheduled jobs first (drills and tests).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for module in options["imports"]:
            importlib.import_module(module)
        worker = Worker(worker_id=options["worker_id"], interval=options["interval"])
        if options["once"]:
            worker.run_pass()
            return
        worker.run_forever()
