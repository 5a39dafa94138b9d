"""Every asset page for every role: who sees what, who may record, and what an outsider gets."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from assets.choices import AssetStatus, Currency
from assets.models import Asset
from prosecutions.choices import ClosureReason, Stage
from tests.assets.factories import CaseFactory, days_ago, forfeit, preserve, seize

pytestmark = pytest.mark.django_db

FORM_PAGES = [
    "asset_create",
    "valuation_create",
    "order_create",
    "order_gazette",
    "asset_move",
    "asset_release",
    "realisation_create",
]


@pytest.fixture
def world(case):
    asset = seize(case)
    order = preserve(asset, granted_days_ago=85)  # expires in 5 days: on the deadline list
    sold = seize(case, description="Cash in a bag", asset_type="cash")
    forfeit(sold)
    return {"case": case, "asset": asset, "order": order, "sold": sold}


def url_for(name: str, world) -> str:
    asset, order, case, sold = world["asset"], world["order"], world["case"], world["sold"]
    return {
        "asset_list": reverse("assets:asset_list"),
        "asset_export": reverse("assets:asset_list") + "?export=xlsx",
        "asset_detail": reverse("assets:asset_detail", args=[asset.pk]),
        "deadline_list": reverse("assets:deadline_list"),
        "deadline_export": reverse("assets:deadline_list") + "?export=xlsx",
        "asset_create": reverse("assets:asset_create", args=[case.pk]),
        "valuation_create": reverse("assets:valuation_create", args=[asset.pk]),
        "order_create": reverse("assets:order_create", args=[asset.pk]),
        "order_gazette": reverse("assets:order_gazette", args=[order.pk]),
        "asset_move": reverse("assets:asset_move", args=[asset.pk]),
        "asset_release": reverse("assets:asset_release", args=[asset.pk]),
        "realisation_create": reverse("assets:realisation_create", args=[sold.pk]),
    }[name]


def test_a_team_member_may_record_on_the_case(client: Client, world, other_prosecutor) -> None:
    world["case"].team.add(other_prosecutor)
    client.force_login(other_prosecutor)
    for page in FORM_PAGES:
        assert client.get(url_for(page, world)).status_code == 200, page


def test_a_prosecutor_off_the_case_cannot_post_either(client: Client, world, other_prosecutor) -> None:
    client.force_login(other_prosecutor)
    response = client.post(
        url_for("valuation_create", world), {"valued_on": days_ago(1), "amount": "5", "currency": "KES", "valuer": "X"}
    )
    assert response.status_code == 403
    assert not world["asset"].valuations.exists()


def test_an_asset_that_does_not_exist_is_404(client: Client, prosecutor, world) -> None:
    client.force_login(prosecutor)
    missing = Asset.objects.order_by("-pk").values_list("pk", flat=True)[0] + 100
    assert client.get(reverse("assets:asset_detail", args=[missing])).status_code == 404
    assert client.get(reverse("assets:order_create", args=[missing])).status_code == 404
    assert client.get(reverse("assets:asset_create", args=[999999])).status_code == 404


def test_a_closed_case_takes_no_new_seizure_but_its_assets_go_on(client: Client, world, prosecutor, other_prosecutor):
    case = world["case"]
    case.stage, case.closed_on, case.closure_reason = Stage.CLOSED, days_ago(1), ClosureReason.CONCLUDED
    case.save()
    client.force_login(prosecutor)
    assert client.get(url_for("asset_create", world)).status_code == 403
    assert client.get(url_for("realisation_create", world)).status_code == 200
    client.force_login(other_prosecutor)
    assert client.get(url_for("realisation_create", world)).status_code == 403


def test_every_tab_of_the_asset_page_renders(client: Client, world, prosecutor) -> None:
    client.force_login(prosecutor)
    url = url_for("asset_detail", world)
    for tab in ["overview", "valuations", "orders", "realisation", "timeline", "history"]:
        response = client.get(url, {"tab": tab})
        assert response.status_code == 200
        assert f'data-testid="tab-{tab}"' in response.content.decode()


def test_the_asset_page_shows_the_expiry_countdown_and_warning(client: Client, world, prosecutor) -> None:
    client.force_login(prosecutor)
    response = client.get(url_for("asset_detail", world), {"tab": "orders"})
    body = response.content.decode()
    assert 'data-testid="deadline-warning"' in body
    assert "5 days left" in body
    assert world["order"].expires_on.strftime("%d %b %Y") in body


def test_the_register_filters_by_status_value_and_expiry(client: Client, world, auditor) -> None:
    client.force_login(auditor)
    url = reverse("assets:asset_list")
    body = client.get(url, {"status": AssetStatus.FORFEITED}).content.decode()
    assert world["sold"].reference in body and world["asset"].reference not in body
    body = client.get(url, {"expiring_within": 7}).content.decode()
    assert world["asset"].reference in body and world["sold"].reference not in body
    body = client.get(url, {"expiring_within": 3}).content.decode()
    assert world["asset"].reference not in body
    body = client.get(url, {"value_min": "2000000"}).content.decode()
    assert "0 results" in body
    body = client.get(url, {"destination": "trust_fund"}).content.decode()
    assert world["sold"].reference in body and world["asset"].reference not in body
    body = client.get(url, {"case": world["case"].reference, "asset_type": "cash"}).content.decode()
    assert world["sold"].reference in body and world["asset"].reference not in body


def test_the_export_holds_exactly_the_filtered_rows(client: Client, world, fund_admin) -> None:
    seize(CaseFactory.create(), description="Elsewhere", currency=Currency.USD, exchange_rate=Decimal("130"))
    client.force_login(fund_admin)
    response = client.get(reverse("assets:asset_list"), {"status": AssetStatus.FORFEITED, "export": "xlsx"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    rows = list(workbook["Data"].iter_rows(values_only=True))
    assert rows[0][0] == "Reference"
    assert [row[0] for row in rows[1:]] == [world["sold"].reference]
    about = {row[0]: row[1] for row in workbook["About this export"].iter_rows(values_only=True) if row[0]}
    assert about["Rows"] == 1


def test_the_deadline_page_lists_the_expiring_order(client: Client, world, unit_head) -> None:
    client.force_login(unit_head)
    body = client.get(reverse("assets:deadline_list")).content.decode()
    assert world["asset"].reference in body
    assert world["sold"].reference not in body
    body = client.get(reverse("assets:deadline_list"), {"within": 2}).content.decode()
    assert world["asset"].reference not in body


def test_the_deadline_panel_shows_on_the_home_page_of_the_lead_and_the_unit_head(
    client: Client, world, prosecutor, unit_head, other_prosecutor, auditor
) -> None:
    for user, shown in [(prosecutor, True), (unit_head, True), (other_prosecutor, False)]:
        client.force_login(user)
        body = client.get(reverse("core:home")).content.decode()
        assert 'data-panel="asset_deadlines"' in body
        assert (world["asset"].reference in body) is shown
    client.force_login(auditor)
    assert 'data-panel="asset_deadlines"' not in client.get(reverse("core:home")).content.decode()


def test_navigation_shows_assets_to_readers_only(client: Client, world, liaison, fund_admin) -> None:
    client.force_login(fund_admin)
    body = client.get(reverse("core:home")).content.decode()
    assert 'data-section="assets"' in body and 'data-section="deadlines"' not in body
    client.force_login(liaison)
    assert 'data-section="assets"' not in client.get(reverse("core:home")).content.decode()
