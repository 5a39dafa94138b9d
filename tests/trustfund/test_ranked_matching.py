"""Matching a statement line by hand: the Match page offers the best few unmatched entries, ranked by
amount (the same amount first), date and reference, with the reasons shown — never every entry, never
money going the other way."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import User
from tests.trustfund.conftest import statement_csv
from tests.trustfund.factories import days_ago, paid, receive
from trustfund import matching, statements
from trustfund.models import StatementLine

pytestmark = pytest.mark.django_db


def one_line(user: User, day: Any, reference: str, amount: str, description: str = "Debit") -> StatementLine:
    content = statement_csv([(day.isoformat(), description, reference, amount)])
    statement = statements.import_statement(user, name=f"line-{reference}.csv", content=content, auto_match_lines=False)
    return statement.lines.get()


@pytest.fixture
def ledger_entries(fund_admin: User, fund_approver: User) -> dict[str, Any]:
    """Money in, then payments around a KES 350 bank debit dated 10 days ago."""
    receive(fund_admin, "9000000.00", days_ago(60), payer_reference="EXCHQ-9")
    pay = {
        "exact_near": ("350.00", 13),
        "exact_far": ("350.00", 50),
        "close": ("360.00", 10),
        "big": ("45000.00", 10),
        "huge": ("8000000.00", 10),
    }
    made: dict[str, Any] = {
        key: paid(fund_admin, fund_approver, amount, on=days_ago(age), requested_on=days_ago(age))
        for key, (amount, age) in pay.items()
    }
    made["money_in"] = receive(fund_admin, "350.00", days_ago(10), payer_reference="IN-350")
    return made


def entry_of(record: Any) -> Any:
    return getattr(record, "payment_entry", None) or record.entry


def test_the_same_amount_ranks_first_then_the_nearer_date(fund_admin: User, ledger_entries: dict[str, Any]) -> None:
    line = one_line(fund_admin, days_ago(10), "CHG-OCT", "-350.00", "Ledger fee")
    ranked = matching.ranked_candidates(line, limit=10)
    order = [c.entry for c in ranked]
    made = {key: entry_of(record) for key, record in ledger_entries.items()}
    assert order[:2] == [made["exact_near"], made["exact_far"]]
    assert ranked[0].reasons == ("same amount", "3 days apart")
    assert ranked[1].reasons == ("same amount", "40 days apart")
    assert order[2] == made["close"]  # KES 10 off on the same day, before 45,000 and 8,000,000
    assert ranked[2].reasons == ("KES 10.00 more", "same day")
    assert order.index(made["big"]) < order.index(made["huge"])
    assert all(c.bank_amount < 0 for c in ranked)


def test_money_going_the_other_way_is_never_offered(fund_admin: User, ledger_entries: dict[str, Any]) -> None:
    money_in = entry_of(ledger_entries["money_in"])
    out_line = one_line(fund_admin, days_ago(10), "CHG", "-350.00")
    assert money_in not in [c.entry for c in matching.ranked_candidates(out_line)]
    in_line = one_line(fund_admin, days_ago(10), "IN", "350.00", "Credit")
    ranked = matching.ranked_candidates(in_line)
    assert ranked[0].entry == money_in and ranked[0].reasons[:2] == ("same amount", "same day")
    assert all(c.bank_amount > 0 for c in ranked)


def test_a_quoted_reference_wins_between_equal_amounts(
    fund_admin: User, fund_approver: User, ledger_entries: dict[str, Any]
) -> None:
    twin = paid(fund_admin, fund_approver, "350.00", on=days_ago(16), requested_on=days_ago(16))
    line = one_line(fund_admin, days_ago(10), twin.reference, "-350.00", "EFT payment")
    ranked = matching.ranked_candidates(line, limit=3)
    assert ranked[0].entry == twin.payment_entry
    assert ranked[0].reasons == ("same amount", "6 days apart", "reference matches")
    assert "reference matches" not in ranked[1].reasons


def test_only_the_best_few_are_read_and_offered(
    fund_admin: User, fund_approver: User, ledger_entries: dict[str, Any]
) -> None:
    line = one_line(fund_admin, days_ago(10), "CHG", "-350.00")
    with CaptureQueriesContext(connection) as few:
        matching.ranked_candidates(line, limit=3)
    for n in range(8):
        paid(fund_admin, fund_approver, f"{500 + n}.00", on=days_ago(5 + n), requested_on=days_ago(5 + n))
    with CaptureQueriesContext(connection) as many:
        ranked = matching.ranked_candidates(line, limit=3)
    assert len(ranked) == 3
    assert len(few) == len(many) == 2
    assert [c.reasons[0] for c in ranked[:2]] == ["same amount", "same amount"]


def test_the_match_page_offers_the_ranked_entries_with_their_reasons(
    client: Client, fund_admin: User, ledger_entries: dict[str, Any]
) -> None:
    line = one_line(fund_admin, days_ago(10), "CHG-OCT", "-350.00", "Ledger fee")
    client.force_login(fund_admin)
    url = reverse("trustfund:line_match", args=[line.pk])
    response = client.get(url)
    html = response.content.decode()
    offered = [c.entry for c in response.context["form"].candidates]
    best = entry_of(ledger_entries["exact_near"])
    assert offered[0] == best and entry_of(ledger_entries["money_in"]) not in offered
    assert f'data-testid="reasons-{best.pk}">same amount, 3 days apart<' in html
    assert html.count('type="radio"') == len(offered) <= matching.MATCH_CHOICES
    version = response.context["form"]["record_version"].value()
    response = client.post(url, {"entry": str(best.pk), "record_version": version})
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.matched_entry == best


def test_the_match_page_says_when_nothing_moves_money_that_way(client: Client, fund_admin: User) -> None:
    receive(fund_admin, "1000.00", days_ago(5))
    line = one_line(fund_admin, days_ago(3), "CHG", "-75.00")
    client.force_login(fund_admin)
    html = client.get(reverse("trustfund:line_match", args=[line.pk])).content.decode()
    assert 'data-testid="no-candidates"' in html
    assert ">Match</button>" not in html


def test_automatic_matching_still_wants_the_exact_amount_within_the_window(
    fund_admin: User, ledger_entries: dict[str, Any]
) -> None:
    line = one_line(fund_admin, days_ago(10), "CHG", "-360.00")
    assert list(matching.candidates(line)) == [entry_of(ledger_entries["close"])]
    assert matching.auto_match([line], fund_admin) == 1
    line.refresh_from_db()
    assert line.matched_entry == entry_of(ledger_entries["close"])
    assert Decimal(line.amount) == Decimal("-360.00")


def test_a_line_nothing_explains_offers_the_adjustments_instead(client: Client, fund_admin: User) -> None:
    receive(fund_admin, "1000.00", days_ago(5))
    line = one_line(fund_admin, days_ago(3), "CHG", "-75.00", "Ledger fee")
    client.force_login(fund_admin)
    html = client.get(reverse("trustfund:line_match", args=[line.pk])).content.decode()
    create = reverse("trustfund:proposal_create")
    assert f'href="{create}?line={line.pk}&amp;kind=bank_charges" data-testid="post-as-bank_charges"' in html
    assert client.get(f"{create}?line={line.pk}&kind=bank_charges").status_code == 200
