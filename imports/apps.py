from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Import of the Excel and CSV registers kept before the tracker: cases, assets and hearings."""

    name = "imports"
    verbose_name = "Imports"

    def ready(self) -> None:
        # The navigation entry, the kinds, the scope rule of batches, the scheduled job and the background tasks.
        from imports import access, registrations, schedule, tasks  # noqa: F401
