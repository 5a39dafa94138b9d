"""The fund home: what waits for whom. Each figure counts exactly the rows of the filtered list it links
to; an approver's decisions leave out what they raised; the unit head sees totals only."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import User
from core.roles import Role
from tests.factories import give_roles
from tests.trustfund.conftest import statement_csv
from tests.trustfund.factories import days_ago, receive
from tests.trustfund.factories import request as raise_request
from trustfund import ledger, services, statements
from trustfund.chart import BANK_CHARGES
from trustfund.choices import AdjustmentKind

pytestmark = pytest.mark.django_db

HOME = "trustfund:home"


def queues(client: Client, user: User) -> dict[str, Any]:
    client.force_login(user)
    response = client.get(reverse(HOME))
    assert response.status_code == 200
    return {queue.key: queue for queue in response.context["queues"]}


def listed(client: Client, url: str) -> set[int]:
    """The primary keys of the rows a list page shows."""
    response = client.get(url)
    assert response.status_code == 200
    return {row.pk for row in response.context["object_list"]}


def approve_days_ago(disbursement: Any, approver: User, days: int, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Approve as if it were ``days`` days ago (the approval stamps ``timezone.now()``)."""
    then = timezone.now() - dt.timedelta(days=days)
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: then)
        return services.approve_disbursement(disbursement, approver, no_documents_reason="On the Board's paper file")


def propose_charge(user: User, amount: str = "150.00") -> Any:
    money = Decimal(amount)
    return services.propose_adjustment(
        user,
        kind=AdjustmentKind.BANK_CHARGES,
        entry_date=days_ago(3),
        description="Bank charges",
        reason="Monthly ledger fee on the statement",
        lines=[
            ledger.Line(ledger.account(BANK_CHARGES), debit=money),
            ledger.Line(ledger.bank_account(), credit=money),
        ],
    )


@pytest.fixture
def other_admin() -> User:
    from tests.factories import UserFactory

    return give_roles(UserFactory.create(), [Role.FUND_ADMINISTRATOR])


def test_an_approver_sees_the_decisions_waiting_for_them_and_lands_on_exactly_those(
    client: Client, fund: dict[str, Any], fund_approver: User, fund_admin: User
) -> None:
    proposal = propose_charge(fund_admin)
    mine = queues(client, fund_approver)
    assert mine["requests"].count == 1 and mine["requests"].waits_for == "you" and mine["requests"].mine
    assert mine["proposals"].count == 1 and mine["proposals"].waits_for == "you"
    assert "awaiting your decision" in mine["requests"].label
    assert listed(client, mine["requests"].url) == {fund["requested"].pk}
    assert listed(client, mine["proposals"].url) == {proposal.pk}
    # What waits for the administrators shows too, under their name, after the approver's own queues.
    assert mine["lines"].waits_for == "the fund administrators" and not mine["lines"].mine
    keys = list(mine)
    assert keys.index("requests") < keys.index("lines")


def test_an_approver_who_also_raises_requests_is_not_asked_to_decide_their_own(
    client: Client, fund: dict[str, Any], fund_admin: User, fund_approver: User
) -> None:
    give_roles(fund_approver, [Role.FUND_ADMINISTRATOR])
    own = raise_request(fund_approver, "12000.00", days_ago(1))
    own_proposal = propose_charge(fund_approver, "99.00")
    theirs = propose_charge(fund_admin)
    mine = queues(client, fund_approver)
    assert mine["requests"].count == 1
    assert listed(client, mine["requests"].url) == {fund["requested"].pk}
    assert own.pk not in listed(client, mine["requests"].url)
    assert mine["proposals"].count == 1
    assert listed(client, mine["proposals"].url) == {theirs.pk}
    assert own_proposal.pk not in listed(client, mine["proposals"].url)


def test_an_administrator_sees_what_waits_for_them_and_what_waits_for_an_approver(
    client: Client, fund: dict[str, Any], fund_admin: User, other_admin: User
) -> None:
    propose_charge(fund_admin)
    propose_charge(other_admin, "80.00")
    mine = queues(client, fund_admin)
    assert mine["lines"].mine and mine["lines"].waits_for == "you"
    assert mine["lines"].count == 1  # the bank charge line; the Treasury credit matched itself
    assert listed(client, mine["lines"].url) == {fund["line"].pk}
    # Decisions wait for an approver: every proposal and request, whoever raised it.
    assert mine["proposals"].count == 2 and mine["proposals"].waits_for == "a fund approver"
    assert mine["requests"].count == 1 and "awaiting a fund approver" in mine["requests"].label
    assert listed(client, mine["requests"].url) == {fund["requested"].pk}


