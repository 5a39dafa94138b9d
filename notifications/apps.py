from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Scope rules, the demo seed step, the event receivers, and the scheduled work (``jobs.registry``).
        from notifications import access, receivers, registrations  # noqa: F401
        from notifications.schedule import register_jobs

        register_jobs()
