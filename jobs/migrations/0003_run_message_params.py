from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0002_field_labels"),
    ]

    operations = [
        migrations.AlterField(
            model_name="jobrun",
            name="message",
            field=models.CharField(
                blank=True,
                help_text="The outcome line, untranslated (jobs.outcome).",
                max_length=500,
                verbose_name="message",
            ),
        ),
        migrations.AddField(
            model_name="jobrun",
            name="message_params",
            field=models.JSONField(
                blank=True,
                help_text="The outcome line's values; empty for a line stored already written out.",
                null=True,
                verbose_name="message parameters",
            ),
        ),
    ]
