"""Notifications' test helpers: events happen through the domain services and are heard once their
transaction commits (``django_capture_on_commit_callbacks(execute=True)`` stands in for the commit)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest

from core.models import User
from notifications.models import Notification

Committed = Callable[[], AbstractContextManager[Any]]


@pytest.fixture(autouse=True)
def _locmem_email(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://ctip.example.go.ke"


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Callable[..., Any]) -> Committed:
    """``with committed(): service(...)``: run the service, then what waits for its commit."""

    @contextmanager
    def run() -> Iterator[None]:
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return run


def told(user: User) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user).order_by("id"))
