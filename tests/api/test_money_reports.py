"""Reports as JSON: the reports a user may read, and each report's figures for a period — the same compute
function as its page, the same period parameters, the same refusals."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import User
from core.reports import Period, get_report, registered_reports, reports_for
from core.reports.registry import Report
from core.tables import ColumnKind
from tests.assets.factories import CaseFactory, seize
from tests.factories import UserFactory
from tests.trustfund.factories import days_ago, receive

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/reports/"


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def _same(value: Any, expected: Any, kind: str) -> bool:
    """The JSON value stands for the computed one: money and decimals as exact strings, counts as numbers."""
    if expected is None:
        return value is None
    if kind == ColumnKind.MONEY:
        return value == str(Decimal(expected).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    if kind in (ColumnKind.DECIMAL, ColumnKind.PERCENT):
        return isinstance(value, str) and Decimal(value) == Decimal(str(expected))
    if isinstance(expected, int):
        return value == expected
    if isinstance(expected, dt.date):
        return value == expected.isoformat()
    return value == str(expected)


def test_the_list_holds_the_reports_each_role_may_read(fund_admin, prosecutor) -> None:
    fund_keys = [r["key"] for r in api(fund_admin).get(REPORTS).json()]
    assert fund_keys == [r.key for r in reports_for(fund_admin)]
    assert {"fund_statement", "fund_reconciliation"} <= set(fund_keys) and "tip_statistics" not in fund_keys
    prosecutor_keys = {r["key"] for r in api(prosecutor).get(REPORTS).json()}
    assert "tip_statistics" in prosecutor_keys and "fund_statement" not in prosecutor_keys
    statement = next(r for r in api(fund_admin).get(REPORTS).json() if r["key"] == "fund_statement")
    assert statement["period_kind"] == "financial_year" and statement["any_dates"] is False
    assert statement["definitions"][0]["term"] == "Period"


@pytest.mark.parametrize("persona", ["stranger"])
def test_someone_who_reads_no_report_is_refused(request, persona) -> None:
    assert api(request.getfixturevalue(persona)).get(REPORTS).status_code == 403


@pytest.mark.parametrize("report", registered_reports(), ids=lambda report: report.key)
def test_every_report_gives_the_figures_its_compute_function_gives(report: Report) -> None:
    reader = UserFactory.create(roles=sorted(report.roles))
    case = CaseFactory.create(lead_prosecutor=UserFactory.create())
    seize(case, seized_on=days_ago(30))
    period = Period.containing(report.period_kind, timezone.localdate())
    expected = report.compute(period, reader)
    response = api(reader).get(f"{REPORTS}{report.key}/", {"period": period.param})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["period"] == {
        "param": period.param,
        "label": str(period.label),
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }
    assert [f["key"] for f in body["figures"]] == [f.key for f in expected.figures]
    for figure, computed in zip(body["figures"], expected.figures, strict=True):
        assert _same(figure["value"], computed.value, str(computed.kind)), (figure, computed)
        assert figure["display"] == computed.display
    assert [t["key"] for t in body["tables"]] == [t.key for t in expected.tables]
    for table, computed_table in zip(body["tables"], expected.tables, strict=True):
        assert len(table["rows"]) == len(computed_table.rows)
        columns = list(computed_table.columns)
        assert [c["key"] for c in table["columns"]] == [c.key for c in columns]
        for row, computed_row in zip(table["rows"], computed_table.rows, strict=True):
            for column in columns:
                assert _same(row[column.key], column.value(computed_row), str(column.kind)), (column.key, row)


def test_the_fund_statements_figures_carry_the_money_received(fund_admin) -> None:
    receive(fund_admin, "250000.00", days_ago(3))
    year = Period.containing("financial_year", timezone.localdate()).param
    body = api(fund_admin).get(f"{REPORTS}fund_statement/", {"period": year}).json()
    figures = {f["key"]: f for f in body["figures"]}
    assert figures["receipts"]["value"] == "250000.00" and figures["receipts"]["kind"] == "money"
    assert figures["closing"]["value"] == "250000.00"
    receipts = next(t for t in body["tables"] if t["key"] == "receipts")
    assert receipts["total"] == {"line": "Total receipts", "amount": "250000.00"}


def test_a_report_for_chosen_dates_takes_the_pages_from_and_to(prosecutor) -> None:
    report = next(r for r in registered_reports() if r.any_dates and r.may_read(prosecutor))
    body = api(prosecutor).get(f"{REPORTS}{report.key}/", {"from": "2026-03-01", "to": "2026-05-31"}).json()
    assert body["period"]["start"] == "2026-03-01" and body["period"]["end"] == "2026-05-31"


@pytest.mark.parametrize(
    ("key", "query", "words"),
    [
        ("fund_statement", {"period": "twenty"}, "is not a period this report understands"),
        ("fund_statement", {"from": "2026-01-01", "to": "2026-02-01"}, "covers whole years only"),
        ("asset_recovery", {"period": "1999-00"}, "Reports cover 2010 onwards"),
    ],
)
def test_a_bad_period_is_refused_with_the_pages_message(auditor, key, query, words) -> None:
    response = api(auditor).get(f"{REPORTS}{key}/", query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_period" and words in error["message"]


def test_a_report_outside_the_users_roles_is_403_and_an_unknown_one_404(prosecutor) -> None:
    assert not get_report("fund_statement").may_read(prosecutor)
    client = api(prosecutor)
    refused = client.get(f"{REPORTS}fund_statement/")
    assert refused.status_code == 403 and "figures" not in refused.json()
    assert client.get(f"{REPORTS}no_such_report/").status_code == 404
