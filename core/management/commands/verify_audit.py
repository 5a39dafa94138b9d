"""Verify the audit record and anchor it outside the database. Run it nightly from cron.

manage.py verify_audit                 # exit 1 naming what broke; on success write a checkpoint
manage.py verify_audit --against LINE  # also confirm a checkpoint kept earlier is still part of the chain

Checked: the chain (every link recomputed); every checkpoint line in ``AUDIT_CHECKPOINT_DIR`` (genuine, and
still part of the chain: catches history cut short, wiped or rewound); the live tables against their
history, and every other registered integrity check. When all hold, a signed checkpoint line is appended
to the checkpoint file, e-mailed to the auditors and shown on their home page.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.dispatch import Signal

from core.audit.checkpoints import checkpoint_dir
from core.audit.verification import CHAIN, CHECKPOINTS, AuditReport, confirm_checkpoint, verify_record

HEADINGS = {CHAIN: "AUDIT CHAIN BROKEN", CHECKPOINTS: "CHECKPOINT CHECK FAILED"}

# Sent when a verification fails (``problems``: what broke), for whoever must be told (the notifications app).
audit_verification_failed = Signal()


class Command(BaseCommand):
    help = (
        "Verify the tamper-evident audit record (exit code 1 naming what broke) and write a signed checkpoint "
        "outside the database when it is intact."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoint",
            action="store_true",
            help="Kept for old cron lines: the checkpoint line is now always printed (and written).",
        )
        parser.add_argument(
            "--against",
            metavar="CHECKPOINT",
            help="A checkpoint line (or just its 64-character digest) kept earlier: confirm it is still part of "
            "today's chain.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_record()
        if not report.ok:
            self._fail(report)
        chain = report.chain
        self.stdout.write(f"Audit chain intact: {chain.links} links, head digest {chain.head_digest}")
        if chain.pending:
            self.stdout.write(
                f"Pending: {chain.pending} row(s) written while verifying, sealed and queued, not linked yet "
                "(the next run covers them)."
            )
        self.stdout.write(
            f"Checkpoints kept in {checkpoint_dir()}: {report.checkpoints_read}, every one still part of the chain."
        )
        for name in report.checks_run:
            self.stdout.write(f"Checked: {name}.")
        self._report_written(report)
        if options["against"]:
            confirmation = confirm_checkpoint(options["against"], chain.links)
            if not confirmation.confirmed:
                self.stderr.write(confirmation.message)
                raise CommandError("The checkpoint is not part of today's chain.", returncode=1)
            self.stdout.write(confirmation.message)

    def _fail(self, report: AuditReport) -> None:
        for problem in report.problems:
            heading = HEADINGS.get(problem.check, f"INTEGRITY CHECK FAILED ({problem.check})")
            if problem.check == CHAIN:
                heading = f"{heading} after {report.chain.links} good link(s)"
            self.stderr.write(f"{heading}: {problem.message}")
        audit_verification_failed.send_robust(Command, problems=[problem.message for problem in report.problems])
        raise CommandError("The audit history fails verification.", returncode=1)

    def _report_written(self, report: AuditReport) -> None:
        written = report.written
        if written is None:
            return
        self.stdout.write(written.checkpoint.line)
        where = [f"appended to {written.path}"] if written.path else []
        where.append(f"e-mailed to {written.emailed} auditor(s)")
        self.stdout.write(f"Checkpoint {', '.join(where)}; keep this line outside the tracker.")
        for problem in written.problems:
            self.stderr.write(f"WARNING: {problem}")
        if written.path is None:
            raise CommandError("The checkpoint could not be written to the checkpoint folder.", returncode=2)
