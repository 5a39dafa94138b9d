"""Worked example for the fund statement and the reconciliation report, figures worked out by hand.

The fund, through its services (a fund administrator records and pays, an approver approves):

Financial year 2024/25 (1 Jul 2024 – 30 Jun 2025), opening 0.00:
  1 Aug 2024 appropriation 2,000,000.00; 15 Sep 2024 donation 500,000.00;
  paid 10 Oct 2024 medical 300,000.00; paid 5 Mar 2025 shelter 150,000.50.
  Receipts 2,500,000.00, disbursements 450,000.50, closing 2,049,999.50.
Financial year 2025/26, opening 2,049,999.50 (the closing above):
  1 Jul 2025 forfeited proceeds 800,000.00 (of a realisation netting 1,000,000.00, sold 1 Jun 2025);
  20 Jan 2026 investment income 49,999.50; paid 30 Jun 2026 medical 100,000.00.
  Receipts 849,999.50, disbursements 100,000.00, closing 2,799,999.00.
Financial year 2026/27: 1 Jul 2026 appropriation 3,000,000.00, so it opens at 2,799,999.00.

Bank statements (no balance column, so the bank's balance is the sum of its lines):
  first file: 1 Aug 2024 +2,000,000.00 and 10 Oct 2024 −300,000.00 (both matched automatically),
  30 Jun 2025 bank charges −250.00 (not in the ledger);
  second file: 1 Jul 2025 +800,000.00 and 30 Jun 2026 −100,000.00 (matched).
Reconciliation as at 30 Jun 2025: ledger 2,049,999.50; bank 2,000,000 − 300,000 − 250 = 1,699,750.00;
  difference −350,249.50 = only on the statement (−250.00) less only in the ledger
  (donation 500,000.00 − shelter 150,000.50 = 349,999.50); 2 lines matched.
As at 30 Jun 2026: ledger 2,799,999.00; bank 1,699,750 + 800,000 − 100,000 = 2,399,750.00; difference
  −400,249.00 = −250.00 − (349,999.50 + investment income 49,999.50 = 399,999.00); 4 lines matched.
Asset register ↔ fund (every realisation to date): expected 1,000,000.00, received 800,000.00,
  outstanding 200,000.00.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assets import services as asset_services
from core.models import User
from tests.assets.factories import AccusedFactory, CaseFactory, forfeit, seize
from tests.factories import UserFactory
from tests.trustfund.conftest import statement_csv
from tests.trustfund.factories import receive, request
from trustfund import ledger, reports, services, statements
from trustfund.chart import ACCUMULATED_FUND, BANK, INTEREST_INCOME, SUSPENSE
from trustfund.choices import AdjustmentKind, DisbursementPurpose, ReceiptSource
from trustfund.models import Receipt

pytestmark = pytest.mark.django_db

D = dt.date
STATEMENT = "trustfund:statement"
RECONCILIATION = "trustfund:reconciliation"


def pay(admin: User, approver: User, amount: str, requested_on: dt.date, paid_on: dt.date, purpose: str) -> None:
    disbursement = request(admin, amount, requested_on, purpose=purpose)
    services.approve_disbursement(disbursement, approver, no_documents_reason="On the Board's paper file")
    services.pay_disbursement(disbursement, admin, paid_on=paid_on, payment_reference=f"EFT-{paid_on:%Y%m%d}")


def build_worked_example(admin: User, approver: User, statements_too: bool = True) -> dict[str, Any]:
    """The fund of the module docstring, through the services."""
    case = CaseFactory.create(lead_prosecutor=UserFactory.create(), opened_on=D(2024, 12, 1))
    AccusedFactory.create(case=case)
    asset = seize(case, seized_on=D(2025, 1, 10), description="Toyota Hilux")
    forfeit(asset, granted_on=D(2025, 3, 1))
    sale = asset_services.record_realisation(
        asset,
        case.lead_prosecutor,
        realised_on=D(2025, 6, 1),
        method="auction",
        gross_proceeds=Decimal("1000000.00"),
        costs=Decimal("0"),
    )
    receive(admin, "2000000.00", D(2024, 8, 1), payer_reference="EXCHQ-24")
    receive(admin, "500000.00", D(2024, 9, 15), source=ReceiptSource.DONATION, payer="IOM Kenya")
    pay(admin, approver, "300000.00", D(2024, 10, 1), D(2024, 10, 10), DisbursementPurpose.MEDICAL)
    pay(admin, approver, "150000.50", D(2025, 3, 1), D(2025, 3, 5), DisbursementPurpose.SHELTER_BASIC_NEEDS)
    if statements_too:
        content = statement_csv(
            [
                ("2024-08-01", "RTGS credit Treasury", "EXCHQ-24", "2000000.00"),
                ("2024-10-10", "EFT Kenyatta National Hospital", "EFT-20241010", "-300000.00"),
                ("2025-06-30", "Bank charges", "CHG-2506", "-250.00"),
            ]
        )
        statements.import_statement(admin, name=f"fy2024-25-{admin.pk}.csv", content=content)
    receive(
        admin,
        "800000.00",
        D(2025, 7, 1),
        source=ReceiptSource.FORFEITED_PROCEEDS,
        payer="Assets Recovery Agency",
        realisation=sale,
    )
    receive(admin, "49999.50", D(2026, 1, 20), source=ReceiptSource.INVESTMENT_INCOME, payer="CBK T-bill")
    pay(admin, approver, "100000.00", D(2026, 6, 1), D(2026, 6, 30), DisbursementPurpose.MEDICAL)
    if statements_too:
        content = statement_csv(
            [
                ("2025-07-01", "ARA proceeds", "ARA-1", "800000.00"),
                ("2026-06-30", "EFT Kenyatta National Hospital", "EFT-20260630", "-100000.00"),
            ]
        )
        statements.import_statement(admin, name=f"fy2025-26-{admin.pk}.csv", content=content)
    receive(admin, "3000000.00", D(2026, 7, 1), payer_reference="EXCHQ-26")
    return {"sale": sale}


@pytest.fixture
def worked(fund_admin: User, fund_approver: User) -> dict[str, Any]:
    return build_worked_example(fund_admin, fund_approver)


def show(client: Client, user: User, url: str, period: str) -> Any:
    client.force_login(user)
    response = client.get(reverse(url), {"period": period})
    assert response.status_code == 200
    return response


def workbook(client: Client, url: str, period: str) -> Any:
    response: Any = client.get(reverse(url), {"period": period, "export": "xlsx"})
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def sheet_amounts(sheet: Any) -> dict[str, Any]:
    """The (line → amount) pairs of a sheet: the rows under the header down to the first blank row."""
    pairs: dict[str, Any] = {}
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if row[0] is None:
            break
        pairs[row[0]] = row[1]
    return pairs


def summary_of(book: Any) -> dict[str, Any]:
    """The headline figures of the Summary sheet: the rows under its "Figure | Value" header."""
    rows = list(book["Summary"].iter_rows(values_only=True))
    first = next(i for i, row in enumerate(rows) if row[:2] == ("Figure", "Value")) + 1
    figures: dict[str, Any] = {}
    for row in rows[first:]:
        if row[0] is None:
            break
        figures[row[0]] = row[1]
    return figures


def figures_of(response: Any) -> dict[str, Any]:
    return {f.key: f.value for f in response.context["data"].figures}


RECEIPTS_2024 = "Appropriation by Parliament (s.23(1)(a))"
DONATIONS = "Donations (s.23(1)(d))"
FORFEITED = "Forfeited proceeds under CTIP s.17 (s.23(1)(b))"
INVESTMENTS = "Income from investments (s.23(1)(c))"
MEDICAL = "Medical assistance (s.15(f))"
SHELTER = "Shelter and basic needs (s.15(d))"


def test_the_statement_of_2024_25_matches_the_hand_count(client: Client, auditor: Any, worked: Any) -> None:
    response = show(client, auditor, STATEMENT, "2024-25")
    assert figures_of(response) == {
        "opening": Decimal("0.00"),
        "receipts": Decimal("2500000.00"),
        "payments": Decimal("450000.50"),
        "closing": Decimal("2049999.50"),
    }
    data = response.context["data"]
    receipts = {r["line"]: r["amount"] for r in data.table("receipts").rows}
    assert receipts == {
        RECEIPTS_2024: Decimal("2000000.00"),
        FORFEITED: Decimal("0.00"),
        INVESTMENTS: Decimal("0.00"),
        DONATIONS: Decimal("500000.00"),
    }
    payments = {r["line"]: r["amount"] for r in data.table("payments").rows if r["amount"]}
    assert payments == {SHELTER: Decimal("150000.50"), MEDICAL: Decimal("300000.00")}
    html = response.content.decode()
    assert 'data-testid="figure-closing">KES 2,049,999.50<' in html
    assert 'data-testid="figure-payments">KES 450,000.50<' in html
    assert html.count('class="report-chart"') == 2

    book = workbook(client, STATEMENT, "2024-25")
    summary = summary_of(book)
    assert summary["Opening balance, 01 Jul 2024"] == 0
    assert summary["Receipts"] == 2500000
    assert summary["Disbursements"] == 450000.5
    assert summary["Closing balance, 30 Jun 2025"] == 2049999.5
    in_sheet = sheet_amounts(book["Receipts"])
    assert in_sheet[RECEIPTS_2024] == 2000000 and in_sheet[DONATIONS] == 500000
    assert in_sheet["Total receipts"] == 2500000
    out_sheet = sheet_amounts(book["Disbursements"])
    assert out_sheet[MEDICAL] == 300000 and out_sheet[SHELTER] == 150000.5
    assert out_sheet["Total disbursements"] == 450000.5
    assert sheet_amounts(book["Balances"])["Closing balance, 30 Jun 2025"] == 2049999.5
    assert book["Receipts"]["B2"].number_format == '"KES" #,##0.00'
    assert len(book["Receipts"]._charts) == 1
    assert len(book["Disbursements"]._charts) == 1


def test_the_next_year_opens_at_the_closing_and_shows_its_own_figures(
    client: Client, fund_admin: Any, worked: Any
) -> None:
    response = show(client, fund_admin, STATEMENT, "2025-26")
    assert figures_of(response) == {
        "opening": Decimal("2049999.50"),
        "receipts": Decimal("849999.50"),
        "payments": Decimal("100000.00"),
        "closing": Decimal("2799999.00"),
    }
    receipts = {r["line"]: r["amount"] for r in response.context["data"].table("receipts").rows if r["amount"]}
    assert receipts == {FORFEITED: Decimal("800000.00"), INVESTMENTS: Decimal("49999.50")}
    assert 'data-testid="figure-opening">KES 2,049,999.50<' in response.content.decode()
    # The year in progress opens where 2025/26 closed.
    assert figures_of(show(client, fund_admin, STATEMENT, "2026-27"))["opening"] == Decimal("2799999.00")

    book = workbook(client, STATEMENT, "2025-26")
    summary = summary_of(book)
    assert summary["Opening balance, 01 Jul 2025"] == 2049999.5
    assert summary["Closing balance, 30 Jun 2026"] == 2799999
    balances = sheet_amounts(book["Balances"])
    assert balances["Opening balance, 01 Jul 2025"] == 2049999.5
    assert balances["Add: receipts"] == 849999.5
    assert balances["Less: disbursements"] == 100000
    assert sheet_amounts(book["Receipts"])[FORFEITED] == 800000
    assert len(book["Receipts"]._charts) == 1


def test_the_reconciliation_of_2024_25_matches_the_hand_count(client: Client, auditor: Any, worked: Any) -> None:
    response = show(client, auditor, RECONCILIATION, "2024-25")
    assert figures_of(response) == {
        "ledger": Decimal("2049999.50"),
        "statement": Decimal("1699750.00"),
        "difference": Decimal("-350249.50"),
        "matched": 2,
        "outstanding": Decimal("200000.00"),
    }
    data = response.context["data"]
    only_ledger = {(r["date"], r["amount"]) for r in data.table("unmatched_entries").rows}
    assert only_ledger == {(D(2024, 9, 15), Decimal("500000.00")), (D(2025, 3, 5), Decimal("-150000.50"))}
    assert [(r["date"], r["amount"]) for r in data.table("unmatched_lines").rows] == [
        (D(2025, 6, 30), Decimal("-250.00"))
    ]
    proceeds = data.table("proceeds").rows
    assert [(r["expected"], r["received"], r["outstanding"], r["over"]) for r in proceeds] == [
        (Decimal("1000000.00"), Decimal("800000.00"), Decimal("200000.00"), Decimal("0"))
    ]
    html = response.content.decode()
    assert "350,249.50" in html and "1,699,750.00" in html
    assert html.count('class="report-chart"') == 2

    book = workbook(client, RECONCILIATION, "2024-25")
    summary = summary_of(book)
    assert summary["Ledger bank balance, 30 Jun 2025"] == 2049999.5
    assert summary["Bank statement balance"] == 1699750
    assert summary["Difference (bank − ledger)"] == -350249.5
    assert summary["Statement lines matched"] == 2
    explained = sheet_amounts(book["Difference"])
    assert explained == {
        "Only on the statement": -250,
        "Only in the ledger": 349999.5,
        "Difference (bank − ledger)": -350249.5,
    }
    ledger_amounts = sorted(row[3] for row in book["Only in ledger"].iter_rows(min_row=2, values_only=True) if row[0])
    assert ledger_amounts == [-150000.5, 500000]
    proceeds_rows = [r for r in book["Proceeds due"].iter_rows(min_row=2, values_only=True) if r[0] == "Total"]
    assert proceeds_rows[0][3:7] == (1000000, 800000, 200000, 0)
    assert len(book["Difference"]._charts) == 1


def test_the_reconciliation_of_2025_26_moves_with_the_year(client: Client, fund_approver: Any, worked: Any) -> None:
    response = show(client, fund_approver, RECONCILIATION, "2025-26")
    assert figures_of(response) == {
        "ledger": Decimal("2799999.00"),
        "statement": Decimal("2399750.00"),
        "difference": Decimal("-400249.00"),
        "matched": 4,
        "outstanding": Decimal("200000.00"),
    }
    totals = response.context["data"].table("unmatched_entries").total
    assert totals["amount"] == Decimal("399999.00")
    book = workbook(client, RECONCILIATION, "2025-26")
    assert summary_of(book)["Difference (bank − ledger)"] == -400249
    assert sheet_amounts(book["Difference"])["Only in the ledger"] == 399999
    assert len(book["Difference"]._charts) == 1


# --------------------------------------------------------------------------------------------------
# Who reads them: the fund readers; the unit head sees the fund summary only (trustfund/access.py).


@pytest.mark.parametrize("persona", ["auditor", "fund_admin", "fund_approver"])
@pytest.mark.parametrize("url", [STATEMENT, RECONCILIATION])
def test_fund_readers_open_both_reports(client: Client, request: Any, persona: str, url: str) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(url), {"period": "2025-26"}).status_code == 200
    assert client.get(reverse(url), {"period": "2025-26", "export": "xlsx"}).status_code == 200


@pytest.mark.parametrize("persona", ["prosecutor", "liaison", "stranger", "unit_head"])
@pytest.mark.parametrize("url", [STATEMENT, RECONCILIATION])
def test_everyone_else_is_refused(client: Client, request: Any, persona: str, url: str, worked: Any) -> None:
    client.force_login(request.getfixturevalue(persona))
    for params in ({"period": "2025-26"}, {"period": "2025-26", "export": "xlsx"}):
        response = client.get(reverse(url), params)
        assert response.status_code == 403
        assert b"2,799,999" not in response.content


def test_the_unit_head_sees_the_summary_but_not_the_reports_on_the_index(client: Client, unit_head: Any) -> None:
    client.force_login(unit_head)
    assert client.get(reverse("trustfund:home")).status_code == 200
    titles = [r.title for r in client.get(reverse("core:report_index")).context["reports"]]
    assert "Fund statement" not in titles and "Fund reconciliation" not in titles


# --------------------------------------------------------------------------------------------------
# A fixed number of queries whatever the data


def _queries(client: Client, url: str, **params: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(url), params)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


def test_both_reports_cost_the_same_queries_however_much_money_moved(
    client: Client, fund_admin: Any, fund_approver: Any, auditor: Any
) -> None:
    build_worked_example(fund_admin, fund_approver)
    client.force_login(auditor)
    pages = [(url, params) for url in (STATEMENT, RECONCILIATION) for params in ({}, {"export": "xlsx"})]
    few = [_queries(client, url, period="2025-26", **params) for url, params in pages]
    for n in range(6):
        build_worked_example(fund_admin, fund_approver, statements_too=False)
        statements.import_statement(
            fund_admin,
            name=f"more-{n}.csv",
            content=statement_csv(
                [
                    ("2025-07-01", "ARA proceeds", f"ARA-{n}", "800000.00"),
                    ("2026-01-05", "Interest", f"INT-{n}", "1.00"),
                ]
            ),
        )
    assert Receipt.objects.count() == 35
    many = [_queries(client, url, period="2025-26", **params) for url, params in pages]
    assert few == many


# --------------------------------------------------------------------------------------------------
# The home page: the bank balance over the financial year


def test_the_balance_chart_cumulates_day_by_day_from_the_opening(worked: Any, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(2):
        frame = reports.balance_by_day(D(2024, 7, 1), D(2024, 10, 10))
    assert len(frame) == 102  # 31 + 31 + 30 + 10 days
    by_day = dict(zip(frame["date"], frame["balance"], strict=True))
    assert by_day[D(2024, 7, 1)] == by_day[D(2024, 7, 31)] == Decimal("0.00")
    assert by_day[D(2024, 8, 1)] == by_day[D(2024, 9, 14)] == Decimal("2000000.00")
    assert by_day[D(2024, 9, 15)] == Decimal("2500000.00")
    assert by_day[D(2024, 10, 10)] == Decimal("2200000.00")

    # A new year starts from the previous year's closing balance.
    spec = reports.fund_balance_chart(today=D(2025, 7, 3))
    points = [(row["date"], row["_value"]) for row in spec["data"]["values"]]
    assert points == [("2025-07-01", 2849999.5), ("2025-07-02", 2849999.5), ("2025-07-03", 2849999.5)]
    assert spec["mark"]["type"] == "line" and spec["encoding"]["x"]["type"] == "temporal"

    spec = reports.fund_balance_chart(today=D(2026, 6, 30))
    values = spec["data"]["values"]
    assert values[0]["date"] == "2025-07-01" and len(values) == 365
    assert [row["_value"] for row in values if row["date"] in ("2026-01-20", "2026-06-29", "2026-06-30")] == [
        2899999.0,
        2899999.0,
        2799999.0,
    ]
    assert values[-1]["_value"] == float(ledger.bank_balance(D(2026, 6, 30)))


def test_the_home_page_draws_the_fund_balance_for_a_fund_admin(client: Client, fund_admin: Any, worked: Any) -> None:
    client.force_login(fund_admin)
    response = client.get(reverse("core:home"))
    html = response.content.decode()
    assert 'data-panel="fund_summary"' in html
    assert 'data-chart="fund-balance"' in html
    assert "js_lib_vega_embed/vega-embed6.js" in html
    panels = {panel.key: context for panel, context in response.context["panels"]}
    values = panels["fund_summary"]["chart"]["data"]["values"]
    start, _ = reports.year_bounds(reports.current_year())
    assert values[0]["date"] == start.isoformat()
    assert values[-1]["_value"] == 5799999.0  # 2,799,999.00 brought forward + 3,000,000.00 on 1 Jul 2026


def test_the_home_panel_costs_the_same_queries_however_many_days_moved(
    client: Client, fund_admin: Any, fund_approver: Any
) -> None:
    client.force_login(fund_admin)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("core:home")).status_code == 200
        return len(queries)

    before = count()
    build_worked_example(fund_admin, fund_approver, statements_too=False)
    assert count() == before


def test_the_fund_statement_ties_to_the_bank_with_the_opening_interest_and_suspense(fund_admin, fund_approver):
    """The books open in 2026-27 with KES 500,000.00; interest (4310) counts as a receipt; an unidentified credit
    held in suspense is an other movement; so the closing balance is the ledger's bank balance on 30 June, and the
    next year opens on it."""
    today = dt.date(2027, 8, 1)

    def adjust(kind: str, on: dt.date, debit: str, credit: str, amount: str) -> None:
        proposal = services.propose_adjustment(
            fund_admin,
            kind=kind,
            entry_date=on,
            description=str(AdjustmentKind(kind).label),
            reason="Per the bank's advice.",
            lines=[
                ledger.Line(ledger.account(debit), debit=Decimal(amount)),
                ledger.Line(ledger.account(credit), credit=Decimal(amount)),
            ],
            today=today,
        )
        services.post_proposal(proposal, fund_approver, no_documents_reason="Bank advice on file", today=today)

    adjust(AdjustmentKind.OPENING_BALANCE, dt.date(2026, 7, 1), BANK, ACCUMULATED_FUND, "500000.00")
    receive(fund_admin, "1000000.00", dt.date(2026, 7, 3), today=today)
    adjust(AdjustmentKind.INTEREST, dt.date(2026, 9, 30), BANK, INTEREST_INCOME, "3412.50")
    adjust(AdjustmentKind.UNIDENTIFIED_RECEIPT, dt.date(2026, 10, 5), BANK, SUSPENSE, "25000.00")
    receive(fund_admin, "10000.00", dt.date(2027, 7, 2), today=today)

    statement = reports.fund_statement("2026-27")
    assert statement.opening == Decimal("500000.00")  # the books' opening balance, dated in the year
    receipts = {row.code: row.amount for row in statement.receipts}
    assert receipts[INTEREST_INCOME] == Decimal("3412.50")
    assert statement.total_receipts == Decimal("1003412.50")
    assert [(row.code, row.amount) for row in statement.others] == [(SUSPENSE, Decimal("25000.00"))]
    assert statement.closing == Decimal("1528412.50") == ledger.bank_balance(dt.date(2027, 6, 30))
    following = reports.fund_statement("2027-28")
    assert following.opening == statement.closing
    assert following.closing == ledger.bank_balance()
