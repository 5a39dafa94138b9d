"""Verify the stored documents: re-hash every file and compare it with the SHA-256 recorded when it was
attached; report any file changed, missing, or in the storage with no document recording it. Exit code 1
on any finding. Run it from cron beside ``verify_audit`` (docs/documents.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from documents.verification import verify_documents


class Command(BaseCommand):
    help = "Re-hash every stored document and report files changed, missing, or not recorded (exit code 1 on any)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_documents(progress=lambda n: self.stdout.write(f"… {n} documents checked"))
        for finding in report.findings:
            who = f"Document #{finding.document_id}" if finding.document_id else "Stored file"
            self.stderr.write(f"{who} {finding.name}: {finding.problem}")
        if not report.ok:
            raise CommandError(
                f"Documents fail verification: {len(report.changed)} changed, {len(report.missing)} missing, "
                f"{len(report.unrecorded)} with no record (of {report.checked} checked).",
                returncode=1,
            )
        self.stdout.write(f"Documents intact: {report.checked} files re-hashed, each as recorded; no stray files.")
