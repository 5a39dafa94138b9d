"""The count of every case kept by the database (core.tally): the case list of a reader who sees every case
does not count 100,000 rows on each page."""

from typing import Any

from django.db import migrations

from core.tally import count_rows_by_tally, stop_counting_rows_by_tally


def tally_cases(apps: Any, schema_editor: Any) -> None:
    count_rows_by_tally(schema_editor, apps.get_model("prosecutions", "Case")._meta.db_table)


def untally_cases(apps: Any, schema_editor: Any) -> None:
    stop_counting_rows_by_tally(schema_editor, apps.get_model("prosecutions", "Case")._meta.db_table)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0013_row_tally"),
        ("prosecutions", "0014_case_county_stage_index"),
    ]

    operations = [migrations.RunPython(tally_cases, untally_cases, elidable=False)]
