"""The registry of reports and report sources, filled by each app in its ``AppConfig.ready``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.access import AnyUser, roles_of
from core.labels import Label
from core.registry import NavItem, Panel, register_nav, register_panel
from core.reports.data import ReportData
from core.reports.periods import Period, PeriodKind

# Keys of report sources registered by apps above the report's own (see ``core.reports``).
RECOVERY_RECEIPTS = "recovery_receipts"
ASSETS_BY_ACCUSED_ROLE = "assets_by_accused_role"

ReportCompute = Callable[[Period, AnyUser], ReportData]


@dataclass(frozen=True)
class Report:
    """A report: who may read it, which app owns it, what period it takes and how it is computed.

    ``compute(period, user)`` returns the ``ReportData``; ``definitions`` are (term, meaning) pairs
    printed in the page footer and the workbook (what counts as a prosecution, a conviction…).
    """

    key: str
    title: Label
    url_name: str
    roles: frozenset[str]
    app: str
    period_kind: PeriodKind
    compute: ReportCompute
    description: Label = ""
    definitions: Sequence[tuple[Label, Label]] = ()
    order: int = 100
    subnav_template: str = ""  # the owning app's sub-menu, drawn above the report (its pages stay in reach)
    # True when ``compute`` works for any dates (``?from=…&to=…``), not only whole years of its kind.
    any_dates: bool = False

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    @property
    def period_kind_label(self) -> str:
        return str(PeriodKind(self.period_kind).label)

    def may_read(self, user: AnyUser) -> bool:
        return bool(roles_of(user) & self.roles)


_reports: dict[str, Report] = {}
_sources: dict[str, Callable[..., Any]] = {}


def register_report(report: Report) -> None:
    """Add (or replace) a report."""
    _reports[report.key] = report


def unregister_report(key: str) -> None:
    """Take a report off the registry (tests register made-up ones)."""
    _reports.pop(key, None)


def report_readers() -> frozenset[str]:
    """Every role that may read at least one report."""
    return frozenset().union(*(report.roles for report in _reports.values()))


def get_report(key: str) -> Report:
    return _reports[key]


def registered_reports() -> list[Report]:
    return sorted(_reports.values(), key=lambda r: (r.order, str(r.title)))


def reports_for(user: AnyUser) -> list[Report]:
    """The reports this user may read, in index order."""
    return [report for report in registered_reports() if report.may_read(user)]


def register_source(key: str, function: Callable[..., Any]) -> None:
    """An upper app offers data to a lower app's report (see the module docstring)."""
    _sources[key] = function


def get_source(key: str) -> Callable[..., Any] | None:
    """The registered source, or ``None`` when its app has not registered it (yet)."""
    return _sources.get(key)


def _reports_panel_context(user: AnyUser) -> dict[str, Any]:
    return {"reports": reports_for(user)}


# The "Reports" menu item and home-page panel, open to whoever may read at least one report.
register_nav(NavItem("reports", _("Reports"), "core:report_index", report_readers, order=700))
register_panel(
    Panel("reports", _("Reports"), "core/panels/reports.html", report_readers, _reports_panel_context, order=600)
)
