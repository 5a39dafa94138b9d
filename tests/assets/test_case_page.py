"""What the assets app adds to the case page: the Assets tab with totals, and timeline events."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assets import services
from assets.registrations import asset_timeline, case_assets_context
from prosecutions.registry import case_tabs_for, timeline_sources
from tests.assets.factories import days_ago, forfeit, preserve, seize

pytestmark = pytest.mark.django_db


@pytest.fixture
def recovered(case):
    vehicle = seize(case, estimated_value=Decimal("1200000"))
    preserve(vehicle, granted_days_ago=40)
    forfeit(vehicle)
    services.record_realisation(
        vehicle,
        case.lead_prosecutor,
        realised_on=days_ago(1),
        method="auction",
        gross_proceeds=Decimal("1100000"),
        costs=Decimal("100000"),
    )
    cash = seize(
        case,
        asset_type="cash",
        description="Dollars",
        currency="USD",
        estimated_value=Decimal("1000"),
        exchange_rate=Decimal("130"),
    )
    forfeit(cash, order_type="confiscation")
    seize(case, asset_type="land", description="Plot", estimated_value=Decimal("5000000"))
    return case


def test_the_totals_are_seized_forfeited_and_realised_in_kes(recovered, prosecutor) -> None:
    context = case_assets_context(recovered, prosecutor)["case_assets"]
    assert context["totals"] == {
        "seized": Decimal("6330000.00"),
        "forfeited": Decimal("1330000.00"),
        "realised": Decimal("1000000.00"),
    }
    assert len(context["assets"]) == 3
    assert context["can_record"] is True
    assert context["create_url"].endswith(f"/assets/case/{recovered.pk}/new/")


def test_the_tab_offers_recording_only_to_those_who_may(recovered, other_prosecutor, auditor) -> None:
    assert case_assets_context(recovered, other_prosecutor)["case_assets"]["can_record"] is False
    assert case_assets_context(recovered, auditor)["case_assets"]["create_url"] == ""


def test_the_tab_costs_a_fixed_number_of_queries(recovered, prosecutor, case) -> None:
    case_assets_context(recovered, prosecutor)  # the user's roles are read once, then cached
    with CaptureQueriesContext(connection) as before:
        case_assets_context(recovered, prosecutor)
    for _ in range(10):
        seize(case)
    with CaptureQueriesContext(connection) as after:
        case_assets_context(recovered, prosecutor)
    assert len(before) == len(after)


def test_the_tab_is_registered_for_asset_readers_only(prosecutor, liaison, fund_admin) -> None:
    assert "assets" in [t.tab.slug for t in case_tabs_for(prosecutor)]
    assert "assets" in [t.tab.slug for t in case_tabs_for(fund_admin)]
    assert "assets" not in [t.tab.slug for t in case_tabs_for(liaison)]


def test_asset_events_reach_the_case_timeline(recovered) -> None:
    assert asset_timeline in timeline_sources()
    events = asset_timeline(recovered)
    texts = [event.text for event in events]
    assert any("Seized → Preserved" in text for text in texts)
    assert any("Realised" in text for text in texts)
    assert any(text.startswith("Preservation order") and "expires" in text for text in texts)
    assert all(event.url for event in events)


def test_the_case_page_shows_the_assets_tab_and_asset_events(client, recovered, prosecutor, liaison) -> None:
    url = reverse("prosecutions:case_detail", args=[recovered.pk])
    client.force_login(prosecutor)
    body = client.get(url, {"tab": "assets"}).content.decode()
    assert 'data-testid="total-seized"' in body and "6,330,000.00" in body
    assert 'data-testid="record-seizure"' in body
    assert "Seized → Preserved" in client.get(url, {"tab": "timeline"}).content.decode()
    client.force_login(liaison)
    assert 'data-testid="total-seized"' not in client.get(url, {"tab": "assets"}).content.decode()
