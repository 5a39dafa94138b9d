"""Upload → preview → confirm → import: nothing saved before confirming, then every row or none."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import User
from imports import progress, runner
from imports.choices import BatchState
from imports.exceptions import BatchNotReady, DuplicateFile, UnknownKind
from imports.kinds.base import ImportKind
from imports.models import ImportBatch
from jobs.choices import RunOutcome
from jobs.scheduler import run_now
from jobs.worker import Worker
from prosecutions.models import Court
from tests.imports.conftest import REFUSED_NAME, court_rows, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(monkeypatch: pytest.MonkeyPatch) -> Worker:
    """A worker that keeps the test's connection (it recycles connections between passes, which inside the
    test's transaction would close the connection the test runs in) — as tests/jobs do."""
    monkeypatch.setattr("jobs.worker.close_old_connections", lambda: None)
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    return Worker(worker_id="test-worker")


def uploaded(user: User, content: bytes, name: str = "courts.xlsx") -> ImportBatch:
    return runner.upload("courts", name, [content], len(content), user)


def previewed(user: User, content: bytes, name: str = "courts.xlsx") -> ImportBatch:
    batch = uploaded(user, content, name)
    runner.preview(batch.pk)
    batch.refresh_from_db()
    return batch


def imported(user: User, content: bytes, name: str = "courts.xlsx") -> ImportBatch:
    batch = previewed(user, content, name)
    assert batch.is_ready, batch.preview
    runner.confirm(batch, user)
    runner.run_import(batch.pk)
    batch.refresh_from_db()
    return batch


def test_an_upload_saves_nothing_but_the_batch_and_queues_its_preview_for_a_worker(
    court_kind: type[ImportKind], prosecutor: User, worker: Worker
) -> None:
    courts = Court.objects.count()
    batch = uploaded(prosecutor, xlsx_bytes(court_rows(3)))
    assert batch.state == BatchState.UPLOADED and len(batch.sha256) == 64
    assert runner.import_storage().exists(batch.stored_as)
    worker.run_pass()  # the queued preview runs in the worker
    batch.refresh_from_db()
    assert batch.state == BatchState.PREVIEWED
    assert batch.rows_total == 3 and batch.error_count == 0
    assert [plan["row"] for plan in batch.plans()] == [2, 3, 4]
    assert batch.preview["counts"] == {"create": 3, "update": 0, "duplicate": 0}
    assert Court.objects.count() == courts


def test_a_confirmed_import_runs_in_the_worker_and_every_row_has_its_history_note(
    court_kind: type[ImportKind], prosecutor: User, worker: Worker
) -> None:
    batch = previewed(prosecutor, xlsx_bytes(court_rows(2)), "old-courts.xlsx")
    runner.confirm(batch, prosecutor)
    assert batch.state == BatchState.IMPORTING
    worker.run_pass()
    batch.refresh_from_db()
    assert batch.state == BatchState.IMPORTED and batch.rows_done == 2 and batch.finished_at
    court = Court.objects.get(name="Test Court 2")
    record = court.history.get()
    assert record.history_user == prosecutor
    assert "imported from old-courts.xlsx, row 3" in record.history_change_reason
    assert batch.result == [{"label": "Court register", "url": reverse("core:county_list")}]


def test_a_refusal_in_row_7_leaves_nothing_saved(court_kind: type[ImportKind], prosecutor: User) -> None:
    rows = court_rows(8)
    rows[5][0] = REFUSED_NAME  # spreadsheet row 7: the preview cannot foresee the service's refusal
    courts = Court.objects.count()
    batch = previewed(prosecutor, xlsx_bytes(rows))
    assert batch.is_ready
    runner.confirm(batch, prosecutor)
    runner.run_import(batch.pk)
    batch.refresh_from_db()
    assert batch.state == BatchState.FAILED
    assert f"the court {REFUSED_NAME} cannot be registered" in batch.error_text
    assert "Nothing was imported" in batch.error_text and "after 5 of 8 rows" in batch.error_text
    assert Court.objects.count() == courts  # rows 2–6 were saved, then rolled back with row 7
    assert batch.rows_done == 0


def test_a_batch_with_errors_cannot_be_confirmed(court_kind: type[ImportKind], prosecutor: User) -> None:
    rows = court_rows(2)
    rows[1][1] = "Hihg Court"
    batch = previewed(prosecutor, csv_bytes(rows), "courts.csv")
    assert batch.error_count == 1 and not batch.is_ready
    (error,) = batch.plans()[1]["errors"]
    assert error == {
        "row": 3,
        "column": "Level",
        "message": "'Hihg Court' is not a level of court; did you mean High Court?",
    }
    with pytest.raises(BatchNotReady):
        runner.confirm(batch, prosecutor)
    assert ImportBatch.objects.get(pk=batch.pk).state == BatchState.PREVIEWED


def test_only_the_uploader_confirms(court_kind: type[ImportKind], prosecutor: User, unit_head: User) -> None:
    batch = previewed(prosecutor, xlsx_bytes(court_rows(1)))
    with pytest.raises(BatchNotReady, match="Only the person who uploaded"):
        runner.confirm(batch, unit_head)


def test_reimporting_the_same_file_is_refused_by_its_hash_naming_the_earlier_batch(
    court_kind: type[ImportKind], prosecutor: User, unit_head: User
) -> None:
    content = xlsx_bytes(court_rows(2))
    first = imported(prosecutor, content)
    assert first.state == BatchState.IMPORTED
    with pytest.raises(DuplicateFile) as refused:
        uploaded(unit_head, content, "renamed.xlsx")
    assert f"batch #{first.pk}" in refused.value.message
    assert "courts.xlsx" in refused.value.message and str(prosecutor) in refused.value.message
    assert ImportBatch.objects.count() == 1


