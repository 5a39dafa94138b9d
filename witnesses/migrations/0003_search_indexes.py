# Written by hand: on PostgreSQL, a GIN trigram index on the witness code, the only thing the search box
# matches of a witness (core.search_indexes); nothing on SQLite.

from django.db import migrations

from core.search_indexes import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0009_audit_layout_and_trigram"),
        ("witnesses", "0002_append_only"),
    ]

    operations = [
        trigram_indexes("witnesses.Witness", "code"),
    ]
