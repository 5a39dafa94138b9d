"""A tracked save in its own transaction on PostgreSQL takes two messages, as a plain save takes one: the BEGIN,
the history row's id and the row's own statement; then the history row, its queue entry and the COMMIT. The
history row of a table storing exactly what is sent is sealed from the values sent — and what was sealed is
what was stored, which verification proves by recomputing every link from the stored rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, connection, models
from django.test.utils import CaptureQueriesContext

from core.audit import stored
from core.audit.chain import link_pending
from core.audit.chain_verify import verify_chain
from core.audit.content import chained_models
from core.audit.manager import SEALED_AS_SENT, tracked_save_transaction
from core.audit.tracked import is_history_model
from core.models import AuditPending, County
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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_tracked_save_in_its_own_transaction_takes_two_messages() -> None:
    court = new_court("Two messages")
    court.station = "Kibera"
    notices: list[str] = []
    connection.connection.add_notice_handler(lambda notice: notices.append(notice.message_primary or ""))
    with CaptureQueriesContext(connection) as captured:
        court.save_as(None, "Moved")
    # Django logs its own transaction calls as "BEGIN" and "COMMIT"; the driver sends nothing for them here
    # (a second BEGIN or a COMMIT outside a transaction would draw a warning from the server).
    sent = [query["sql"] for query in captured.captured_queries if query["sql"] not in ("BEGIN", "COMMIT")]
    assert len(sent) == 2, sent
    assert notices == []
    first, last = sent
    assert first.startswith("BEGIN; SELECT nextval(") and 'UPDATE "prosecutions_court"' in first
    assert last.startswith('INSERT INTO "prosecutions_historicalcourt"') and last.endswith("; COMMIT")
    assert 'INSERT INTO "core_auditpending"' in last
    assert connection.connection.info.transaction_status == 0  # idle: committed, nothing left open

    row = Court.history.filter(id=court.pk).latest("history_date")
    assert (row.station, row.history_change_reason) == ("Kibera", "Moved")
    assert AuditPending.objects.filter(source=HISTORICAL_COURT, row_id=row.pk).exists()
    link_pending()
    assert verify_chain().ok


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
