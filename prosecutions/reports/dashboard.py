"""The charts of the prosecution roles' home-page panels (their data comes from ``prosecutions.queries``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from django.db.models import Count, QuerySet
from django.utils.translation import gettext

from core import charts
from prosecutions.choices import HearingOutcome, Stage
from prosecutions.models import Case, Hearing

HEARING_WEEKS = 6


def stage_pipeline_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Open cases by stage, in the order a case moves (the rows of the "Cases by stage" panel)."""
    frame = pd.DataFrame([row for row in rows if row["stage"] != Stage.CLOSED], columns=["stage", "label", "count"])
    spec = charts.bar(
        frame, "label", "count", category_title=gettext("Stage"), value_title=gettext("Open cases"), horizontal=True
    )
    spec["height"] = {"step": 18}
    return spec


def hearings_by_week_chart(cases: QuerySet[Case], today: dt.date) -> dict[str, Any]:
    """Scheduled hearings of these cases per week over the next weeks (one aggregate query)."""
    last = today + dt.timedelta(weeks=HEARING_WEEKS)
    counts = (
        Hearing.objects.filter(case__in=cases, date__gte=today, date__lt=last, outcome=HearingOutcome.SCHEDULED)
        .order_by()
        .values_list("date")
        .annotate(n=Count("id"))
    )
    frame = charts.weekly_counts(counts, today, HEARING_WEEKS)
    spec = charts.bar(frame, "week", "count", category_title=gettext("Week starting"), value_title=gettext("Hearings"))
    spec["height"] = 140
    return spec
