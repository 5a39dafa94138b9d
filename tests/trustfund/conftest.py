"""Trust fund fixtures: a small fund with money in, requests in every state, and a statement."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings

from tests.trustfund.factories import days_ago, realisation, receive, request, victim
from trustfund import services, statements
from trustfund.choices import ReceiptSource


@pytest.fixture(autouse=True)
def _media_in_tmp(tmp_path: Any, settings: Any) -> None:
    """Uploaded statements go to a temporary folder, never the project's media/."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


def statement_csv(rows: Sequence[tuple[str, ...]], header: str = "Date,Description,Reference,Amount") -> bytes:
    return ("\n".join([header, *(",".join(row) for row in rows)]) + "\n").encode()


@pytest.fixture
def fund(fund_admin, fund_approver) -> dict[str, Any]:
    """KES 1,000,000 appropriated; a requested, an approved, a paid, a rejected request; one statement."""
    sold = realisation(Decimal("400000.00"), realised_on=days_ago(20))
    appropriation = receive(fund_admin, "1000000.00", days_ago(15), payer_reference="EXCHQ-1")
    requested = request(fund_admin, "50000.00", days_ago(5), victim=victim())
    approved = request(fund_admin, "70000.00", days_ago(5))
    services.approve_disbursement(approved, fund_approver, no_documents_reason="On the Board's paper file")
    paid = request(fund_admin, "30000.00", days_ago(6))
    services.approve_disbursement(paid, fund_approver, no_documents_reason="On the Board's paper file")
    services.pay_disbursement(paid, fund_admin, paid_on=days_ago(4), payment_reference="EFT-77")
    rejected = request(fund_admin, "90000.00", days_ago(5))
    services.reject_disbursement(rejected, fund_approver, reason="No resolution")
    content = statement_csv(
        [
            (days_ago(14).isoformat(), "RTGS credit Treasury", "EXCHQ-1", "1000000.00"),
            (days_ago(3).isoformat(), "Bank charges", "CHG", "-150.00"),
        ]
    )
    statement = statements.import_statement(fund_admin, name="july.csv", content=content)
    paid.refresh_from_db()
    return {
        "realisation": sold,
        "receipt": appropriation,
        "requested": requested,
        "approved": approved,
        "paid": paid,
        "rejected": rejected,
        "statement": statement,
        "line": statement.lines.get(reference="CHG"),
        "matched_line": statement.lines.get(reference="EXCHQ-1"),
        "source": ReceiptSource.APPROPRIATION,
        "settings": settings,
    }
