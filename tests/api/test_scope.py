"""Who sees what through the API: the same scope rules as the pages (``visible_to``), roles checked on every
endpoint, out of scope is 404, and no protected identity in any response or in the schema."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import User
from prosecutions.models import Case
from tests.api.conftest import CANARIES, World
from tests.prosecutions.factories import charged_case, days_ago
from victims import services as victim_services
from victims.choices import IdentifyingAgency
from victims.models import Victim

ApiAs = Callable[[User], APIClient]


def _codes(response: object) -> list[str]:
    return [row.get("code") or row.get("reference") for row in response.json()["results"]]  # type: ignore[attr-defined]


def test_the_api_lists_exactly_the_cases_the_pages_show(
    api_as: ApiAs, world: World, prosecutor: User, other_prosecutor: User, unit_head: User
) -> None:
    # Prosecutors see every case and change only their own (DESIGN §6): the API keeps the same rule.
    theirs = charged_case(other_prosecutor, title="Republic v. Otieno")
    for user in (prosecutor, other_prosecutor, unit_head):
        listed = set(_codes(api_as(user).get("/api/v1/cases/")))
        assert listed == set(Case.objects.visible_to(user).values_list("reference", flat=True))
        assert {world.case.reference, theirs.reference} <= listed


@pytest.mark.parametrize("path", ["/api/v1/cases/", "/api/v1/hearings/", "/api/v1/witnesses/"])
@pytest.mark.parametrize("persona", ["fund_admin", "fund_approver", "victim_services_officer", "stranger"])
def test_roles_without_cases_get_403_on_the_prosecution_side(
    api_as: ApiAs, world: World, request: pytest.FixtureRequest, persona: str, path: str
) -> None:
    api = api_as(request.getfixturevalue(persona))
    for url in (path, f"/api/v1/cases/{world.case.pk}/"):
        if url.startswith("/api/v1/cases/") and path != "/api/v1/cases/":
            continue
        response = api.get(url)
        assert response.status_code == 403, url
        assert world.case.reference not in response.content.decode()


def test_a_fund_role_reads_victims_by_code_only_on_cases(api_as: ApiAs, world: World, fund_admin: User) -> None:
    response = api_as(fund_admin).get("/api/v1/victims/")
    assert response.status_code == 200
    assert _codes(response) == [world.victim.code]


def test_a_record_out_of_scope_is_a_404(
    api_as: ApiAs, world: World, prosecutor: User, victim_services_officer: User
) -> None:
    # A victim on no case yet is the victim services officer's alone.
    lone = victim_services.identify_victim(
        victim_services_officer, identified_on=days_ago(3), identified_by=IdentifyingAgency.POLICE, sex="female"
    )
    assert isinstance(lone, Victim)
    assert api_as(victim_services_officer).get(f"/api/v1/victims/{lone.code}/").status_code == 200
    api = api_as(prosecutor)
    response = api.get(f"/api/v1/victims/{lone.code}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert lone.code not in api.get("/api/v1/victims/").content.decode()
    assert api.get("/api/v1/cases/999999/").status_code == 404


def test_the_case_detail_has_accused_counts_hearings_and_history(api_as: ApiAs, world: World, prosecutor: User) -> None:
    body = api_as(prosecutor).get(f"/api/v1/cases/{world.case.pk}/").json()
    assert body["stage"] == "pre_trial"
    assert body["stage_label"] == "Pre-trial"
    [accused] = body["accused"]
    assert [count["count_number"] for count in accused["counts"]] == [1, 2]
    assert accused["counts"][0]["plea"] == "not_taken"
    assert accused["counts"][0]["plea_label"]
    assert [hearing["id"] for hearing in body["hearings"]] == [world.hearing.pk]
    assert [change["to_stage"] for change in body["stage_history"]][-2:] == ["charging_decision", "pre_trial"]
    assert body["victim_codes"] == [world.victim.code]


@pytest.mark.parametrize(
    "persona",
    ["prosecutor", "other_prosecutor", "unit_head", "liaison", "auditor", "victim_services_officer", "fund_admin"],
)
def test_no_identity_appears_in_any_response(
    api_as: ApiAs, world: World, request: pytest.FixtureRequest, persona: str
) -> None:
    """The witness's and the victim's names and contacts are in the vaults, readable on the pages by a liaison
    or a victim services officer after a logged purpose: the API never shows them, to anyone."""
    api = api_as(request.getfixturevalue(persona))
    urls = [
        "/api/v1/cases/",
        f"/api/v1/cases/{world.case.pk}/",
        "/api/v1/hearings/",
        f"/api/v1/hearings/{world.hearing.pk}/",
        "/api/v1/victims/",
        f"/api/v1/victims/{world.victim.code}/",
        "/api/v1/witnesses/",
        f"/api/v1/witnesses/{world.witness.code}/",
    ]
    seen_any = False
    for url in urls:
        response = api.get(url)
        text = response.content.decode()
        if response.status_code == 200 and (world.victim.code in text or world.witness.code in text):
            seen_any = True
        for canary in CANARIES:
            assert canary not in text, (url, canary)
    if persona in ("liaison", "prosecutor", "victim_services_officer"):
        assert seen_any  # the records themselves were served: the check looked at real answers


def test_the_schema_has_no_identity_field(client: object, prosecutor: User) -> None:
    client.force_login(prosecutor)  # type: ignore[attr-defined]
    schema = client.get(reverse("api-schema")).content.decode()  # type: ignore[attr-defined]
    assert "/api/v1/witnesses/" in schema
    for field in ("full_name", "next_of_kin", "phone", "address", "contact_person", "id_number"):
        assert f"{field}:" not in schema, field


def test_the_case_list_runs_a_fixed_number_of_queries(
    api_as: ApiAs, prosecutor: User, django_assert_max_num_queries: Any
) -> None:
    api = api_as(prosecutor)
    charged_case(prosecutor, title="Republic v. One")
    api.get("/api/v1/cases/")  # warm the per-process caches
    with django_assert_max_num_queries(12) as few:
        api.get("/api/v1/cases/")
    for n in range(4):
        charged_case(prosecutor, title=f"Republic v. More {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get("/api/v1/cases/").json()["results"]) == 5
    with django_assert_max_num_queries(len(few.captured_queries) + 8):
        api.get("/api/v1/hearings/")


def test_labels_follow_the_requests_language_and_codes_stay(api_as: ApiAs, world: World, prosecutor: User) -> None:
    api = api_as(prosecutor)
    english = api.get(f"/api/v1/cases/{world.case.pk}/", HTTP_ACCEPT_LANGUAGE="en-gb").json()
    swahili = api.get(f"/api/v1/cases/{world.case.pk}/", HTTP_ACCEPT_LANGUAGE="sw").json()
    assert english["stage"] == swahili["stage"] == "pre_trial"
    assert english["stage_label"] == "Pre-trial"
    assert swahili["stage_label"] == "Kabla ya usikilizaji"


def test_hearings_filter_by_court_and_date_range_as_the_diary_does(
    api_as: ApiAs, world: World, prosecutor: User
) -> None:
    api = api_as(prosecutor)
    day = world.hearing.date
    inside = api.get(
        "/api/v1/hearings/", {"start": day.isoformat(), "end": day.isoformat(), "court": world.hearing.court_id}
    )
    assert [row["id"] for row in inside.json()["results"]] == [world.hearing.pk]
    after = (day + dt.timedelta(days=1)).isoformat()
    assert api.get("/api/v1/hearings/", {"start": after, "end": after}).json()["results"] == []
    half = api.get("/api/v1/hearings/", {"start": day.isoformat()})
    assert half.status_code == 400
    assert half.json()["error"]["message"] == "Give the range's start and end dates."
