"""A list export over the threshold is prepared by a worker, its progress shown (htmx polling), and offered
for download when ready — the same rows and columns as the page, stored privately, to its requester only."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.storage import storages
from django.utils import timezone

from core.models import County
from jobs.choices import ExportStatus, RunOutcome
from jobs.models import BackgroundExport
from jobs.scheduler import run_now
from jobs.worker import Worker

pytestmark = pytest.mark.django_db
LIST = "/counties/"


@pytest.fixture(autouse=True)
def _small_threshold(settings) -> None:
    settings.EXPORT_BACKGROUND_ROWS = 10  # the 47 counties are "large"


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch) -> None:
    """A worker recycles its database connection between passes; inside a test's transaction that would
    close the connection the test runs in (as Django's test client stops request_finished doing)."""
    monkeypatch.setattr("jobs.worker.close_old_connections", lambda: None)
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)


def _work_the_queue() -> None:
    Worker(worker_id="test-worker").run_pass()


def _ask(client, query: str = "export=xlsx") -> BackgroundExport:
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 302
    export = BackgroundExport.objects.get()
    assert response["Location"] == f"/jobs/exports/{export.token}/"
    return export


def test_a_large_export_is_prepared_in_the_background_and_downloaded_when_ready(client, prosecutor) -> None:
    client.force_login(prosecutor)
    export = _ask(client)
    page = client.get(f"/jobs/exports/{export.token}/")
    html = page.content.decode()
    assert "Waiting for a worker" in html and 'hx-trigger="every 2s"' in html
    assert f'hx-get="/jobs/exports/{export.token}/"' in html

    _work_the_queue()
    export.refresh_from_db()
    assert export.status == ExportStatus.READY and export.rows_done == County.objects.count() == 47
    partial = client.get(f"/jobs/exports/{export.token}/", headers={"HX-Request": "true"})
    text = partial.content.decode()
    assert "<html" not in text and "hx-trigger" not in text  # the partial alone; polling stops
    assert "Ready: 47 rows" in text

    download = client.get(f"/jobs/exports/{export.token}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="counties-')
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    assert "About this export" in workbook.sheetnames
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 48  # the header and every county
    names = {row[1] for row in rows[1:]} | {row[0] for row in rows[1:]}
    assert set(County.objects.values_list("name", flat=True)) <= names


def test_the_export_keeps_the_filters_of_the_page(client, prosecutor) -> None:
    client.force_login(prosecutor)
    on_screen = client.get(f"{LIST}?q=a").context["result_count"]
    assert 10 < on_screen < 47
    export = _ask(client, "q=a&export=xlsx")
    _work_the_queue()
    download = client.get(f"/jobs/exports/{export.token}/download/")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    assert len(list(workbook.worksheets[0].iter_rows(values_only=True))) == on_screen + 1
    about = [row for row in workbook["About this export"].iter_rows(values_only=True) if row[0] or row[1]]
    assert any(str(row[1]).split(": ")[-1] == "a" for row in about), about  # the filter, named


def test_only_the_requester_sees_or_downloads_it(client, prosecutor, other_prosecutor, auditor) -> None:
    client.force_login(prosecutor)
    export = _ask(client)
    _work_the_queue()
    for someone in (other_prosecutor, auditor):
        client.force_login(someone)
        assert client.get(f"/jobs/exports/{export.token}/").status_code == 404
        assert client.get(f"/jobs/exports/{export.token}/download/").status_code == 404
    client.logout()
    assert client.get(f"/jobs/exports/{export.token}/download/").status_code == 302  # sign in first


def test_the_file_is_kept_privately(client, prosecutor, settings) -> None:
    client.force_login(prosecutor)
    export = _ask(client)
    _work_the_queue()
    export.refresh_from_db()
    storage = storages["exports"]
    assert storage.exists(export.stored_as)
    stored = Path(storage.path(export.stored_as)).resolve()
    for public in (settings.MEDIA_ROOT, settings.STATIC_ROOT, *settings.STATICFILES_DIRS):
        assert not stored.is_relative_to(Path(public).resolve())  # nothing serves it but the download view


def test_behind_nginx_the_download_is_handed_over_with_x_accel_redirect(client, prosecutor, settings) -> None:
    settings.EXPORT_ACCEL_REDIRECT_PREFIX = "/protected-exports/"
    client.force_login(prosecutor)
    export = _ask(client)
    _work_the_queue()
    export.refresh_from_db()
    response = client.get(f"/jobs/exports/{export.token}/download/")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-exports/{export.stored_as}"
    assert response.content == b""


def test_a_small_export_is_still_built_during_the_request(client, prosecutor, settings) -> None:
    settings.EXPORT_BACKGROUND_ROWS = 100
    client.force_login(prosecutor)
    response = client.get(f"{LIST}?export=xlsx")
    assert response.status_code == 200 and not BackgroundExport.objects.exists()


def test_an_export_that_fails_says_so(client, prosecutor, monkeypatch) -> None:
    client.force_login(prosecutor)
    export = _ask(client)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("jobs.exports.write_workbook", broken)
    _work_the_queue()
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    html = client.get(f"/jobs/exports/{export.token}/").content.decode()
    assert "could not be prepared" in html and f'hx-get="/jobs/exports/{export.token}/"' not in html  # stops polling


def test_exports_older_than_a_week_are_removed_with_their_files(client, prosecutor) -> None:
    client.force_login(prosecutor)
    old = _ask(client)
    _work_the_queue()
    old.refresh_from_db()
    BackgroundExport.objects.filter(pk=old.pk).update(requested_at=timezone.now() - dt.timedelta(days=8))
    client.get(f"{LIST}?export=xlsx")  # a fresh one, kept
    _work_the_queue()
    fresh = BackgroundExport.objects.exclude(pk=old.pk).get()
    run = run_now("jobs.prune", "w1")
    assert run is not None and run.outcome == RunOutcome.SUCCEEDED, run and run.error
    assert run.get_message_display().startswith("Removed 1 old export(s) (1 file(s))")
    assert list(BackgroundExport.objects.all()) == [fresh]
    assert not storages["exports"].exists(old.stored_as) and storages["exports"].exists(fresh.stored_as)
