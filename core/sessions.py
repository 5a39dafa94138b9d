"""Signed-in sessions: they end after ``SESSION_IDLE_MINUTES`` without a request, and a request writes the
session row only when that moves its expiry by more than a minute.

Django's ``SESSION_SAVE_EVERY_REQUEST`` would write the row on every request (a transaction and a disk
flush per page, on every page) to slide the expiry forward. Here the store remembers the expiry the row
had when it was read, and ``SessionRefreshMiddleware`` marks the session for saving only when saving now
would push that expiry forward by more than a minute: a session still ends after the idle
minutes, give or take that minute, and a user clicking through pages writes it once a minute at most.
``SESSION_REFRESH_SECONDS`` sets the minute.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.http import HttpRequest, HttpResponseBase


class SessionStore(DatabaseSessionStore):
    """Django's database sessions (``SESSION_ENGINE = "core.sessions"``), remembering the expiry the row had
    when it was read."""

    stored_expiry: dt.datetime | None = None

    def _get_session_from_db(self) -> Any:
        session = super()._get_session_from_db()  # type: ignore[misc]  # Django's, missing from its stubs
        self.stored_expiry = session.expire_date if session is not None else None
        return session

    def expiry_lags(self) -> bool:
        """True when the stored row would expire more than ``SESSION_REFRESH_SECONDS`` before a save now would
        make it (False for a session never read from the database: a new one is saved anyway)."""
        if self.stored_expiry is None:
            return False
        slack = dt.timedelta(seconds=getattr(settings, "SESSION_REFRESH_SECONDS", 60))
        return bool(self.get_expiry_date() - self.stored_expiry > slack)


class SessionRefreshMiddleware:
    """Right after Django's ``SessionMiddleware``: marks a session that was used by the request for saving
    when its stored expiry lags (``SessionStore.expiry_lags``), so the idle expiry slides forward."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if (
            isinstance(session, SessionStore)
            and session.accessed
            and not session.modified
            and not session.is_empty()
            and session.expiry_lags()
        ):
            session.modified = True
        return response
