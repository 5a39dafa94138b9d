# Written by hand: on PostgreSQL, GIN trigram indexes on the columns the search box matches
# (core.search_indexes); nothing on SQLite.

from django.db import migrations

from core.search_indexes import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0009_audit_layout_and_trigram"),
        ("trustfund", "0003_append_only"),
    ]

    operations = [
        trigram_indexes("trustfund.Receipt", "reference", "payer", "payer_reference"),
        trigram_indexes("trustfund.Disbursement", "reference", "service_provider", "resolution_reference"),
    ]
