"""Where an uploaded register stands, from upload to import."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchState(models.TextChoices):
    """The life of an import batch: uploaded → previewing → previewed → importing → imported, or failed or
    cancelled on the way. A previewed batch with errors can only be cancelled (fix the file, upload again)."""

    UPLOADED = "uploaded", _("Waiting to be read")
    PREVIEWING = "previewing", _("Being read")
    PREVIEWED = "previewed", _("Previewed")
    IMPORTING = "importing", _("Importing")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


# A batch in one of these states is being worked on by a worker: its page polls for progress.
WORKING_STATES: frozenset[str] = frozenset({BatchState.UPLOADED, BatchState.PREVIEWING, BatchState.IMPORTING})
# A batch in one of these states is over: nothing more happens to it.
FINAL_STATES: frozenset[str] = frozenset({BatchState.IMPORTED, BatchState.FAILED, BatchState.CANCELLED})
