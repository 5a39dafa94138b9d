"""The database's own share of a tracked save (not a test): the statements a tracked save of a court sends,
timed with the bare driver — no Django, no simple-history, no sealing in Python — beside the plain save's
UPDATE, so that what the tracker's Python adds can be told from what the rows it writes cost.

Run it against a THROWAWAY PostgreSQL database (it migrates it and writes thousands of history rows, which
the history tables' trigger never lets anyone delete):

    createdb -h 127.0.0.1 -U postgres ctip_floor_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctip_floor_bench .venv/bin/python benchmarks/tracked_save_floor.py

Each way is timed over ``--saves`` saves, in ``--rounds`` interleaved rounds, and the medians printed:

- *plain*: the court's UPDATE in autocommit, one message (what ``Model.save`` sends);
- *tracked, one statement*: ``BEGIN``, one statement — the UPDATE, the history row's INSERT from it and the
  queue entry's INSERT from that — and ``COMMIT``, in one message (what the tracker sends for an update, the
  values prepared beforehand);
- *tracked, three statements*: the same rows written by three statements in one message;
- *tracked, two messages*: ``BEGIN``, the history id's ``nextval`` and the UPDATE; then the history row's
  INSERT, the queue entry's INSERT and ``COMMIT`` (what the tracker sent before an update became one message);
- *UPDATE + history row, one message*: without the queue entry.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from benchmarks.reports_bench import refuse_shared_database


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Statements:
    """The SQL of one court's saves, from the models' own table and column names."""

    def __init__(self, court_id: int, county_id: int, name: str) -> None:
        from core.models import AuditPending
        from prosecutions.models import Court

        history = Court.history.model
        self.court_id, self.county_id, self.name = court_id, county_id, name
        court_table, history_table = Court._meta.db_table, history._meta.db_table
        pending_table = AuditPending._meta.db_table
        self.update = (
            f'UPDATE "{court_table}" SET "updated_at" = %s, "name" = %s, "level" = %s, "station" = %s, '
            f'"county_id" = %s, "is_active" = true WHERE "id" = %s'
        )
        self.reserve = f"SELECT nextval(pg_get_serial_sequence('\"{history_table}\"', 'history_id'))"
        columns = (
            '"id", "created_at", "updated_at", "name", "level", "station", "is_active", "county_id", "history_id", '
            '"history_date", "history_change_reason", "history_type", "history_user_id"'
        )
        self.history = (
            f'INSERT INTO "{history_table}" ({columns}) VALUES (%s, %s, %s, %s, %s, %s, true, %s, %s, %s, %s, %s, NULL)'
        )
        self.history_own_id = self.history.replace(
            "true, %s, %s, %s", f"true, %s, nextval(pg_get_serial_sequence('\"{history_table}\"', 'history_id')), %s"
        )
        self.pending = (
            f'INSERT INTO "{pending_table}" ("source", "row_id", "record_type", "object_id", "object_repr", '
            '"case_id", "action", "user_id", "at", "reason", "content", "seal") '
            "VALUES (%s, %s, %s, %s, %s, NULL, %s, NULL, %s, %s, %s, %s)"
        )
        self.pending_after_history = self.pending.replace(
            "VALUES (%s, %s,", f"VALUES (%s, currval(pg_get_serial_sequence('\"{history_table}\"', 'history_id')),"
        )
        history_columns = columns.replace('"history_id", ', "")
        self.one_statement = (
            f"WITH u AS ({self.update} RETURNING 1), "
            f'h AS (INSERT INTO "{history_table}" ({history_columns}) SELECT {", ".join(["%s"] * 12)} FROM u '
            'RETURNING "history_id"), '
            f'e AS ({self.pending.split(" VALUES ")[0]} SELECT %s, h."history_id", %s, %s, %s, NULL, %s, NULL, %s, '
            '%s, %s, %s FROM h) SELECT coalesce((SELECT "history_id" FROM h), (SELECT 1 / count(*) FROM h))'
        )

    def update_values(self, station: str) -> list[Any]:
        return [_now(), self.name, "rm", station, self.county_id, self.court_id]

    def history_values(self, station: str, history_id: int | None) -> list[Any]:
        ids = [] if history_id is None else [history_id]
        return [
            self.court_id,
            _now(),
            _now(),
            self.name,
            "rm",
            station,
            self.county_id,
            *ids,
            _now(),
            "Benchmark",
            "~",
        ]

    def history_row_values(self, station: str) -> list[Any]:
        """The history row's every column but its id, in the table's order (for the one statement)."""
        return [
            self.court_id,
            _now(),
            _now(),
            self.name,
            "rm",
            station,
            True,
            self.county_id,
            _now(),
            "Benchmark",
            "~",
            None,
        ]

    def pending_values(self, station: str, history_id: int) -> list[Any]:
        """The queue entry's values; ``history_id`` 0 for an entry whose row id the statement gives (its content
        then leaves the id out, as the tracker's does)."""
        content: dict[str, Any] = {
            "county_id": self.county_id,
            "history_change_reason": "Benchmark",
            "history_date": _now().isoformat(),
            "history_type": "~",
            "id": self.court_id,
            "is_active": True,
            "level": "rm",
            "name": self.name,
            "station": station,
            "updated_at": _now().isoformat(),
        }
        if history_id:
            content["history_id"] = history_id
        return [
            "prosecutions.historicalcourt",
            history_id,
            "prosecutions.court",
            str(self.court_id),
            f"Court: {self.name}",
            "changed",
            _now(),
            "Benchmark",
            json.dumps(content, sort_keys=True, separators=(",", ":")),
            "0" * 64,  # a seal's length
        ]


