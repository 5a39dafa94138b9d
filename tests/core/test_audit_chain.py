"""The tamper-evident audit chain: every history row is linked as it is written, and `verify_audit`
names the first row edited, deleted, inserted or reordered behind the tracker's back."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.audit.chain_verify import verify_chain
from core.audit.content import GENESIS, chained_models, compute_digest, row_content, source_label
from core.models import AuditChainHead, AuditLink, AuthEvent, County, User
from prosecutions.choices import CourtLevel
from prosecutions.models import Case, Court
from tests.core.audit_tampering import run_sql, table
from tests.prosecutions.factories import charged_case, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _checkpoints_in_a_temporary_folder(settings: Any, tmp_path: Path) -> None:
    """verify_audit writes a checkpoint after each success; keep them out of the developer's .local/."""
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")


def verify(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def history(prosecutor: User) -> Case:
    """A case with its accused, counts and stage moves: a few dozen chained history rows."""
    case = charged_case(prosecutor)
    from prosecutions import services

    services.update_case_details(case, prosecutor, reason="OB number corrected", ob_number="OB 12/3/2026")
    return case


def test_every_history_row_gets_a_link_as_it_is_written(history: Case, prosecutor: User) -> None:
    case_rows = list(Case.history.filter(id=history.pk).order_by("history_id"))
    links = AuditLink.objects.filter(source="prosecutions.historicalcase", row_id__in=[r.pk for r in case_rows])
    assert links.count() == len(case_rows)
    latest = links.order_by("-seq").first()
    assert latest is not None
    assert (latest.action, latest.user, latest.reason) == ("changed", prosecutor, "OB number corrected")
    assert latest.case_id == history.pk and latest.record_type == "prosecutions.case"
    head = AuditChainHead.objects.get()
    assert head.seq == AuditLink.objects.count() == AuditLink.objects.order_by("-seq").first().seq  # type: ignore[union-attr]
    assert head.digest == AuditLink.objects.order_by("-seq").first().digest  # type: ignore[union-attr]


def test_child_records_are_filed_under_their_case(history: Case) -> None:
    for record_type in ("prosecutions.accused", "prosecutions.charge", "prosecutions.stagechange"):
        links = AuditLink.objects.filter(record_type=record_type)
        assert links.exists()
        assert set(links.values_list("case_id", flat=True)) == {history.pk}


def test_a_rolled_back_change_leaves_no_link_and_the_chain_intact(prosecutor: User) -> None:
    before = AuditLink.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_case(prosecutor)
        raise RuntimeError("the service failed half way")
    assert AuditLink.objects.count() == before
    assert verify_chain().ok


def test_a_plain_save_writes_its_history_row_and_link_together() -> None:
    court = Court(name="Voi Law Courts", level=CourtLevel.RESIDENT_MAGISTRATE, station="Voi")
    court.county = County.objects.get(code="006")
    court.save()
    row = Court.history.get(id=court.pk)
    assert AuditLink.objects.filter(source="prosecutions.historicalcourt", row_id=row.pk).exists()


def test_simple_history_bulk_helpers_are_chained_too(prosecutor: User) -> None:
    county = County.objects.get(code="001")
    courts = [
        Court(name=f"Bulk Court {n}", level=CourtLevel.RESIDENT_MAGISTRATE, station=f"B{n}", county=county)
        for n in range(3)
    ]
    created = bulk_create_with_history(courts, Court, default_user=prosecutor, default_change_reason="Gazetted")
    for court in created:
        court.station = court.station + " town"
    bulk_update_with_history(created, Court, ["station"], default_user=prosecutor)
    rows = Court.history.filter(name__startswith="Bulk Court")
    assert rows.count() == 6
    assert AuditLink.objects.filter(source="prosecutions.historicalcourt", row_id__in=rows.values("pk")).count() == 6
    assert verify_chain().ok


def test_sign_ins_sign_outs_and_failed_sign_ins_are_chained_without_the_password(client: Any, prosecutor: User) -> None:
    prosecutor.set_password("a-long-test-password")
    prosecutor.save()
    client.post("/accounts/login/", {"username": "achieng", "password": "wrong-password-123"})
    client.post("/accounts/login/", {"username": "achieng", "password": "a-long-test-password"})
    client.post("/accounts/logout/")
    kinds = list(AuthEvent.objects.order_by("id").values_list("kind", "username", "user_id"))
    assert kinds == [
        ("login_failed", "achieng", None),
        ("login", "achieng", prosecutor.pk),
        ("logout", "achieng", prosecutor.pk),
    ]
    stored = " ".join(str(v) for row in AuthEvent.objects.values_list() for v in row)
    stored += " ".join(AuditLink.objects.values_list("object_repr", flat=True))
    assert "wrong-password-123" not in stored
    assert AuditLink.objects.filter(source="core.authevent").count() == 3
    assert verify_chain().ok


# --------------------------------------------------------------------------------------------------
# verify_audit


def test_verify_audit_passes_on_an_untouched_history_and_prints_the_count_and_head(history: Case) -> None:
    code, out, _ = verify()
    head = AuditChainHead.objects.get()
    assert code == 0
    assert f"{head.seq} links" in out and head.digest in out
    assert head.digest != GENESIS


def test_an_edited_history_row_is_named(history: Case) -> None:
    row = Case.history.filter(id=history.pk).order_by("history_id")[1]
    link = AuditLink.objects.get(source="prosecutions.historicalcase", row_id=row.pk)
    run_sql(f"UPDATE {table(Case.history.model)} SET title = %s WHERE history_id = %s", ["Republic v. Nobody", row.pk])

    code, _, err = verify()
    assert code == 1
    assert f"link {link.seq} " in err and f"prosecutions.historicalcase row {row.pk}" in err
    assert "altered" in err


def test_a_deleted_history_row_is_named(history: Case) -> None:
    row = Case.history.filter(id=history.pk).order_by("history_id")[1]
    link = AuditLink.objects.get(source="prosecutions.historicalcase", row_id=row.pk)
    run_sql(f"DELETE FROM {table(Case.history.model)} WHERE history_id = %s", [row.pk])

    code, _, err = verify()
    assert code == 1
    assert f"link {link.seq} " in err and f"row {row.pk}" in err and "deleted" in err


def test_a_history_row_inserted_without_a_link_is_named(history: Case) -> None:
    model = Case.history.model
    columns = ", ".join(
        connection.ops.quote_name(f.column) for f in model._meta.concrete_fields if f.name != "history_id"
    )
    newest = Case.history.filter(id=history.pk).latest("history_id")
    run_sql(
        f"INSERT INTO {table(model)} ({columns}) SELECT {columns} FROM {table(model)} WHERE history_id = %s",
        [newest.pk],
    )
    forged = Case.history.filter(id=history.pk).latest("history_id")
    assert forged.pk != newest.pk

    code, _, err = verify()
    assert code == 1
    assert f"prosecutions.historicalcase row {forged.pk}" in err and "has no link" in err


def test_two_links_swapped_are_detected(history: Case) -> None:
    first, second = AuditLink.objects.order_by("seq")[3:5]
    spare = AuditLink.objects.order_by("-seq").first().seq + 1000  # type: ignore[union-attr]
    run_sql(f"UPDATE {table(AuditLink)} SET seq = %s WHERE id = %s", [spare, first.pk])
    run_sql(f"UPDATE {table(AuditLink)} SET seq = %s WHERE id = %s", [first.seq, second.pk])
    run_sql(f"UPDATE {table(AuditLink)} SET seq = %s WHERE id = %s", [second.seq, first.pk])

    code, _, err = verify()
    assert code == 1
    assert f"link {first.seq} ({second.source} row {second.row_id}" in err


def test_two_history_rows_with_their_dates_swapped_are_detected(history: Case) -> None:
    older, newer = Case.history.filter(id=history.pk).order_by("history_id")[:2]
    model_table = table(Case.history.model)
    run_sql(f"UPDATE {model_table} SET history_date = %s WHERE history_id = %s", [newer.history_date, older.pk])
    run_sql(f"UPDATE {model_table} SET history_date = %s WHERE history_id = %s", [older.history_date, newer.pk])

    code, _, err = verify()
    assert code == 1
    assert f"row {older.pk}" in err


def test_a_deleted_link_is_detected(history: Case) -> None:
    victim = AuditLink.objects.order_by("seq")[4]
    run_sql(f"DELETE FROM {table(AuditLink)} WHERE id = %s", [victim.pk])

    code, _, err = verify()
    assert code == 1
    assert f"link {victim.seq} is missing" in err


def test_removing_the_newest_change_and_its_link_is_detected_by_the_head(history: Case) -> None:
    newest = AuditLink.objects.order_by("-seq").first()
    assert newest is not None
    run_sql(f"DELETE FROM {table(AuditLink)} WHERE id = %s", [newest.pk])
    run_sql(f"DELETE FROM {table(Case.history.model)} WHERE history_id = %s", [newest.row_id])

    code, _, err = verify()
    assert code == 1
    assert "chain head" in err


def test_a_link_moved_to_another_case_is_detected(history: Case, prosecutor: User) -> None:
    other = make_case(prosecutor, title="Republic v. Someone Else")
    link = AuditLink.objects.filter(case_id=history.pk).order_by("seq").first()
    assert link is not None
    run_sql(f"UPDATE {table(AuditLink)} SET case_id = %s WHERE id = %s", [other.pk, link.pk])

    code, _, err = verify()
    assert code == 1 and f"link {link.seq} " in err


def test_a_link_whose_user_was_changed_is_detected(history: Case, auditor: User) -> None:
    link = AuditLink.objects.order_by("seq")[2]
    run_sql(f"UPDATE {table(AuditLink)} SET user_id = %s WHERE id = %s", [auditor.pk, link.pk])

    code, _, err = verify()
    assert code == 1 and f"link {link.seq} " in err and "no longer matches" in err


def test_a_checkpoint_is_confirmed_later_and_a_rewritten_history_refutes_it(history: Case, prosecutor: User) -> None:
    code, out, _ = verify("--checkpoint")
    assert code == 0
    checkpoint = next(line for line in out.splitlines() if line.startswith("CTIP-AUDIT-CHECKPOINT"))
    head = AuditChainHead.objects.get()
    assert f"link={head.seq} " in checkpoint and f" digest={head.digest} sig=" in checkpoint

    make_case(prosecutor, title="Republic v. Later Case")  # the chain grows after the checkpoint
    code, out, _ = verify("--against", checkpoint)
    assert code == 0 and f"link {head.seq} of" in out and "is part of today's chain" in out
    code, out, _ = verify("--against", head.digest)
    assert code == 0
    old_style = f"CTIP-AUDIT-CHECKPOINT link={head.seq} at=2026-11-28T14:03 EAT digest={head.digest}"
    assert verify("--against", old_style)[0] == 0  # lines printed before checkpoints were signed

    code, _, err = verify("--against", "f" * 64)
    assert code == 1 and "CHECKPOINT NOT FOUND" in err
    code, _, err = verify("--against", checkpoint.replace(f"link={head.seq} ", f"link={head.seq - 1} "))
    assert code == 1 and "SIGNATURE DOES NOT VERIFY" in err


def test_a_checkpoint_exposes_a_history_rewritten_by_someone_holding_the_key(history: Case) -> None:
    """With the key, a rewritten row and every later link recomputed make a chain that verifies on its
    own — but it no longer contains the checkpoint kept in the file outside the database, nor the one
    an auditor kept."""
    _, out, _ = verify()
    checkpoint = next(line for line in out.splitlines() if line.startswith("CTIP-AUDIT-CHECKPOINT"))

    row = Case.history.filter(id=history.pk).order_by("history_id")[1]
    run_sql(f"UPDATE {table(Case.history.model)} SET title = %s WHERE history_id = %s", ["Republic v. Nobody", row.pk])
    start = AuditLink.objects.get(source="prosecutions.historicalcase", row_id=row.pk).seq
    prev = AuditLink.objects.get(seq=start - 1).digest if start > 1 else GENESIS
    for link in AuditLink.objects.filter(seq__gte=start).order_by("seq"):
        source = next(m for m in chained_models() if source_label(m) == link.source)
        stored = source._base_manager.get(pk=link.row_id)
        prev = compute_digest(
            prev, link.seq, link.source, link.row_id, link.case_id, link.object_repr, row_content(stored)
        )
        run_sql(f"UPDATE {table(AuditLink)} SET digest = %s WHERE id = %s", [prev, link.pk])
    run_sql(f"UPDATE {table(AuditChainHead)} SET digest = %s", [prev])

    assert verify_chain().ok  # the limit of a keyed chain on its own
    code, _, err = verify()
    head = AuditChainHead.objects.get()
    assert code == 1 and f"checkpoint link={head.seq} " in err and "now has another digest" in err
    code, _, err = verify("--against", checkpoint)
    assert code == 1


def test_the_chain_is_keyed_a_different_key_fails_verification(history: Case, settings: Any) -> None:
    assert verify_chain().ok
    settings.AUDIT_HMAC_KEY = "another-key-entirely"
    result = verify_chain()
    assert not result.ok and "link 1 " in result.problem


# --------------------------------------------------------------------------------------------------
# Concurrency (PostgreSQL: real row locks between connections)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_requests_writing_history_make_one_unbroken_chain(prosecutor: User) -> None:
    from django.test import Client

    from tests.helpers import run_at_once

    county = County.objects.get(code="001")
    errors: list[str] = []

    def work() -> None:
        client = Client()
        user = User.objects.get(pk=prosecutor.pk)  # each request has its own user object
        try:
            client.force_login(user)  # a sign-in event: chained too
            for _ in range(5):
                court = Court(name=f"Court {id(client)}-{_}", level=CourtLevel.RESIDENT_MAGISTRATE, station="X")
                court.county = county
                court.save_as(user, "parallel")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))

    run_at_once(work, threads=6)
    assert errors == []
    assert Court.history.filter(history_change_reason="parallel").count() == 30
    seqs = list(AuditLink.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    result = verify_chain()
    assert result.ok, result.problem
    assert result.links == len(seqs) >= 36
