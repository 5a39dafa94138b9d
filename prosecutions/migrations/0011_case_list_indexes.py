# Indexes for the case list at national scale (issue 20): its order (-opened_on, -id), and the county
# filter in that order. The text search's GIN trigram indexes are 0007's.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("prosecutions", "0010_victim_moves_to_victims"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["-opened_on", "-id"], name="prosecutions_case_list"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["county", "-opened_on", "-id"], name="prosecutions_case_county_list"),
        ),
    ]
