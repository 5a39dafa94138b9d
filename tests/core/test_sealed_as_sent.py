"""A tracked update in its own transaction on PostgreSQL is one message, as a plain save is: the BEGIN, one
statement writing the row, its history row (given its id there) and the history row's queue entry, and the
COMMIT. A creation takes two: the row's INSERT (its id comes back), then the rest. The history row of a table
storing exactly what is sent is sealed from the values sent — and what was sealed is what was stored, which
verification proves by recomputing every link from the stored rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, connection, models
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext
from simple_history.signals import post_create_historical_record

from core.audit import stored
from core.audit.chain_verify import verify_chain
from core.audit.content import chained_models
from core.audit.linking import link_pending
from core.audit.manager import SEALED_AS_SENT, RecordGone, tracked_save_transaction
from core.audit.tracked import is_history_model
from core.models import AuditLink, AuditPending, County
from prosecutions.choices import CourtLevel, Statute
from prosecutions.models import Case, Court, Offence
from victims.models import VictimIdentity

HISTORICAL_COURT = "prosecutions.historicalcourt"


def history_models() -> list[type[models.Model]]:
    return [model for model in chained_models() if is_history_model(model)]


def test_the_tables_sealed_as_sent_are_those_whose_every_column_stores_what_is_sent() -> None:
    for model in history_models():
        types = {stored._stored_type(f) for f in model._meta.concrete_fields}
        eligible = types <= stored._AS_SENT_TYPES
        assert stored.stores_as_sent(model) is eligible, model
        assert (SEALED_AS_SENT.get(model.instance_type) is model) is eligible, model  # type: ignore[attr-defined]
    # Numbers, text, dates, keys and ciphertext: sealed as sent. A JSON column (jsonb rewrites what it is
    # sent) keeps INSERT … RETURNING.
    assert {Court, Offence, VictimIdentity} <= SEALED_AS_SENT.keys()
    assert Case not in SEALED_AS_SENT


def test_a_decimal_is_sealed_as_the_column_rounds_it() -> None:
    places = Decimal("0.01")
    assert stored._rounded(places, Decimal("10.005")) == Decimal("10.01")
    assert stored._rounded(places, Decimal("-10.005")) == Decimal("-10.01")
    assert str(stored._rounded(places, Decimal("-0.001"))) == "0.00"  # PostgreSQL has no negative zero
    assert str(stored._rounded(places, Decimal("7"))) == "7.00"


def new_court(name: str) -> Court:
    court = Court(name=name, level=CourtLevel.RESIDENT_MAGISTRATE, station="Milimani")
    court.county = County.objects.get(code="001")
    court.save_as(None, "Opened")
    return court


def sent_during(action: Any) -> list[str]:
    """The messages ``action`` sends, checking the server had nothing to warn of (a second BEGIN, a COMMIT
    outside a transaction). Django logs its own transaction calls as "BEGIN" and "COMMIT"; the driver sends
    nothing for them here."""
    notices: list[str] = []
    connection.ensure_connection()
    connection.connection.add_notice_handler(lambda notice: notices.append(notice.message_primary or ""))
    with CaptureQueriesContext(connection) as captured:
        action()
    assert notices == []
    assert connection.connection.info.transaction_status == 0  # idle: committed, nothing left open
    return [query["sql"] for query in captured.captured_queries if query["sql"] not in ("BEGIN", "COMMIT")]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_tracked_update_in_its_own_transaction_is_one_message() -> None:
    court = new_court("One message")
    court.station = "Kibera"
    written: list[Any] = []

    def keep(history_instance: Any, **kwargs: Any) -> None:
        written.append(history_instance)

    post_create_historical_record.connect(keep, dispatch_uid="test.keep")
    try:
        sent = sent_during(lambda: court.save_as(None, "Moved"))
    finally:
        post_create_historical_record.disconnect(dispatch_uid="test.keep")
    assert len(sent) == 1, sent
    (message,) = sent
    assert message.startswith('BEGIN; WITH u AS (UPDATE "prosecutions_court"') and message.endswith("; COMMIT")
    assert 'INSERT INTO "prosecutions_historicalcourt"' in message and 'INSERT INTO "core_auditpending"' in message

    row = Court.history.filter(id=court.pk).latest("history_id")
    assert (row.station, row.history_change_reason) == ("Kibera", "Moved")
    assert written[-1].pk == row.pk  # the history row was given the id the database gave it
    assert Court.objects.get(pk=court.pk).station == "Kibera"
    entry = AuditPending.objects.get(source=HISTORICAL_COURT, row_id=row.pk)
    assert '"history_id"' not in entry.content  # the entry's row_id, given with the row: put back when linked
    link_pending()
    assert AuditLink.objects.filter(source=HISTORICAL_COURT, row_id=row.pk).exists()
    assert verify_chain().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_tracked_creation_takes_two_messages() -> None:
    court = Court(name="Two messages", level=CourtLevel.RESIDENT_MAGISTRATE, station="Milimani")
    court.county = County.objects.get(code="001")
    sent = sent_during(lambda: court.save_as(None, "Opened"))
    assert len(sent) == 2, sent
    first, last = sent
    assert first.startswith('BEGIN; INSERT INTO "prosecutions_court"')
    assert last.startswith('WITH h AS (INSERT INTO "prosecutions_historicalcourt"') and last.endswith("; COMMIT")
    row = Court.history.get(id=court.pk)
    assert AuditPending.objects.filter(source=HISTORICAL_COURT, row_id=row.pk).exists()
    link_pending()
    assert verify_chain().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_update_of_a_record_deleted_meanwhile_saves_nothing_and_says_so() -> None:
    court = new_court("Deleted meanwhile")
    Court.objects.filter(pk=court.pk).delete()  # as another user's deletion would, after this one read it
    rows, entries = Court.history.filter(id=court.pk).count(), AuditPending.objects.count()
    court.station = "Nowhere"
    with pytest.raises(RecordGone, match="deleted after it was opened"):
        court.save_as(None, "Moved")
    assert connection.connection.info.transaction_status == 0  # rolled back, the connection ready
    assert not Court.objects.filter(pk=court.pk).exists()  # not re-created
    assert (Court.history.filter(id=court.pk).count(), AuditPending.objects.count()) == (rows, entries)
    new_court("Next one")  # the connection carries on
    link_pending()
    assert verify_chain().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_statement_sent_during_the_save_goes_after_the_update_left_for_the_end() -> None:
    """A receiver reading the record while it is saved sees it saved: the UPDATE left for the end goes first,
    with the BEGIN, in the receiver's statement's message; the history row and its entry still go with the
    COMMIT."""
    court = new_court("Read while saved")
    seen: list[str] = []

    def read_back(sender: Any, instance: Court, **kwargs: Any) -> None:
        seen.append(Court.objects.values_list("station", flat=True).get(pk=instance.pk))

    post_save.connect(read_back, sender=Court, dispatch_uid="test.read_back")
    try:
        court.station = "Eldoret"
        sent = sent_during(lambda: court.save_as(None, "Moved"))
    finally:
        post_save.disconnect(dispatch_uid="test.read_back", sender=Court)
    assert seen == ["Eldoret"]
    assert len(sent) == 2, sent
    assert sent[0].startswith('BEGIN; UPDATE "prosecutions_court"') and "SELECT" in sent[0]
    assert sent[1].startswith('WITH h AS (INSERT INTO "prosecutions_historicalcourt"')
    row = Court.history.filter(id=court.pk).latest("history_id")
    assert row.station == "Eldoret"
    link_pending()
    assert verify_chain().ok


def _percent_without_parameters(court: Court) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT '100%'")  # no parameters: sent as written, its % unescaped
        return str(cursor.fetchone()[0])


def _executemany(court: Court) -> str:
    with connection.cursor() as cursor:
        cursor.executemany("SELECT %s", [(1,), (2,)])  # cannot carry other statements: the UPDATE goes first
    return Court.objects.values_list("station", flat=True).get(pk=court.pk)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    ("statement", "expected"), [(_percent_without_parameters, "100%"), (_executemany, "Nakuru")], ids=["raw", "many"]
)
def test_any_statement_sent_during_the_save_has_the_update_sent_before_it(statement: Any, expected: str) -> None:
    court = new_court(f"Sent during {expected}")
    seen: list[str] = []

    def run(sender: Any, instance: Court, **kwargs: Any) -> None:
        seen.append(statement(instance))

    post_save.connect(run, sender=Court, dispatch_uid="test.run")
    try:
        court.station = "Nakuru"
        court.save_as(None, "Moved")
    finally:
        post_save.disconnect(dispatch_uid="test.run", sender=Court)
    assert seen == [expected]
    assert connection.connection.info.transaction_status == 0
    assert Court.history.filter(id=court.pk).latest("history_id").station == "Nakuru"
    link_pending()
    assert verify_chain().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_update_without_history_is_one_message_and_still_refuses_a_deleted_record() -> None:
    court = new_court("No history")
    rows = Court.history.filter(id=court.pk).count()
    court.station = "Quiet"
    court.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        sent = sent_during(court.save)
        assert len(sent) == 1 and sent[0].startswith("BEGIN; WITH u AS (UPDATE"), sent
        assert Court.objects.get(pk=court.pk).station == "Quiet"
        assert Court.history.filter(id=court.pk).count() == rows
        Court.objects.filter(pk=court.pk).delete()
        with pytest.raises(RecordGone):
            court.save()
    finally:
        del court.skip_history_when_saving  # type: ignore[attr-defined]
    assert not Court.objects.filter(pk=court.pk).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_records_history_ids_rise_in_the_order_its_changes_were_saved() -> None:
    court = new_court("In order")
    for station in ("A", "B", "C"):
        court.station = station
        court.save_as(None, "Moved")
    stations = list(Court.history.filter(id=court.pk).order_by("history_id").values_list("station", flat=True))
    assert stations == ["Milimani", "A", "B", "C"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_what_was_sealed_as_sent_is_what_was_stored_for_decimals_dates_and_ciphertext(
    prosecutor: Any,
) -> None:
    from tests.trustfund.factories import victim

    offence = Offence(
        statute=Statute.CTIP,
        section="99(9)",
        title="Sealed as sent",
        min_custodial_months=12,
        life_imprisonment=False,
        min_fine=Decimal("10.005"),  # the column keeps two places: 10.01
        max_fine=Decimal("-0.001"),  # 0.00, not -0.00
        effective_from=dt.date(2024, 1, 31),
    )
    offence.save_as(prosecutor, "Sealed as sent")
    identity = VictimIdentity(victim=victim(), victim_code="V-SEALED", full_name="Amina Wanjiru", phone="0700 000000")
    identity.save_as(prosecutor, "Identity recorded")

    kept = Offence.history.filter(id=offence.pk).get()
    assert (kept.min_fine, str(kept.max_fine)) == (Decimal("10.01"), "0.00")
    entry = AuditPending.objects.get(source="prosecutions.historicaloffence", row_id=kept.pk)
    assert '"min_fine":"10.01"' in entry.content and '"max_fine":"0.00"' in entry.content
    sealed = AuditPending.objects.get(
        source="victims.historicalvictimidentity", row_id=VictimIdentity.history.get(id=identity.pk).pk
    )
    assert "Amina" not in sealed.content and "0700" not in sealed.content  # ciphertext only
    link_pending()
    assert verify_chain().ok  # every link recomputed from the rows as stored


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failing_first_message_commits_nothing_and_leaves_the_connection_ready() -> None:
    new_court("Taken name")
    with pytest.raises(IntegrityError):
        new_court("Taken name")  # the unique name: the INSERT in the first message fails
    assert connection.connection.info.transaction_status == 0
    assert Court.objects.filter(name="Taken name").count() == 1
    assert Court.history.filter(name="Taken name").count() == 1
    new_court("Next one")  # the connection carries on
    link_pending()
    result = verify_chain()
    assert result.ok and result.pending == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_first_statement_sent_as_executemany_gets_its_own_begin() -> None:
    court = new_court("Many first")
    court.station = "Eldoret"
    with tracked_save_transaction("default", Court):
        with connection.cursor() as cursor:
            cursor.executemany("SELECT %s", [(1,), (2,)])  # cannot carry other statements
        assert connection.connection.info.transaction_status == 2  # in a transaction: BEGIN went first
        court.save_as(None, "Moved")
    assert connection.connection.info.transaction_status == 0
    row = Court.history.filter(id=court.pk).latest("history_date")
    assert row.station == "Eldoret"
    link_pending()
    assert verify_chain().ok
