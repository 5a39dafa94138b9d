"""The audit chain's rows of ``make bench``: a tracked save, ``verify_audit`` over N links, and write concurrency.

- **Tracked save (history + chain)**: ``save_as`` of an existing court (its row, its history row sealed into
  the queue; the link is made by the linker — ``manage.py link_audit --follow``, another process, as a
  worker's linker thread is in production — running all through the writes), against a plain
  ``Model.save`` of the same columns of the same row (no history, no chain), each in autocommit as a view's
  save would be. Goal ≤ 2.0×.
- **verify_audit, N links**: ``verify_chain`` over the whole chain (topped up to ``sizes.links`` links with
  simple-history's bulk helper), against a bare loop over the same rows: the links and their rows read with
  raw SQL in chunks of 2,000, the same canonical JSON, the same HMAC, compared. Goal ≤ 1.2×.
- **Write concurrency, 1 → 8 writers**: throughput of 1 and of 8 writer processes (forked, as the app
  servers' sync workers are processes: one request in flight each), each with its own connection, each
  saving its own court in its own transactions, tracked and plain in the same run (interleaved; 2 × rounds + 1
  rounds of 300 saves per writer), the linker running beside them at the CPU priority it takes in production
  (``AUDIT_LINKER_NICENESS``: it links in the time the writers leave, and its lag is reported). The ratio
  is plain speed-up ÷ tracked speed-up, so the goal "tracked saves gain ≥ 80 % of the speed-up plain saves
  gain" reads ratio ≤ 1.25. The same with threads of one process is measured beside and given in the note:
  there the interpreter runs one thread's Python at a time, which serialises the more computing writer
  whatever the database does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections, models
from django.test.utils import CaptureQueriesContext

from benchmarks.national.common import BenchRow, BenchSizes, interleaved, peak_mib

SAVES_PER_ROUND = 100
WRITERS = 8
SAVES_PER_WRITER = 300
GENESIS = "0" * 64
CHUNK = 2000


# --------------------------------------------------------------------------------------------------
# Set-up


def _county() -> Any:
    from core.models import County

    return County.objects.order_by("code").first()


def _courts(count: int, label: str) -> list[Any]:
    from prosecutions.choices import CourtLevel
    from prosecutions.models import Court

    county = _county()
    run = time.time_ns()
    courts = []
    for n in range(count):
        court = Court(name=f"Bench chain {label} {run} {n}", level=CourtLevel.RESIDENT_MAGISTRATE, station="S0")
        court.county = county
        court.save_as(None, "Benchmark set-up")
        courts.append(court)
    return courts


def _plain_save(court: Any, station: str) -> None:
    """The reference: Django's own save of the same row and columns, without history or chain."""
    court.station = station
    court.skip_history_when_saving = True
    try:
        models.Model.save(court)
    finally:
        del court.skip_history_when_saving


def _tracked_save(court: Any, station: str) -> None:
    court.station = station
    court.save_as(None, "Benchmark")


def _messages(captured: CaptureQueriesContext) -> int:
    """The statements (or messages of several) sent, without the "BEGIN" and "COMMIT" Django logs for its own
    transaction calls — for which the driver sends nothing when the tracked save's messages carry them."""
    return sum(1 for query in captured.captured_queries if query["sql"] not in ("BEGIN", "COMMIT"))


def _top_up_links(wanted: int) -> int:
    """Grow the chain to ``wanted`` links with the bulk helper (chained per batch); return the count."""
    from simple_history.utils import bulk_create_with_history

    from core.audit.linking import link_pending
    from core.models import AuditLink
    from prosecutions.choices import CourtLevel
    from prosecutions.models import Court

    county = _county()
    made = AuditLink.objects.count()
    n = 0
    while made < wanted:
        size = min(CHUNK, wanted - made)
        courts = [
            Court(name=f"Bench bulk {made + i}", level=CourtLevel.RESIDENT_MAGISTRATE, station="B", county=county)
            for i in range(size)
        ]
        bulk_create_with_history(courts, Court, default_change_reason="Benchmark")
        made += size
        n += 1
    link_pending()
    return int(AuditLink.objects.count())


# --------------------------------------------------------------------------------------------------
# The bare loop: same rows, same JSON, same HMAC


