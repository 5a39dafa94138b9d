import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy

from jobs.outcome import Outcome


def prune_idempotency_records() -> Outcome:
    """The scheduled job: forget idempotency keys past their retention (kept 48 hours, promised 24)."""
    from api.models import IdempotencyRecord

    return Outcome.gettext("Idempotency keys forgotten: %(count)s.", count=IdempotencyRecord.prune())


class ApiConfig(AppConfig):
    """The REST API other agencies' systems use: the same services and access rules as the pages."""

    name = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from jobs.registry import ScheduledJob, register

        register(
            ScheduledJob(
                "api.prune_idempotency_keys",
                gettext_lazy("Forget old API idempotency keys"),
                prune_idempotency_records,
                daily_at=dt.time(3, 30),
            )
        )