def ways(cursor: Any, sql: Statements) -> dict[str, Callable[[str], None]]:
    def plain(station: str) -> None:
        cursor.execute(sql.update, sql.update_values(station))

    def tracked_two_messages(station: str) -> None:
        cursor.execute(f"BEGIN; {sql.reserve}; {sql.update}", sql.update_values(station))
        cursor.nextset()
        history_id = cursor.fetchone()[0]
        cursor.execute(
            f"{sql.history}; {sql.pending}; COMMIT",
            [*sql.history_values(station, history_id), *sql.pending_values(station, history_id)],
        )

    def tracked_one_statement(station: str) -> None:
        pending = sql.pending_values(station, 0)
        cursor.execute(
            f"BEGIN; {sql.one_statement}; COMMIT",
            [*sql.update_values(station), *sql.history_row_values(station), pending[0], *pending[2:]],
        )

    def tracked_three_statements(station: str) -> None:
        pending = sql.pending_values(station, 0)
        cursor.execute(
            f"BEGIN; {sql.update}; {sql.history_own_id}; {sql.pending_after_history}; COMMIT",
            [*sql.update_values(station), *sql.history_values(station, None), pending[0], *pending[2:]],
        )

    def update_and_history(station: str) -> None:
        cursor.execute(
            f"BEGIN; {sql.update}; {sql.history_own_id}; COMMIT",
            [*sql.update_values(station), *sql.history_values(station, None)],
        )

    return {
        "plain UPDATE, autocommit": plain,
        "tracked, one statement (as sent)": tracked_one_statement,
        "tracked, three statements": tracked_three_statements,
        "tracked, two messages (before)": tracked_two_messages,
        "UPDATE + history row, one message": update_and_history,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--saves", type=int, default=1000, help="saves a round, each way")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    refuse_shared_database()

    import django

    django.setup()
    import psycopg
    from django.core.management import call_command
    from django.db import connection

    from core.models import County
    from prosecutions.choices import CourtLevel
    from prosecutions.models import Court

    call_command("migrate", verbosity=0)
    county = County.objects.order_by("code").first()
    assert county is not None, "the migrations load the counties"
    name = f"Floor bench court {time.time_ns()}"
    court = Court(name=name, level=CourtLevel.RESIDENT_MAGISTRATE, station="S0", county=county)
    court.save_as(None, "Benchmark set-up")
    sql = Statements(court.pk, county.pk, name)
    settings = connection.get_connection_params()
    connection.close()

    with psycopg.connect(
        **{key: value for key, value in settings.items() if key not in ("cursor_factory", "context")},
        autocommit=True,
        cursor_factory=psycopg.ClientCursor,
    ) as raw:
        cursor = raw.cursor()
        timed = ways(cursor, sql)
        for save in timed.values():  # warm-up
            for n in range(50):
                save(f"w{n}")
        medians: dict[str, list[float]] = {name: [] for name in timed}
        for round_number in range(args.rounds):
            order = list(timed.items()) if round_number % 2 == 0 else list(reversed(timed.items()))
            for name, save in order:
                started = time.perf_counter()
                for n in range(args.saves):
                    save(f"{round_number}-{n}")
                medians[name].append((time.perf_counter() - started) / args.saves * 1e6)
    plain = statistics.median(medians["plain UPDATE, autocommit"])
    print(f"{'way':<36} {'µs a save':>10} {'× plain':>8}")
    for name, times in medians.items():
        median = statistics.median(times)
        print(f"{name:<36} {median:>10.0f} {median / plain:>8.2f}")


if __name__ == "__main__":
    main()
