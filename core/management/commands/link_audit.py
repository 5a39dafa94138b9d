"""Link what the writers queued and no linker has linked yet.

manage.py link_audit            link what waits now, and say what could not be linked
manage.py link_audit --follow   keep linking every AUDIT_LINK_INTERVAL seconds until stopped (Ctrl-C, SIGTERM)

Writers seal each history row into a queue in their own transaction; on PostgreSQL each worker's linker
thread turns the queue into links, and ``verify_audit`` links it first. This command runs the linker on its
own: once (after a crash, or from cron), or following the queue as a process of its own (the same loop as a
worker's linker thread), e.g. where no worker runs.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from core.audit.linking import link_pending, run_linker
from core.models import AuditPending


class Command(BaseCommand):
    help = "Link the history rows sealed and queued but not yet linked into the audit chain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--follow", action="store_true", help="Keep linking until stopped.")
        parser.add_argument("--interval", type=float, default=None, help="Seconds between passes (--follow).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["follow"]:
            self._follow(options["interval"])
        linked = link_pending()
        left = AuditPending.objects.count()
        self.stdout.write(f"Linked {linked} queued row(s) into the audit chain.")
        if left:
            self.stderr.write(
                f"{left} queued entr(y/ies) could not be linked (seal does not verify, or the row is linked "
                "already): run verify_audit, which names them."
            )

    def _follow(self, interval: float | None) -> None:
        stop = threading.Event()

        def stop_on(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, stop_on)
        signal.signal(signal.SIGINT, stop_on)
        self.stdout.write("Following the audit queue (Ctrl-C stops).")
        run_linker(stop, interval=interval)
