"""The audit chain written in two steps: each history row sealed into a queue in its writer's transaction,
linked by one linker at a time — the workers' linker on PostgreSQL, the writer right after its commit on
SQLite. The queue's window is covered: what waits in it is
reported as pending, and what is forged, altered or removed there is caught."""

from __future__ import annotations

import io
import json
import threading
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection, connections, transaction

from core.audit import chain, linking, seal
from core.audit.chain_verify import verify_chain
from core.audit.linking import link_pending
from core.audit.seal import seal_of
from core.models import AuditChainHead, AuditLink, AuditPending, County, User
from prosecutions.choices import CourtLevel
from prosecutions.models import Court
from tests.core.audit_tampering import run_sql, table

HISTORICAL_COURT = "prosecutions.historicalcourt"


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


def new_court(name: str, user: User | None = None) -> Court:
    court = Court(name=name, level=CourtLevel.RESIDENT_MAGISTRATE, station="Milimani")
    court.county = County.objects.get(code="001")
    court.save_as(user, "Opened")
    return court


def lock_taken_and_no_linker(patch: pytest.MonkeyPatch) -> None:
    """As when the writer's transaction commits (it queues) and no linker runs (no worker, or it crashed)."""
    patch.setattr(chain, "_never_commits", lambda *args, **kwargs: False)
    patch.setattr(chain, "links_after_commit", lambda *args, **kwargs: False)
    patch.setattr(chain, "link_pending", lambda *args, **kwargs: 0)


def queued_court(name: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Court, AuditPending]:
    with monkeypatch.context() as patch:
        lock_taken_and_no_linker(patch)
        court = new_court(name)
    row = Court.history.filter(id=court.pk).get()
    return court, AuditPending.objects.get(source=HISTORICAL_COURT, row_id=row.pk)


# --------------------------------------------------------------------------------------------------
# The queue and the linker


@pytest.mark.django_db
def test_a_written_row_is_sealed_into_the_queue_as_stored_then_linked_in_queue_order(
    monkeypatch: pytest.MonkeyPatch, prosecutor: User
) -> None:
    with monkeypatch.context() as patch:
        lock_taken_and_no_linker(patch)
        courts = [new_court(f"Queued court {n}", prosecutor) for n in range(3)]
    rows = [Court.history.filter(id=court.pk).get() for court in courts]
    entries = list(AuditPending.objects.filter(source=HISTORICAL_COURT).order_by("pk"))
    assert [entry.row_id for entry in entries] == [row.pk for row in rows]
    first = entries[0]
    assert (first.action, first.user_id, first.reason, first.record_type) == (
        "created",
        prosecutor.pk,
        "Opened",
        "prosecutions.court",
    )
    assert '"name":"Queued court 0"' in first.content and first.seal == seal_of(first)
    assert not AuditLink.objects.filter(source=HISTORICAL_COURT, row_id__in=[r.pk for r in rows]).exists()

    before = AuditChainHead.objects.get().seq
    assert link_pending() >= 3
    links = list(AuditLink.objects.filter(source=HISTORICAL_COURT, row_id__in=[r.pk for r in rows]).order_by("seq"))
    assert [link.row_id for link in links] == [row.pk for row in rows]
    assert [link.seq for link in links] == list(range(before + 1, before + 4))
    assert not AuditPending.objects.exists()
    assert verify_chain().ok


@pytest.mark.django_db
def test_rows_waiting_in_the_queue_are_reported_as_pending_and_verify_audit_links_them_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    queued_court("Pending court", monkeypatch)
    result = verify_chain()
    assert result.ok, result.problem
    assert result.pending == 1

    code, out, err = verify()
    assert code == 0, err
    assert not AuditPending.objects.exists()
    row = Court.history.get(name="Pending court")
    assert AuditLink.objects.filter(source=HISTORICAL_COURT, row_id=row.pk).exists()
    assert f"{AuditLink.objects.count()} links" in out


@pytest.mark.django_db
def test_link_audit_command_links_the_queue() -> None:
    with transaction.atomic():
        pass
    out = io.StringIO()
    call_command("link_audit", stdout=out)
    assert "Linked 0 queued row(s)" in out.getvalue()


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_nothing_in_the_queue() -> None:
    before = AuditPending.objects.count(), AuditLink.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        new_court("Never was")
        raise RuntimeError("the service failed after saving")
    assert (AuditPending.objects.count(), AuditLink.objects.count()) == before


# --------------------------------------------------------------------------------------------------
# Tampering in the window


