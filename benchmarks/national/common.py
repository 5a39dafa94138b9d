"""Types shared by every measurement module of the national benchmark (``make bench``).

Each module exposes ``measure(database_alias: str, sizes: BenchSizes, rounds: int) -> list[BenchRow]``;
the harness (``benchmarks/national/__main__.py``) calls them in one run, prints the rows and writes JSON.
"""

from __future__ import annotations

import dataclasses
import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple


@dataclasses.dataclass(frozen=True)
class BenchSizes:
    """How much data the run generates: ``cases`` case rows and ``links`` audit-chain links."""

    cases: int = 100_000
    links: int = 100_000

    @classmethod
    def named(cls, name: str) -> BenchSizes:
        """``small`` (1,000 cases / 10,000 links) or ``national`` (100,000 / 100,000, the default)."""
        if name == "small":
            return cls(cases=1_000, links=10_000)
        if name in ("national", "full", "default", ""):
            return cls()
        raise ValueError(f"unknown size {name!r}: use 'small' or 'national'")


@dataclasses.dataclass
class BenchRow:
    """One row of the issue's table, measured side by side.

    ``tracker_ms`` / ``reference_ms`` are medians of interleaved rounds (``None`` when there is no
    reference, e.g. sign-in); ``ratio`` = tracker / reference; ``goal`` is the target ratio (or, for
    rows without a reference, the target in milliseconds, said in ``note``); ``queries`` is the tracker's
    SQL query count for one round; ``peak_mib`` the tracker's peak Python memory in one round.
    """

    work: str
    tracker_ms: float
    reference_ms: float | None
    ratio: float | None
    goal: float | None
    queries: int | None = None
    peak_mib: float | None = None
    note: str = ""

    @property
    def met(self) -> bool | None:
        """Whether the goal is reached (ratio ≤ goal; or, without a reference, tracker_ms ≤ goal)."""
        if self.goal is None:
            return None
        if self.ratio is None:
            return self.tracker_ms <= self.goal
        return self.ratio <= self.goal

    def as_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["met"] = self.met
        return data


# A row's rounds go on past ``rounds`` until their runs add up to this many seconds (at most
# ``MAX_ROUNDS_FACTOR`` times ``rounds``): on this 2-core machine the 1,000-case list's ratio over seven rounds
# ranged 0.54×–0.74× from one run of the benchmark to the next, over its 34–43 rounds 0.56×–0.62×. Slow rows
# (the export, verify_audit) stop at ``rounds``.
MIN_SAMPLE_SECONDS = 2.0
MAX_ROUNDS_FACTOR = 15


class Medians(NamedTuple):
    """What ``interleaved`` measured: the medians (ms) and the number of rounds they are the medians of."""

    tracker_ms: float
    reference_ms: float | None
    rounds: int


def interleaved(
    tracker: Callable[[], object], reference: Callable[[], object] | None, rounds: int, warmup: int = 1
) -> Medians:
    """Medians (ms) of alternating runs of ``tracker`` and ``reference`` after ``warmup`` each: ``rounds``
    rounds, and more while the runs add up to less than ``MIN_SAMPLE_SECONDS`` (``MAX_ROUNDS_FACTOR`` ×
    ``rounds`` at most)."""
    for _ in range(warmup):
        tracker()
        if reference is not None:
            reference()
    t_times: list[float] = []
    r_times: list[float] = []
    i = 0
    while i < rounds or (sum(t_times) + sum(r_times) < MIN_SAMPLE_SECONDS * 1000 and i < rounds * MAX_ROUNDS_FACTOR):
        order: Sequence[tuple[Callable[[], object], list[float]]]
        pairs = [(tracker, t_times)] + ([(reference, r_times)] if reference is not None else [])
        # Alternate which one goes first so neither always benefits from a warm cache.
        order = pairs if i % 2 == 0 else list(reversed(pairs))
        for fn, sink in order:
            gc.collect()
            start = time.perf_counter()
            fn()
            sink.append((time.perf_counter() - start) * 1000)
        i += 1
    return Medians(statistics.median(t_times), statistics.median(r_times) if r_times else None, i)


def ratio(tracker_ms: float, reference_ms: float | None) -> float | None:
    if not reference_ms:
        return None
    return tracker_ms / reference_ms


def peak_mib(fn: Callable[[], object]) -> float:
    """Peak Python-heap memory (MiB, tracemalloc) of one call of ``fn``."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / (1024 * 1024)


def count_queries(database_alias: str, fn: Callable[[], object]) -> int:
    """SQL queries one call of ``fn`` runs on ``database_alias`` (the query log is emptied first: it keeps
    at most 9,000 entries, and a full log would count nothing)."""
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    connection = connections[database_alias]
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)
