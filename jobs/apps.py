from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("Scheduled jobs and background work")

    def ready(self) -> None:
        # core's own scheduled work (the nightly audit verification), the navigation entry, and the hook
        # that lets core's list views hand a large export to the workers (core imports nothing from here).
        from jobs import registrations  # noqa: F401
