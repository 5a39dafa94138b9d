# Written by hand: on PostgreSQL the history tables refuse UPDATE and DELETE (core.migrations_support).

from django.db import migrations

from core.migrations_support import append_only


class Migration(migrations.Migration):

    dependencies = [
        ("assets", "0003_order_deadline_index_and_net_tolerance"),
    ]

    operations = [
        append_only(
            "assets.HistoricalAsset",
            "assets.HistoricalValuation",
            "assets.HistoricalCourtOrder",
            "assets.HistoricalRealisation",
            "assets.HistoricalAssetStatusChange",
        ),
    ]
