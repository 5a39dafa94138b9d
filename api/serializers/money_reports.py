"""Reports as JSON: the figures, tables and notes the report pages compute, for the same periods."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.money_common import json_value
from core.reports import Report, ReportData
from core.reports.periods import Period
from core.tables import ColumnKind

KIND_CHOICES = ColumnKind.choices


class DefinitionSerializer(serializers.Serializer[object]):
    term = serializers.CharField()
    meaning = serializers.CharField()


class ReportSerializer(serializers.Serializer[Report]):
    """A report the user may read: what it covers, and the periods it takes."""

    key = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    app = serializers.CharField()
    period_kind = serializers.CharField(help_text=_('"calendar_year" (period=2026) or "financial_year" (2026-27).'))
    period_kind_label = serializers.CharField()
    any_dates = serializers.BooleanField(help_text=_("Whether it also takes any dates: from=YYYY-MM-DD&to=YYYY-MM-DD."))
    definitions = serializers.SerializerMethodField()

    @extend_schema_field(DefinitionSerializer(many=True))
    def get_definitions(self, report: Report) -> list[dict[str, str]]:
        return [{"term": str(term), "meaning": str(meaning)} for term, meaning in report.definitions]


class PeriodSerializer(serializers.Serializer[Period]):
    param = serializers.CharField(help_text=_('As the report takes it: "2026", "2026-27" or "2026-03-01_2026-05-31".'))
    label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


class FigureSerializer(serializers.Serializer[object]):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=KIND_CHOICES)
    value = serializers.JSONField(
        allow_null=True,
        help_text=_(
            "Money as a string with two decimals, percentages as a decimal fraction string, counts as numbers."
        ),
    )
    display = serializers.CharField(help_text=_("The value as the page shows it."))
    note = serializers.CharField()


class ColumnSerializer(serializers.Serializer[object]):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=KIND_CHOICES)


class TableSerializer(serializers.Serializer[object]):
    key = serializers.CharField()
    title = serializers.CharField()
    note = serializers.CharField()
    columns = ColumnSerializer(many=True)
    rows = serializers.ListField(
        child=serializers.DictField(child=serializers.JSONField(allow_null=True)),
        help_text=_("Each row keyed by the columns' keys."),
    )
    total = serializers.DictField(child=serializers.JSONField(allow_null=True), allow_null=True)


class ReportFiguresSerializer(serializers.Serializer[object]):
    """One report for one period: the page's figures, tables and notes."""

    key = serializers.CharField()
    title = serializers.CharField()
    period = PeriodSerializer()
    figures = FigureSerializer(many=True)
    tables = TableSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())


def report_figures(report: Report, period: Period, data: ReportData) -> dict[str, Any]:
    """The computed report as plain JSON-ready values (what ``ReportFiguresSerializer`` describes)."""
    tables = []
    for table in data.tables:
        columns = list(table.columns)

        def row_of(row: Any, columns: list[Any] = columns) -> dict[str, Any]:
            return {column.key: json_value(column.value(row), str(column.kind)) for column in columns}

        tables.append(
            {
                "key": table.key,
                "title": str(table.title),
                "note": str(table.note),
                "columns": [{"key": c.key, "label": str(c.label), "kind": str(c.kind)} for c in columns],
                "rows": [row_of(row) for row in table.rows],
                "total": row_of(table.total) if table.total is not None else None,
            }
        )
    return {
        "key": report.key,
        "title": str(report.title),
        "period": {"param": period.param, "label": str(period.label), "start": period.start, "end": period.end},
        "figures": [
            {
                "key": figure.key,
                "label": str(figure.label),
                "kind": str(figure.kind),
                "value": json_value(figure.value, str(figure.kind)),
                "display": figure.display,
                "note": str(figure.note),
            }
            for figure in data.figures
        ],
        "tables": tables,
        "notes": [str(note) for note in data.notes],
    }
