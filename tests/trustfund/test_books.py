"""Month-end: signing off a month's bank reconciliation, re-opening it with a reason, closing months in
order and the financial year; the month-end pages, who may use them, and what they cost in queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.audit.verification import verify_record
from tests.trustfund.books_world import month_ago, post_charge, the_month
from tests.trustfund.conftest import statement_csv
from tests.trustfund.factories import receive
from trustfund import ledger, periods, reports, services, statements
from trustfund.chart import BANK, SUSPENSE
from trustfund.choices import AdjustmentKind, PeriodKind
from trustfund.exceptions import FundError, NotReconciled, PeriodClosed, SuspenseNotClear
from trustfund.models import ClosedPeriod, ReconciliationSignOff

pytestmark = pytest.mark.django_db
D = Decimal


def audit_clean() -> None:
    report = verify_record(write=False)
    assert report.ok, report.problems


class TestSignOff:
    def test_refused_with_a_difference_then_signed_once_reconciled(self, fund_admin, fund_approver) -> None:
        month = the_month(fund_admin, fund_approver)
        with pytest.raises(NotReconciled, match=r"unexplained difference of KES -150\.00"):
            services.sign_off_month(fund_approver, month=month.last)
        assert not ReconciliationSignOff.objects.exists()
        post_charge(month, fund_admin, fund_approver)
        signed = services.sign_off_month(fund_approver, month=month.first + dt.timedelta(days=5))
        assert (signed.month, signed.as_at, signed.signed_by) == (month.first, month.last, fund_approver)
        assert (signed.statement_balance, signed.unpresented_payments) == (D("99850.00"), D("30000.00"))
        assert (signed.uncredited_receipts, signed.ledger_balance, signed.difference) == (
            D("5000.00"),
            D("74850.00"),
            D("0.00"),
        )
        with pytest.raises(FundError, match="already signed off"):
            services.sign_off_month(fund_approver, month=month.last)
        audit_clean()

    def test_a_month_not_over_or_without_a_statement_is_refused(self, fund_admin, fund_approver) -> None:
        with pytest.raises(FundError, match="is not over yet"):
            services.sign_off_month(fund_approver, month=month_ago(0))
        receive(fund_admin, "10.00", month_ago(3) + dt.timedelta(days=2))
        with pytest.raises(NotReconciled, match="No bank statement reaches"):
            services.sign_off_month(fund_approver, month=month_ago(3))

    def test_reopen_needs_a_reason_and_keeps_the_signature(self, fund_admin, fund_approver) -> None:
        month = the_month(fund_admin, fund_approver)
        post_charge(month, fund_admin, fund_approver)
        signed = services.sign_off_month(fund_approver, month=month.first)
        with pytest.raises(FundError, match="Say why"):
            services.reopen_month(signed, fund_approver, reason="  ")
        reopened = services.reopen_month(signed, fund_approver, reason="A cheque was recorded twice")
        assert reopened.reopened_by == fund_approver and reopened.reopen_reason == "A cheque was recorded twice"
        again = services.sign_off_month(fund_approver, month=month.first)  # a fresh signature
        assert ReconciliationSignOff.objects.filter(month=month.first).count() == 2
        assert services.open_sign_off(month.first) == again
        audit_clean()


class TestCloseMonth:
    def test_refused_until_signed_suspense_clear_and_no_proposal_waits(self, fund_admin, fund_approver) -> None:
        month = the_month(fund_admin, fund_approver)
        post_charge(month, fund_admin, fund_approver)
        with pytest.raises(NotReconciled, match="is not signed off"):
            services.close_month(fund_approver, month=month.first)
        # An unidentified receipt held in suspense at the month's end.
        held = services.propose_adjustment(
            fund_admin,
            kind=AdjustmentKind.UNIDENTIFIED_RECEIPT,
            entry_date=month.first + dt.timedelta(days=25),
            description="Unidentified credit",
            reason="Payer unknown",
            lines=[
                ledger.Line(ledger.account(BANK), debit=D("40.00")),
                ledger.Line(ledger.account(SUSPENSE), credit=D("40.00")),
            ],
        )
        services.post_proposal(held, fund_approver, no_documents_reason="Bank advice")
        statements.import_statement(
            fund_admin,
            name="suspense.csv",
            content=statement_csv([((month.first + dt.timedelta(days=25)).isoformat(), "Credit", "UNK", "40.00")]),
        )
        services.sign_off_month(fund_approver, month=month.first)
        with pytest.raises(SuspenseNotClear, match=r"holds KES 40\.00"):
            services.close_month(fund_approver, month=month.first)
        correction = services.propose_adjustment(
            fund_admin,
            kind=AdjustmentKind.CORRECTION,
            entry_date=month.first + dt.timedelta(days=26),
            description="Clear the suspense",
            reason="Payer identified as a donor",
            lines=[
                ledger.Line(ledger.account(SUSPENSE), debit=D("40.00")),
                ledger.Line(ledger.account("4400"), credit=D("40.00")),
            ],
        )
        with pytest.raises(FundError, match="await a decision"):
            services.close_month(fund_approver, month=month.first)
        services.post_proposal(correction, fund_approver, no_documents_reason="Donor letter")
        closed = services.close_month(fund_approver, month=month.first, note="All clear")
        assert (closed.kind, closed.start, closed.end) == (PeriodKind.MONTH, month.first, month.last)
        with pytest.raises(PeriodClosed, match="already closed"):
            services.close_month(fund_approver, month=month.first)
        with pytest.raises(PeriodClosed, match="cannot be re-opened"):
            services.reopen_month(services.open_sign_off(month.first), fund_approver, reason="Too late")  # type: ignore[arg-type]
        with pytest.raises(PeriodClosed):
            receive(fund_admin, "5.00", month.last)
        audit_clean()

    def test_an_open_proposal_in_the_month_holds_the_close(self, fund_admin, fund_approver) -> None:
        first = month_ago(3)
        services.propose_adjustment(
            fund_admin,
            kind=AdjustmentKind.CORRECTION,
            entry_date=first + dt.timedelta(days=3),
            description="A correction",
            reason="Wrong purpose",
            lines=[
                ledger.Line(ledger.account("5150"), debit=D("1.00")),
                ledger.Line(ledger.account("5130"), credit=D("1.00")),
            ],
        )
        with pytest.raises(FundError, match="await a decision"):
            services.close_month(fund_approver, month=first)  # a quiet month needs no sign-off

    def test_months_close_in_order(self, fund_admin, fund_approver) -> None:
        receive(fund_admin, "10.00", month_ago(3) + dt.timedelta(days=1))
        with pytest.raises(FundError, match=f"Close {month_ago(3):%B %Y} first"):
            services.close_month(fund_approver, month=month_ago(2))


class TestCloseYear:
    def test_the_year_closes_once_its_months_are_and_its_statement_is_final(self, fund_admin, fund_approver) -> None:
        year = reports.current_year(month_ago(30))
        start, end = reports.year_bounds(year)
        assert reports.fund_statement(year).status == "Provisional — year not closed"
        with pytest.raises(FundError, match=f"Close the remaining months of {year} first"):
            services.close_year(fund_approver, year=year)
        services.close_month(fund_approver, month=end)  # a quiet month: no sign-off needed
        closed = services.close_year(fund_approver, year=year, note="Audited")
        assert (closed.kind, closed.start, closed.end) == (PeriodKind.YEAR, start, end)
        with pytest.raises(PeriodClosed, match="already closed"):
            services.close_year(fund_approver, year=year)
        with pytest.raises(FundError, match="not over yet"):
            services.close_year(fund_approver, year=reports.current_year())
        assert reports.fund_statement(year).status.startswith("Final — year closed on")
        with pytest.raises(PeriodClosed):
            receive(fund_admin, "5.00", start + dt.timedelta(days=3))
        audit_clean()


# --------------------------------------------------------------------------------------------------
# The pages


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


class TestPages:
    def test_the_month_end_page_shows_each_month_and_the_moves_allowed(
        self, client: Client, fund_admin, fund_approver
    ) -> None:
        month = the_month(fund_admin, fund_approver)
        client.force_login(fund_approver)
        html = client.get(reverse("trustfund:books")).content.decode()
        assert f'data-month="{month.first:%Y-%m}" data-state="not_reconciled"' in html
        assert f"sign-off-{month.first:%Y-%m}" not in html
        post_charge(month, fund_admin, fund_approver)
        html = client.get(reverse("trustfund:books")).content.decode()
        assert f'data-month="{month.first:%Y-%m}" data-state="reconciled"' in html
        assert f"sign-off-{month.first:%Y-%m}" in html
        client.force_login(fund_admin)
        assert "sign-off-" not in client.get(reverse("trustfund:books")).content.decode()

    def test_sign_off_reopen_and_close_through_the_forms(self, client: Client, fund_admin, fund_approver) -> None:
        month = the_month(fund_admin, fund_approver)
        param = f"{month.first:%Y-%m}"
        client.force_login(fund_approver)
        refused = client.post(reverse("trustfund:month_sign_off", args=[param]), {"confirm": "on"})
        assert refused.status_code == 200 and "unexplained difference of KES -150.00" in refused.content.decode()
        post_charge(month, fund_admin, fund_approver)
        done = client.post(reverse("trustfund:month_sign_off", args=[param]), {"confirm": "on"})
        assert done.status_code == 302
        signed = services.open_sign_off(month.first)
        assert signed is not None
        page = client.get(reverse("trustfund:reconciliation_statement") + f"?month={param}").content.decode()
        assert f"Signed off by {fund_approver}" in page and 'data-testid="reopen"' in page
        client.force_login(fund_admin)
        assert client.post(reverse("trustfund:month_reopen", args=[signed.pk]), {"reason": "x"}).status_code == 403
        client.force_login(fund_approver)
        form = client.get(reverse("trustfund:month_reopen", args=[signed.pk]))
        version = form.context["form"].initial.get("record_version") or form.context["form"]["record_version"].value()
        no_reason = client.post(reverse("trustfund:month_reopen", args=[signed.pk]), {"record_version": version})
        assert no_reason.status_code == 200
        ok = client.post(
            reverse("trustfund:month_reopen", args=[signed.pk]), {"record_version": version, "reason": "Recheck"}
        )
        assert ok.status_code == 302
        signed.refresh_from_db()
        assert signed.reopen_reason == "Recheck"
        refused_close = client.post(reverse("trustfund:month_close", args=[param]), {"note": ""})
        assert "is not signed off" in refused_close.content.decode()
        client.post(reverse("trustfund:month_sign_off", args=[param]), {"confirm": "on"})
        assert client.post(reverse("trustfund:month_close", args=[param]), {"note": ""}).status_code == 302
        assert ClosedPeriod.objects.filter(start=month.first).exists()
        audit_clean()

    def test_the_statement_page_and_its_workbook(self, client: Client, fund_admin, fund_approver, auditor) -> None:
        month = the_month(fund_admin, fund_approver)
        client.force_login(auditor)
        page = client.get(reverse("trustfund:reconciliation_statement") + f"?month={month.first:%Y-%m}")
        html = page.content.decode()
        assert "99,850.00" in html and "74,850.00" in html and "-150.00" in html
        assert 'data-testid="sign-off"' not in html  # an auditor reads, never signs
        book = client.get(reverse("trustfund:reconciliation_statement") + f"?as_at={month.last}&export=xlsx")
        assert book.status_code == 200 and book["Content-Type"].startswith("application/vnd.openxmlformats")
        assert client.get(reverse("trustfund:reconciliation_statement") + "?month=2026-13").status_code == 404

    def test_the_month_end_pages_cost_a_fixed_number_of_queries(
        self, client: Client, fund_admin, fund_approver
    ) -> None:
        month = the_month(fund_admin, fund_approver)
        client.force_login(fund_approver)
        urls = [
            reverse("trustfund:books"),
            reverse("trustfund:reconciliation_statement") + f"?month={month.first:%Y-%m}",
            reverse("trustfund:reconciliation_statement") + f"?month={month.first:%Y-%m}&export=xlsx",
            reverse("trustfund:reconcile"),
            reverse("trustfund:reconciliation"),
        ]
        few = [queries(client, url) for url in urls]
        rows = []
        for i in range(60):
            on = month.first + dt.timedelta(days=i % 25)
            receive(fund_admin, "10.00", on, payer_reference=f"MANY-{i}")
            if i % 2:
                rows.append(((on + dt.timedelta(days=1)).isoformat(), "Credit", f"MANY-{i}", "10.00"))
            rows.append(((on + dt.timedelta(days=2)).isoformat(), "Fee", f"FEE-{i}", "-1.00"))
        statements.import_statement(fund_admin, name="many.csv", content=statement_csv(rows))
        many = [queries(client, url) for url in urls]
        assert few == many
        html = client.get(reverse("trustfund:reconcile") + f"?as_at={month.next_first}").content.decode()
        assert 'data-testid="pager-lines"' in html  # 60 fee lines: paginated on screen
        assert periods.closed_up_to() is None


def test_a_month_the_statements_do_not_reach_waits_for_its_statement(fund_admin, fund_approver) -> None:
    """A month with nothing in the ledger is not "quiet" while the bank's statements stop before its end: the
    bank may yet show a charge. It is neither signed off nor closed until a statement reaches past it."""
    from django.utils import timezone

    from trustfund.reports.month_end import month_states

    today = timezone.localdate()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    earlier_end = last_month - dt.timedelta(days=1)
    earlier = earlier_end.replace(day=1)
    receive(fund_admin, "5000.00", earlier_end, payer_reference="EXCHQ-Q")
    statements.import_statement(
        fund_admin, name="q1.csv", content=statement_csv([(earlier_end.isoformat(), "Treasury", "EXCHQ-Q", "5000.00")])
    )
    services.sign_off_month(fund_approver, month=earlier)
    services.close_month(fund_approver, month=earlier)

    states = {month.param: month for month in month_states(today)}
    assert states[f"{last_month:%Y-%m}"].state == "awaiting_statement"
    assert not states[f"{last_month:%Y-%m}"].can_be_closed and not states[f"{last_month:%Y-%m}"].can_be_signed
    with pytest.raises(NotReconciled, match="not signed off"):
        services.close_month(fund_approver, month=last_month)
    with pytest.raises(NotReconciled, match="No bank statement reaches"):
        services.sign_off_month(fund_approver, month=last_month)

    # The next statement starts after last month: nothing happened in it, so it closes without a sign-off.
    receive(fund_admin, "700.00", today, payer_reference="EXCHQ-R")
    statements.import_statement(
        fund_admin, name="q2.csv", content=statement_csv([(today.isoformat(), "Treasury", "EXCHQ-R", "700.00")])
    )
    assert {m.param: m for m in month_states(today)}[f"{last_month:%Y-%m}"].can_be_closed
    assert services.close_month(fund_approver, month=last_month).start == last_month
