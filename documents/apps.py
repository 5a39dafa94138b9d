from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"

    def ready(self) -> None:
        # The scope rule of documents and the demo seed step; the record kinds are registered by the apps
        # that own them (``<app>/documents.py``), each from its own ``AppConfig.ready``.
        from documents import access, registrations, schedule  # noqa: F401
