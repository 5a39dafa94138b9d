"""Every fund page and export for every role: who sees what, who may act, and what an outsider gets."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from core.roles import Role
from tests.factories import give_roles
from tests.helpers import post_refused
from tests.trustfund.factories import days_ago
from trustfund.choices import DisbursementStatus
from trustfund.models import Disbursement

pytestmark = pytest.mark.django_db


def url_for(name: str, fund) -> str:
    line, matched = fund["line"], fund["matched_line"]
    entry = fund["receipt"].entry
    return {
        "home": reverse("trustfund:home"),
        "receipt_list": reverse("trustfund:receipt_list"),
        "receipt_export": reverse("trustfund:receipt_list") + "?export=xlsx",
        "receipt_detail": reverse("trustfund:receipt_detail", args=[fund["receipt"].pk]),
        "receipt_create": reverse("trustfund:receipt_create"),
        "disbursement_list": reverse("trustfund:disbursement_list"),
        "disbursement_export": reverse("trustfund:disbursement_list") + "?export=xlsx",
        "disbursement_detail": reverse("trustfund:disbursement_detail", args=[fund["paid"].pk]),
        "disbursement_create": reverse("trustfund:disbursement_create"),
        "approve": reverse("trustfund:disbursement_approve", args=[fund["requested"].pk]),
        "reject": reverse("trustfund:disbursement_reject", args=[fund["requested"].pk]),
        "pay": reverse("trustfund:disbursement_pay", args=[fund["approved"].pk]),
        "cancel": reverse("trustfund:disbursement_cancel", args=[fund["approved"].pk]),
        "entry_list": reverse("trustfund:entry_list"),
        "entry_export": reverse("trustfund:entry_list") + "?export=xlsx",
        "entry_detail": reverse("trustfund:entry_detail", args=[entry.pk]),
        "entry_reverse": reverse("trustfund:entry_reverse", args=[entry.pk]),
        "balances": reverse("trustfund:balances"),
        "balances_export": reverse("trustfund:balances") + "?export=xlsx",
        "statement_list": reverse("trustfund:statement_list"),
        "statement_list_export": reverse("trustfund:statement_list") + "?export=xlsx",
        "statement_detail": reverse("trustfund:statement_detail", args=[fund["statement"].pk]),
        "statement_import": reverse("trustfund:statement_import"),
        "line_list": reverse("trustfund:line_list"),
        "line_export": reverse("trustfund:line_list") + "?export=xlsx",
        "line_match": reverse("trustfund:line_match", args=[line.pk]),
        "line_unmatch": reverse("trustfund:line_unmatch", args=[matched.pk]),
        "proceeds": reverse("trustfund:proceeds"),
        "proceeds_export": reverse("trustfund:proceeds") + "?export=xlsx",
        "reconcile": reverse("trustfund:reconcile"),
        "reconcile_export": reverse("trustfund:reconcile") + "?export=xlsx",
        "reconciliation": reverse("trustfund:reconciliation"),
        "reconciliation_export": reverse("trustfund:reconciliation") + "?export=xlsx",
        "statement": reverse("trustfund:statement"),
        "statement_export": reverse("trustfund:statement") + "?export=xlsx",
    }[name]


def test_the_requester_cannot_approve_even_as_an_approver(client: Client, fund, fund_admin) -> None:
    give_roles(fund_admin, [Role.FUND_APPROVER])
    client.force_login(fund_admin)
    detail = client.get(reverse("trustfund:disbursement_detail", args=[fund["requested"].pk])).content.decode()
    assert "Approve</a>" not in detail  # no button for one's own request
    words = f"You raised {fund['requested'].reference}: another approver must approve it"
    post_refused(client, url_for("approve", fund), {"note": "mine"}, None, words, "trustfund")
    fund["requested"].refresh_from_db()
    assert fund["requested"].status == DisbursementStatus.REQUESTED


def test_a_disbursement_shows_only_the_actions_the_user_may_take(
    client: Client, fund, fund_admin, fund_approver, auditor
) -> None:
    requested = reverse("trustfund:disbursement_detail", args=[fund["requested"].pk])
    approved = reverse("trustfund:disbursement_detail", args=[fund["approved"].pk])
    client.force_login(fund_approver)
    page = client.get(requested).content.decode()
    assert "Approve" in page and "Reject" in page and ">Pay<" not in page
    assert ">Pay<" not in client.get(approved).content.decode()
    client.force_login(fund_admin)
    page = client.get(approved).content.decode()
    assert ">Pay<" in page and "Approve</a>" not in page
    client.force_login(auditor)
    page = client.get(requested).content.decode() + client.get(approved).content.decode()
    assert "Approve</a>" not in page and ">Pay<" not in page and "Cancel</a>" not in page


def test_a_victim_appears_by_code_only(client: Client, fund, auditor) -> None:
    client.force_login(auditor)
    code = fund["requested"].victim.code
    page = client.get(reverse("trustfund:disbursement_list")).content.decode()
    assert code in page


def test_a_disbursement_that_does_not_exist_is_404(client: Client, fund, fund_admin, fund_approver) -> None:
    missing = Disbursement.objects.order_by("-pk").values_list("pk", flat=True)[0] + 100
    client.force_login(fund_admin)
    assert client.get(reverse("trustfund:disbursement_detail", args=[missing])).status_code == 404
    assert client.get(reverse("trustfund:disbursement_pay", args=[missing])).status_code == 404
    client.force_login(fund_approver)
    assert client.get(reverse("trustfund:disbursement_approve", args=[missing])).status_code == 404


def test_the_fund_statement_report_defaults_to_this_year(client: Client, fund, auditor) -> None:
    client.force_login(auditor)
    response = client.get(reverse("trustfund:statement"))
    assert response.context["period"].param == "2026-27"
    figures = {figure.key: figure.value for figure in response.context["data"].figures}
    assert figures == {"opening": 0, "receipts": 1000000, "payments": 30000, "closing": 970000}
    assert "KES 970,000.00" in response.content.decode()
    assert client.get(reverse("trustfund:statement") + "?period=2026-29").status_code == 400
    last = client.get(reverse("trustfund:statement") + "?period=2025-26")
    assert {f.key: f.value for f in last.context["data"].figures}["closing"] == 0


def test_the_reconciliation_report_and_its_workbook(client: Client, fund, auditor) -> None:
    client.force_login(auditor)
    response = client.get(reverse("trustfund:reconciliation"))
    figures = {figure.key: figure.value for figure in response.context["data"].figures}
    assert figures["ledger"] == 970000 and figures["statement"] == 999850 and figures["difference"] == 29850
    assert figures["matched"] == 1
    assert figures["outstanding"] == 400000  # the realisation bound for the fund, nothing received yet
    workbook = client.get(reverse("trustfund:reconciliation") + "?export=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(workbook.streaming_content)))  # type: ignore[attr-defined]
    assert {"Only on statement", "Only in ledger", "Matched", "Proceeds due"} <= set(book.sheetnames)


def test_the_fund_home_and_panels(client: Client, fund, unit_head, fund_approver) -> None:
    client.force_login(unit_head)
    home = client.get(reverse("core:home")).content.decode()
    assert 'data-panel="fund_summary"' in home and 'data-panel="fund_awaiting"' not in home
    page = client.get(reverse("trustfund:home")).content.decode()
    assert "KES 970,000.00" in page  # 1,000,000 in, 30,000 out
    assert reverse("trustfund:receipt_list") not in page  # the summary only
    client.force_login(fund_approver)
    home = client.get(reverse("core:home")).content.decode()
    assert fund["requested"].reference in home


def test_a_receipt_recorded_through_the_form(client: Client, fund, fund_admin) -> None:
    client.force_login(fund_admin)
    response = client.post(
        reverse("trustfund:receipt_create"),
        {"source": "donation", "amount": "2500.50", "received_on": days_ago(1).isoformat(), "payer": "A well-wisher"},
    )
    assert response.status_code == 302
    assert "RCT/2026-27/" in response.wsgi_request._messages._queued_messages[0].message  # type: ignore[attr-defined]


def test_the_fund_lists_show_their_buttons_links_and_row_actions(
    client: Client, fund, fund_admin, fund_approver, auditor
) -> None:
    client.force_login(fund_admin)
    receipts = client.get(reverse("trustfund:receipt_list")).content.decode()
    assert f'href="{reverse("trustfund:receipt_create")}" data-testid="create">Record a receipt' in receipts
    assert 'data-testid="fund-subnav"' in receipts
    disbursements = client.get(reverse("trustfund:disbursement_list")).content.decode()
    assert "Raise a disbursement</a>" in disbursements
    assert f'data-testid="pay-{fund["approved"].pk}"' in disbursements
    bank = client.get(reverse("trustfund:statement_list")).content.decode()
    assert "Import a statement</a>" in bank and "Unmatched lines</a>" in bank
    lines = client.get(reverse("trustfund:line_list")).content.decode()
    assert f'data-testid="match-{fund["line"].pk}"' in lines
    assert reverse("trustfund:line_unmatch", args=[fund["matched_line"].pk]) in lines

    client.force_login(fund_approver)
    disbursements = client.get(reverse("trustfund:disbursement_list")).content.decode()
    assert f'data-testid="approve-{fund["requested"].pk}"' in disbursements
    assert 'data-testid="create"' not in disbursements

    client.force_login(auditor)
    for name in ("receipt_list", "disbursement_list", "statement_list", "line_list"):
        page = client.get(reverse(f"trustfund:{name}")).content.decode()
        assert 'data-testid="create"' not in page and "Match</a>" not in page and "Pay</a>" not in page, name
    assert "Unmatched lines</a>" in client.get(reverse("trustfund:statement_list")).content.decode()
