# Written by hand: the disbursement's beneficiary victim now lives in the victims register (the table
# was renamed in victims.0001; its foreign key constraint followed it, so only the state changes here),
# and a disbursement may cite the referral it pays for (a new column, empty on the rows already written).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("trustfund", "0006_closed_period_guard"),
        ("victims", "0005_referrals"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="disbursement",
                    name="victim",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="disbursements", to="victims.victim"),
                ),
                migrations.AlterField(
                    model_name="historicaldisbursement",
                    name="victim",
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="victims.victim"),
                ),
            ],
        ),
        migrations.AddField(
            model_name="disbursement",
            name="referral",
            field=models.ForeignKey(blank=True, help_text="The victim's referral this pays for (victims register).", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="disbursements", to="victims.referral"),
        ),
        migrations.AddField(
            model_name="historicaldisbursement",
            name="referral",
            field=models.ForeignKey(blank=True, db_constraint=False, help_text="The victim's referral this pays for (victims register).", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="victims.referral"),
        ),
    ]
