from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Scope rules, the demo seed step, the event receivers, and the scheduled work (``jobs.registry``).
        from notifications import access, receivers, registrations  # noqa: F401
        from notifications.schedule import register_jobs

        register_jobs()
