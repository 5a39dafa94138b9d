"""A prosecutor records a vehicle and a bank balance seized in their case, preserves the vehicle and
sees the expiry and the deadline warning, then has it forfeited and sold, and sees the case totals."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assets.choices import AssetStatus
from assets.models import Asset
from tests.assets.factories import AccusedFactory, CaseFactory
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-test-password"


def iso(day: dt.date) -> str:
    return day.isoformat()


def record_seizure(page, case_url: str, fields: dict[str, str], selects: dict[str, str], owner: str) -> None:
    page.goto(f"{case_url}?tab=assets")
    page.get_by_test_id("record-seizure").click()
    page.select_option("#id_owner", label=owner)
    for selector, value in selects.items():
        page.select_option(selector, value)
    for selector, value in fields.items():
        page.fill(selector, value)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/assets/\d+/"))


def test_a_prosecutor_takes_seized_assets_from_seizure_to_sale(page, live_server, prosecutor, browser_log):
    today = timezone.localdate()
    case = CaseFactory.create(lead_prosecutor=prosecutor, title="Republic v. John Kamau")
    AccusedFactory.create(case=case, name="John Kamau")
    case_url = f"{live_server.url}/cases/{case.pk}/"
    login(page, live_server, prosecutor.username, PASSWORD)

    # A vehicle and a bank balance in US dollars, seized on the case.
    record_seizure(
        page,
        case_url,
        {
            "#id_description": "Toyota Probox, white",
            "#id_identifier": "KDA 123X",
            "#id_seized_on": iso(today - dt.timedelta(days=85)),
            "#id_estimated_value": "850000",
        },
        {"#id_asset_type": "motor_vehicle", "#id_seizing_agency": "dci"},
        owner="John Kamau",
    )
    vehicle = Asset.objects.get(identifier="KDA 123X")
    assert vehicle.owner is not None and vehicle.owner.name == "John Kamau"
    assert page.get_by_test_id("asset-status").inner_text() == "Seized"

    # A foreign amount without its rate is refused with a clear message …
    page.goto(f"{case_url}?tab=assets")
    page.get_by_test_id("record-seizure").click()
    page.select_option("#id_asset_type", "bank_account")
    page.select_option("#id_seizing_agency", "ara")
    page.select_option("#id_currency", "USD")
    page.fill("#id_description", "Balance in Equity Bank account")
    page.fill("#id_identifier", "0123456789")
    page.fill("#id_seized_on", iso(today - dt.timedelta(days=20)))
    page.fill("#id_estimated_value", "28000")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("body")).to_contain_text("needs its exchange rate")
    assert Asset.objects.count() == 1
    # … and accepted with it.
    page.fill("#id_exchange_rate", "130")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/assets/\d+/"))
    bank = Asset.objects.get(identifier="0123456789")
    assert bank.estimated_value_kes == 3_640_000

    # A preservation order granted 80 days ago, not yet gazetted: 10 days left.
    page.goto(f"{live_server.url}/assets/{vehicle.pk}/")
    page.get_by_test_id("record-order").click()
    page.select_option("#id_order_type", "preservation")
    page.select_option("#id_legal_basis", "pocamla_s82")
    page.fill("#id_court_name", "High Court at Nairobi (ACEC Division)")
    page.fill("#id_order_number", "HCACEC Misc. Application E012 of 2026")
    page.fill("#id_granted_on", iso(today - dt.timedelta(days=80)))
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"tab=orders"))
    expiry = today + dt.timedelta(days=10)
    expect(page.locator("body")).to_contain_text(f"expires on {expiry:%d %b %Y}")
    assert expiry.strftime("%d %b %Y") in page.get_by_test_id("order-expiry").inner_text()
    assert "10 days left" in page.get_by_test_id("order-expiry").inner_text()
    warning = page.get_by_test_id("deadline-warning")
    assert "in 10 days" in warning.inner_text()
    assert page.get_by_test_id("asset-status").inner_text() == "Preserved"

    # The warning is on the prosecutor's home page too.
    page.goto(f"{live_server.url}/")
    assert vehicle.reference in page.get_by_test_id("deadline-panel").inner_text()

    # The forfeiture order, proceeds to the victims' trust fund.
    page.goto(f"{live_server.url}/assets/{vehicle.pk}/")
    page.get_by_test_id("record-order").click()
    page.select_option("#id_order_type", "forfeiture")
    page.select_option("#id_legal_basis", "ctip_s17")
    page.fill("#id_court_name", "High Court at Nairobi (ACEC Division)")
    page.fill("#id_order_number", "HCACEC OM E031 of 2026")
    page.fill("#id_granted_on", iso(today - dt.timedelta(days=5)))
    page.select_option("#id_destination", "trust_fund")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"tab=orders"))
    assert page.get_by_test_id("asset-status").inner_text() == "Forfeited"
    expect(page.get_by_test_id("deadline-warning")).to_have_count(0)

    # The sale at auction: costs larger than the proceeds are refused, then the real figures.
    page.get_by_test_id("record-realisation").click()
    page.fill("#id_realised_on", iso(today - dt.timedelta(days=1)))
    page.select_option("#id_method", "auction")
    page.fill("#id_gross_proceeds", "900000")
    page.fill("#id_costs", "950000")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("body")).to_contain_text("Costs cannot be larger than the gross proceeds.")
    page.fill("#id_costs", "45000")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"tab=realisation"))
    assert "855,000.00" in page.get_by_test_id("net-kes").inner_text()
    vehicle.refresh_from_db()
    assert vehicle.status == AssetStatus.REALISED

    # The case page: totals seized, forfeited and realised, in KES.
    page.goto(f"{case_url}?tab=assets")
    assert page.get_by_test_id("total-seized").inner_text() == "KES 4,490,000.00"
    assert page.get_by_test_id("total-forfeited").inner_text() == "KES 850,000.00"
    assert page.get_by_test_id("total-realised").inner_text() == "KES 855,000.00"
    assert not browser_log.failed and not browser_log.off_site and not browser_log.page_errors
