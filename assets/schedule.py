"""The assets app's scheduled work (jobs.registry): the preservation deadlines, daily.

The job runs the same ``manage.py asset_deadlines`` that cron used to run (kept for cron and for hand use):
it lists the orders expiring within ``ASSET_DEADLINE_WARNING_DAYS`` or lapsed unrecorded and e-mails each lead
prosecutor theirs.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command
from django.utils.translation import gettext_lazy as _

from jobs.registry import ScheduledJob, register


def preservation_deadlines() -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("asset_deadlines", stdout=out, stderr=err)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    summary = lines[-1] if lines else "Done."
    warnings = err.getvalue().strip()
    return f"{summary} {warnings}".strip() if warnings else summary


register(
    ScheduledJob(
        "assets.preservation_deadlines",
        _("Preservation deadlines (lead prosecutors e-mailed)"),
        preservation_deadlines,
        daily_at=dt.time(6, 30),
    )
)
