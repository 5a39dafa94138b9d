from django.apps import AppConfig


class TrustfundConfig(AppConfig):
    name = "trustfund"

    def ready(self) -> None:
        from trustfund import registrations  # noqa: F401  (navigation and home-page panels)