def test_the_same_file_cannot_be_confirmed_twice(court_kind: type[ImportKind], prosecutor: User) -> None:
    content = xlsx_bytes(court_rows(2))
    one, two = previewed(prosecutor, content), previewed(prosecutor, content)
    runner.confirm(one, prosecutor)
    with pytest.raises(DuplicateFile):
        runner.confirm(two, prosecutor)
    assert ImportBatch.objects.get(pk=two.pk).state == BatchState.PREVIEWED


def test_duplicates_are_reported_and_not_doubled(court_kind: type[ImportKind], prosecutor: User) -> None:
    imported(prosecutor, xlsx_bytes(court_rows(2)))
    batch = previewed(prosecutor, xlsx_bytes(court_rows(3)), "more.xlsx")  # courts 1 and 2 again, and 3
    assert batch.preview["counts"] == {"create": 1, "update": 0, "duplicate": 2}
    assert [plan["action"] for plan in batch.plans()] == ["duplicate", "duplicate", "create"]
    runner.confirm(batch, prosecutor)
    runner.run_import(batch.pk)
    assert Court.objects.filter(name__startswith="Test Court ").count() == 3


def test_progress_advances_where_the_page_can_read_it_during_the_import(
    court_kind: type[ImportKind], prosecutor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = previewed(prosecutor, xlsx_bytes(court_rows(250)))
    runner.confirm(batch, prosecutor)
    seen: list[tuple[int, int]] = []
    write = progress.write_progress

    def spy(batch_pk: int, done: int) -> None:
        write(batch_pk, done)
        # What the batch page shows at this moment (the import's transaction still open).
        seen.append((done, progress.read_progress(ImportBatch.objects.get(pk=batch_pk))))

    monkeypatch.setattr(progress, "write_progress", spy)
    runner.run_import(batch.pk)
    assert len(seen) >= 100
    assert all(done == shown for done, shown in seen)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen) and seen[-1][0] == 250
    batch.refresh_from_db()
    assert batch.rows_done == 250 and progress.read_progress(batch) == 250


def test_a_refused_file_fails_its_preview_with_the_message(court_kind: type[ImportKind], prosecutor: User) -> None:
    batch = previewed(prosecutor, csv_bytes([["x"]], headers=["Magistrate"]), "bad.csv")
    assert batch.state == BatchState.FAILED
    assert "The header row does not match the Court register" in batch.error_text


def test_a_kind_the_user_may_not_import_is_refused(court_kind: type[ImportKind], fund_admin: User) -> None:
    with pytest.raises(UnknownKind):
        uploaded(fund_admin, xlsx_bytes(court_rows(1)))
    assert not ImportBatch.objects.exists()


def test_cancel(court_kind: type[ImportKind], prosecutor: User, settings: Any) -> None:
    batch = previewed(prosecutor, xlsx_bytes(court_rows(1)))
    runner.cancel(batch, prosecutor)
    assert batch.state == BatchState.CANCELLED
    with pytest.raises(BatchNotReady):
        runner.confirm(batch, prosecutor)
    with pytest.raises(BatchNotReady, match="no longer be cancelled"):
        runner.cancel(batch, prosecutor)


def test_a_preview_reports_the_rows_it_has_read(
    court_kind: type[ImportKind], prosecutor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = uploaded(prosecutor, csv_bytes(court_rows(7)), "courts.csv")
    monkeypatch.setattr(runner, "READ_PROGRESS_EVERY", 2)
    seen: list[int] = []
    write = progress.write_progress

    def spy(batch_pk: int, done: int) -> None:
        write(batch_pk, done)
        seen.append(progress.read_progress(ImportBatch.objects.get(pk=batch_pk)))

    monkeypatch.setattr(progress, "write_progress", spy)
    runner.preview(batch.pk)
    assert seen == [2, 4, 6]
    batch.refresh_from_db()
    assert batch.rows_done == 7 and progress.read_progress(batch) == 7


def test_a_batch_whose_worker_stopped_is_marked_failed_and_its_file_may_come_again(
    court_kind: type[ImportKind], prosecutor: User
) -> None:
    content = xlsx_bytes(court_rows(2))
    stalled, alive = previewed(prosecutor, content), previewed(prosecutor, xlsx_bytes(court_rows(1, start=9)))
    runner.confirm(stalled, prosecutor)  # its worker dies before committing anything
    runner.confirm(alive, prosecutor)
    later = timezone.now() + runner.STALLED_AFTER + dt.timedelta(minutes=1)
    progress.write_progress(alive.pk, 1)
    os.utime(progress.progress_path(alive.pk), (later.timestamp(), later.timestamp()))  # progress just now
    run = run_now("imports.fail_interrupted", "w1")  # the scheduled job: nothing stalled yet
    assert run is not None and run.outcome == RunOutcome.SUCCEEDED, run and run.error
    assert run.get_message_display() == "0 interrupted imports marked failed."
    assert str(runner.fail_interrupted(now=later)) == "1 interrupted import marked failed."
    stalled.refresh_from_db()
    alive.refresh_from_db()
    assert stalled.state == BatchState.FAILED and "worker stopped" in stalled.error_text
    assert alive.state == BatchState.IMPORTING
    assert uploaded(prosecutor, content).state == BatchState.UPLOADED  # not refused as imported
