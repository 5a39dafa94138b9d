from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API other agencies' systems use: the same services and access rules as the pages."""

    name = "api"
    verbose_name = "API"
