"""The database restarted under load: requests fail cleanly (503, Retry-After, no error page, nothing
half-saved) and the next request after it is back succeeds on a fresh connection."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, connections
from django.test import Client

from core.models import County

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _database_down(error: Exception) -> mock._patch:
    """Every new cursor fails, as while PostgreSQL restarts (the connection is gone, reconnecting fails)."""
    return mock.patch.object(type(connections["default"]), "_cursor", side_effect=error)


@pytest.mark.parametrize(
    "error",
    [OperationalError("server closed the connection unexpectedly"), InterfaceError("connection already closed")],
    ids=["operational", "interface"],
)
def test_requests_fail_cleanly_while_the_database_is_down_and_recover(prosecutor, error) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(prosecutor)
    assert client.get("/counties/").status_code == 200
    with _database_down(error):
        down = client.get("/counties/")
    assert down.status_code == 503
    assert down["Retry-After"] == "30"
    assert "Temporarily unavailable" in down.content.decode()
    assert "Traceback" not in down.content.decode()
    back = client.get("/counties/")
    assert back.status_code == 200
    county = County.objects.first()
    assert county is not None and county.name in back.content.decode()


def test_other_server_errors_stay_500(prosecutor) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(prosecutor)
    with mock.patch("core.views.generic.FilteredListView.get_context_data", side_effect=ValueError("a bug")):
        assert client.get("/counties/").status_code == 500
