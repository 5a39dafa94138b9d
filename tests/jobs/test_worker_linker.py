"""A worker links the audit chain: on PostgreSQL writers only queue their rows, and each worker runs the
linker beside its loop, so a change gets its link within a second however long the worker's task runs."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import OperationalError

from core.models import AuditLink, AuditPending, County
from jobs import worker as worker_module
from jobs.worker import Worker
from prosecutions.choices import CourtLevel
from prosecutions.models import Court

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _queued_court(name: str) -> int:
    court = Court(name=name, level=CourtLevel.RESIDENT_MAGISTRATE, station="Milimani")
    court.county = County.objects.get(code="001")
    court.save_as(None, "Opened")
    return int(Court.history.filter(id=court.pk).get().pk)


def test_a_running_worker_links_what_writers_queued_while_its_loop_is_busy(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.AUDIT_LINK_AFTER_COMMIT = False  # PostgreSQL's way, on either database
    settings.AUDIT_LINK_INTERVAL = 0.05
    row = _queued_court("Waiting for the worker")
    assert AuditPending.objects.filter(row_id=row).exists()

    busy = threading.Event()
    finished = threading.Event()
    linked_while_busy: list[bool] = []

    def a_long_task(self: Worker) -> None:  # the loop is busy (a long export) while the linker links
        busy.set()
        for _ in range(200):
            try:
                if AuditLink.objects.filter(source="prosecutions.historicalcourt", row_id=row).exists():
                    linked_while_busy.append(True)
                    break
            except OperationalError:  # SQLite's shared in-memory test database: the linker is writing the table
                pass
            time.sleep(0.05)
        self.running = False
        finished.set()

    monkeypatch.setattr(worker_module.Worker, "_loop", a_long_task)
    monkeypatch.setattr(worker_module.signal, "signal", lambda *args: None)  # not the main thread's handlers
    Worker(worker_id="linker-test").run_forever()
    assert busy.is_set() and finished.is_set()
    assert linked_while_busy == [True]
    assert not AuditPending.objects.exists()
    assert not any(t.name == "audit-linker" and t.is_alive() for t in threading.enumerate())


def test_where_writers_link_after_their_commit_the_worker_starts_no_linker(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.AUDIT_LINK_AFTER_COMMIT = True
    started: list[str] = []

    def note_threads(self: Worker) -> None:
        started.extend(t.name for t in threading.enumerate())
        self.running = False

    monkeypatch.setattr(worker_module.Worker, "_loop", note_threads)
    monkeypatch.setattr(worker_module.signal, "signal", lambda *args: None)
    Worker(worker_id="no-linker-test").run_forever()
    assert "audit-linker" not in started
