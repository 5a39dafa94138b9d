from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from core import (
            middleware,  # noqa: F401  (remembers at sign-in whether the user uses two-factor)
            registrations,  # noqa: F401  (registers core's own panels and navigation)
        )
        from core.audit import signals  # noqa: F401  (chains history rows, records sign-in events)
