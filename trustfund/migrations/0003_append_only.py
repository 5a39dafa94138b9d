# Written by hand: on PostgreSQL the history tables, and the ledger (journal entries and their lines,
# posted once and never changed: corrections are reversing entries), refuse UPDATE and DELETE
# (core.migrations_support).

from django.db import migrations

from core.migrations_support import append_only


class Migration(migrations.Migration):

    dependencies = [
        ("trustfund", "0002_chart_and_permissions"),
    ]

    operations = [
        append_only(
            "trustfund.JournalEntry",
            "trustfund.JournalLine",
            "trustfund.HistoricalAccount",
            "trustfund.HistoricalJournalEntry",
            "trustfund.HistoricalJournalLine",
            "trustfund.HistoricalReceipt",
            "trustfund.HistoricalDisbursement",
            "trustfund.HistoricalDisbursementEvent",
            "trustfund.HistoricalBankStatement",
            "trustfund.HistoricalStatementLine",
        ),
    ]
