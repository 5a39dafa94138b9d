# Written by hand: Victim has moved to the victims register (victims.0001 renamed its tables and created
# it there). Here, in state only: the sentence's compensated victim points there, and the model leaves
# prosecutions — after the other apps' foreign keys were pointed at the new model.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("prosecutions", "0009_persons_for_accused"),
        ("victims", "0001_victim_moves_here"),
        ("trustfund", "0007_disbursement_referral"),
        ("witnesses", "0004_victim_moves_to_victims"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="sentence",
                    name="compensation_victim",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="compensation_orders", to="victims.victim"),
                ),
                migrations.AlterField(
                    model_name="historicalsentence",
                    name="compensation_victim",
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="victims.victim"),
                ),
                migrations.DeleteModel(name="HistoricalVictim"),
                migrations.DeleteModel(name="Victim"),
            ],
        ),
    ]
