from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Import of the Excel and CSV registers kept before the tracker: cases, assets and hearings."""

    name = "imports"
    verbose_name = "Imports"
