from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProsecutionsConfig(AppConfig):
    name = "prosecutions"
    verbose_name = _("Prosecutions")

    def ready(self) -> None:
        # access: the scope rules behind ``visible_to``; registrations: navigation, panels, reports, demo.
        from prosecutions import access, registrations  # noqa: F401
