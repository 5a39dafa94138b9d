from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        # The scope rule of documents and the demo seed step; the record kinds are registered by the apps
        # that own them (``<app>/documents.py``), each from its own ``AppConfig.ready``.
        from documents import access, registrations, schedule  # noqa: F401
