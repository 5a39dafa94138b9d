from django.apps import AppConfig


class TrustfundConfig(AppConfig):
    name = "trustfund"

    def ready(self) -> None:
        # The scope rules of the fund's records, then navigation, panels, reports and the demo seed.
        from trustfund import access, registrations, schedule  # noqa: F401
