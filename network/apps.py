from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Network behind the cases"

    def ready(self) -> None:
        # registrations: the navigation entry, the case page's Network tab and the demo step.
        from network import registrations  # noqa: F401
