"""The jobs app's navigation entry, core's scheduled work, and the background exporter for core's lists."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit.verification import verify_record
from core.export_jobs import install_background_exporter
from core.registry import NavItem, register_nav
from jobs.access import SCHEDULE_READERS
from jobs.exceptions import CheckFailed
from jobs.exports import offer_in_background, prune_old_work
from jobs.outcome import Outcome
from jobs.registry import ScheduledJob, register

register_nav(
    NavItem(
        "scheduled_jobs", gettext_lazy("Scheduled jobs"), "jobs:schedule", SCHEDULE_READERS, order=860, menu="oversight"
    )
)

install_background_exporter(offer_in_background)


def verify_audit() -> Outcome:
    """The nightly ``verify_audit``: the chain, the checkpoints and every integrity check; on success a new
    signed checkpoint outside the database (``manage.py verify_audit`` does the same by hand)."""
    report = verify_record()
    if not report.ok:
        raise CheckFailed("; ".join(f"{problem.check}: {problem.message}" for problem in report.problems))
    written = report.written
    if written is None or written.path is None:
        raise CheckFailed(_("The audit record is intact but the checkpoint could not be written."))
    return Outcome.ngettext(
        "Audit chain intact: %(links)s link; checkpoint written.",
        "Audit chain intact: %(links)s links; checkpoint written.",
        "links",
        links=report.chain.links,
    )


register(
    ScheduledJob(
        "core.verify_audit", gettext_lazy("Audit verification and checkpoint"), verify_audit, daily_at=dt.time(2, 0)
    )
)


def prune() -> Outcome:
    """Prepared exports older than a week (file and record) and finished queue entries older than a month."""
    return prune_old_work()


register(
    ScheduledJob("jobs.prune", gettext_lazy("Old exports and task results removed"), prune, daily_at=dt.time(3, 0))
)
