"""The benchmark's sampling rule (``benchmarks.national.common.interleaved``): at least ``rounds`` rounds, more
while the runs add up to less than ``MIN_SAMPLE_SECONDS``, never more than ``MAX_ROUNDS_FACTOR`` × ``rounds``;
the two sides alternate who goes first. No database: these are the harness's own rules."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from benchmarks.national import common


def _counting(calls: list[str], name: str, sleep: float = 0.0) -> Callable[[], None]:
    def run() -> None:
        calls.append(name)
        if sleep:
            time.sleep(sleep)

    return run


def test_quick_runs_take_more_rounds_up_to_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "MIN_SAMPLE_SECONDS", 60.0)  # never reached by calls that cost nothing
    calls: list[str] = []
    medians = common.interleaved(_counting(calls, "T"), _counting(calls, "R"), rounds=2, warmup=1)
    assert medians.rounds == 2 * common.MAX_ROUNDS_FACTOR
    assert calls.count("T") == calls.count("R") == 1 + medians.rounds
    assert medians.tracker_ms >= 0 and medians.reference_ms is not None
    # Round 0: tracker first; round 1: reference first (after the warm-up pair).
    assert calls[2:6] == ["T", "R", "R", "T"]


def test_runs_that_fill_the_sample_time_stop_at_the_rounds_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "MIN_SAMPLE_SECONDS", 0.01)
    calls: list[str] = []
    medians = common.interleaved(_counting(calls, "T", sleep=0.01), _counting(calls, "R", sleep=0.01), 3, warmup=0)
    assert calls.count("T") == calls.count("R") == medians.rounds == 3
    assert medians.tracker_ms >= 10 and medians.reference_ms is not None and medians.reference_ms >= 10


def test_rounds_stop_once_the_sample_time_is_reached(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "MIN_SAMPLE_SECONDS", 0.2)
    calls: list[str] = []
    medians = common.interleaved(_counting(calls, "T", sleep=0.01), None, rounds=2, warmup=0)
    assert medians.reference_ms is None and medians.rounds == calls.count("T")
    # About 20 runs of 10 ms make 0.2 s; sleep only ever overshoots, so never more, and well past the 2 asked.
    assert 5 <= calls.count("T") <= 20
