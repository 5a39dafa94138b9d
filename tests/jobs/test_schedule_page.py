"""The Scheduled jobs page: the unit head and auditors see each job's last run, outcome and next run, a
failed run shown as failed; nobody else sees it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobs.scheduler import run_due_jobs
from jobs.worker import beat
from tests.jobs.conftest import Schedule

pytestmark = pytest.mark.django_db
URL = "/jobs/"


def _broken() -> str:
    raise RuntimeError("the mail relay refused the connection")


def test_the_url_is_the_schedule() -> None:
    assert reverse("jobs:schedule") == URL


@pytest.mark.parametrize("persona", ["unit_head", "auditor"])
def test_the_unit_head_and_auditors_see_each_job_and_a_failure(schedule: Schedule, client, persona, request) -> None:
    schedule.add("test.fine", lambda: "3 things counted", every=dt.timedelta(hours=1))
    schedule.add("test.broken", _broken, every=dt.timedelta(hours=1))
    schedule.add("test.nightly", daily_at=dt.time(2, 0))
    run_due_jobs("worker-1")
    beat("worker-1")
    client.force_login(request.getfixturevalue(persona))
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "A worker reported in" in html
    fine = html.split('data-job="test.fine"')[1].split("</tr>")[0]
    assert "Succeeded" in fine and "3 things counted" in fine
    broken = html.split('data-job="test.broken"')[1].split("</tr>")[0]
    assert "Failed" in broken and "retried with back-off" in broken and "table-danger" in html
    assert "the mail relay refused the connection" in html  # the error, in the recent runs
    nightly = html.split('data-job="test.nightly"')[1].split("</tr>")[0]
    assert "never" in nightly and "daily at 02:00" in nightly


@pytest.mark.parametrize("persona", ["prosecutor", "fund_admin", "liaison", "stranger"])
def test_others_are_refused(client, persona, request) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_page_says_when_no_worker_runs(schedule: Schedule, client, auditor) -> None:
    client.force_login(auditor)
    assert "No worker has ever reported" in client.get(URL).content.decode()


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


def test_the_page_runs_a_fixed_number_of_queries(schedule: Schedule, client, auditor) -> None:
    schedule.add("test.a", every=dt.timedelta(minutes=1))
    client.force_login(auditor)
    run_due_jobs("w")
    few = _queries(client)
    for index in range(8):
        schedule.add(f"test.more{index}", _broken if index % 2 else None, every=dt.timedelta(minutes=1))
    run_due_jobs("w")
    assert _queries(client) == few