def _bare_canonical(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return (value.astimezone(dt.UTC) if value.tzinfo is not None else value).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict | list):
        return json.loads(json.dumps(value, sort_keys=True, default=str))
    return str(value)


def bare_verify(alias: str) -> tuple[int, int]:
    """Recompute every link with raw SQL and no model: (links checked, digests that matched)."""
    from core.audit.content import chained_models, source_label
    from core.models import AuditLink

    connection = connections[alias]
    tables = {source_label(m): m._meta.db_table for m in chained_models()}
    columns: dict[str, list[str]] = {}
    key = str(settings.AUDIT_HMAC_KEY).encode()
    prev, checked, matched = GENESIS, 0, 0
    link_table = AuditLink._meta.db_table
    with connection.cursor() as links_cursor, connection.cursor() as rows_cursor:
        last = 0
        while True:
            links_cursor.execute(
                f"SELECT seq, source, row_id, case_id, object_repr, digest FROM {link_table} "
                "WHERE seq > %s ORDER BY seq LIMIT %s",
                [last, CHUNK],
            )
            chunk = links_cursor.fetchall()
            if not chunk:
                break
            wanted: dict[str, list[int]] = {}
            for link in chunk:
                wanted.setdefault(link[1], []).append(link[2])
            rows: dict[str, dict[int, dict[str, Any]]] = {}
            for source, ids in wanted.items():
                rows_cursor.execute(f"SELECT * FROM {tables[source]} WHERE {_pk(source)} = ANY(%s)", [ids])
                names = columns.setdefault(source, [d[0] for d in rows_cursor.description])
                position = names.index(_pk(source))
                rows[source] = {
                    row[position]: {
                        name: value
                        for name, raw in zip(names, row, strict=True)
                        if (value := _bare_canonical(raw)) is not None and value != ""
                    }
                    for row in rows_cursor.fetchall()
                }
            for seq, source, row_id, case_id, object_repr, digest in chunk:
                payload = json.dumps(
                    {
                        "seq": seq,
                        "source": source,
                        "row_id": row_id,
                        "case_id": case_id,
                        "object_repr": object_repr,
                        "row": rows[source].get(row_id),
                    },
                    sort_keys=True,
                    separators=(",", ":"),
                    ensure_ascii=False,
                )
                computed = hmac.new(key, (prev + "\n" + payload).encode(), hashlib.sha256).hexdigest()
                matched += hmac.compare_digest(computed, digest)
                checked += 1
                prev = digest
            last = chunk[-1][0]
    return checked, matched


def _pk(source: str) -> str:
    return "id" if source == "core.authevent" else "history_id"


# --------------------------------------------------------------------------------------------------
# Concurrency


def _throughput(alias: str, courts: list[Any], save: Callable[[Any, str], None], writers: int) -> float:
    """Saves per second of ``writers`` processes, each with its own connection, each saving its own court —
    as the app servers' sync workers write, one process per request in flight (``deploy/gunicorn.conf.py``)."""
    return _timed_writers(alias, courts, save, writers, processes=True)


def _thread_throughput(alias: str, courts: list[Any], save: Callable[[Any, str], None], writers: int) -> float:
    """The same with threads of this process (its Python runs one thread at a time): reported beside."""
    return _timed_writers(alias, courts, save, writers, processes=False)


def _write_as_one_writer(alias: str, pk: int, index: int, save: Callable[[Any, str], None], start: Any) -> None:
    from prosecutions.models import Court

    try:
        court = Court.objects.using(alias).get(pk=pk)
        start.wait()
        for n in range(SAVES_PER_WRITER):
            save(court, f"W{index}-{n}")
    finally:
        connections.close_all()


