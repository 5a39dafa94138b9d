from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Network behind the cases")

    def ready(self) -> None:
        # registrations: the navigation entry, the case page's Network tab and the demo step.
        from network import registrations  # noqa: F401
