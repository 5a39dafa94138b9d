"""The worker process: the schedule and the task queue, one after the other, for as long as it runs.

Each pass reports the worker alive (``WorkerHeartbeat``, read by /health/), runs the scheduled jobs that are
due (``jobs.scheduler``), then works through the task queue (django-tasks-db's own worker, in batch mode, a
bounded number of tasks so the schedule is never starved). Beside the loop, a thread links the audit chain
(``core.audit.linking.run_linker``): what writers sealed into the queue becomes links within a second, however
long a task runs. Any number of workers may run against one database: the schedule's leases, the queue's row
locks and the chain head's lock keep each piece of work to one of them.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from types import FrameType

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker as TaskQueueWorker

from core.audit.chain import links_after_commit
from core.audit.linking import run_linker
from jobs.models import WorkerHeartbeat
from jobs.scheduler import Clock, run_due_jobs

logger = logging.getLogger(__name__)


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"[:64]


def beat(worker_id: str) -> None:
    """Report this worker alive."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"last_seen_at": now, "hostname": socket.gethostname()[:255], "pid": os.getpid()},
        create_defaults={
            "last_seen_at": now,
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": now,
        },
    )


class Worker:
    """One worker process's loop."""

    def __init__(self, *, worker_id: str | None = None, interval: float = 5.0, tasks_per_pass: int = 20) -> None:
        self.worker_id = worker_id or new_worker_id()
        self.interval = interval
        self.tasks_per_pass = tasks_per_pass
        self.running = True
        self.busy = False
        self.linker_stop = threading.Event()

    def run_pass(self, clock: Clock | None = None) -> None:
        """One pass: heartbeat, due jobs, then queued tasks."""
        close_old_connections()
        beat(self.worker_id)
        run_due_jobs(self.worker_id, clock)
        TaskQueueWorker(
            queue_names=["*"],
            excluded_queue_names=[],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=self.tasks_per_pass,
            worker_id=self.worker_id,
        ).run()
        close_old_connections()

    def stop(self, signum: int, frame: FrameType | None) -> None:
        logger.warning("Worker %s: %s received, stopping", self.worker_id, signal.strsignal(signum))
        self.running = False
        if not self.busy:
            raise SystemExit(0)

    def run_forever(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        logger.warning("Worker %s started", self.worker_id)
        linker = None
        if not links_after_commit(DEFAULT_DB_ALIAS):  # PostgreSQL: writers leave the linking to the workers
            linker = threading.Thread(target=run_linker, args=(self.linker_stop,), name="audit-linker", daemon=True)
            linker.start()
        try:
            self._loop()
        finally:
            self.linker_stop.set()
            if linker is not None:
                linker.join(timeout=10)

    def _loop(self) -> None:
        while self.running:
            self.busy = True
            try:
                self.run_pass()
            except (OperationalError, InterfaceError):
                # The database went away (a restart, a failover): drop the connection, try again next pass.
                logger.exception("Worker %s: the database is unavailable; retrying", self.worker_id)
                close_old_connections()
            finally:
                self.busy = False
            if self.running:
                time.sleep(self.interval)
