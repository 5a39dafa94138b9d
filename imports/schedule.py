"""The scheduled work of imports: batches whose worker stopped are marked failed, so their uploader sees it
and the file may be uploaded again."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from imports.runner import fail_interrupted
from jobs.registry import ScheduledJob, register

register(
    ScheduledJob(
        "imports.fail_interrupted",
        _("Interrupted imports marked failed"),
        fail_interrupted,
        every=dt.timedelta(minutes=15),
    )
)