def _timed_writers(
    alias: str, courts: list[Any], save: Callable[[Any, str], None], writers: int, *, processes: bool
) -> float:
    """Saves per second of ``writers`` writers started together, each with its own connection."""
    errors: list[BaseException] = []
    if processes:
        # Forked: no connection may be open in the parent as it forks (each child opens its own).
        connections.close_all()
        context = multiprocessing.get_context("fork")
        barrier: Any = context.Barrier(writers + 1)
        workers: list[Any] = [
            context.Process(target=_write_as_one_writer, args=(alias, court.pk, i, save, barrier))
            for i, court in enumerate(courts[:writers])
        ]
    else:
        barrier = threading.Barrier(writers + 1)

        def writer(pk: int, index: int) -> None:
            try:
                _write_as_one_writer(alias, pk, index, save, barrier)
            except BaseException as error:  # noqa: BLE001 - reported by the caller
                errors.append(error)

        workers = [threading.Thread(target=writer, args=(court.pk, i)) for i, court in enumerate(courts[:writers])]
    for worker in workers:
        worker.start()
    barrier.wait(timeout=120)
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    failed = [worker.exitcode for worker in workers if processes and worker.exitcode != 0]
    if failed:
        raise RuntimeError(f"{len(failed)} writer process(es) failed (exit status {failed[0]})")
    return writers * SAVES_PER_WRITER / elapsed


# --------------------------------------------------------------------------------------------------
# The rows


def measure(database_alias: str, sizes: BenchSizes, rounds: int) -> list[BenchRow]:
    from core.audit.chain_verify import verify_chain
    from core.audit.linking import link_pending
    from core.models import AuditPending

    link_pending()
    rows: list[BenchRow] = []
    # As in production, the linker is another process (a worker's linker thread; here `link_audit --follow`),
    # linking while the writers write: its work is real, done beside the writers, not in their time.
    linker = _start_linker()
    try:
        _wait_until_linking(linker)
        rows.extend(_writes(database_alias, rounds))
    finally:
        linker.send_signal(signal.SIGTERM)
        linker.wait(timeout=120)
    left = AuditPending.objects.count()
    link_pending()
    rows[-1].note += f"; {left} row(s) still queued when the linker stopped"

    rows.append(_verify_row(database_alias, sizes, rounds, verify_chain))
    return rows


def _wait_until_linking(linker: subprocess.Popen[bytes]) -> None:
    """Wait until the linker process has started and linked a first save, so that the saves measured pay
    for its linking, not for its start-up (importing Django and the project, a second or two of CPU)."""
    from core.models import AuditPending

    _courts(1, "linker probe")
    started = time.perf_counter()
    while AuditPending.objects.exists():
        if linker.poll() is not None:
            raise RuntimeError(f"the linker stopped (exit status {linker.returncode})")
        if time.perf_counter() - started > 120:
            raise RuntimeError("the linker linked nothing in two minutes")
        time.sleep(0.05)


def _start_linker() -> subprocess.Popen[bytes]:
    root = Path(__file__).resolve().parents[2]
    return subprocess.Popen(
        [sys.executable, "manage.py", "link_audit", "--follow", "--interval", "0.2"],
        cwd=root,
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
    )


def _caught_up_ms() -> float:
    """How long after the writers ended the linker took to empty the queue."""
    from core.models import AuditPending

    started = time.perf_counter()
    while AuditPending.objects.exists() and time.perf_counter() - started < 60:
        time.sleep(0.01)
    return (time.perf_counter() - started) * 1000


