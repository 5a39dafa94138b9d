"""The adjusting-entry pages: who opens which, "Post as bank charge" on a statement line prefilling the
proposal, posting, rejecting and withdrawing through the forms, a stale form refused, and lists whose
query count does not grow with their rows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import User
from core.roles import Role
from tests.factories import UserFactory
from tests.helpers import FormClient, post_refused
from tests.trustfund.conftest import statement_csv
from tests.trustfund.factories import days_ago
from trustfund import ledger, services, statements
from trustfund.chart import BANK, BANK_CHARGES
from trustfund.choices import AdjustmentKind, MatchMethod, ProposalStatus
from trustfund.models import AdjustmentProposal, StatementLine

pytestmark = pytest.mark.django_db


def proposal_data(rows: list[tuple[str, str, str]], **fields: str) -> dict[str, str]:
    """The create form as a browser sends it: the particulars and the lines (account code, debit, credit)."""
    data = {
        "kind": AdjustmentKind.CORRECTION,
        "entry_date": days_ago(2).isoformat(),
        "description": "Medical bill charged to shelter",
        "reason": "Posted to the wrong purpose",
        "bank_reference": "",
        "statement_line": "",
        "lines-TOTAL_FORMS": str(len(rows) + 1),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "2",
        "lines-MAX_NUM_FORMS": "20",
    }
    for index, (code, debit, credit) in enumerate(rows):
        data |= {
            f"lines-{index}-account": str(ledger.account(code).pk),
            f"lines-{index}-debit": debit,
            f"lines-{index}-credit": credit,
            f"lines-{index}-memo": "",
        }
    return data | fields


def correction(user: User, amount: str = "1000.00") -> AdjustmentProposal:
    return services.propose_adjustment(
        user,
        kind=AdjustmentKind.CORRECTION,
        entry_date=days_ago(2),
        description="Medical bill charged to shelter",
        reason="Posted to the wrong purpose",
        lines=[
            ledger.Line(ledger.account("5150"), debit=Decimal(amount)),
            ledger.Line(ledger.account("5130"), credit=Decimal(amount)),
        ],
    )


@pytest.fixture
def proposal(fund: dict[str, Any], fund_admin: User) -> AdjustmentProposal:
    return correction(fund_admin)


@pytest.fixture
def approver_two(db: None) -> User:
    return UserFactory.create(first_name="Lucy", last_name="Achieng", roles=[Role.FUND_APPROVER])


# --------------------------------------------------------------------------------------------------
# Who opens what


@pytest.mark.parametrize(
    ("page", "opens"),
    [
        ("proposal_list", {"fund_admin", "fund_approver", "auditor"}),
        ("proposal_detail", {"fund_admin", "fund_approver", "auditor"}),
        ("proposal_create", {"fund_admin"}),
        ("proposal_post", {"fund_approver"}),
        ("proposal_reject", {"fund_approver"}),
        ("proposal_withdraw", {"fund_admin"}),
    ],
)
def test_each_page_opens_for_its_roles_only(
    client: FormClient, proposal: AdjustmentProposal, request: pytest.FixtureRequest, page: str, opens: set[str]
) -> None:
    args = [] if page in ("proposal_list", "proposal_create") else [proposal.pk]
    url = reverse(f"trustfund:{page}", args=args)
    for persona in ("fund_admin", "fund_approver", "auditor", "unit_head", "prosecutor"):
        client.force_login(request.getfixturevalue(persona))
        assert client.get(url).status_code == (200 if persona in opens else 403), persona


def test_the_detail_shows_exactly_the_moves_each_user_may_make(
    client: FormClient, proposal: AdjustmentProposal, fund_admin: User, fund_approver: User, auditor: User
) -> None:
    url = proposal.get_absolute_url()
    expected = {
        fund_admin: {"withdraw"},  # the proposer: never post or reject their own
        fund_approver: {"post", "reject"},
        auditor: set(),
    }
    for user, moves in expected.items():
        client.force_login(user)
        html = client.get(url).content.decode()
        shown = {move for move in ("post", "reject", "withdraw") if f'data-testid="{move}-{proposal.pk}"' in html}
        assert shown == moves, user
    client.force_login(fund_approver)
    html = client.get(url).content.decode()
    assert "1,000.00" in html
    assert 'data-testid="entry-lines"' in html and "Awaiting an approver" in html


# --------------------------------------------------------------------------------------------------
# From the statement line


def test_the_lines_list_offers_post_as_on_an_unmatched_line_and_then_shows_the_proposal(
    client: FormClient, fund: dict[str, Any], fund_admin: User, auditor: User
) -> None:
    line: StatementLine = fund["line"]
    url = reverse("trustfund:line_list")
    client.force_login(fund_admin)
    html = client.get(url).content.decode()
    create = reverse("trustfund:proposal_create")
    assert f'href="{create}?line={line.pk}&amp;kind=bank_charges"' in html
    assert f"post-as-interest-{line.pk}" not in html  # money out: a charge, never interest
    assert f"post-as-bank_charges-{fund['matched_line'].pk}" not in html

    response = client.get(create, {"line": str(line.pk), "kind": str(AdjustmentKind.BANK_CHARGES)})
    form = response.context["form"]
    assert form.initial["entry_date"] == line.date and form.initial["bank_reference"] == "CHG"
    assert form.initial["statement_line"] == line
    first, second = (lines.initial for lines in form.lines.forms[:2])
    assert (first["account"].code, first["debit"], second["account"].code, second["credit"]) == (
        BANK_CHARGES,
        Decimal("150.00"),
        BANK,
        Decimal("150.00"),
    )
    assert 'data-testid="statement-line"' in response.content.decode()
    assert response.context["total_debit"] == response.context["total_credit"] == Decimal("150.00")

    data = proposal_data(
        [(BANK_CHARGES, "150.00", ""), (BANK, "", "150.00")],
        kind=AdjustmentKind.BANK_CHARGES,
        entry_date=line.date.isoformat(),
        description="Bank charges: Bank charges",
        bank_reference="CHG",
        statement_line=str(line.pk),
    )
    response = client.post(create, data)
    proposal = AdjustmentProposal.objects.get()
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    assert proposal.statement_line == line and proposal.lines.count() == 2

    html = client.get(url).content.decode()
    assert f"{proposal.reference} awaits approval" in html and f"post-as-bank_charges-{line.pk}" not in html
    client.force_login(auditor)
    assert "Post as" not in client.get(url).content.decode()


def test_a_kind_that_does_not_fit_the_line_is_said_on_the_page(
    client: FormClient, fund: dict[str, Any], fund_admin: User
) -> None:
    client.force_login(fund_admin)
    create = reverse("trustfund:proposal_create")
    response = client.get(create, {"line": str(fund["line"].pk), "kind": str(AdjustmentKind.INTEREST)})
    assert response.status_code == 200
    assert "Interest earned is money in, but this statement line is money out" in response.content.decode()
    assert client.get(create, {"line": "x", "kind": "interest"}).status_code == 404
    assert client.get(create, {"line": "999999", "kind": "interest"}).status_code == 404


def test_an_unbalanced_proposal_is_shown_again_and_nothing_saved(
    client: FormClient, fund: dict[str, Any], fund_admin: User
) -> None:
    client.force_login(fund_admin)
    create = reverse("trustfund:proposal_create")
    post_refused(
        client,
        create,
        proposal_data([("5150", "1000.00", ""), ("5130", "", "900.00")]),
        None,
        "The entry does not balance: debits KES 1,000.00, credits KES 900.00.",
        "trustfund",
    )
    response = client.post(create, proposal_data([("5150", "1000.00", "")]))
    assert "A journal entry needs at least one debit and one credit line." in response.content.decode()
    assert not AdjustmentProposal.objects.exists()


# --------------------------------------------------------------------------------------------------
# Post, reject, withdraw through the forms


def test_an_approver_posts_through_the_form_and_the_detail_links_the_entry(
    client: FormClient, fund: dict[str, Any], fund_admin: User, fund_approver: User
) -> None:
    proposal = services.propose_adjustment(
        fund_admin,
        kind=AdjustmentKind.BANK_CHARGES,
        entry_date=fund["line"].date,
        description="Bank charges",
        reason="The bank's ledger fee",
        statement_line=fund["line"],
        lines=[
            ledger.Line(ledger.account(BANK_CHARGES), debit=Decimal("150.00")),
            ledger.Line(ledger.account(BANK), credit=Decimal("150.00")),
        ],
    )
    client.force_login(fund_approver)
    url = reverse("trustfund:proposal_post", args=[proposal.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="no-supporting-documents"' not in page  # the statement supports it
    response = client.post(url, {"note": "Agrees with the statement"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.POSTED
    line = StatementLine.objects.get(pk=fund["line"].pk)
    assert line.matched_entry == proposal.entry and line.match_method == MatchMethod.POSTED
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert proposal.entry is not None and f'href="{proposal.entry.get_absolute_url()}"' in html
    assert f'data-testid="post-{proposal.pk}"' not in html


def test_posting_without_a_document_asks_for_the_reason_on_the_form(
    client: FormClient, proposal: AdjustmentProposal, fund_approver: User
) -> None:
    client.force_login(fund_approver)
    url = reverse("trustfund:proposal_post", args=[proposal.pk])
    assert 'data-testid="no-supporting-documents"' in client.get(url).content.decode()
    words = f"No document is attached to {proposal.reference}"
    post_refused(client, url, {"note": ""}, "no_documents_reason", words, "trustfund")
    assert client.post(url, {"no_documents_reason": "Voucher on the paper file"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.POSTED


def test_the_proposer_is_told_on_the_post_page_that_another_approver_must_post(
    client: FormClient, fund: dict[str, Any]
) -> None:
    both = UserFactory.create(first_name="Joy", last_name="Kerubo", roles=[Role.FUND_ADMINISTRATOR, Role.FUND_APPROVER])
    proposal = correction(both)
    client.force_login(both)
    url = reverse("trustfund:proposal_post", args=[proposal.pk])
    words = f"You proposed {proposal.reference}: another approver must post it (four eyes)."
    post_refused(client, url, {"no_documents_reason": "On file"}, None, words, "trustfund")


def test_reject_and_withdraw_through_the_forms(
    client: FormClient, fund: dict[str, Any], fund_admin: User, fund_approver: User
) -> None:
    rejected, withdrawn = correction(fund_admin), correction(fund_admin, "500.00")
    client.force_login(fund_approver)
    url = reverse("trustfund:proposal_reject", args=[rejected.pk])
    post_refused(client, url, {"reason": ""}, "reason", "This field is required.", "trustfund")
    assert client.post(url, {"reason": "The bill was the shelter's"}).status_code == 302
    client.force_login(fund_admin)
    assert (
        client.post(reverse("trustfund:proposal_withdraw", args=[withdrawn.pk]), {"reason": "Twice"}).status_code == 302
    )
    rejected.refresh_from_db()
    withdrawn.refresh_from_db()
    assert (rejected.status, withdrawn.status) == (ProposalStatus.REJECTED, ProposalStatus.WITHDRAWN)
    listed = client.get(reverse("trustfund:proposal_list"), {"status": ProposalStatus.PROPOSED})
    assert listed.context["result_count"] == 0


def test_another_administrator_cannot_withdraw_a_proposal_not_theirs(
    client: FormClient, proposal: AdjustmentProposal
) -> None:
    colleague = UserFactory.create(roles=[Role.FUND_ADMINISTRATOR])
    client.force_login(colleague)
    url = reverse("trustfund:proposal_withdraw", args=[proposal.pk])
    post_refused(client, url, {"reason": "Not needed"}, None, "Only Grace Wambui, who proposed", "trustfund")


def test_a_post_form_sent_after_another_approver_rejected_is_refused(
    client: FormClient, proposal: AdjustmentProposal, fund_approver: User, approver_two: User
) -> None:
    client.force_login(fund_approver)
    url = reverse("trustfund:proposal_post", args=[proposal.pk])
    opened = client.version_shown(url)
    services.reject_proposal(proposal, approver_two, reason="Wrong purpose codes")
    post_refused(
        client,
        url,
        {"no_documents_reason": "On file", "record_version": opened},
        None,
        f"Adjustment {proposal.reference} changed since you opened the form: status moved from Awaiting approval "
        "to Rejected",
        "trustfund",
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED and proposal.entry is None


# --------------------------------------------------------------------------------------------------
# Lists stay fast


def count(client: FormClient, url: str, params: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


def make(fund_admin: User, fund_approver: User, n: int) -> None:
    for index in range(n):
        proposal = correction(fund_admin, f"{index + 1}.00")
        if index % 3 == 1:
            services.post_proposal(proposal, fund_approver, no_documents_reason="On file")
        elif index % 3 == 2:
            services.reject_proposal(proposal, fund_approver, reason="No")


def test_the_proposal_list_costs_the_same_queries_however_many_rows(
    client: FormClient, fund: dict[str, Any], fund_admin: User, fund_approver: User
) -> None:
    pages: list[tuple[str, dict[str, str]]] = [
        (reverse("trustfund:proposal_list"), {}),
        (reverse("trustfund:proposal_list"), {"export": "xlsx"}),
        (reverse("trustfund:proposal_list"), {"status": str(ProposalStatus.PROPOSED)}),
        (reverse("trustfund:line_list"), {}),
    ]
    client.force_login(fund_approver)
    make(fund_admin, fund_approver, 3)
    few = [count(client, url, params) for url, params in pages]
    make(fund_admin, fund_approver, 30)
    many = [count(client, url, params) for url, params in pages]
    assert few == many
    client.force_login(fund_admin)  # the administrator's line list looks up the proposals awaiting a decision
    charges(fund_admin, 2, "few")
    before = count(client, reverse("trustfund:line_list"))
    charges(fund_admin, 20, "many")
    assert count(client, reverse("trustfund:line_list")) == before


def charges(fund_admin: User, n: int, tag: str) -> None:
    """``n`` bank charges on a statement, every other one proposed from its line."""
    rows = [(days_ago(1).isoformat(), "Ledger fee", f"{tag}-{i}", f"-{i + 1}.00") for i in range(n)]
    statement = statements.import_statement(fund_admin, name=f"{tag}.csv", content=statement_csv(rows))
    for line in statement.lines.all()[::2]:
        initial = services.line_proposal_initial(line, AdjustmentKind.BANK_CHARGES)
        services.propose_adjustment(
            fund_admin,
            kind=AdjustmentKind.BANK_CHARGES,
            entry_date=line.date,
            description=initial["description"],
            reason="The bank's fee",
            statement_line=line,
            lines=[
                ledger.Line(row["account"], row["debit"] or ledger.ZERO, row["credit"] or ledger.ZERO)
                for row in initial["lines"]
            ],
        )
