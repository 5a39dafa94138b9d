from django.apps import AppConfig


class WitnessesConfig(AppConfig):
    name = "witnesses"

    def ready(self) -> None:
        # The scope rules of the witness models; navigation, home-page panels, case tab and hearings.
        from witnesses import access, registrations  # noqa: F401
