from django.apps import AppConfig


class AssetsConfig(AppConfig):
    name = "assets"

    def ready(self) -> None:
        from assets import registrations  # noqa: F401  (navigation and home-page panels)
