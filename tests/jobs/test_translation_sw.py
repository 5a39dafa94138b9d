"""The jobs app in Kiswahili: the Scheduled jobs page, a background export's page, and the workbook a worker
prepares — in the language of the person who asked, whatever language the worker runs in."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.utils import translation

from core.exporter import ABOUT_SHEET, DATA_SHEET
from core.models import User
from core.translations import compile_catalogues
from jobs.choices import ExportStatus
from jobs.models import BackgroundExport
from jobs.worker import Worker

pytestmark = pytest.mark.django_db
LIST = "/counties/"


@pytest.fixture(scope="module", autouse=True)
def _catalogues() -> None:
    compile_catalogues()


@pytest.fixture(autouse=True)
def _small_threshold(settings: Any) -> None:
    settings.EXPORT_BACKGROUND_ROWS = 10  # the 47 counties are "large"


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("jobs.worker.close_old_connections", lambda: None)
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)


def _workbook(download: Any) -> openpyxl.Workbook:
    assert download.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)


def _in_swahili(text: object) -> str:
    with translation.override("sw"):
        return str(text)


def test_the_schedule_page_reads_in_kiswahili(client: Client, unit_head: User) -> None:
    client.force_login(unit_head)
    with translation.override("sw"):
        html = client.get("/jobs/", HTTP_ACCEPT_LANGUAGE="sw").content.decode()
    assert "Kazi zilizoratibiwa" in html and "Uendeshaji wa karibuni" in html
    assert "Matokeo" in html and "Nyakati zote ni saa za Nairobi." in html
    assert "kila siku saa 07:00" in html  # the notifications' daily digest, its schedule in Kiswahili
    for english in ("Scheduled jobs", "Recent runs", "Times are Nairobi time", "Next run", "daily at"):
        assert english not in html, english


def test_a_background_export_is_prepared_in_the_language_of_the_person_who_asked(
    client: Client, prosecutor: User
) -> None:
    client.force_login(prosecutor)
    asked = client.get(f"{LIST}?export=xlsx", HTTP_ACCEPT_LANGUAGE="sw")
    assert asked.status_code == 302
    export = BackgroundExport.objects.get()
    page = client.get(f"/jobs/exports/{export.token}/", HTTP_ACCEPT_LANGUAGE="sw").content.decode()
    assert "Inasubiri kichakataji" in page and "Waiting for a worker" not in page

    with translation.override("en-gb"):  # the worker's own language is the site's: it must not matter
        Worker(worker_id="test-worker").run_pass()
    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    ready = client.get(f"/jobs/exports/{export.token}/", HTTP_ACCEPT_LANGUAGE="sw", headers={"HX-Request": "true"})
    assert "Tayari: safu 47." in ready.content.decode()

    download = client.get(f"/jobs/exports/{export.token}/download/")
    workbook = _workbook(download)
    about, data = _in_swahili(ABOUT_SHEET), _in_swahili(DATA_SHEET)
    assert about != "About this export"
    assert workbook.sheetnames == [data, about]
    labels = [row[0] for row in workbook[about].iter_rows(values_only=True) if row[0]]
    assert "Imepakuliwa na" in labels and "Exported by" not in labels


def test_a_user_who_chose_kiswahili_gets_it_whatever_the_browser_says(client: Client, prosecutor: User) -> None:
    prosecutor.language = "sw"
    prosecutor.save()
    client.force_login(prosecutor)
    client.get(f"{LIST}?export=xlsx", HTTP_ACCEPT_LANGUAGE="en-GB")
    Worker(worker_id="test-worker").run_pass()
    export = BackgroundExport.objects.get()
    download = client.get(f"/jobs/exports/{export.token}/download/")
    workbook = _workbook(download)
    assert _in_swahili(ABOUT_SHEET) in workbook.sheetnames


def test_an_export_asked_for_in_english_stays_english(client: Client, prosecutor: User) -> None:
    client.force_login(prosecutor)
    client.get(f"{LIST}?export=xlsx", HTTP_ACCEPT_LANGUAGE="en-GB")
    with translation.override("sw"):  # a worker started in Kiswahili does not impose it
        Worker(worker_id="test-worker").run_pass()
    export = BackgroundExport.objects.get()
    download = client.get(f"/jobs/exports/{export.token}/download/")
    workbook = _workbook(download)
    assert workbook.sheetnames == ["Data", "About this export"]


def test_the_database_outage_page_is_in_the_language_of_the_request() -> None:
    from jobs.middleware import unavailable_page

    with translation.override("sw"):
        page = unavailable_page()
    assert '<html lang="sw">' in page and "Haipatikani kwa muda" in page and "Temporarily" not in page
