from django.apps import AppConfig


class ProsecutionsConfig(AppConfig):
    name = "prosecutions"

    def ready(self) -> None:
        # access: the scope rules behind ``visible_to``; registrations: navigation, panels, reports, demo.
        from prosecutions import access, registrations  # noqa: F401
