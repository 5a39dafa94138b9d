"""The register, its export and every tab of the asset page cost a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assets import services
from assets.choices import OrderType
from tests.assets.factories import AccusedFactory, CaseFactory, days_ago, preserve, seize

pytestmark = pytest.mark.django_db


def count(client: Client, url: str, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


def make_assets(n: int, prosecutor) -> None:
    for i in range(n):
        case = CaseFactory.create(lead_prosecutor=prosecutor)
        owner = AccusedFactory.create(case=case)
        asset = seize(case, owner=owner, description=f"Asset {i}")
        if i % 2:  # half preserved, some of them expiring within the fortnight
            preserve(asset, granted_days_ago=80 if i % 4 == 1 else 20)


def test_the_register_and_its_export_do_not_grow_with_rows(client: Client, prosecutor) -> None:
    client.force_login(prosecutor)
    url = reverse("assets:asset_list")
    make_assets(10, prosecutor)
    few = (count(client, url), count(client, url, export="xlsx"), count(client, reverse("assets:deadline_list")))
    make_assets(190, prosecutor)
    many = (count(client, url), count(client, url, export="xlsx"), count(client, reverse("assets:deadline_list")))
    assert few == many


def rich_asset(case, size: int):
    asset = seize(case, currency="USD", estimated_value=Decimal("1000"), exchange_rate=Decimal("129"))
    for i in range(size):
        services.add_valuation(
            asset, case.lead_prosecutor, valued_on=days_ago(100 - i), amount=Decimal(1000 + i), valuer=f"V{i}"
        )
    for i in range(size):
        preserve(asset, granted_days_ago=60 - i, order_number=f"P{i}")
        services.record_court_order(
            asset,
            case.lead_prosecutor,
            order_type=OrderType.RESTRAINT,
            legal_basis="other",
            order_number=f"R{i}",
            granted_on=days_ago(50),
            court_name="High Court",
        )
    return asset


@pytest.mark.parametrize("tab", ["overview", "valuations", "orders", "realisation", "timeline", "history"])
def test_each_tab_of_the_asset_page_does_not_grow_with_rows(client: Client, case, prosecutor, tab) -> None:
    client.force_login(prosecutor)
    small, big = rich_asset(case, 2), rich_asset(case, 25)
    small_count = count(client, reverse("assets:asset_detail", args=[small.pk]), tab=tab)
    big_count = count(client, reverse("assets:asset_detail", args=[big.pk]), tab=tab)
    assert small_count == big_count