@pytest.mark.django_db
def test_an_entry_altered_while_queued_is_not_linked_and_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    _, entry = queued_court("Honest court", monkeypatch)
    forged = entry.content.replace("Honest court", "Forged court")
    run_sql(f"UPDATE {table(AuditPending)} SET content = %s WHERE id = %s", [forged, entry.pk])

    link_pending()
    assert AuditPending.objects.filter(pk=entry.pk).exists()  # left in the queue, unlinked
    assert not AuditLink.objects.filter(source=HISTORICAL_COURT, row_id=entry.row_id).exists()
    code, _, err = verify()
    assert code == 1
    assert f"{HISTORICAL_COURT} row {entry.row_id}" in err and "not one the tracker sealed" in err


@pytest.mark.django_db
def test_a_history_row_and_entry_forged_without_the_key_are_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    _, entry = queued_court("Real court", monkeypatch)
    link_pending()
    row = Court.history.get(history_id=entry.row_id)
    forged_row = Court.history.model(
        **{f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields if f.attname != "history_id"}
    )
    forged_row.name = "Invented court"
    forged_row.history_type = "~"
    Court.history.model.objects.bulk_create([forged_row])  # no signal, no seal: as raw SQL would
    forged_row = Court.history.get(name="Invented court")
    AuditPending.objects.create(
        source=HISTORICAL_COURT,
        row_id=forged_row.pk,
        record_type="prosecutions.court",
        object_id=str(forged_row.id),
        object_repr="Court: Invented court",
        action="changed",
        at=forged_row.history_date,
        content='{"name":"Invented court"}',
        seal="0" * 64,
    )
    link_pending()
    assert not AuditLink.objects.filter(source=HISTORICAL_COURT, row_id=forged_row.pk).exists()
    code, _, err = verify()
    assert code == 1 and f"row {forged_row.pk}" in err and "not one the tracker sealed" in err


