"""Each fund record is seen through its model's scope rule (``Model.objects.visible_to(user)``): the fund
roles and auditors see every record, anyone else none; and every page that opens one record fetches it
through that rule, never by bare primary key."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Model, QuerySet
from django.test import Client
from django.urls import reverse

from core import querysets
from core.access import AnyUser
from trustfund.models import (
    Account,
    BankStatement,
    Disbursement,
    DisbursementEvent,
    JournalEntry,
    JournalLine,
    Receipt,
    StatementLine,
)

pytestmark = pytest.mark.django_db

FUND_MODELS: list[type[Model]] = [
    Account,
    JournalEntry,
    JournalLine,
    Receipt,
    Disbursement,
    DisbursementEvent,
    BankStatement,
    StatementLine,
]
READERS = ["fund_admin", "fund_approver", "auditor"]
OTHERS = ["unit_head", "prosecutor", "liaison", "stranger", "multi_role"]


@pytest.mark.parametrize("model", FUND_MODELS, ids=lambda m: m.__name__)
def test_the_fund_readers_see_every_fund_record_and_no_one_else_any(request: Any, fund: Any, model: Any) -> None:
    everything = model.objects.count()
    assert everything > 0
    for persona in READERS:
        assert model.objects.visible_to(request.getfixturevalue(persona)).count() == everything, persona
    for persona in OTHERS:
        assert not model.objects.visible_to(request.getfixturevalue(persona)).exists(), persona


def _nothing(records: QuerySet[Any], user: AnyUser) -> QuerySet[Any]:
    return records.none()


# (page, model of the record it opens, who may open it, the record in the ``fund`` fixture)
ONE_RECORD_PAGES = [
    ("trustfund:receipt_detail", Receipt, "auditor", lambda f: f["receipt"].pk),
    ("trustfund:disbursement_detail", Disbursement, "auditor", lambda f: f["paid"].pk),
    ("trustfund:disbursement_approve", Disbursement, "fund_approver", lambda f: f["requested"].pk),
    ("trustfund:disbursement_reject", Disbursement, "fund_approver", lambda f: f["requested"].pk),
    ("trustfund:disbursement_pay", Disbursement, "fund_admin", lambda f: f["approved"].pk),
    ("trustfund:disbursement_cancel", Disbursement, "fund_admin", lambda f: f["approved"].pk),
    ("trustfund:entry_detail", JournalEntry, "auditor", lambda f: f["receipt"].entry_id),
    ("trustfund:entry_reverse", JournalEntry, "fund_admin", lambda f: f["receipt"].entry_id),
    ("trustfund:statement_detail", BankStatement, "auditor", lambda f: f["statement"].pk),
    ("trustfund:line_match", StatementLine, "fund_admin", lambda f: f["line"].pk),
    ("trustfund:line_unmatch", StatementLine, "fund_admin", lambda f: f["matched_line"].pk),
]


@pytest.mark.parametrize(("name", "model", "persona", "pk_of"), ONE_RECORD_PAGES, ids=[p[0] for p in ONE_RECORD_PAGES])
def test_a_page_opens_its_record_only_through_the_scope_rule(
    client: Client, request: Any, fund: Any, monkeypatch: Any, name: str, model: Any, persona: str, pk_of: Any
) -> None:
    client.force_login(request.getfixturevalue(persona))
    url = reverse(name, args=[pk_of(fund)])
    assert client.get(url).status_code == 200
    # The same page, with a rule that hides every record of the model: the record is out of sight (404).
    monkeypatch.setitem(querysets._rules, model, _nothing)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", ["trustfund:line_match", "trustfund:line_unmatch", "trustfund:entry_reverse"])
def test_a_record_that_does_not_exist_is_404(client: Client, fund: Any, fund_admin: Any, name: str) -> None:
    client.force_login(fund_admin)
    assert client.get(reverse(name, args=[10**6])).status_code == 404
