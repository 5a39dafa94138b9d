"""A run's outcome line is stored untranslated with its values and shown in each reader's language: the same
stored row reads in Kiswahili to one reader and in English to another, whatever language the worker ran in."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation

from core.models import User
from core.translations import compile_catalogues
from jobs.choices import RunOutcome
from jobs.models import JobRun
from jobs.outcome import Outcome
from jobs.scheduler import claim, run_due_jobs, run_now, sync_schedule
from notifications import services as notification_services
from tests.jobs.conftest import Schedule, later

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def _catalogues() -> None:
    compile_catalogues()


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    """A page read as a Kiswahili reader leaves Kiswahili active in this thread: restore the language after."""
    with translation.override(translation.get_language()):
        yield


def schedule_page(reader: User, language: str) -> str:
    client = Client()
    client.force_login(reader)
    response = client.get("/jobs/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_a_run_is_stored_untranslated_even_by_a_worker_running_in_kiswahili() -> None:
    with translation.override("sw"):
        run = run_now("imports.fail_interrupted", "w1")
    assert run is not None and run.outcome == RunOutcome.SUCCEEDED, run and run.error
    assert run.message == "%(count)s interrupted import marked failed."
    assert run.message_params == {
        "values": {"count": 0},
        "plural": "%(count)s interrupted imports marked failed.",
        "number": "count",
    }


def test_the_same_stored_run_reads_in_kiswahili_and_in_english(unit_head: User, auditor: User) -> None:
    run = run_now("imports.fail_interrupted", "w1")
    assert run is not None
    auditor.language = "sw"
    auditor.save(update_fields=["language"])

    in_kiswahili = schedule_page(auditor, "en")  # the auditor's saved choice wins over the browser
    assert "Uingizaji 0 uliokatizwa umewekwa alama ya kushindwa." in in_kiswahili
    assert "interrupted imports marked failed" not in in_kiswahili

    in_english = schedule_page(unit_head, "en")
    assert "0 interrupted imports marked failed." in in_english
    assert "Uingizaji" not in in_english
    assert JobRun.objects.count() == 1  # one stored row, two languages


def test_the_count_decides_the_form_and_dates_are_written_in_the_readers_language() -> None:
    outcome = notification_services.send_daily_digests(dt.date(2026, 12, 2))
    stored = Outcome.stored(outcome.message, outcome.params())
    assert stored.params() == {
        "values": {"count": 0, "date": "2026-12-02"},
        "dates": ["date"],
        "plural": "Queued %(count)s daily digests for %(date)s.",
        "number": "count",
    }
    with translation.override("en-gb"):
        assert str(stored) == "Queued 0 daily digests for 02 Dec 2026."
        assert (
            str(
                Outcome.ngettext(
                    "%(count)s interrupted import marked failed.",
                    "%(count)s interrupted imports marked failed.",
                    "count",
                    count=1,
                )
            )
            == "1 interrupted import marked failed."
        )
    with translation.override("sw"):
        written = str(stored)
    assert written.startswith("Mihtasari 0 ya kila siku imewekwa foleni kwa 02 ")
    assert "Dec" not in written  # December in Kiswahili


def test_an_abandoned_run_says_so_in_the_readers_language(schedule: Schedule, unit_head: User, settings) -> None:
    settings.JOBS_RUN_TIMEOUT_MINUTES = 15
    job = schedule.add("test.killed", lambda: Outcome.gettext("No documents stored yet: nothing to verify."))
    sync_schedule()
    dead = claim(job, "worker-killed", timezone.now())
    assert dead is not None
    run_due_jobs("worker-b", later(16))
    dead.refresh_from_db()
    assert dead.outcome == RunOutcome.ABANDONED and dead.error == ""

    page = schedule_page(unit_head, "sw")
    assert "Kichakataji kilichokuwa kikiiendesha kilisimama kabla ya kumaliza; iliendeshwa tena." in page
    assert "Bado hakuna hati zilizohifadhiwa: hakuna cha kuhakiki." in page  # the run after it
    assert "stopped before it finished" not in page and "nothing to verify" not in page


def test_a_run_recorded_before_lines_were_kept_untranslated_shows_as_stored(unit_head: User) -> None:
    now = timezone.now()
    JobRun.objects.create(
        job_name="notifications.send_outbox",
        worker_id="old-worker",
        started_at=now,
        finished_at=now,
        outcome=RunOutcome.SUCCEEDED,
        message="Sent 3 e-mail(s); 0 waiting.",
    )
    assert "Sent 3 e-mail(s); 0 waiting." in schedule_page(unit_head, "sw")


def test_a_translation_whose_placeholders_went_wrong_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("jobs.outcome.translate", lambda message: "Faili %(wrong)s")
    assert str(Outcome.gettext("Documents intact: %(checked)s.", checked=4)) == "Documents intact: 4."


def test_running_a_job_by_hand_prints_its_line_in_the_servers_language(settings) -> None:
    out = io.StringIO()
    with translation.override(settings.LANGUAGE_CODE):  # as a command starts: in the site's language
        call_command("run_job", "imports.fail_interrupted", stdout=out)
    assert out.getvalue().strip() == "imports.fail_interrupted: 0 interrupted imports marked failed."
