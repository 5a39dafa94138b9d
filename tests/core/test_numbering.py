"""Human reference numbers: one per series and period, in order, never issued twice — also under load."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from typing import Any

import pytest
from django.db import connection

from core.models import NumberSequence
from core.numbering import calendar_year, financial_year, issue_number, next_reference
from tests.helpers import run_at_once

CASE_TEMPLATE = "ODPP/CTIP/{period}/{number:04d}"


@pytest.mark.django_db
def test_numbers_run_in_order_within_a_series_and_period() -> None:
    assert [issue_number("case", "2026") for _ in range(3)] == [1, 2, 3]


@pytest.mark.django_db
def test_each_period_starts_again_at_one() -> None:
    issue_number("case", "2026")
    issue_number("case", "2026")
    assert issue_number("case", "2027") == 1
    assert issue_number("case", "2026") == 3


@pytest.mark.django_db
def test_series_are_independent() -> None:
    issue_number("case", "2026")
    assert issue_number("asset", "2026") == 1
    assert issue_number("case", "2026") == 2


@pytest.mark.django_db
def test_references_are_formatted_with_period_and_padded_number() -> None:
    first = next_reference("case", CASE_TEMPLATE, "2026")
    second = next_reference("case", CASE_TEMPLATE, "2026")
    receipt = next_reference("receipt", "RCT/{period}/{number:04d}", financial_year(dt.date(2026, 8, 1)))
    assert (first, second, receipt) == ("ODPP/CTIP/2026/0001", "ODPP/CTIP/2026/0002", "RCT/2026-27/0001")


@pytest.mark.django_db
def test_a_number_taken_by_a_rolled_back_transaction_is_not_consumed() -> None:
    from django.db import transaction

    issue_number("case", "2026")
    with pytest.raises(RuntimeError), transaction.atomic():
        issue_number("case", "2026")
        raise RuntimeError("the case could not be saved")
    assert issue_number("case", "2026") == 2


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 6, 30), "2025-26"),
        (dt.date(2026, 7, 1), "2026-27"),
        (dt.date(2026, 1, 1), "2025-26"),
        (dt.date(2026, 12, 31), "2026-27"),
        (dt.date(1999, 7, 1), "1999-00"),
    ],
)
def test_the_financial_year_runs_from_1_july_to_30_june(day: dt.date, expected: str) -> None:
    assert financial_year(day) == expected


def test_the_calendar_year_is_the_year() -> None:
    assert calendar_year(dt.date(2026, 12, 31)) == "2026"


# --- concurrency (PostgreSQL) -------------------------------------------------------------------------------

THREADS = 8
ISSUES_PER_THREAD = 25


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_requests_never_get_the_same_number_and_leave_no_gap() -> None:
    assert connection.vendor == "postgresql"  # the postgres mark skips this test elsewhere (tests/conftest.py)
    issued: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def ask_for_numbers() -> None:
        # Everyone asks at once, including for the period's very first number.
        try:
            for _ in range(ISSUES_PER_THREAD):
                number = issue_number("case", "2031")
                with lock:
                    issued.append(number)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)

    run_at_once(ask_for_numbers, THREADS)

    assert not errors, errors
    duplicates = [number for number, count in Counter(issued).items() if count > 1]
    assert not duplicates
    assert sorted(issued) == list(range(1, THREADS * ISSUES_PER_THREAD + 1))
    assert NumberSequence.objects.get(series="case", period="2031").last_value == THREADS * ISSUES_PER_THREAD


def test_the_admin_shows_sequences_but_cannot_add_or_delete_them(admin_client: Any) -> None:
    from django.contrib.admin.sites import site

    issue_number("case", "2026")
    sequence = NumberSequence.objects.get(series="case", period="2026")
    model_admin = site._registry[NumberSequence]
    request = admin_client.get("/admin/core/numbersequence/").wsgi_request
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_delete_permission(request, sequence)
    assert admin_client.get(f"/admin/core/numbersequence/{sequence.pk}/delete/").status_code == 403
