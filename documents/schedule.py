"""The documents' scheduled check (jobs.registry): ``verify_documents`` nightly, once documents exist."""

from __future__ import annotations

import datetime as dt

from documents.models import Document
from documents.verification import verify_documents
from jobs.exceptions import CheckFailed
from jobs.registry import ScheduledJob, register


def verify_stored_documents() -> str:
    if not Document.objects.exists():
        return "No documents stored yet: nothing to verify."
    report = verify_documents()
    if not report.ok:
        raise CheckFailed(
            f"Documents fail verification: {len(report.changed)} changed, {len(report.missing)} missing, "
            f"{len(report.unrecorded)} with no record (of {report.checked} checked)."
        )
    return f"Documents intact: {report.checked} files re-hashed, each as recorded."


register(
    ScheduledJob(
        "documents.verify_documents", "Stored documents verification", verify_stored_documents, daily_at=dt.time(2, 30)
    )
)
