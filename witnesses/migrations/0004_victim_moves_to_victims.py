# Written by hand: a witness's victim record now lives in the victims register (the table was renamed in
# victims.0001; its foreign key constraint followed it, so only the state changes here).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("witnesses", "0003_search_indexes"),
        ("victims", "0001_victim_moves_here"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="witness",
                    name="victim",
                    field=models.ForeignKey(blank=True, help_text="The victim record this witness corresponds to, if any.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="witnesses", to="victims.victim"),
                ),
                migrations.AlterField(
                    model_name="historicalwitness",
                    name="victim",
                    field=models.ForeignKey(blank=True, db_constraint=False, help_text="The victim record this witness corresponds to, if any.", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="victims.victim"),
                ),
            ],
        ),
    ]
