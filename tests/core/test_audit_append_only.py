"""On PostgreSQL the audit record refuses to be rewritten at the database itself: every history table,
the chain's links, the sign-in events, the checkpoints, the fund's journal entries and lines and the log
of identity readings take no UPDATE or DELETE (triggers installed by migrations,
``core.migrations_support.append_only``), and the chain head only moves forward. TRUNCATE (test flushes)
still works. A new app whose history tables lack the trigger fails the first test."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.test import Client

from core.audit.checkpoints import write_checkpoint
from core.audit.tracked import is_history_model
from core.migrations_support import APPEND_ONLY_TRIGGER, FORWARD_ONLY_TRIGGER
from core.models import AuditChainHead, AuditCheckpoint, AuditLink, AuthEvent, User
from prosecutions.models import Case
from tests.core.audit_tampering import table
from tests.prosecutions.factories import make_case
from tests.trustfund.factories import receive
from tests.witnesses.factories import with_identity, witness_on
from trustfund.models import JournalEntry, JournalLine
from witnesses.models import IdentityAccess
from witnesses.services import record_identity_access

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _checkpoints_in_a_temporary_folder(settings: Any, tmp_path: Path) -> None:
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")


APPEND_ONLY_MODELS = (AuditLink, AuthEvent, AuditCheckpoint, JournalEntry, JournalLine, IdentityAccess)


def triggered_tables(trigger: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s AND NOT t.tgisinternal AND t.tgenabled = 'O'",
            [trigger],
        )
        return {name for (name,) in cursor.fetchall()}


def refused(sql: str, params: list[Any]) -> str:
    """Run the statement as an ordinary connection would; return the database's refusal."""
    with pytest.raises(DatabaseError) as refusal, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return str(refusal.value)


def test_every_history_table_and_the_other_audit_tables_refuse_updates_and_deletes() -> None:
    history_tables = {m._meta.db_table for m in apps.get_models() if is_history_model(m)}
    assert len(history_tables) >= 30
    wanted = history_tables | {m._meta.db_table for m in APPEND_ONLY_MODELS}
    missing = wanted - triggered_tables(APPEND_ONLY_TRIGGER)
    assert not missing, f"add these tables to an append_only(...) migration: {sorted(missing)}"
    assert triggered_tables(FORWARD_ONLY_TRIGGER) == {AuditChainHead._meta.db_table}


@pytest.fixture
def record(prosecutor: User, liaison: User, fund_admin: User) -> dict[str, Any]:
    """One row of each append-only table, made through the services."""
    case = make_case(prosecutor)
    witness = witness_on(case, prosecutor)
    with_identity(witness, liaison, "TRIGGER")
    access = record_identity_access(witness, liaison, "Serving the hearing notice on the witness")
    receipt = receive(fund_admin, "1000.00")
    Client().force_login(prosecutor)
    head = AuditChainHead.objects.get()
    write_checkpoint(head.seq, head.digest)
    return {
        "history": (Case.history.model, Case.history.filter(id=case.pk).first().pk),
        "link": (AuditLink, AuditLink.objects.earliest("seq").pk),
        "sign-in": (AuthEvent, AuthEvent.objects.earliest("id").pk),
        "checkpoint": (AuditCheckpoint, AuditCheckpoint.objects.get().pk),
        "journal entry": (JournalEntry, receipt.entry_id),
        "journal line": (JournalLine, JournalLine.objects.filter(entry_id=receipt.entry_id).earliest("id").pk),
        "identity access": (IdentityAccess, access.pk),
    }


KINDS = ("history", "link", "sign-in", "checkpoint", "journal entry", "journal line", "identity access")


@pytest.mark.parametrize("kind", KINDS)
def test_raw_sql_cannot_rewrite_or_delete_a_row(record: dict[str, Any], kind: str) -> None:
    model, pk = record[kind]
    pk_column = connection.ops.quote_name(model._meta.pk.column)
    column = next(
        f.column
        for f in model._meta.concrete_fields
        if not f.primary_key and f.get_internal_type() in ("CharField", "TextField") and not f.choices
    )
    update = f"UPDATE {table(model)} SET {connection.ops.quote_name(column)} = %s WHERE {pk_column} = %s"
    assert "append-only" in refused(update, ["tampered", pk])
    assert "append-only" in refused(f"DELETE FROM {table(model)} WHERE {pk_column} = %s", [pk])
    assert model._base_manager.filter(pk=pk).exists()


def test_a_ledger_amount_cannot_be_multiplied(record: dict[str, Any]) -> None:
    _, pk = record["journal line"]
    before = JournalLine.objects.values_list("debit", "credit").get(pk=pk)
    message = refused(f"UPDATE {table(JournalLine)} SET debit = debit * 10, credit = credit * 10 WHERE id = %s", [pk])
    assert "UPDATE on trustfund_journalline refused" in message
    assert JournalLine.objects.values_list("debit", "credit").get(pk=pk) == before
    assert sum(before) > Decimal("0")


def test_the_chain_head_moves_forward_only(record: dict[str, Any], prosecutor: User) -> None:
    head = AuditChainHead.objects.get()
    earlier = AuditLink.objects.get(seq=head.seq - 2)
    assert "only moves forward" in refused(
        f"UPDATE {table(AuditChainHead)} SET seq = %s, digest = %s", [earlier.seq, earlier.digest]
    )
    assert "only moves forward" in refused(f"UPDATE {table(AuditChainHead)} SET digest = %s", ["0" * 64])
    assert "only moves forward" in refused(f"DELETE FROM {table(AuditChainHead)}", [])
    make_case(prosecutor, title="Republic v. Later Case")  # appending still moves it
    assert AuditChainHead.objects.get().seq > head.seq


def test_a_row_written_back_unchanged_and_a_truncate_still_work(record: dict[str, Any]) -> None:
    """Loading a fixture writes rows back as they are; test flushes TRUNCATE. Neither alters a row."""
    model, pk = record["link"]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table(model)} SET digest = digest WHERE id = %s", [pk])
        with transaction.atomic():
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # settle this transaction's deferred checks first
            cursor.execute(f"TRUNCATE {table(IdentityAccess.history.model)}")
            cursor.execute(f"SELECT count(*) FROM {table(IdentityAccess.history.model)}")
            assert cursor.fetchone()[0] == 0
            transaction.set_rollback(True)
