"""The attacker's tools for the audit tests: raw SQL straight to the database, as someone with database
access but without the tracker (or its key) would write it.

On PostgreSQL the audit record's tables refuse UPDATE and DELETE (append-only triggers); a database
administrator can switch triggers off for their session (``session_replication_role = replica``), and
these tools do so around each statement, so the tests show what verification catches beyond the triggers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection


def table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@contextmanager
def as_database_administrator() -> Iterator[None]:
    """Triggers off for this session (PostgreSQL; SQLite has none), and back on after."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")


def run_sql(sql: str, params: list[Any] | None = None) -> None:
    """One raw statement, run as a database administrator who bypasses the triggers."""
    with as_database_administrator(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])
