# Written by hand: on PostgreSQL, GIN trigram indexes on the columns the search box matches
# (core.search_indexes); nothing on SQLite.

from django.db import migrations

from core.search_indexes import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0009_audit_layout_and_trigram"),
        ("assets", "0004_append_only"),
    ]

    operations = [
        trigram_indexes("assets.Asset", "reference", "identifier", "description"),
        trigram_indexes("assets.CourtOrder", "order_number"),
    ]
