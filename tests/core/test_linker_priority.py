"""The audit linker yields the CPU to the app servers: its thread, and no other, runs at a lower priority
(``AUDIT_LINKER_NICENESS``), so that on a busy machine requests go first and linking takes the time left."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from typing import Any

import pytest

from core.audit import linking

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread's own nice value is Linux's")


def _own_priority() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def _in_a_thread(work: Callable[[], None]) -> int:
    """Run ``work`` in a new thread (which starts at this thread's priority); return that thread's priority."""
    seen: list[int] = []

    def run() -> None:
        work()
        seen.append(_own_priority())

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return seen[0]


def test_the_linker_lowers_its_own_thread_and_leaves_the_others() -> None:
    before = _own_priority()
    stopped = threading.Event()
    stopped.set()  # the loop ends at once: what is measured is the priority the linker took on starting

    linker = _in_a_thread(lambda: linking.run_linker(stopped, interval=0))

    assert linker == min(19, before + 10)  # the default, AUDIT_LINKER_NICENESS = 10
    assert _own_priority() == before


def test_the_niceness_is_a_setting_and_zero_keeps_the_priority(settings: Any) -> None:
    before = _own_priority()
    stopped = threading.Event()
    stopped.set()

    settings.AUDIT_LINKER_NICENESS = 3
    assert _in_a_thread(lambda: linking.run_linker(stopped, interval=0)) == min(19, before + 3)
    settings.AUDIT_LINKER_NICENESS = 0
    assert _in_a_thread(lambda: linking.run_linker(stopped, interval=0)) == before


def test_a_system_that_refuses_leaves_the_linker_at_the_normal_priority(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    before = _own_priority()

    def refuse(*args: Any) -> None:
        raise PermissionError("not allowed")

    monkeypatch.setattr(os, "setpriority", refuse)

    assert _in_a_thread(lambda: linking._yield_cpu(10)) == before
    assert "could not lower its CPU priority" in caplog.text
