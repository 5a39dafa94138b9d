"""Fixtures for the scheduler's tests: a schedule of test jobs only, a clock to move, private exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import timezone

from jobs import registry
from jobs.outcome import Outcome
from jobs.registry import ScheduledJob
from jobs.scheduler import Clock


class Schedule:
    """Test jobs, put on an otherwise empty schedule; each records its calls."""

    def __init__(self) -> None:
        self.calls: dict[str, int] = {}

    def add(
        self,
        name: str,
        work: Callable[[], Outcome | str | None] | None = None,
        **when: Any,
    ) -> ScheduledJob:
        if not when:
            when = {"every": dt.timedelta(minutes=10)}

        def func() -> Outcome | str | None:
            self.calls[name] = self.calls.get(name, 0) + 1
            return work() if work else f"{name} done"

        job = ScheduledJob(name, name.title(), func, **when)
        registry.register(job)
        return job


@pytest.fixture
def schedule(monkeypatch: pytest.MonkeyPatch) -> Iterator[Schedule]:
    monkeypatch.setattr(registry, "_schedule", {})
    yield Schedule()


def clock_at(moment: dt.datetime) -> Clock:
    return Clock.at(moment)


def later(minutes: float) -> Clock:
    return Clock.at(timezone.now() + dt.timedelta(minutes=minutes))


@pytest.fixture(autouse=True)
def _exports_in_tmp(settings: Any, tmp_path: Any) -> None:
    storages = dict(settings.STORAGES)
    storages["exports"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "exports"), "base_url": None},
    }
    settings.STORAGES = storages
