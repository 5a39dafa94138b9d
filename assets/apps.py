from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "assets"
    verbose_name = _("Assets")

    def ready(self) -> None:
        # The scope rules of the asset models; navigation, home-page panels, case tab and reports.
        from assets import access, registrations, schedule  # noqa: F401
