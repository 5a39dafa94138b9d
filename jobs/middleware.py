"""A database that stops answering (a restart, a failover) gets a clean 503 rather than an error page, and
the next request gets a fresh connection.

Django turns an exception anywhere in the request into the 500 page before it reaches an outer middleware;
``got_request_exception`` tells us which 500s were the database's. The answer then is a 503 with
Retry-After (load balancers and browsers retry), the broken connection is closed, and nothing is kept in
the process: the next request connects again (``CONN_HEALTH_CHECKS`` catches a stale persistent connection
before use).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connections
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# No template: the page must not need anything the database might be needed for. Its words are translated
# into the language the request was answered in.
UNAVAILABLE_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{heading} — CTIP Case Tracker</title></head>
<body><main><h1>{heading}</h1>
<p>{explanation}</p></main></body></html>
"""
_MARK = "_database_unavailable"


@receiver(got_request_exception, dispatch_uid="jobs.database_outage")
def _note_database_failure(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, OperationalError | InterfaceError):
        setattr(request, _MARK, True)


class DatabaseOutageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not getattr(request, _MARK, False):
            return response
        logger.error("The database is unavailable: %s %s answered 503", request.method, request.path)
        for conn in connections.all(initialized_only=True):
            try:
                conn.close()
            except Exception:  # noqa: BLE001 - a connection already broken may fail to close; drop it anyway
                conn.connection = None
        unavailable = HttpResponse(unavailable_page(), status=503)
        unavailable["Retry-After"] = str(RETRY_AFTER_SECONDS)
        unavailable["Cache-Control"] = "no-store"
        return unavailable


def unavailable_page() -> str:
    """The 503 page, in the active language."""
    return UNAVAILABLE_PAGE.format(
        lang=escape(translation.get_language() or "en-gb"),
        heading=escape(_("Temporarily unavailable")),
        explanation=escape(
            _(
                "The tracker cannot reach its database just now. Nothing you sent was half-saved. "
                "Please try again in a minute."
            )
        ),
    )
