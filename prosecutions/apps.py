from django.apps import AppConfig


class ProsecutionsConfig(AppConfig):
    name = "prosecutions"

    def ready(self) -> None:
        from prosecutions import registrations  # noqa: F401  (navigation and home-page panels)
