"""Link what the writers queued and no linker has linked yet (after a crash or a failed linker).

manage.py link_audit

Writers seal each history row into a queue in their own transaction; a linker turns the queue into links
right after each commit, and ``verify_audit`` runs it first. This command runs it on its own (e.g. from
cron every few minutes), so the audit log never lags behind the records for long.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from core.audit.chain import link_pending
from core.models import AuditPending


class Command(BaseCommand):
    help = "Link the history rows sealed and queued but not yet linked into the audit chain."

    def handle(self, *args: Any, **options: Any) -> None:
        linked = link_pending()
        left = AuditPending.objects.count()
        self.stdout.write(f"Linked {linked} queued row(s) into the audit chain.")
        if left:
            self.stderr.write(
                f"{left} queued entr(y/ies) could not be linked (seal does not verify, or the row is linked "
                "already): run verify_audit, which names them."
            )
