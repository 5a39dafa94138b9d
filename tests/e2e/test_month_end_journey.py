"""Month-end in the browser: the fund administrator imports last month's bank statement and posts its bank
charge as a proposal; the approver posts it; the reconciliation statement shows no difference; the approver
signs the month off and closes it; a receipt back-dated into it is then refused with the reason shown."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.trustfund.factories import receive
from trustfund import periods
from trustfund.choices import AdjustmentKind, ProposalStatus
from trustfund.models import AdjustmentProposal, ClosedPeriod, Receipt, StatementLine

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-test-password"


def test_a_month_proposed_approved_reconciled_signed_off_and_closed(
    page, live_server, fund_admin, fund_approver, browser_log, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    base = live_server.url
    month, month_end = periods.month_bounds(timezone.localdate().replace(day=1) - dt.timedelta(days=1))
    param = f"{month:%Y-%m}"
    received_on = month + dt.timedelta(days=2)
    receive(fund_admin, "500000.00", received_on, payer_reference="EXCHQ-E2E")

    # The administrator imports last month's statement: the appropriation matches, the bank's fee does not.
    statement = tmp_path / "statement.csv"
    statement.write_text(
        "Date,Description,Reference,Amount,Balance\n"
        f"{received_on + dt.timedelta(days=1):%d/%m/%Y},RTGS CREDIT NATIONAL TREASURY,EXCHQ-E2E,500000.00,500000.00\n"
        f"{month_end:%d/%m/%Y},LEDGER FEES AND COMMISSION,CHG-E2E,-350.00,499650.00\n"
    )
    login(page, live_server, fund_admin.username, PASSWORD)
    page.goto(f"{base}/fund/bank/import/")
    page.set_input_files("#id_file", str(statement))
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name=re.compile("Import these 2 lines")).click()
    page.wait_for_url(re.compile(r"/fund/bank/\d+/"))
    fee = StatementLine.objects.get(reference="CHG-E2E")
    assert fee.matched_entry_id is None

    # … and posts the fee as a bank charge: the proposal comes prefilled from the line.
    page.get_by_test_id(f"post-as-{AdjustmentKind.BANK_CHARGES}-{fee.pk}").click()
    assert "CHG-E2E" in page.get_by_test_id("statement-line").inner_text()
    assert page.input_value("#id_entry_date") == month_end.isoformat()
    page.fill("#id_reason", "Ledger fees on the bank statement.")
    page.get_by_role("button", name="Propose").click()
    page.wait_for_url(re.compile(r"/fund/adjustments/\d+/$"))
    proposal = AdjustmentProposal.objects.get()
    assert page.get_by_test_id("proposal-status").inner_text() == ProposalStatus.PROPOSED.label
    expect(page.get_by_test_id(f"post-{proposal.pk}")).to_have_count(0)  # never one's own

    # The approver posts it: the line is matched to the entry.
    page.context.clear_cookies()
    login(page, live_server, fund_approver.username, PASSWORD)
    page.goto(f"{base}/fund/")
    assert page.get_by_test_id("queue-proposals").inner_text() == "1"  # what waits for the approver
    page.get_by_test_id("queue-proposals").click()
    page.get_by_role("link", name=proposal.reference).click()
    page.wait_for_url(re.compile(rf"/fund/adjustments/{proposal.pk}/$"))
    page.get_by_test_id(f"post-{proposal.pk}").click()
    page.get_by_role("button", name="Post to the ledger").click()
    page.wait_for_url(re.compile(rf"/fund/adjustments/{proposal.pk}/$"))
    assert page.get_by_test_id("proposal-status").inner_text() == ProposalStatus.POSTED.label
    fee.refresh_from_db()
    proposal.refresh_from_db()
    assert fee.matched_entry_id == proposal.entry_id is not None

    # The month's reconciliation statement: bank 499,650.00 = ledger 499,650.00, no difference.
    page.goto(f"{base}/fund/month-end/statement/?month={param}")
    assert page.get_by_test_id("rs-statement-balance").inner_text() == "499,650.00"
    assert page.get_by_test_id("rs-ledger-balance").inner_text() == "499,650.00"
    assert page.get_by_test_id("rs-difference").inner_text() == "0.00"

    # The approver signs it off, then closes the month.
    page.get_by_test_id("sign-off").click()
    page.get_by_label("I have checked the reconciliation statement above and sign it off").check()
    page.get_by_role("button", name="Sign off").click()
    page.wait_for_url(re.compile(r"/fund/month-end/statement/"))
    assert fund_approver.get_full_name() in page.get_by_test_id("signed-off").inner_text()
    page.get_by_test_id("close").click()
    page.fill("#id_note", "Reconciled and signed.")
    page.get_by_role("button", name="Close", exact=True).click()
    page.wait_for_url(re.compile(r"/fund/month-end/statement/"))
    assert "Closed" in page.get_by_test_id("closed").inner_text()
    assert ClosedPeriod.objects.get().start == month
    page.goto(f"{base}/fund/month-end/")
    assert "Closed" in page.get_by_test_id(f"state-{param}").inner_text()

    # A receipt back-dated into the closed month is refused, with the reason, and nothing is saved.
    page.context.clear_cookies()
    login(page, live_server, fund_admin.username, PASSWORD)
    page.goto(f"{base}/fund/receipts/new/")
    page.select_option("#id_source", "donation")
    page.fill("#id_amount", "10000")
    page.fill("#id_received_on", (month + dt.timedelta(days=9)).isoformat())
    page.fill("#id_payer", "A late well-wisher")
    page.get_by_role("button", name="Save").click()
    refusal = f"{month:%B %Y} is closed"
    page.get_by_text(refusal).first.wait_for()
    assert "/fund/receipts/new/" in page.url
    assert Receipt.objects.count() == 1
    assert Decimal(Receipt.objects.get().amount) == Decimal("500000.00")
    assert not browser_log.failed and not browser_log.off_site and not browser_log.page_errors
