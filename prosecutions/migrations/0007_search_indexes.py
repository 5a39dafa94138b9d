# Written by hand: on PostgreSQL, GIN trigram indexes on the columns the search box and the case list's
# search match (core.search_indexes); nothing on SQLite.

from django.db import migrations

from core.search_indexes import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0009_audit_layout_and_trigram"),
        ("prosecutions", "0006_daily_work"),
    ]

    operations = [
        trigram_indexes("prosecutions.Case", "reference", "title", "ob_number", "court_case_serial"),
        trigram_indexes("prosecutions.Accused", "name", "aliases", "id_number"),
        trigram_indexes("prosecutions.Victim", "code"),
    ]