def test_approved_payments_show_once_they_wait_longer_than_the_setting(
    client: Client, fund_admin: User, fund_approver: User, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    receive(fund_admin, "500000.00", days_ago(40))
    stale = approve_days_ago(raise_request(fund_admin, "1000.00", days_ago(30)), fund_approver, 20, monkeypatch)
    approve_days_ago(raise_request(fund_admin, "2000.00", days_ago(30)), fund_approver, 10, monkeypatch)
    paid = approve_days_ago(raise_request(fund_admin, "3000.00", days_ago(30)), fund_approver, 25, monkeypatch)
    services.pay_disbursement(paid, fund_admin, paid_on=days_ago(1), payment_reference="EFT-9")

    unpaid = queues(client, fund_admin)["unpaid"]
    assert unpaid.count == 1 and "more than 14 days" in unpaid.label
    cutoff = timezone.localdate() - dt.timedelta(days=14)
    assert f"approved_before={cutoff.isoformat()}" in unpaid.url and "status=approved" in unpaid.url
    assert listed(client, unpaid.url) == {stale.pk}

    settings.FUND_UNPAID_ALERT_DAYS = 7
    unpaid = queues(client, fund_admin)["unpaid"]
    assert unpaid.count == 2 and "more than 7 days" in unpaid.label
    assert len(listed(client, unpaid.url)) == 2
    settings.FUND_UNPAID_ALERT_DAYS = 30
    assert queues(client, fund_admin)["unpaid"].count == 0


def months_ended_since(day: dt.date) -> int:
    today = timezone.localdate()
    return (today.year * 12 + today.month) - (day.year * 12 + day.month)


def test_months_not_reconciled_wait_for_the_administrators(client: Client, fund_admin: User) -> None:
    day = days_ago(70)
    receive(fund_admin, "5000.00", day, payer_reference="EXCHQ-5")
    content = statement_csv(
        [(day.isoformat(), "Treasury", "EXCHQ-5", "5000.00"), (day.isoformat(), "Fee", "CHG", "-50.00")]
    )
    statements.import_statement(fund_admin, name="old.csv", content=content)
    mine = queues(client, fund_admin)
    # The unexplained fee leaves every month from then on not reconciled.
    assert mine["unreconciled"].count == months_ended_since(day) >= 2
    assert mine["unreconciled"].waits_for == "you"
    assert mine["unreconciled"].url == reverse("trustfund:books") + "?state=unreconciled"
    assert mine["unsigned"].count == 0 and mine["unsigned"].waits_for == "a fund approver"
    # The link lands on exactly those months.
    page = client.get(mine["unreconciled"].url).content.decode()
    shown = re.findall(r'data-state="(\w+)"', page)
    assert len(shown) == mine["unreconciled"].count and set(shown) <= {"not_reconciled", "awaiting_statement"}


def test_months_reconciled_wait_for_an_approver_until_signed_off(
    client: Client, fund_admin: User, fund_approver: User
) -> None:
    last_month_end = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    day = last_month_end.replace(day=1) - dt.timedelta(days=1)  # the last day of the month before
    receive(fund_admin, "5000.00", day, payer_reference="EXCHQ-5")
    content = statement_csv([(day.isoformat(), "Treasury", "EXCHQ-5", "5000.00")])
    statements.import_statement(fund_admin, name="old.csv", content=content)
    ended = months_ended_since(day)
    seen = queues(client, fund_approver)
    # The statement's month is reconciled and waits for the approver; every month after it waits for the
    # administrators to import the statement that reaches its end (it cannot be signed off before).
    assert seen["unsigned"].count == 1 and seen["unsigned"].waits_for == "you"
    assert seen["unreconciled"].count == ended - 1
    page = client.get(seen["unsigned"].url).content.decode()
    assert re.findall(r'data-month="([\d-]+)" data-state="(\w+)"', page) == [(f"{day:%Y-%m}", "reconciled")]
    assert f'data-testid="sign-off-{day:%Y-%m}"' in page
    awaiting = client.get(seen["unreconciled"].url).content.decode()
    assert set(re.findall(r'data-state="(\w+)"', awaiting)) == {"awaiting_statement"}
    assert "sign-off-" not in awaiting  # nothing offers a sign-off the service would refuse
    services.sign_off_month(fund_approver, month=day)
    assert queues(client, fund_approver)["unsigned"].count == 0


def test_each_figure_on_the_page_is_a_link_to_its_list(client: Client, fund: dict[str, Any], fund_admin: User) -> None:
    client.force_login(fund_admin)
    html = client.get(reverse(HOME)).content.decode()
    links = dict(re.findall(r'href="([^"]+)" data-testid="queue-(\w+)"', html))
    by_key = {key: url.replace("&amp;", "&") for url, key in links.items()}
    assert by_key["requests"] == reverse("trustfund:disbursement_list") + "?status=requested"
    assert by_key["lines"] == reverse("trustfund:line_list") + "?matched=no"
    assert by_key["proposals"] == reverse("trustfund:proposal_list") + "?status=proposed"
    assert 'data-testid="waits-for-lines">waits for you<' in html


def test_an_auditor_sees_every_queue_waiting_for_others(client: Client, fund: dict[str, Any], auditor: User) -> None:
    seen = queues(client, auditor)
    assert set(seen) == {"proposals", "requests", "unpaid", "lines", "unreconciled", "unsigned"}
    assert not any(queue.mine for queue in seen.values())
    assert seen["requests"].count == 1 and seen["requests"].waits_for == "a fund approver"


def test_the_unit_head_sees_totals_only(client: Client, fund: dict[str, Any], unit_head: User) -> None:
    client.force_login(unit_head)
    response = client.get(reverse(HOME))
    assert response.status_code == 200
    assert response.context["queues"] == []
    html = response.content.decode()
    assert 'data-testid="fund-queues"' not in html and 'data-testid="fund-subnav"' not in html
    assert fund["requested"].reference not in html


def _home_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(HOME)).status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["fund_admin", "fund_approver", "auditor"])
def test_the_home_page_costs_a_fixed_number_of_queries(
    client: Client, fund: dict[str, Any], persona: str, request: Any, django_assert_max_num_queries: Any
) -> None:
    user = request.getfixturevalue(persona)
    admin = request.getfixturevalue("fund_admin")
    client.force_login(user)
    few = _home_queries(client)
    for n in range(5):
        raise_request(admin, f"{1000 + n}.00", days_ago(2))
        propose_charge(admin, f"{10 + n}.00")
    many = _home_queries(client)
    assert few == many
    with django_assert_max_num_queries(HOME_QUERIES):
        client.get(reverse(HOME))


HOME_QUERIES = 20  # the session, the user (with their roles and the bell's count), the panels' queries
