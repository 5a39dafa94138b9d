"""/health/: no sign-in, no data; the database and the workers' liveness, for a load balancer."""

from __future__ import annotations

import datetime as dt
import json
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from jobs.models import WorkerHeartbeat
from jobs.worker import beat

pytestmark = pytest.mark.django_db


def _health(query: str = "") -> tuple[int, dict[str, str]]:
    response = Client().get(f"/health/{query}")
    return response.status_code, json.loads(response.content)


def test_it_answers_without_sign_in_and_shows_no_data() -> None:
    beat("worker-1")
    status, body = _health()
    assert status == 200
    assert body == {"status": "ok", "database": "ok", "worker": "ok"}


def test_a_silent_worker_is_reported_and_fails_the_worker_check_only(settings) -> None:
    settings.JOBS_WORKER_STALE_SECONDS = 60
    beat("worker-1")
    WorkerHeartbeat.objects.update(last_seen_at=timezone.now() - dt.timedelta(minutes=5))
    status, body = _health()
    assert status == 200 and body["worker"] == "late"  # the app server still serves: stay in rotation
    status, body = _health("?require=worker")
    assert status == 503 and body["status"] == "unavailable"


def test_no_worker_at_all_is_late() -> None:
    assert _health()[1]["worker"] == "late"


def test_a_database_that_does_not_answer_is_a_503() -> None:
    with mock.patch("jobs.views.connection.cursor", side_effect=OperationalError("server closed the connection")):
        status, body = _health()
    assert status == 503
    assert body == {"status": "unavailable", "database": "unavailable", "worker": "unknown"}


def test_it_is_never_cached() -> None:
    assert "no-cache" in Client().get("/health/")["Cache-Control"]
