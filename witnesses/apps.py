from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WitnessesConfig(AppConfig):
    name = "witnesses"
    verbose_name = _("Witnesses")

    def ready(self) -> None:
        # The scope rules of the witness models; navigation, home-page panels, case tab and hearings.
        from witnesses import access, registrations  # noqa: F401
