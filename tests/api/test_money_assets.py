"""The assets API: the register, one asset, the deadlines, and the two writes (a court order with its
gazette date, a realisation) — through the services, with their guards, messages and history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from assets import services
from assets.choices import AssetStatus, OrderType
from assets.deadlines import deadline_orders, warning_days
from assets.models import Asset, CourtOrder, Realisation
from core.models import AuditLink, User
from tests.assets.factories import CaseFactory, days_ago, forfeit, preserve, seize
from tests.helpers import table_counts

pytestmark = pytest.mark.django_db

ASSETS = "/api/v1/assets/"
DEADLINES = "/api/v1/assets/deadlines/"


def api(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def orders_url(asset: Asset) -> str:
    return f"{ASSETS}{asset.pk}/court-orders/"


def realisation_url(asset: Asset) -> str:
    return f"{ASSETS}{asset.pk}/realisation/"


@pytest.fixture
def case(prosecutor: User) -> Any:
    return CaseFactory.create(lead_prosecutor=prosecutor, title="Republic v. Kamau and another")


@pytest.fixture
def vehicle(case: Any) -> Asset:
    return seize(case)


PRESERVATION = {
    "order_type": "preservation",
    "legal_basis": "pocamla_s82",
    "order_number": "HCACEC Misc. Appl. E012 of 2026",
    "court_name": "High Court at Nairobi",
}


# --------------------------------------------------------------------------------------------------
# Reading


def test_the_register_lists_assets_with_codes_labels_and_money_as_strings(prosecutor, vehicle) -> None:
    response = api(prosecutor).get(ASSETS)
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["reference"] == vehicle.reference
    assert row["status"] == "seized" and row["status_label"] == "Seized"
    assert row["asset_type"] == "motor_vehicle" and row["asset_type_label"] == "Motor vehicle"
    assert row["estimated_value_kes"] == "1000000.00"
    assert row["seized_on"] == vehicle.seized_on.isoformat()
    assert row["case_reference"] == vehicle.case.reference


def test_the_register_filters_as_the_page_does(prosecutor, case) -> None:
    kept = seize(case, description="Land parcel", identifier="LR 209/1")
    preserve(kept)
    seize(case, description="Probox")
    client = api(prosecutor)
    assert [r["id"] for r in client.get(ASSETS, {"status": "preserved"}).json()["results"]] == [kept.pk]
    assert [r["id"] for r in client.get(ASSETS, {"q": "LR 209"}).json()["results"]] == [kept.pk]
    refused = client.get(ASSETS, {"status": "buried"})
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "invalid"


def test_one_asset_shows_its_valuations_orders_sale_and_moves(prosecutor, vehicle) -> None:
    services.add_valuation(
        vehicle, prosecutor, valued_on=days_ago(60), amount=Decimal("900000"), valuer="Regent Valuers"
    )
    order = preserve(vehicle, granted_days_ago=40)
    forfeit(vehicle)
    services.record_realisation(
        vehicle,
        prosecutor,
        realised_on=days_ago(1),
        method="auction",
        gross_proceeds=Decimal("800000.00"),
        costs=Decimal("25000.50"),
    )
    body = api(prosecutor).get(f"{ASSETS}{vehicle.pk}/").json()
    assert body["status"] == "realised"
    assert [v["amount_kes"] for v in body["valuations"]] == ["900000.00"]
    preservation = next(o for o in body["orders"] if o["order_type"] == "preservation")
    assert order.expires_on is not None
    assert preservation["expires_on"] == order.expires_on.isoformat()
    assert preservation["days_to_expiry"] == (order.expires_on - dt.date.today()).days
    assert body["realisation"]["net_proceeds_kes"] == "774999.50"
    assert [m["to_status"] for m in body["status_changes"]] == [
        "seized",
        "preserved",
        "forfeiture_applied",
        "forfeited",
        "realised",
    ]


@pytest.mark.parametrize("persona", ["liaison", "victim_services_officer", "stranger"])
def test_roles_without_the_register_are_refused(request, persona, vehicle) -> None:
    client = api(request.getfixturevalue(persona))
    for url in (ASSETS, f"{ASSETS}{vehicle.pk}/", DEADLINES):
        response = client.get(url)
        assert response.status_code == 403, url
        assert response.json()["error"]["code"] == "permission_denied"


def test_an_anonymous_request_gets_401_not_a_redirect(vehicle) -> None:
    assert api(None).get(ASSETS).status_code == 401


@pytest.mark.parametrize("persona", ["fund_admin", "auditor"])
def test_fund_roles_and_auditors_read_assets(request, persona, vehicle) -> None:
    assert api(request.getfixturevalue(persona)).get(f"{ASSETS}{vehicle.pk}/").json()["id"] == vehicle.pk


def test_an_asset_that_does_not_exist_is_404(prosecutor, vehicle) -> None:
    response = api(prosecutor).get(f"{ASSETS}{vehicle.pk + 1000}/")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_the_deadline_list_is_the_pages_window(prosecutor, case) -> None:
    soon = seize(case, description="Soon")
    preserve(soon, granted_days_ago=89)  # expires within the warning window
    later = seize(case, description="Later")
    preserve(later, granted_days_ago=1)
    client = api(prosecutor)
    listed = [row["asset"] for row in client.get(DEADLINES).json()["results"]]
    expected = list(deadline_orders(warning_days()).values_list("asset_id", flat=True))
    assert listed == expected == [soon.pk]
    everything = [row["asset"] for row in client.get(DEADLINES, {"within": 3650}).json()["results"]]
    assert sorted(everything) == sorted([soon.pk, later.pk])


def test_fund_roles_do_not_get_the_deadline_list(fund_admin, vehicle) -> None:
    assert api(fund_admin).get(DEADLINES).status_code == 403


def _count_queries(client: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_lists_cost_the_same_queries_however_many_rows(prosecutor, case, django_assert_max_num_queries) -> None:
    client = api(prosecutor)
    for n in range(2):
        preserve(seize(case, description=f"Asset {n}"), granted_days_ago=89)
    few = {url: _count_queries(client, url) for url in (ASSETS, DEADLINES)}
    for n in range(6):
        preserve(seize(case, description=f"More {n}"), granted_days_ago=89)
    for url, count in few.items():
        with django_assert_max_num_queries(count):
            response = client.get(url)
        assert len(response.json()["results"]) == 8


# --------------------------------------------------------------------------------------------------
# Recording a court order


def test_a_preservation_order_is_recorded_with_its_gazette_date_via_the_service(prosecutor, vehicle) -> None:
    granted, gazetted = days_ago(20), days_ago(10)
    body = {**PRESERVATION, "granted_on": granted.isoformat(), "gazetted_on": gazetted.isoformat()}
    response = api(prosecutor).post(orders_url(vehicle), body, format="json")
    assert response.status_code == 201, response.json()
    order = CourtOrder.objects.get(asset=vehicle)
    assert order.gazetted_on == gazetted
    assert order.expires_on == services.preservation_expiry(granted, gazetted)
    assert response.json()["order"]["expires_on"] == order.expires_on.isoformat()
    assert response.json()["asset"]["status"] == AssetStatus.PRESERVED
    vehicle.refresh_from_db()
    assert vehicle.status == AssetStatus.PRESERVED
    reason = order.history.get().history_change_reason
    assert reason.endswith("(via API)"), reason
    asset_reasons = [h.history_change_reason for h in Asset.history.filter(id=vehicle.pk, history_type="~")]
    assert asset_reasons and all("via API" in r for r in asset_reasons)
    assert AuditLink.objects.filter(record_type="assets.courtorder", reason__contains="via API").exists()


def test_a_forfeiture_order_without_destination_is_refused_with_the_services_message(prosecutor, vehicle) -> None:
    before = table_counts("assets")
    body = {**PRESERVATION, "order_type": "forfeiture", "legal_basis": "ctip_s17", "granted_on": days_ago(2)}
    response = api(prosecutor).post(orders_url(vehicle), body, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "asset_error",
        "message": "Say where the proceeds go.",
        "field": "destination",
    }
    assert table_counts("assets") == before


def test_an_order_the_assets_state_does_not_allow_is_a_409(prosecutor, vehicle) -> None:
    forfeit(vehicle)
    before = table_counts("assets")
    response = api(prosecutor).post(orders_url(vehicle), {**PRESERVATION, "granted_on": days_ago(1)}, format="json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "illegal_asset_move"
    assert error["message"] == "A preservation order cannot be recorded on an asset that is forfeited."
    assert table_counts("assets") == before


def test_a_gazette_date_before_the_grant_is_refused(prosecutor, vehicle) -> None:
    body = {**PRESERVATION, "granted_on": days_ago(5), "gazetted_on": days_ago(9)}
    response = api(prosecutor).post(orders_url(vehicle), body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "An order cannot be gazetted before it was granted."
    assert response.json()["error"]["field"] == "gazetted_on"
    assert not CourtOrder.objects.exists()


def test_a_malformed_body_is_a_400_naming_the_field(prosecutor, vehicle) -> None:
    body = {**PRESERVATION, "granted_on": "yesterday", "order_type": "banishment"}
    response = api(prosecutor).post(orders_url(vehicle), body, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and set(error["fields"]) == {"granted_on", "order_type"}
    assert not CourtOrder.objects.exists()


def test_a_retried_post_with_the_same_key_records_once(prosecutor, vehicle) -> None:
    client = api(prosecutor)
    body = {**PRESERVATION, "granted_on": days_ago(3).isoformat()}
    first = client.post(orders_url(vehicle), body, format="json", HTTP_IDEMPOTENCY_KEY="order-1")
    again = client.post(orders_url(vehicle), body, format="json", HTTP_IDEMPOTENCY_KEY="order-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert CourtOrder.objects.filter(asset=vehicle).count() == 1


def test_a_prosecutor_not_on_the_case_may_read_but_not_record(other_prosecutor, vehicle) -> None:
    client = api(other_prosecutor)
    assert client.get(f"{ASSETS}{vehicle.pk}/").status_code == 200
    response = client.post(orders_url(vehicle), {**PRESERVATION, "granted_on": days_ago(1)}, format="json")
    assert response.status_code == 403
    assert not CourtOrder.objects.exists()


@pytest.mark.parametrize("persona", ["fund_admin", "auditor", "liaison"])
def test_readers_without_the_writer_roles_are_refused(request, persona, vehicle) -> None:
    response = api(request.getfixturevalue(persona)).post(
        orders_url(vehicle), {**PRESERVATION, "granted_on": days_ago(1)}, format="json"
    )
    assert response.status_code == 403
    assert not CourtOrder.objects.exists()


def test_an_order_on_an_asset_that_does_not_exist_is_404(unit_head, vehicle) -> None:
    response = api(unit_head).post(
        f"{ASSETS}{vehicle.pk + 1000}/court-orders/", {**PRESERVATION, "granted_on": days_ago(1)}, format="json"
    )
    assert response.status_code == 404


def test_the_unit_head_records_on_any_asset(unit_head, vehicle) -> None:
    response = api(unit_head).post(orders_url(vehicle), {**PRESERVATION, "granted_on": days_ago(1)}, format="json")
    assert response.status_code == 201
    assert CourtOrder.objects.get().order_type == OrderType.PRESERVATION


# --------------------------------------------------------------------------------------------------
# Recording a realisation


def test_a_realisation_is_recorded_through_the_service(prosecutor, vehicle) -> None:
    forfeit(vehicle)
    body = {
        "realised_on": days_ago(1).isoformat(),
        "method": "auction",
        "gross_proceeds": "812500.00",
        "costs": "12500.00",
        "buyer": "Highest bidder",
    }
    response = api(prosecutor).post(realisation_url(vehicle), body, format="json")
    assert response.status_code == 201, response.json()
    sale = Realisation.objects.get(asset=vehicle)
    assert sale.net_proceeds_kes == Decimal("800000.00")
    assert response.json()["realisation"]["net_proceeds_kes"] == "800000.00"
    assert response.json()["asset"]["status"] == "realised"
    assert sale.history.get().history_change_reason.endswith("(via API)")


def test_a_realisation_of_an_asset_not_forfeited_is_refused_and_nothing_saved(prosecutor, vehicle) -> None:
    before = table_counts("assets")
    body = {"realised_on": days_ago(1).isoformat(), "method": "auction", "gross_proceeds": "100.00"}
    response = api(prosecutor).post(realisation_url(vehicle), body, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "not_forfeited",
        "message": "Only a forfeited asset can be sold or converted; this one is seized.",
        "field": None,
    }
    assert table_counts("assets") == before


@pytest.mark.parametrize(
    ("extra", "code", "field", "words"),
    [
        ({"costs": "900.00"}, "invalid_amount", "costs", "Costs cannot be larger than the gross proceeds."),
        ({"currency": "USD"}, "missing_exchange_rate", "exchange_rate", "needs an exchange rate to KES"),
        ({"gross_proceeds": "0.00"}, "invalid_amount", "gross_proceeds", "gross proceeds"),
    ],
)
def test_bad_amounts_get_the_services_messages(prosecutor, vehicle, extra, code, field, words) -> None:
    forfeit(vehicle)
    before = table_counts("assets")
    body = {"realised_on": days_ago(1).isoformat(), "method": "auction", "gross_proceeds": "500.00", **extra}
    response = api(prosecutor).post(realisation_url(vehicle), body, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code and error["field"] == field and words in error["message"]
    assert table_counts("assets") == before


def test_a_second_realisation_is_refused_and_a_retry_with_its_key_replays(prosecutor, vehicle) -> None:
    forfeit(vehicle)
    client = api(prosecutor)
    body = {"realised_on": days_ago(1).isoformat(), "method": "auction", "gross_proceeds": "500.00"}
    first = client.post(realisation_url(vehicle), body, format="json", HTTP_IDEMPOTENCY_KEY="sale-1")
    replay = client.post(realisation_url(vehicle), body, format="json", HTTP_IDEMPOTENCY_KEY="sale-1")
    fresh = client.post(realisation_url(vehicle), body, format="json", HTTP_IDEMPOTENCY_KEY="sale-2")
    assert first.status_code == replay.status_code == 201 and replay.json() == first.json()
    assert fresh.status_code == 400 and fresh.json()["error"]["code"] == "not_forfeited"
    assert Realisation.objects.filter(asset=vehicle).count() == 1
