from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VictimsConfig(AppConfig):
    name = "victims"
    verbose_name = _("Victims register")

    def ready(self) -> None:
        # access: the scope rules behind ``visible_to``; registrations: search and the case's Victims tab.
        from victims import access, registrations  # noqa: F401
