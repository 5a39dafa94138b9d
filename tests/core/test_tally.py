"""The case count kept by the database (core.tally): the sum of a table's tally entries is its row count after
inserts, deletes and TRUNCATE, entries fold as they pile up, writers never wait for each other, and the case
list of a reader who sees every case reads it instead of counting every case — with the count a filter gives
still counted, and one query either way."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import RowTally, User
from core.tally import FOLD_EVERY, counted_rows
from prosecutions.models import Case
from tests.prosecutions.factories import make_case

CASES = Case._meta.db_table


def _tally() -> int | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sum(delta) FROM core_rowtally WHERE table_name = %s", [CASES])
        found = cursor.fetchone()[0]
    return None if found is None else int(found)


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_tally_follows_inserts_and_deletes(prosecutor: User) -> None:
    before = Case.objects.count()
    assert _tally() == before
    cases = [make_case(prosecutor, title=f"Republic v. Tally {n}") for n in range(3)]
    assert _tally() == before + 3 == Case.objects.count()
    gone = [cases[0].pk, cases[1].pk]
    with connection.cursor() as cursor:  # cases are never deleted by the tracker: raw, with what points at them
        cursor.execute("DELETE FROM prosecutions_stagechange WHERE case_id = ANY(%s)", [gone])
        cursor.execute("DELETE FROM prosecutions_case_team WHERE case_id = ANY(%s)", [gone])
        cursor.execute(f"DELETE FROM {CASES} WHERE id = ANY(%s)", [gone])
    assert _tally() == before + 1 == Case.objects.count()


@pytest.mark.postgres
@pytest.mark.django_db
def test_truncating_the_table_resets_its_tally(prosecutor: User) -> None:
    make_case(prosecutor)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses a table with checks still pending
        cursor.execute(f"TRUNCATE {CASES} CASCADE")
    assert _tally() == 0 == Case.objects.count()
    make_case(prosecutor)
    assert _tally() == 1


@pytest.mark.postgres
@pytest.mark.django_db
def test_entries_fold_into_one_as_they_pile_up(prosecutor: User) -> None:
    for n in range(FOLD_EVERY + 2):
        make_case(prosecutor, title=f"Republic v. Fold {n}")
    entries = RowTally.objects.filter(table_name=CASES).count()
    assert entries < FOLD_EVERY  # without folding there would be one entry per case, and the first
    assert _tally() == Case.objects.count()


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_whole_table_is_counted_from_its_tally_in_one_query(prosecutor: User) -> None:
    make_case(prosecutor)
    expected = Case.objects.count()
    with CaptureQueriesContext(connection) as captured:
        assert counted_rows(Case.objects.all()) == expected
    assert len(captured) == 1
    assert "core_rowtally" in captured[0]["sql"]
    # A filtered count is Django's own.
    expected = Case.objects.filter(stage="investigation").count()
    with CaptureQueriesContext(connection) as captured:
        assert counted_rows(Case.objects.filter(stage="investigation")) == expected
    assert len(captured) == 1
    assert "core_rowtally" not in captured[0]["sql"]


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_table_without_entries_is_counted_row_by_row_in_the_same_query(prosecutor: User) -> None:
    """As after the test flush, which empties every table with the triggers off."""
    make_case(prosecutor)
    RowTally.objects.filter(table_name=CASES).delete()
    with CaptureQueriesContext(connection) as captured:
        assert counted_rows(Case.objects.all()) == 1
    assert len(captured) == 1


@pytest.mark.django_db
def test_other_counts_are_djangos(prosecutor: User) -> None:
    """SQLite, a model without a tally, a filter: ``count()``."""
    make_case(prosecutor)
    assert counted_rows(User.objects.all()) == User.objects.count()
    assert counted_rows(Case.objects.none()) == 0
    assert counted_rows(Case.objects.all()) == Case.objects.count() == 1


@pytest.mark.django_db
def test_the_case_list_shows_every_case_counted(client: Client, unit_head: User, prosecutor: User) -> None:
    for name in ("Zawadi Mutua", "Baraka Odhiambo", "Neema Wafula"):
        make_case(prosecutor, title=f"Republic v. {name}")
    client.force_login(unit_head)
    page = client.get(reverse("prosecutions:case_list")).content.decode()
    shown = re.search(r'data-testid="result-count">([\d,]+) result', page)
    assert shown and int(shown.group(1)) == Case.objects.count() == 3
    filtered = client.get(reverse("prosecutions:case_list"), {"q": "Odhiambo"}).content.decode()
    shown = re.search(r'data-testid="result-count">([\d,]+) result', filtered)
    assert shown and int(shown.group(1)) == 1


def _copy_case(pk: int, suffix: str) -> None:
    """A row added to the cases table directly (no numbering, no history): what the triggers see of it."""
    columns = [f.column for f in Case._meta.concrete_fields if not f.primary_key]
    listed = ", ".join(columns)
    copied = ", ".join(f"reference || '{suffix}'" if column == "reference" else column for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {CASES} ({listed}) SELECT {copied} FROM {CASES} WHERE id = %s", [pk])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_writers_of_the_tally_do_not_wait_for_each_other(prosecutor: User) -> None:
    """A transaction that added cases and has not committed (an import, say) holds nothing of the tally that
    another writer needs: entries are only added, never updated."""
    case = make_case(prosecutor)
    holding = threading.Event()
    release = threading.Event()
    errors: list[BaseException] = []

    def long_writer() -> None:
        try:
            with transaction.atomic():
                _copy_case(case.pk, "-A")
                holding.set()
                release.wait(30)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=long_writer)
    thread.start()
    try:
        assert holding.wait(30)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            _copy_case(case.pk, "-B")
        assert _tally() == Case.objects.count() == 2  # the other's row is not committed yet
    finally:
        release.set()
        thread.join(30)
    assert not errors
    assert _tally() == Case.objects.count() == 3
