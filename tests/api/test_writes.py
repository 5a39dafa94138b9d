"""Writes another system pushes: through the services, with their guards and messages; the history says
who and "via API"; an Idempotency-Key makes a retry harmless; too many requests get a 429."""

from __future__ import annotations

import datetime as dt
import io
import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from api.exceptions import domain_status, error_code
from api.models import IdempotencyRecord
from api.throttling import TokenRateThrottle
from core.exceptions import DomainError, StaleRecord
from core.models import User
from jobs.registry import get
from prosecutions.exceptions import CaseClosed, CaseNotEditable, DispositionNotAllowed, DuplicateCount
from prosecutions.models import Charge, Hearing
from tests.api.conftest import World, client_with, token_for
from tests.helpers import run_at_once, table_counts
from tests.prosecutions.factories import charged_case, court, days_ago

ApiAs = Callable[[User], APIClient]


def _schedule(world: World) -> str:
    return f"/api/v1/cases/{world.case.pk}/hearings/"


def _hearing_body(days_ahead: int = 10) -> dict[str, Any]:
    return {"date": days_ago(-days_ahead).isoformat(), "purpose": "mention", "courtroom": "Court 3"}


def test_scheduling_a_hearing_goes_through_the_service_and_the_history_says_via_api(
    api_as: ApiAs, world: World, prosecutor: User
) -> None:
    response = api_as(prosecutor).post(_schedule(world), _hearing_body(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    hearing = Hearing.objects.get(pk=body["id"])
    assert (hearing.case_id, hearing.courtroom, hearing.court_id) == (world.case.pk, "Court 3", world.case.court_id)
    assert body["purpose_label"] == "Mention"
    record = hearing.history.latest()
    assert record.history_user_id == prosecutor.pk
    assert "via API" in record.history_change_reason


def test_a_hearing_outcome_with_a_next_date_schedules_the_next_sitting(
    api_as: ApiAs, world: World, prosecutor: User
) -> None:
    before = Hearing.objects.filter(case=world.case).count()
    response = api_as(prosecutor).post(
        f"/api/v1/hearings/{world.hearing.pk}/outcome/",
        {"outcome": "adjourned", "adjournment_reason": "witness_absent", "next_date": days_ago(-7).isoformat()},
        format="json",
    )
    assert response.status_code == 200, response.content
    world.hearing.refresh_from_db()
    assert world.hearing.outcome == "adjourned"
    assert Hearing.objects.filter(case=world.case).count() == before + 1
    assert "via API" in world.hearing.history.latest().history_change_reason


def test_a_plea_and_then_a_refused_outcome(api_as: ApiAs, world: World, prosecutor: User) -> None:
    api = api_as(prosecutor)
    charge = world.charges[0]
    response = api.post(f"/api/v1/counts/{charge.pk}/plea/", {"plea": "not_guilty"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["plea"] == "not_guilty"
    charge.refresh_from_db()
    assert charge.plea == "not_guilty"

    before = table_counts("prosecutions")
    refused = api.post(f"/api/v1/counts/{charge.pk}/outcome/", {"disposition": "convicted_trial"}, format="json")
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "disposition_not_allowed"
    assert "cannot be recorded while the case is at Pre-trial" in error["message"]
    assert table_counts("prosecutions") == before  # nothing half-saved, history included


def test_a_prosecutor_not_on_the_case_is_refused_and_nothing_changes(
    api_as: ApiAs, world: World, other_prosecutor: User
) -> None:
    before = table_counts("prosecutions")
    response = api_as(other_prosecutor).post(_schedule(world), _hearing_body(), format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "case_not_editable"
    assert table_counts("prosecutions") == before


def test_bad_input_is_a_400_naming_the_field(api_as: ApiAs, world: World, prosecutor: User) -> None:
    response = api_as(prosecutor).post(_schedule(world), {"date": "not a date", "purpose": "mention"}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("invalid", "date")
    assert "date" in error["fields"]


def test_a_write_by_a_reader_only_role_is_403(api_as: ApiAs, world: World, auditor: User) -> None:
    response = api_as(auditor).post(_schedule(world), _hearing_body(), format="json")
    assert response.status_code == 403


def test_a_retried_post_with_the_same_key_does_not_create_twice(api_as: ApiAs, world: World, prosecutor: User) -> None:
    api = api_as(prosecutor)
    key = str(uuid.uuid4())
    first = api.post(_schedule(world), _hearing_body(), format="json", HTTP_IDEMPOTENCY_KEY=key)
    again = api.post(_schedule(world), _hearing_body(), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert again.json() == first.json()
    assert Hearing.objects.filter(case=world.case, date=days_ago(-10)).count() == 1
    # A new key is a new request.
    assert api.post(_schedule(world), _hearing_body(), format="json", HTTP_IDEMPOTENCY_KEY="other").status_code == 201
    assert Hearing.objects.filter(case=world.case, date=days_ago(-10)).count() == 2


def test_the_same_key_with_another_body_is_a_409(api_as: ApiAs, world: World, prosecutor: User) -> None:
    api = api_as(prosecutor)
    api.post(_schedule(world), _hearing_body(10), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    before = Hearing.objects.count()
    response = api.post(_schedule(world), _hearing_body(11), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert Hearing.objects.count() == before


def test_keys_belong_to_their_user(api_as: ApiAs, world: World, prosecutor: User, unit_head: User) -> None:
    api_as(prosecutor).post(_schedule(world), _hearing_body(10), format="json", HTTP_IDEMPOTENCY_KEY="shared")
    response = api_as(unit_head).post(_schedule(world), _hearing_body(10), format="json", HTTP_IDEMPOTENCY_KEY="shared")
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert IdempotencyRecord.objects.filter(key="shared").count() == 2


def test_a_refused_write_is_not_stored_so_its_retry_is_checked_afresh(
    api_as: ApiAs, world: World, prosecutor: User
) -> None:
    api = api_as(prosecutor)
    url = f"/api/v1/counts/{world.charges[0].pk}/outcome/"
    first = api.post(url, {"disposition": "convicted_trial"}, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    assert first.status_code == 400
    assert not IdempotencyRecord.objects.exists()


def test_the_history_chain_verifies_after_api_writes(api_as: ApiAs, world: World, prosecutor: User) -> None:
    api = api_as(prosecutor)
    api.post(_schedule(world), _hearing_body(), format="json")
    api.post(f"/api/v1/counts/{world.charges[1].pk}/plea/", {"plea": "guilty"}, format="json")
    out = io.StringIO()
    call_command("verify_audit", stdout=out, stderr=io.StringIO())  # raises CommandError when broken


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (DispositionNotAllowed("x"), 400, "disposition_not_allowed"),
        (DuplicateCount("x"), 409, "duplicate_count"),
        (StaleRecord("x"), 409, "stale_record"),
        (CaseClosed("x"), 409, "case_closed"),
        (CaseNotEditable("x"), 403, "case_not_editable"),
        (DomainError("x"), 400, "domain_error"),
    ],
)
def test_domain_errors_map_to_statuses(error: DomainError, status: int, code: str) -> None:
    assert (domain_status(error), error_code(error)) == (status, code)


def test_too_many_requests_get_a_429_with_retry_after_per_token(
    monkeypatch: pytest.MonkeyPatch, world: World, prosecutor: User
) -> None:
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"api": "3/minute"})
    busy = client_with(token_for(prosecutor, name="busy"))
    for _ in range(3):
        assert busy.get("/api/v1/cases/").status_code == 200
    response = busy.get("/api/v1/cases/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["error"]["code"] == "throttled"
    # Another token of the same person has its own allowance.
    assert client_with(token_for(prosecutor, name="quiet")).get("/api/v1/cases/").status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_copies_of_one_keyed_post_create_once(prosecutor: User) -> None:
    case = charged_case(prosecutor)
    token = token_for(prosecutor)
    results: list[tuple[int, Any, str | None]] = []
    lock = threading.Lock()

    def post() -> None:
        response = client_with(token).post(
            f"/api/v1/cases/{case.pk}/hearings/",
            {"date": days_ago(-9).isoformat(), "purpose": "mention", "court": court().pk},
            format="json",
            HTTP_IDEMPOTENCY_KEY="at-once",
        )
        with lock:
            results.append((response.status_code, response.json(), response.get("Idempotent-Replayed")))

    run_at_once(post, threads=4)
    assert len(results) == 4
    assert {status for status, _, _ in results} == {201}
    assert len({body["id"] for _, body, _ in results}) == 1
    assert sum(1 for _, _, replayed in results if replayed != "true") == 1
    assert Hearing.objects.filter(case=case, date=days_ago(-9)).count() == 1
    assert Charge.objects.filter(accused__case=case).count() == 2


def test_idempotency_keys_are_kept_a_day_then_pruned(api_as: ApiAs, world: World, prosecutor: User) -> None:
    api = api_as(prosecutor)
    api.post(_schedule(world), _hearing_body(), format="json", HTTP_IDEMPOTENCY_KEY="old")
    api.post(_schedule(world), _hearing_body(12), format="json", HTTP_IDEMPOTENCY_KEY="new")
    IdempotencyRecord.objects.filter(key="old").update(created_at=timezone.now() - dt.timedelta(hours=49))
    IdempotencyRecord.objects.filter(key="new").update(created_at=timezone.now() - dt.timedelta(hours=25))
    assert "1" in str(get("api.prune_idempotency_keys").func() or "")
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
