"""The prosecution reports: TIP statistics (calendar year), ODPP performance and organisers versus
small fish (financial year). Importing this package registers them with ``core.reports`` (done by
``prosecutions.registrations`` when the app is ready).

Every figure is aggregated in the database, or shaped by pandas in one pass over one query, so each
report runs the same number of queries however many cases there are. No report reads a name: victims
have none, accused appear only as counts per role, and witness records are never joined.

One module per report (``tip``, ``performance``, ``network``), ODPP's figures by case and by section in
``caseload`` (read by ``performance``), the pieces they share in ``shared`` and ``definitions``, and the
home-page panel charts in ``dashboard``.
"""

from __future__ import annotations

from prosecutions.reports.dashboard import HEARING_WEEKS, hearings_by_week_chart, stage_pipeline_chart
from prosecutions.reports.network import network_roles
from prosecutions.reports.performance import performance
from prosecutions.reports.shared import (
    PROSECUTION_REPORT_READERS,
    accused_outcomes,
    cases_charged_between,
    first_charged_on,
)
from prosecutions.reports.tip import tip_statistics

__all__ = [
    "HEARING_WEEKS",
    "PROSECUTION_REPORT_READERS",
    "accused_outcomes",
    "cases_charged_between",
    "first_charged_on",
    "hearings_by_week_chart",
    "network_roles",
    "performance",
    "stage_pipeline_chart",
    "tip_statistics",
]
