"""The test run's flush on PostgreSQL (``tests.flush``): every row of every table goes, the append-only audit
tables' included, and the database refuses deletes again afterwards; TRUNCATE stays where it must."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction

from core.models import AuditLink, County, User
from prosecutions.choices import CourtLevel
from prosecutions.models import Court
from tests.factories import UserFactory
from tests.flush import SKIP_TRIGGERS

pytestmark = pytest.mark.postgres


@pytest.mark.django_db
def test_the_flush_deletes_every_table_without_triggers_and_truncates_when_it_must() -> None:
    tables = ["core_user", "prosecutions_court"]
    deleting = connection.ops.sql_flush(no_style(), tables)
    assert deleting == [SKIP_TRIGGERS, 'DELETE FROM "core_user"', 'DELETE FROM "prosecutions_court"']
    for kwargs in ({"reset_sequences": True}, {"allow_cascade": True}):
        (statement,) = connection.ops.sql_flush(no_style(), tables, **kwargs)
        assert statement.startswith("TRUNCATE")
    assert connection.ops.sql_flush(no_style(), []) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_flush_empties_the_append_only_tables_and_leaves_them_append_only() -> None:
    user = UserFactory.create(username="flushed")
    court = Court.objects.first()
    assert court is not None
    court.save_as(user, "A history row to flush")
    history = Court.history.model
    assert history.objects.exists() and User.objects.exists()

    # As a transactional test's teardown calls it (Django's own default would also restart the sequences).
    call_command("flush", verbosity=0, interactive=False, reset_sequences=False, inhibit_post_migrate=False)

    assert not history.objects.exists()
    assert not User.objects.exists()
    assert not AuditLink.objects.exists()
    # The guard is back once the flush's transaction ended: history rows refuse deletion again.
    court = Court(name="After the flush", level=CourtLevel.RESIDENT_MAGISTRATE, station="X")
    court.county = County.objects.create(code="999", name="After the flush")
    court.save_as(None, "A history row after the flush")
    assert history.objects.count() == 1
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        history.objects.all().delete()
