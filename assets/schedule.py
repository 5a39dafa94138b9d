"""The assets app's scheduled work (jobs.registry): the preservation deadlines, daily.

The job runs the same ``manage.py asset_deadlines`` that cron used to run (kept for cron and for hand use):
it lists the orders expiring within ``ASSET_DEADLINE_WARNING_DAYS`` or lapsed unrecorded and e-mails each lead
prosecutor theirs. The outcome line says what the command found and whom it told, in the reader's language.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command
from django.utils.translation import gettext_lazy as _

from assets.management.commands.asset_deadlines import Command as DeadlinesCommand
from jobs.outcome import Outcome
from jobs.registry import ScheduledJob, register


def preservation_deadlines() -> Outcome:
    command = DeadlinesCommand()
    call_command(command, stdout=io.StringIO(), stderr=io.StringIO())
    if not command.found:
        return Outcome.gettext(
            "No preservation order expires within %(within)s days, and none has expired without a forfeiture "
            "application.",
            within=command.within,
        )
    if command.unaddressed:
        return Outcome.gettext(
            "Preservation orders expiring within %(within)s days or lapsed: %(orders)s; lead prosecutors "
            "e-mailed: %(emailed)s; lead prosecutors with no e-mail address, not told: %(unaddressed)s.",
            within=command.within,
            orders=command.found,
            emailed=command.emailed,
            unaddressed=command.unaddressed,
        )
    return Outcome.gettext(
        "Preservation orders expiring within %(within)s days or lapsed: %(orders)s; lead prosecutors e-mailed: "
        "%(emailed)s.",
        within=command.within,
        orders=command.found,
        emailed=command.emailed,
    )


register(
    ScheduledJob(
        "assets.preservation_deadlines",
        _("Preservation deadlines (lead prosecutors e-mailed)"),
        preservation_deadlines,
        daily_at=dt.time(6, 30),
    )
)
