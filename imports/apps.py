from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Import of the Excel and CSV registers kept before the tracker: cases, assets and hearings."""

    name = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        # The navigation entry, the kinds, the scope rule of batches, the scheduled job and the background tasks.
        from imports import access, registrations, schedule, tasks  # noqa: F401