def _writes(database_alias: str, rounds: int) -> list[BenchRow]:
    rows: list[BenchRow] = []

    # 1. One tracked save against one plain save of the same row.
    court = _courts(1, "single")[0]
    counter = iter(range(10**9))

    def saves(save: Callable[[Any, str], None], prefix: str) -> Callable[[], None]:
        def run() -> None:
            for _ in range(SAVES_PER_ROUND):
                save(court, f"{prefix}{next(counter)}")

        return run

    tracked_round, plain_round, taken = interleaved(saves(_tracked_save, "T"), saves(_plain_save, "P"), rounds)
    assert plain_round is not None
    tracked_ms, plain_ms = tracked_round / SAVES_PER_ROUND, plain_round / SAVES_PER_ROUND
    with CaptureQueriesContext(connections[database_alias]) as captured:
        _tracked_save(court, "counted")
    queries = _messages(captured)
    with CaptureQueriesContext(connections[database_alias]) as captured:
        _plain_save(court, "counted plain")
    rows.append(
        BenchRow(
            work="Tracked save (history + chain)",
            tracker_ms=round(tracked_ms, 3),
            reference_ms=round(plain_ms, 3),
            ratio=round(tracked_ms / plain_ms, 2),
            goal=2.0,
            queries=queries,
            peak_mib=round(peak_mib(lambda: _tracked_save(court, "peak")), 3),
            note=f"update of one court, autocommit, messages to the server: {queries}; plain Model.save of the "
            f"same row: {_messages(captured)}; "
            f"median of {taken} interleaved rounds of {SAVES_PER_ROUND} saves",
        )
    )

    # 2. Write concurrency: 1 → 8 writers, tracked and plain, interleaved.
    writers = _courts(WRITERS, "writer")
    speedups: dict[str, list[float]] = {"tracked": [], "plain": [], "tracked threads": [], "plain threads": []}
    per_save: dict[str, list[float]] = {"tracked": [], "plain": []}
    # The machine's own noise (a shared VM's) moves one round's speed-up by ±20 %: many rounds, long ones.
    concurrency_rounds = 2 * rounds + 1
    for i in range(concurrency_rounds):
        order = [("tracked", _tracked_save), ("plain", _plain_save)]
        for name, save in order if i % 2 == 0 else list(reversed(order)):
            one = _throughput(database_alias, writers, save, 1)
            many = _throughput(database_alias, writers, save, WRITERS)
            speedups[name].append(many / one)
            per_save[name].append(1000 / many)
            threads = _thread_throughput(database_alias, writers, save, WRITERS)
            speedups[f"{name} threads"].append(threads / _thread_throughput(database_alias, writers, save, 1))
    tracked_up, plain_up = statistics.median(speedups["tracked"]), statistics.median(speedups["plain"])
    tracked_threads, plain_threads = (
        statistics.median(speedups["tracked threads"]),
        statistics.median(speedups["plain threads"]),
    )
    lag = _caught_up_ms()
    rows.append(
        BenchRow(
            work=f"Write concurrency, 1 → {WRITERS} writers",
            tracker_ms=round(statistics.median(per_save["tracked"]), 3),
            reference_ms=round(statistics.median(per_save["plain"]), 3),
            ratio=round(plain_up / tracked_up, 2),
            goal=1.25,
            note=f"speed-up tracked {tracked_up:.2f}× vs plain {plain_up:.2f}×: tracked gains "
            f"{100 * tracked_up / plain_up:.0f} % of plain's (goal ≥ 80 %, i.e. ratio plain ÷ tracked ≤ 1.25); "
            f"ms = wall time per save at {WRITERS} writers; the linker (another process, nice "
            f"{settings.AUDIT_LINKER_NICENESS}) emptied the queue "
            f"{lag:.0f} ms after the writers ended; "
            f"{concurrency_rounds} rounds, processes with their own connections (as gunicorn's sync workers), "
            f"{SAVES_PER_WRITER} saves each; as threads of one process instead: tracked {tracked_threads:.2f}× vs "
            f"plain {plain_threads:.2f}× ({100 * tracked_threads / plain_threads:.0f} %)",
        )
    )

    return rows


def _verify_row(database_alias: str, sizes: BenchSizes, rounds: int, verify_chain: Callable[[], Any]) -> BenchRow:
    """verify_chain over N links against the bare loop."""
    links = _top_up_links(sizes.links)
    verify_rounds = max(1, min(rounds, 3))
    outcome: dict[str, Any] = {}

    def tracker() -> None:
        result = verify_chain()
        assert result.ok, result.problem
        outcome["links"] = result.links

    def reference() -> None:
        outcome["bare"] = bare_verify(database_alias)

    tracker_ms, reference_ms, taken = interleaved(tracker, reference, verify_rounds)
    with CaptureQueriesContext(connections[database_alias]) as captured:
        tracker()
    checked, matched = outcome["bare"]
    assert reference_ms is not None
    return BenchRow(
        work=f"verify_audit, {outcome['links']:,} links",
        tracker_ms=round(tracker_ms, 1),
        reference_ms=round(reference_ms, 1),
        ratio=round(tracker_ms / reference_ms, 2),
        goal=1.2,
        queries=len(captured),
        peak_mib=round(peak_mib(tracker), 2),
        note=f"verify_chain (every link recomputed from its stored row) vs a raw-SQL loop over the same rows, "
        f"same JSON and HMAC ({matched:,} of {checked:,} digests matched); {links:,} links; "
        f"median of {taken} interleaved rounds",
    )
