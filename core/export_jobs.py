"""Large list exports go to the background: the hook between core's list views and the workers.

``FilteredListView.export`` asks :func:`offer_background_export` first. When a list holds more rows than
``EXPORT_BACKGROUND_ROWS`` and a background exporter is installed (the ``jobs`` app installs one when it is
ready — core imports nothing from it), the exporter queues the work and answers with the page that shows
its progress; otherwise the workbook is built during the request, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase

# (request, title of the list) -> the response that shows the export's progress
BackgroundExporter = Callable[[HttpRequest, str], HttpResponseBase]

_exporter: list[BackgroundExporter] = []


def install_background_exporter(exporter: BackgroundExporter) -> None:
    _exporter[:] = [exporter]


def offer_background_export(request: HttpRequest, title: str, queryset: QuerySet[Any]) -> HttpResponseBase | None:
    """The background export's progress page when the list is too large to export in the request; else None."""
    threshold = settings.EXPORT_BACKGROUND_ROWS
    if not _exporter or threshold <= 0 or getattr(request, "in_background", False):
        return None
    if not queryset[threshold : threshold + 1].exists():
        return None  # at most `threshold` rows: built in the request
    return _exporter[0](request, title)