@pytest.mark.django_db
def test_entries_retargeted_to_each_others_rows_while_queued_fail_those_rows_links(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The seal leaves out the row's id (the database gives it as it inserts the row and the entry together);
    what binds an entry to its row is the content — every other stored column — which verification
    recomputes from the row the link names."""
    _, first = queued_court("First court", monkeypatch)
    _, second = queued_court("Second court", monkeypatch)
    run_sql(
        f"UPDATE {table(AuditPending)} SET row_id = CASE WHEN id = %s THEN %s ELSE %s END WHERE id IN (%s, %s)",
        [first.pk, second.row_id, first.row_id, first.pk, second.pk],
    )
    link_pending()
    code, _, err = verify()
    assert code == 1
    assert "the row or the link was altered" in err


@pytest.mark.django_db
def test_an_entry_whose_content_names_another_row_is_not_linked(monkeypatch: pytest.MonkeyPatch) -> None:
    _, entry = queued_court("Mismatched court", monkeypatch)
    content = json.loads(entry.content)
    content["history_id"] = entry.row_id + 1000
    entry.content = json.dumps(content, sort_keys=True, separators=(",", ":"))
    run_sql(
        f"UPDATE {table(AuditPending)} SET content = %s, seal = %s WHERE id = %s",
        [entry.content, seal_of(entry), entry.pk],
    )
    link_pending()
    assert AuditPending.objects.filter(pk=entry.pk).exists()  # left in the queue, unlinked
    assert not AuditLink.objects.filter(source=HISTORICAL_COURT, row_id=entry.row_id).exists()


@pytest.mark.django_db
def test_an_entry_sealed_with_its_row_id_as_queued_before_is_linked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries queued before the row's id was left to the database carry it in their content and their seal."""
    _, entry = queued_court("Older entry", monkeypatch)
    content = json.loads(entry.content)
    content["history_id"] = entry.row_id
    entry.content = json.dumps(content, sort_keys=True, separators=(",", ":"))
    run_sql(
        f"UPDATE {table(AuditPending)} SET content = %s, seal = %s WHERE id = %s",
        [entry.content, seal.seal_with_row_id(entry), entry.pk],
    )
    link_pending()
    assert not AuditPending.objects.exists()
    assert AuditLink.objects.filter(source=HISTORICAL_COURT, row_id=entry.row_id).exists()
    assert verify_chain().ok


@pytest.mark.django_db
def test_an_entry_removed_from_the_queue_leaves_a_row_without_a_link(monkeypatch: pytest.MonkeyPatch) -> None:
    _, entry = queued_court("Dropped court", monkeypatch)
    run_sql(f"DELETE FROM {table(AuditPending)} WHERE id = %s", [entry.pk])
    code, _, err = verify()
    assert code == 1
    assert f"{HISTORICAL_COURT} row {entry.row_id}" in err and "has no link" in err


@pytest.mark.django_db
def test_a_row_edited_after_it_was_sealed_fails_its_link(monkeypatch: pytest.MonkeyPatch) -> None:
    """The link digests the row as its INSERT returned it (the sealed content), not as it reads later."""
    _, entry = queued_court("Sealed court", monkeypatch)
    run_sql(f"UPDATE {table(Court.history.model)} SET station = %s WHERE history_id = %s", ["Elsewhere", entry.row_id])
    link_pending()
    assert AuditLink.objects.filter(source=HISTORICAL_COURT, row_id=entry.row_id).exists()
    code, _, err = verify()
    assert code == 1
    assert f"{HISTORICAL_COURT} row {entry.row_id}" in err and "the row or the link was altered" in err


@pytest.mark.django_db
def test_an_entry_queued_twice_is_linked_once_and_the_copy_kept_for_review(monkeypatch: pytest.MonkeyPatch) -> None:
    _, entry = queued_court("Twice court", monkeypatch)
    link_pending()
    copy = AuditPending.objects.create(
        **{f.attname: getattr(entry, f.attname) for f in entry._meta.fields if f.attname != "id"}
    )
    queued_court("After the copy", monkeypatch)
    link_pending()  # the copy's row is linked already: the other entry is linked, the copy stays
    assert AuditLink.objects.filter(source=HISTORICAL_COURT, row_id=entry.row_id).count() == 1
    assert list(AuditPending.objects.values_list("pk", flat=True)) == [copy.pk]
    after = Court.history.get(name="After the copy")
    assert AuditLink.objects.filter(source=HISTORICAL_COURT, row_id=after.pk).exists()
    assert verify_chain().ok


# --------------------------------------------------------------------------------------------------
# Committed transactions (the linker runs on commit)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_writer_left_to_the_linker_only_queues_and_the_linker_links_it(settings: Any) -> None:
    """PostgreSQL's way (``AUDIT_LINK_AFTER_COMMIT`` off): the writer takes no lock on the chain head, not even
    after its commit; the workers' linker links its row within its interval."""
    settings.AUDIT_LINK_AFTER_COMMIT = False
    with transaction.atomic():
        court = new_court("Left to the linker")
        row = Court.history.filter(id=court.pk).get()
    assert AuditPending.objects.filter(source=HISTORICAL_COURT, row_id=row.pk).exists()
    assert not AuditLink.objects.filter(source=HISTORICAL_COURT, row_id=row.pk).exists()
    assert verify_chain().pending == 1  # reported as waiting, not as broken
    stop = threading.Event()
    linker = threading.Thread(target=linking.run_linker, args=(stop,), kwargs={"interval": 0.05})
    linker.start()
    try:
        for _ in range(200):  # up to 10 s on a slow machine; the interval is 0.05 s
            try:
                if AuditLink.objects.filter(source=HISTORICAL_COURT, row_id=row.pk).exists():
                    break
            except OperationalError:  # SQLite's shared in-memory test database: the linker is writing the table
                pass
            stop.wait(0.05)
    finally:
        stop.set()
        linker.join(timeout=30)
    assert not linker.is_alive()
    assert AuditLink.objects.filter(source=HISTORICAL_COURT, row_id=row.pk).exists()
    assert not AuditPending.objects.exists()
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_writer_linking_after_its_commit_links_its_row_once_committed(settings: Any) -> None:
    """SQLite's way (one writer at a time): queued in the transaction, linked right after the commit."""
    settings.AUDIT_LINK_AFTER_COMMIT = True
    with transaction.atomic():
        court = new_court("Queued then linked")
        row = Court.history.filter(id=court.pk).get()
        assert AuditPending.objects.filter(source=HISTORICAL_COURT, row_id=row.pk).exists()
        assert not AuditLink.objects.filter(source=HISTORICAL_COURT, row_id=row.pk).exists()
    assert AuditLink.objects.filter(source=HISTORICAL_COURT, row_id=row.pk).exists()
    assert not AuditPending.objects.exists()
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_audit_log_page_links_what_waits_before_it_reads(settings: Any, client: Any, auditor: User) -> None:
    from django.urls import reverse

    settings.AUDIT_LINK_AFTER_COMMIT = False
    linking.catch_up()  # the auditor's own grants
    court = new_court("Seen at once")
    assert AuditPending.objects.exists()
    client.force_login(auditor)
    response = client.get(reverse("core:audit_log"))
    assert response.status_code == 200
    assert not AuditPending.objects.exists()
    row = Court.history.filter(id=court.pk).get()
    assert AuditLink.objects.filter(source=HISTORICAL_COURT, row_id=row.pk).exists()
    assert verify_chain().ok


def _queue_vacuums() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_get_vacuum_count(%s::regclass)", [AuditPending._meta.db_table])
        return int(cursor.fetchone()[0])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_linker_vacuums_the_queue_after_taking_enough_entries_out_of_it(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every linked entry leaves a removed row in the queue's table; the linker vacuums it every
    ``QUEUE_VACUUM_AFTER`` entries, so the table stays small even where autovacuum is off or late."""
    settings.AUDIT_LINK_AFTER_COMMIT = False
    monkeypatch.setattr(linking, "QUEUE_VACUUM_AFTER", 3)
    before = _queue_vacuums()
    for n in range(4):
        new_court(f"Queued for the vacuum {n}")
    assert AuditPending.objects.count() == 4
    stop = threading.Event()
    linker = threading.Thread(target=linking.run_linker, args=(stop,), kwargs={"interval": 0.05})
    linker.start()
    try:
        for _ in range(200):  # up to 10 s on a slow machine
            if _queue_vacuums() > before:
                break
            stop.wait(0.05)
    finally:
        stop.set()
        linker.join(timeout=30)
    assert _queue_vacuums() == before + 1
    assert not AuditPending.objects.exists()
    assert verify_chain().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_tracked_save_sends_its_queue_entry_with_its_commit_and_commits_nothing_if_it_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A tracked save in autocommit (a view's) ends with one message: the queue's INSERT and the COMMIT. The
    row, its history row and its entry are committed together; if the INSERT fails, none of them is."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        court = new_court("One message")
    last = [q["sql"] for q in captured.captured_queries if "core_auditpending" in q["sql"]]
    assert len(last) == 1 and last[0].rstrip().endswith("; COMMIT")
    assert connection.connection.info.transaction_status == 0  # idle: committed, nothing left open
    row = Court.history.filter(id=court.pk).get()
    assert AuditPending.objects.filter(source=HISTORICAL_COURT, row_id=row.pk).exists()

    monkeypatch.setattr(chain, "seal_of", lambda entry: "x" * 65)  # longer than the column: the INSERT fails
    with pytest.raises(Exception, match="too long"):
        new_court("Never committed")
    assert not Court.objects.filter(name="Never committed").exists()
    assert not Court.history.filter(name="Never committed").exists()
    monkeypatch.undo()
    link_pending()
    assert verify_chain().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_writer_does_not_wait_for_a_linker_holding_the_lock() -> None:
    """While another connection holds the head's lock, a writer commits and returns; its row waits in the
    queue (pending) until a linker runs."""
    held, release = threading.Event(), threading.Event()

    def hold_the_head() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"SELECT seq FROM {table(AuditChainHead)} WHERE id = 1 FOR UPDATE")
                held.set()
                release.wait(timeout=60)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_head)
    holder.start()
    try:
        assert held.wait(timeout=60)
        court = new_court("Not waiting")  # its own transaction; would block here if writers queued
        row = Court.history.filter(id=court.pk).get()
        assert AuditPending.objects.filter(source=HISTORICAL_COURT, row_id=row.pk).exists()
        assert not AuditLink.objects.filter(source=HISTORICAL_COURT, row_id=row.pk).exists()
    finally:
        release.set()
        holder.join(timeout=60)
    result = verify_chain()
    assert result.ok and result.pending == 1
    link_pending()
    assert AuditLink.objects.filter(source=HISTORICAL_COURT, row_id=row.pk).exists()
    assert verify_chain().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_eight_concurrent_writers_leave_one_unbroken_chain_covering_every_row_in_order() -> None:
    from tests.helpers import run_at_once

    county = County.objects.get(code="001")
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(1000))

    def work() -> None:
        with lock:
            me = next(counter)
        try:
            for n in range(10):
                with transaction.atomic():  # each save in its own transaction
                    court = Court(name=f"Writer {me} court {n}", level=CourtLevel.RESIDENT_MAGISTRATE, station="X")
                    court.county = county
                    court.save_as(None, "concurrent")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))

    stop = threading.Event()  # the workers' linker, linking while the writers write
    linker = threading.Thread(target=linking.run_linker, args=(stop,), kwargs={"interval": 0.01})
    linker.start()
    try:
        run_at_once(work, threads=8)
    finally:
        stop.set()
        linker.join(timeout=60)
    assert errors == []
    rows = list(Court.history.filter(history_change_reason="concurrent").values_list("history_id", flat=True))
    assert len(rows) == 80
    linking.catch_up()  # what the writers committed after the linker's last pass
    assert not AuditPending.objects.exists()  # every writer's entry was linked, once
    linked = AuditLink.objects.filter(source=HISTORICAL_COURT, row_id__in=rows)
    assert linked.count() == 80 == len(set(linked.values_list("row_id", flat=True)))
    seqs = list(AuditLink.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert AuditChainHead.objects.get().seq == len(seqs)
    result = verify_chain()
    assert result.ok, result.problem
    assert result.pending == 0
