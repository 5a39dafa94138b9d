"""The fund administrator receives a realised asset's proceeds and raises a disbursement for a victim;
the approver approves it; the administrator pays it, imports the bank statement, sees it reconciled,
and the asset shows its proceeds transferred."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from assets.choices import AssetStatus
from tests.e2e.conftest import login
from tests.trustfund.factories import days_ago, realisation, victim
from trustfund.models import Disbursement, Receipt, StatementLine

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-test-password"


def test_proceeds_in_a_victim_paid_and_the_bank_reconciled(
    page, live_server, fund_admin, fund_approver, browser_log, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    sold = realisation(Decimal("850000.00"), realised_on=days_ago(10))
    beneficiary = victim()
    base = live_server.url

    # The administrator records the receipt of the sale's net proceeds.
    login(page, live_server, fund_admin.username, PASSWORD)
    page.goto(f"{base}/fund/receipts/new/")
    page.select_option("#id_source", "forfeited_proceeds")
    page.select_option("#id_realisation", str(sold.pk))
    page.fill("#id_amount", "850000")
    page.fill("#id_received_on", days_ago(6).isoformat())
    page.fill("#id_payer", "Assets Recovery Agency")
    page.fill("#id_payer_reference", "ARA-RTGS-5531")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/fund/receipts/\d+/"))
    receipt = Receipt.objects.get()
    expect(page.locator("body")).to_contain_text(receipt.reference)

    # … and raises a disbursement for the victim, by code.
    page.goto(f"{base}/fund/disbursements/new/")
    page.fill("#id_victim_code", beneficiary.code)
    page.select_option("#id_purpose", "shelter_basic_needs")
    page.fill("#id_amount", "120000")
    page.fill("#id_resolution_reference", "BOT/RES/21/2026")
    page.fill("#id_requested_on", days_ago(5).isoformat())
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/fund/disbursements/\d+/"))
    disbursement = Disbursement.objects.get()
    assert page.get_by_test_id("disbursement-status").inner_text() == "Requested"
    expect(page.get_by_role("link", name="Approve")).to_have_count(0)  # never one's own

    # The approver approves it.
    page.context.clear_cookies()
    login(page, live_server, fund_approver.username, PASSWORD)
    assert disbursement.reference in page.get_by_test_id("awaiting-panel").inner_text()
    page.goto(f"{base}/fund/disbursements/{disbursement.pk}/")
    page.get_by_role("link", name="Approve", exact=True).click()
    page.fill("#id_no_documents_reason", "The shelter's invoice is on the Board's paper file.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(rf"/fund/disbursements/{disbursement.pk}/$"))
    assert page.get_by_test_id("disbursement-status").inner_text() == "Approved"

    # The administrator pays it.
    page.context.clear_cookies()
    login(page, live_server, fund_admin.username, PASSWORD)
    page.goto(f"{base}/fund/disbursements/{disbursement.pk}/")
    page.get_by_role("link", name="Pay", exact=True).click()
    page.fill("#id_paid_on", days_ago(3).isoformat())
    page.fill("#id_payment_reference", "EFT-88123")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(rf"/fund/disbursements/{disbursement.pk}/$"))
    assert page.get_by_test_id("disbursement-status").inner_text() == "Paid"

    # The bank statement: previewed, then imported; both movements match, the fee does not.
    statement = tmp_path / "november.csv"
    statement.write_text(
        "Date,Description,Reference,Amount,Balance\n"
        f"{days_ago(5):%d/%m/%Y},RTGS CREDIT ASSETS RECOVERY AGENCY,ARA-RTGS-5531,850000.00,850000.00\n"
        f"{days_ago(2):%d/%m/%Y},EFT DEBIT SHELTER,EFT-88123,-120000.00,730000.00\n"
        f"{days_ago(1):%d/%m/%Y},LEDGER FEES,CHG-11,-250.00,729750.00\n"
    )
    page.goto(f"{base}/fund/bank/import/")
    page.set_input_files("#id_file", str(statement))
    page.get_by_role("button", name="Preview").click()
    assert "3 lines read" in page.get_by_test_id("preview").inner_text()
    page.get_by_role("button", name=re.compile("Import these 3 lines")).click()
    page.wait_for_url(re.compile(r"/fund/bank/\d+/"))
    expect(page.locator("body")).to_contain_text("2 matched automatically")
    assert StatementLine.objects.filter(matched_entry__isnull=False).count() == 2

    page.goto(f"{base}/fund/reconcile/")
    assert page.get_by_test_id("matched-count").inner_text() == "2"
    assert page.get_by_test_id("ledger-balance").inner_text() == "KES 730,000.00"
    assert page.get_by_test_id("statement-balance").inner_text() == "KES 729,750.00"
    assert page.get_by_test_id("difference").inner_text() == "KES -250.00"
    assert "LEDGER FEES" in page.get_by_test_id("unmatched-lines").inner_text()
    assert "None." in page.get_by_test_id("unmatched-entries").inner_text()

    # The asset's proceeds are now transferred, citing the receipt.
    page.goto(f"{base}/assets/{sold.asset.pk}/")
    assert page.get_by_test_id("asset-status").inner_text() == AssetStatus.TRANSFERRED.label
    sold.asset.refresh_from_db()
    assert sold.asset.transfer_reference == receipt.reference
    assert not browser_log.failed and not browser_log.off_site and not browser_log.page_errors
