from django.apps import AppConfig


class AssetsConfig(AppConfig):
    name = "assets"

    def ready(self) -> None:
        # The scope rules of the asset models; navigation, home-page panels, case tab and reports.
        from assets import access, registrations, schedule  # noqa: F401
