"""Seed the chart of accounts; grant the fund models' permissions to the fund roles and auditors; on
PostgreSQL, add a deferred constraint trigger so that no transaction can commit an unbalanced entry."""

from django.db import migrations

from core.migrations_support import grant
from trustfund.chart import ensure_chart

MODELS = [
    "account",
    "journalentry",
    "journalline",
    "receipt",
    "disbursement",
    "disbursementevent",
    "bankstatement",
    "statementline",
]

BALANCE_TRIGGER = """
CREATE OR REPLACE FUNCTION trustfund_check_entry_balanced() RETURNS trigger AS $$
DECLARE
    unbalanced integer;
BEGIN
    SELECT count(*) INTO unbalanced FROM (
        SELECT entry_id FROM trustfund_journalline WHERE entry_id = NEW.entry_id
        GROUP BY entry_id HAVING sum(debit) <> sum(credit)
    ) AS t;
    IF unbalanced > 0 THEN
        RAISE EXCEPTION 'journal entry % does not balance', NEW.entry_id USING ERRCODE = '23514';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER trustfund_journalline_balanced
    AFTER INSERT OR UPDATE OR DELETE ON trustfund_journalline
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION trustfund_check_entry_balanced();
"""

DROP_TRIGGER = """
DROP TRIGGER IF EXISTS trustfund_journalline_balanced ON trustfund_journalline;
DROP FUNCTION IF EXISTS trustfund_check_entry_balanced();
"""


def seed_chart(apps, schema_editor):
    ensure_chart(apps.get_model("trustfund", "Account"))


def grant_permissions(apps, schema_editor):
    read_all = [f"view_{m}" for m in MODELS]
    work = read_all + [f"add_{m}" for m in MODELS]
    grant(
        apps,
        "trustfund",
        {
            "Fund administrator": work,
            "Fund approver": read_all + ["change_disbursement"],
            "Auditor": read_all,
        },
    )


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BALANCE_TRIGGER, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER, params=None)


class Migration(migrations.Migration):
    dependencies = [("trustfund", "0001_ledger"), ("core", "0004_role_permissions")]

    operations = [
        migrations.RunPython(seed_chart, migrations.RunPython.noop),
        migrations.RunPython(grant_permissions, migrations.RunPython.noop),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
