"""verify_audit checks the live tables against their history: each tracked row equals its latest history
row, no live row lacks history, and none whose history says it exists (or was deleted) says otherwise.
The rows migrations create (reference data) get their history when ``migrate`` finishes."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.audit import baseline
from core.audit.integrity import LIVE_TABLES, _checks, live_tables_match_history, register_integrity_check
from core.models import AuditLink, County, User
from prosecutions.choices import CourtLevel
from prosecutions.models import Court
from tests.core.audit_tampering import run_sql, table
from tests.prosecutions.factories import make_case
from tests.witnesses.factories import markers, with_identity, witness_on
from witnesses.models import Identity
from witnesses.vault import Sealed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _checkpoints_in_a_temporary_folder(settings: Any, tmp_path: Path) -> None:
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")


def verify() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def new_court(name: str = "Voi Law Courts") -> Court:
    court = Court(name=name, level=CourtLevel.RESIDENT_MAGISTRATE, station=name.split()[0])
    court.county = County.objects.get(code="006")
    court.save()
    return court


def copy_row_sql(model: Any, pk: int, **overrides: Any) -> tuple[str, list[Any]]:
    """INSERT … SELECT a copy of a row with some columns replaced (the id too, if given)."""
    columns = [f.column for f in model._meta.concrete_fields if f.primary_key is False or "id" in overrides]
    chosen = ", ".join("%s" if c in overrides else connection.ops.quote_name(c) for c in columns)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"INSERT INTO {table(model)} ({names}) SELECT {chosen} FROM {table(model)} WHERE id = %s"
    return sql, [*(overrides[c] for c in columns if c in overrides), pk]


def test_the_record_as_the_services_leave_it_passes(prosecutor: User, liaison: User) -> None:
    case = make_case(prosecutor)
    with_identity(witness_on(case, prosecutor), liaison, "LIVE")
    code, out, err = verify()
    assert code == 0, err
    assert f"Checked: {LIVE_TABLES}." in out


def test_a_record_deleted_through_the_tracker_passes_but_one_put_back_by_hand_is_named() -> None:
    court = new_court()
    pk = court.pk
    court.delete()  # simple-history writes a "deleted" history row, chained
    assert verify()[0] == 0

    sql, params = copy_row_sql(Court, Court.objects.order_by("pk").first().pk, id=pk, name="Voi Law Courts")  # type: ignore[union-attr]
    run_sql(sql, params)
    code, _, err = verify()
    assert code == 1
    assert f"prosecutions_court row {pk} " in err and "history says it was deleted" in err


def test_an_encrypted_field_changed_by_hand_is_named_without_either_value(prosecutor: User, liaison: User) -> None:
    witness = witness_on(make_case(prosecutor), prosecutor)
    identity = with_identity(witness, liaison, "SWAP")
    row = Identity.objects.values_list("full_name", "phone").get(pk=identity.pk)
    # The attacker swaps two ciphertexts: each still decrypts, so nothing but the history can tell.
    run_sql(f"UPDATE {table(Identity)} SET full_name = phone, phone = full_name WHERE id = %s", [identity.pk])

    code, _, err = verify()
    assert code == 1
    assert f"witnesses_identity row {identity.pk}" in err and "full_name is (protected)" in err
    for secret in [*markers("SWAP").values(), *(cast(Sealed, value).token for value in row)]:
        assert secret not in err


def test_the_check_reads_each_table_in_a_fixed_number_of_queries(prosecutor: User) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert live_tables_match_history() == ""
        return len(captured.captured_queries)

    for n in range(3):
        new_court(f"Court {n} Law Courts")
    few = queries()
    for n in range(3, 40):
        new_court(f"Court {n} Law Courts")
    make_case(prosecutor)
    assert queries() == few


@pytest.fixture
def extra_check() -> Iterator[list[str]]:
    found: list[str] = []
    register_integrity_check("the test's own check", lambda: found[0] if found else "")
    yield found
    del _checks["the test's own check"]


def test_a_registered_check_runs_with_every_verification_and_can_fail_it(extra_check: list[str]) -> None:
    code, out, _ = verify()
    assert code == 0 and "Checked: the test's own check." in out
    extra_check.append("three memberships have no grant")
    code, _, err = verify()
    assert code == 1 and "INTEGRITY CHECK FAILED (the test's own check): three memberships have no grant" in err


# --------------------------------------------------------------------------------------------------
# Rows that migrations create


def test_the_reference_data_migrations_created_has_history_and_links() -> None:
    courts = list(Court.objects.all())
    assert courts
    for court in courts:
        row = Court.history.get(id=court.pk)
        assert row.history_change_reason == baseline.REASON
        assert AuditLink.objects.filter(source="prosecutions.historicalcourt", row_id=row.pk).exists()
        assert court.updated_at.microsecond % 1000 == 0 and row.history_date.microsecond % 1000 == 0


def test_after_a_migration_only_the_rows_it_created_are_given_history() -> None:
    template = Court.objects.order_by("pk").first()
    assert template is not None
    sql, params = copy_row_sql(Court, template.pk, name="Inserted By Hand Court")
    run_sql(sql, params)  # behind the tracker's back, before the migration

    baseline.note_before_migrate("default")
    sql, params = copy_row_sql(Court, template.pk, name="Data Migration Court")
    run_sql(sql, params)  # what a data migration does: no history
    assert baseline.record_history_after_migrate("default") == 1

    created = Court.objects.get(name="Data Migration Court")
    assert Court.history.get(id=created.pk).history_change_reason == baseline.REASON
    by_hand = Court.objects.get(name="Inserted By Hand Court")
    assert not Court.history.filter(id=by_hand.pk).exists()
    code, _, err = verify()
    assert code == 1 and f"prosecutions_court row {by_hand.pk} " in err and "has no history" in err


def test_the_first_migration_with_the_check_records_every_row_that_has_none(monkeypatch: pytest.MonkeyPatch) -> None:
    """An installation from before the live-table check starts from a clean baseline."""
    template = Court.objects.order_by("pk").first()
    assert template is not None
    sql, params = copy_row_sql(Court, template.pk, name="Created Before The Upgrade Court")
    run_sql(sql, params)
    tables = [name for name in connection.introspection.table_names() if name != "core_auditcheckpoint"]
    monkeypatch.setattr(connection.introspection, "table_names", lambda *args, **kwargs: tables)

    baseline.note_before_migrate("default")
    assert baseline.record_history_after_migrate("default") == 1
    assert verify()[0] == 0
