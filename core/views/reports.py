"""The report pages: one generic view for every registered report, and the Reports index.

A report's page answers 403 to anyone without one of its roles; ``?period=`` picks the year (or, for a
report with ``any_dates``, ``?from=2026-03-01&to=2026-05-31`` any dates) and ``&export=xlsx`` downloads the
same figures as a workbook.
"""

from __future__ import annotations

import tempfile
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.access import PageAccess
from core.exporter import AboutExport
from core.reports import (
    InvalidPeriod,
    Period,
    Report,
    ScreenTable,
    get_report,
    report_readers,
    reports_for,
    write_report_workbook,
)

EXPORT_PARAM = "export"
PERIOD_PARAM = "period"
FROM_PARAM = "from"
TO_PARAM = "to"


def asked_period(report: Report, query: QueryDict) -> Period | None:
    """The period the query asks for (chosen dates, else a year), or None when it asks for none.
    Raises ``InvalidPeriod`` when it is malformed, or asks a whole-year report for other dates."""
    first, last = query.get(FROM_PARAM, "").strip(), query.get(TO_PARAM, "").strip()
    if first or last:
        if not report.any_dates:
            raise InvalidPeriod(_("%(report)s covers whole years only; choose a year.") % {"report": report.title})
        return Period.parse_dates(report.period_kind, first, last)
    year = query.get(PERIOD_PARAM, "").strip()
    return Period.parse(report.period_kind, year) if year else None


class ReportView(LoginRequiredMixin, View):
    """Shows one registered report for one period, or downloads it as Excel."""

    report_key: str = ""

    @classmethod
    def page_access_for(cls, report_key: str) -> PageAccess:
        """A report's page opens to the roles its registration names."""
        return PageAccess(opens=get_report(report_key).roles)

    def get_report(self) -> Report:
        return get_report(self.report_key)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        report = self.get_report()
        if not report.may_read(request.user):
            raise PermissionDenied
        today = timezone.localdate()
        error = ""
        period = Period.containing(report.period_kind, today)
        try:
            period = asked_period(report, request.GET) or period
        except InvalidPeriod as exc:
            error = exc.message
        if error and request.GET.get(EXPORT_PARAM):
            return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
        data = report.compute(period, request.user)
        if request.GET.get(EXPORT_PARAM) == "xlsx" and not error:
            return self.export(report, period, data)
        choices = Period.recent(report.period_kind, today, count=10)
        if period not in choices and not period.is_chosen_dates:
            choices = sorted([*choices, period], key=lambda p: -p.start_year)
        context = {
            "report": report,
            "period": period,
            "data": data,
            "tables": [ScreenTable.of(table, request.GET) for table in data.tables],
            "error": error,
            "period_choices": choices,
            "previous_period": period.shifted(-1),
            "next_period": period.shifted(1) if period.start <= today else None,
            "title": str(report.title),
        }
        return render(request, "core/reports/report.html", context, status=400 if error else 200)

    def export(self, report: Report, period: Period, data: Any) -> FileResponse:
        user = self.request.user
        about = AboutExport(
            title=f"{report.title} — {period.label}",  # the report and its period: no sentence to translate
            exported_by=f"{user} ({user.get_username()})",
            filters=[(_("Period"), f"{period.label} ({period.dates})")],
        )
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        write_report_workbook(spool, report, period, data, about)
        spool.seek(0)
        stamp = timezone.localtime(about.exported_at).strftime("%Y%m%d-%H%M")
        return FileResponse(
            spool,
            as_attachment=True,
            filename=f"{report.key.replace('_', '-')}-{period.param}-{stamp}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


def report_view(key: str) -> Any:
    """The view for the registered report ``key``, for an app's ``urls.py``."""
    return ReportView.as_view(report_key=key)


class ReportIndexView(LoginRequiredMixin, TemplateView):
    """Every report the user may read, with what it covers; 403 for a user who may read none."""

    template_name = "core/reports/index.html"

    @classmethod
    def page_access_for(cls) -> PageAccess:
        """Whoever may read at least one report."""
        return PageAccess(opens=report_readers())

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not reports_for(request.user):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["reports"] = reports_for(self.request.user)
        context["title"] = _("Reports")
        return context
