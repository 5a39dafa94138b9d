"""The documents' scheduled check (jobs.registry): ``verify_documents`` nightly, once documents exist."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.models import Document
from documents.verification import verify_documents
from jobs.exceptions import CheckFailed
from jobs.outcome import Outcome
from jobs.registry import ScheduledJob, register


def verify_stored_documents() -> Outcome:
    if not Document.objects.exists():
        return Outcome.gettext("No documents stored yet: nothing to verify.")
    report = verify_documents()
    if not report.ok:
        raise CheckFailed(
            _(
                "Documents fail verification: %(changed)s changed, %(missing)s missing, %(unrecorded)s with no "
                "record (of %(checked)s checked)."
            )
            % {
                "changed": len(report.changed),
                "missing": len(report.missing),
                "unrecorded": len(report.unrecorded),
                "checked": report.checked,
            }
        )
    return Outcome.ngettext(
        "Documents intact: %(checked)s file re-hashed, as recorded.",
        "Documents intact: %(checked)s files re-hashed, each as recorded.",
        "checked",
        checked=report.checked,
    )


register(
    ScheduledJob(
        "documents.verify_documents",
        gettext_lazy("Stored documents verification"),
        verify_stored_documents,
        daily_at=dt.time(2, 30),
    )
)
