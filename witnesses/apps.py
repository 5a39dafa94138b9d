from django.apps import AppConfig


class WitnessesConfig(AppConfig):
    name = "witnesses"

    def ready(self) -> None:
        from witnesses import registrations  # noqa: F401  (navigation and home-page panels)
