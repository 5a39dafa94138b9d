"""The demo seed: the chart, an appropriation, a donor grant, proceeds of the demo realisations,
disbursements in every state and an imported statement with lines that match nothing. Idempotent."""

from __future__ import annotations

import pytest
from django.utils import timezone

from assets.choices import AssetStatus, Destination
from assets.demo import seed_assets
from assets.models import Realisation
from tests.assets.factories import AccusedFactory, CaseFactory
from tests.trustfund.factories import victim
from trustfund import ledger, reports
from trustfund.choices import DisbursementStatus, ReceiptSource
from trustfund.demo import seed_fund
from trustfund.models import BankStatement, Disbursement, JournalEntry, Receipt, StatementLine

pytestmark = pytest.mark.django_db


def test_the_fund_seed_covers_every_state_and_is_idempotent(prosecutor) -> None:
    cases = [CaseFactory.create(lead_prosecutor=prosecutor) for _ in range(40)]
    for case in cases:
        AccusedFactory.create(case=case)
    victim(cases[0])
    seed_assets({}, lambda line: None)
    lines: list[str] = []
    assert seed_fund({}, lines.append) > 0
    assert "Trust fund:" in lines[0]

    assert set(Receipt.objects.values_list("source", flat=True)) >= {
        ReceiptSource.APPROPRIATION,
        ReceiptSource.DONATION,
        ReceiptSource.FORFEITED_PROCEEDS,
    }
    assert set(Disbursement.objects.values_list("status", flat=True)) == set(DisbursementStatus.values)
    due = Realisation.objects.filter(destination=Destination.TRUST_FUND)
    assert Receipt.objects.filter(realisation__in=due).values("realisation").distinct().count() == due.count()
    assert any(row.outstanding > 0 for row in reports.proceeds_due())  # one left partly outstanding
    assert due.filter(asset__status=AssetStatus.TRANSFERRED).exists()

    statement = BankStatement.objects.get()
    assert statement.file.name and statement.file.size > 0
    assert StatementLine.objects.filter(matched_entry__isnull=True).count() >= 2
    assert reports.bank_reconciliation().unmatched_entries  # a payment the bank has not yet shown
    assert ledger.bank_balance() > 0
    rows = ledger.trial_balance()
    assert sum(r.debit for r in rows) == sum(r.credit for r in rows)
    today = timezone.localdate()
    assert not JournalEntry.objects.filter(entry_date__gt=today).exists()
    this_year = reports.fund_statement(reports.current_year())
    assert this_year.opening > 0  # last year's appropriation less last year's payment

    counts = (Receipt.objects.count(), Disbursement.objects.count(), JournalEntry.objects.count())
    assert seed_fund({}, lambda line: None) == 0
    assert (Receipt.objects.count(), Disbursement.objects.count(), JournalEntry.objects.count()) == counts
