from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrustfundConfig(AppConfig):
    name = "trustfund"
    verbose_name = _("Trust fund")

    def ready(self) -> None:
        # The scope rules of the fund's records, then navigation, panels, reports and the demo seed.
        from trustfund import access, registrations, schedule  # noqa: F401
