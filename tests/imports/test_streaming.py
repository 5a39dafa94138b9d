"""The case register through the runner without holding the file: each case planned and saved once its last
row is read, the file read again for each pass, no row's plan kept through the import's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from core.models import User
from imports import progress as progress_file
from imports import runner
from imports.choices import BatchState
from imports.kinds.base import ParsedRow
from imports.kinds.case_drafts import grouped, survey
from imports.kinds.cases import CaseRegister
from imports.models import ImportBatch, ImportRow
from prosecutions.models import Accused, Case, Court
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db

HEADERS = [column.header for column in CaseRegister.columns]


def ago(days: int) -> str:
    return (dt.date.today() - dt.timedelta(days=days)).strftime("%d/%m/%Y")


def line(ob: str, court_case: str, accused: str, count: int = 1) -> list[Any]:
    """A row of a case at pre-trial at Mombasa: the accused charged on one count, denied."""
    cells = {
        "OB number": ob,
        "Court case number": court_case,
        "Court": "Mombasa Chief Magistrate's Court",
        "Date reported": ago(900),
        "Date charged": ago(880),
        "Stage": "Pre-trial",
        "Accused name": accused,
        "Count": str(count),
        "Offence": "CTIP s.3(1)",
        "Offence date": ago(910),
        "Plea": "Not guilty",
        "Plea date": ago(870),
    }
    return [cells.get(header, "") for header in HEADERS]


# Case A's rows are apart: its second row comes after case B's.
REGISTER = csv_bytes(
    [
        line("OB 1/2021", "E1 of 2021", "Juma Ali"),
        line("OB 2/2021", "E2 of 2021", "Ann Atieno"),
        line("", "Criminal Case E1 of 2021", "Omar Said"),  # case A again, by its court number
        line("OB 3/2021", "E3 of 2021", "Grace Mutua"),
    ],
    HEADERS,
)


def previewed(user: User, content: bytes) -> ImportBatch:
    batch = runner.upload("cases", "register.csv", [content], len(content), user)
    runner.preview(batch.pk)
    batch.refresh_from_db()
    assert batch.is_ready, list(batch.plans())
    runner.confirm(batch, user)
    return batch


def test_the_case_register_is_saved_case_by_case_reading_the_file_again(
    prosecutor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = previewed(prosecutor, REGISTER)
    reads: list[str] = []
    real = runner.parsed_rows

    def counted(*args: Any, **kwargs: Any) -> Iterator[ParsedRow]:
        reads.append(args[0])
        return real(*args, **kwargs)

    def held(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the import handed the kind every row's plan")

    monkeypatch.setattr(runner, "parsed_rows", counted)
    monkeypatch.setattr(CaseRegister, "apply", held)
    assert runner.run_import(batch.pk) == "4 rows imported"

    batch.refresh_from_db()
    assert (batch.state, batch.rows_total, batch.rows_done) == (BatchState.IMPORTED, 4, 4)
    assert len(reads) == 4  # which rows are one case, then the cases: to check them, then to save them
    assert Case.objects.count() == 3
    names = set(Accused.objects.filter(case__ob_number="OB 1/2021").values_list("name", flat=True))
    assert names == {"Juma Ali", "Omar Said"}
    omar = Accused.objects.get(name="Omar Said")
    assert "imported from register.csv, row 4" in omar.history.get().history_change_reason


def test_the_preview_stores_each_rows_plan_as_it_comes_reading_the_file_again(
    prosecutor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No list of every row or every plan: the case register's plans are stored a few at a time as the kind
    hands them on; reading progress and the reader's notes come from the first pass only."""
    batch = runner.upload("cases", "register.csv", [REGISTER], len(REGISTER), prosecutor)
    reads: list[bool] = []
    real = runner.parsed_rows

    def counted(*args: Any, **kwargs: Any) -> Iterator[ParsedRow]:
        reads.append(len(args) > 3 or "notes" in kwargs)
        return real(*args, **kwargs)

    def held(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the preview planned every row at once")

    stored: list[int] = []
    bulk_create = ImportRow.objects.bulk_create

    def spy(rows: list[ImportRow], **kwargs: Any) -> list[ImportRow]:
        stored.append(len(rows))
        return bulk_create(rows, **kwargs)

    progress: list[int] = []
    monkeypatch.setattr(runner, "parsed_rows", counted)
    monkeypatch.setattr(CaseRegister, "plan", held)
    monkeypatch.setattr(runner, "ROWS_SAVED_AT_ONCE", 3)
    monkeypatch.setattr(runner, "READ_PROGRESS_EVERY", 2)
    monkeypatch.setattr(progress_file, "write_progress", lambda pk, done: progress.append(done))
    monkeypatch.setattr(ImportRow.objects, "bulk_create", spy)
    assert runner.preview(batch.pk) == "4 rows, 0 errors"

    batch.refresh_from_db()
    assert (batch.state, batch.rows_total, batch.error_count) == (BatchState.PREVIEWED, 4, 0)
    assert batch.preview["counts"] == {"create": 4, "update": 0, "duplicate": 0}
    assert [plan["row"] for plan in batch.plans()] == [2, 3, 4, 5]
    assert stored == [3, 1]
    assert reads == [True, False]  # which rows are one case (with the notes), then the cases
    assert progress == [2, 4]


def test_a_preview_that_fails_part_way_keeps_none_of_its_rows(
    prosecutor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = runner.upload("cases", "register.csv", [REGISTER], len(REGISTER), prosecutor)
    made: list[int] = []
    real = runner._row_of

    def breaks_on_the_third(batch: ImportBatch, plan: Any) -> ImportRow:
        made.append(plan.row)
        if len(made) == 3:
            raise RuntimeError("the disk is full")
        return real(batch, plan)

    monkeypatch.setattr(runner, "ROWS_SAVED_AT_ONCE", 1)
    monkeypatch.setattr(runner, "_row_of", breaks_on_the_third)
    with pytest.raises(RuntimeError):
        runner.preview(batch.pk)
    batch.refresh_from_db()
    assert batch.state == BatchState.FAILED
    assert len(made) == 3  # two rows were stored before the third failed
    assert not ImportRow.objects.filter(batch=batch).exists()


def test_a_row_in_error_since_the_preview_stops_the_streamed_import_saving_nothing(prosecutor: User) -> None:
    batch = previewed(prosecutor, REGISTER)
    Court.objects.filter(name="Mombasa Chief Magistrate's Court").update(is_active=False)
    assert runner.run_import(batch.pk) == "refused"
    batch.refresh_from_db()
    assert batch.state == BatchState.FAILED
    assert "4 row(s) now have errors, e.g. row 2, Court:" in batch.error_text
    assert not Case.objects.exists()


def test_the_rows_of_a_case_are_held_only_until_its_last_row_is_read() -> None:
    def rows() -> list[ParsedRow]:
        numbers = [("OB 1", "E1 of 2021"), ("OB 2", None), ("ob  1", None), (None, "e1 of 2021"), (None, None)]
        return [
            ParsedRow(index, {"ob_number": ob, "court_case": court, "prosecutor": None})
            for index, (ob, court) in enumerate(numbers, start=2)
        ]

    found = survey(rows())
    cases = [[parsed.row for parsed in group] for group in grouped(rows(), found)]
    assert cases == [[3], [2, 4, 5], [6]]  # case OB 2 comes out first: its only row is read before OB 1's last


def test_saving_collects_garbage_every_so_many_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """The walk's records form reference cycles: a full collection every ``COLLECT_EVERY_ROWS`` rows keeps a
    long file's peak memory that of a few hundred rows; every row's progress is still reported."""
    collections: list[int] = []
    reported: list[int] = []

    def collect(*args: Any) -> int:
        collections.append(len(reported))
        return 0

    monkeypatch.setattr(runner.gc, "collect", collect)
    report = runner.collecting(reported.append, every=500)
    for done in range(2, 1601, 2):  # a case of two rows at a time
        report(done)
    assert reported == list(range(2, 1601, 2))
    assert collections == [249, 499, 749]  # after rows 500, 1,000 and 1,500: before their progress is told
