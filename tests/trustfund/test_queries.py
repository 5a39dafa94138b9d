"""Every fund list, its export and the reports cost a fixed number of queries, whatever the row count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.trustfund.conftest import statement_csv
from tests.trustfund.factories import days_ago, paid, receive, request, victim
from trustfund import services, statements

pytestmark = pytest.mark.django_db

PAGES = [
    ("trustfund:receipt_list", {}),
    ("trustfund:receipt_list", {"export": "xlsx"}),
    ("trustfund:disbursement_list", {}),
    ("trustfund:disbursement_list", {"export": "xlsx"}),
    ("trustfund:entry_list", {}),
    ("trustfund:entry_list", {"export": "xlsx"}),
    ("trustfund:balances", {}),
    ("trustfund:balances", {"export": "xlsx"}),
    ("trustfund:statement_list", {}),
    ("trustfund:line_list", {}),
    ("trustfund:line_list", {"export": "xlsx"}),
    ("trustfund:proceeds", {}),
    ("trustfund:reconcile", {}),
    ("trustfund:reconcile", {"export": "xlsx"}),
    ("trustfund:reconciliation", {}),
    ("trustfund:reconciliation", {"export": "xlsx"}),
    ("trustfund:statement", {}),
    ("trustfund:statement", {"export": "xlsx"}),
    ("trustfund:home", {}),
]


def count(client: Client, url: str, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


def make(n: int, admin, approver, tag: str) -> None:
    v = victim()
    rows = []
    for i in range(n):
        receipt = receive(admin, "100.00", days_ago(9), payer_reference=f"{tag}-{i}")
        rows.append((days_ago(8).isoformat(), "RTGS", receipt.payer_reference, "100.00"))
        d = paid(admin, approver, "10.00", days_ago(3), victim=v, requested_on=days_ago(5))
        rows.append((days_ago(2).isoformat(), "EFT", d.reference, "-10.00"))
        services.approve_disbursement(
            request(admin, "5.00", days_ago(4)), approver, no_documents_reason="On the Board's paper file"
        )
    statements.import_statement(admin, name=f"{tag}.csv", content=statement_csv(rows))


def test_fund_pages_do_not_grow_with_rows(client: Client, fund_admin, fund_approver) -> None:
    client.force_login(fund_admin)
    make(10, fund_admin, fund_approver, "few")
    few = {(name, str(params)): count(client, reverse(name), params) for name, params in PAGES}
    make(90, fund_admin, fund_approver, "many")
    many = {(name, str(params)): count(client, reverse(name), params) for name, params in PAGES}
    assert few == many
