"""Written by hand: on PostgreSQL, the database refuses a journal entry dated in a closed month or year
(on or before the end of the last period closed: months close in order) or before the books' opening
balance — the same rule ``trustfund.periods.check_open`` applies in the services, held even for an
insert that goes around them."""

from django.db import migrations

PERIOD_TRIGGER = """
CREATE OR REPLACE FUNCTION trustfund_check_entry_period() RETURNS trigger AS $$
DECLARE
    closed_to date;
    opened_on date;
BEGIN
    SELECT max("end") INTO closed_to FROM trustfund_closedperiod;
    IF closed_to IS NOT NULL AND NEW.entry_date <= closed_to THEN
        RAISE EXCEPTION 'journal entry dated % falls in a closed period: the books are closed up to %',
            NEW.entry_date, closed_to USING ERRCODE = '23514';
    END IF;
    IF NEW.kind <> 'opening' THEN
        SELECT min(entry_date) INTO opened_on FROM trustfund_journalentry WHERE kind = 'opening';
        IF opened_on IS NOT NULL AND NEW.entry_date < opened_on THEN
            RAISE EXCEPTION 'journal entry dated % is before the books open on % (the opening balance)',
                NEW.entry_date, opened_on USING ERRCODE = '23514';
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trustfund_journalentry_open_period
    BEFORE INSERT ON trustfund_journalentry
    FOR EACH ROW EXECUTE FUNCTION trustfund_check_entry_period();
"""

DROP_TRIGGER = """
DROP TRIGGER IF EXISTS trustfund_journalentry_open_period ON trustfund_journalentry;
DROP FUNCTION IF EXISTS trustfund_check_entry_period();
"""


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PERIOD_TRIGGER, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER, params=None)


class Migration(migrations.Migration):
    dependencies = [("trustfund", "0005_books")]

    operations = [migrations.RunPython(add_trigger, drop_trigger)]
