"""The working reconciliation (bank ↔ ledger at a date, asset register ↔ fund) and the proceeds due to
the fund. The yearly reports are ``core.views.reports.report_view`` pages (``trustfund.urls``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from assets.models import Realisation
from core.access import PageAccess, RoleRequiredMixin
from core.exporter import AboutExport, xlsx_response
from core.paging import paged
from core.views.generic import FilteredListView
from trustfund import reports
from trustfund.access import FUND_READERS, can_administer
from trustfund.filters import ProceedsFilter
from trustfund.reports.registered import DETAIL_PAGE_SIZE
from trustfund.tables import PROCEEDS_COLUMNS, RECONCILIATION_COLUMNS


def _about(request: HttpRequest, title: str, filters: list[tuple[str, str]]) -> AboutExport:
    user = request.user
    return AboutExport(title=title, exported_by=f"{user} ({user.get_username()})", filters=filters)


def _year(request: HttpRequest) -> str:
    year = request.GET.get("year") or reports.current_year()
    try:
        reports.year_bounds(year)
    except ValueError as error:
        raise Http404("No such financial year") from error
    return year


def _as_at(request: HttpRequest, today: dt.date) -> dt.date:
    """``?as_at=`` (a date), else the end of ``?year=`` (or today, for the year in progress), else today."""
    as_at: dt.date | None = None
    if request.GET.get("as_at"):
        try:
            as_at = parse_date(request.GET["as_at"])
        except ValueError:
            as_at = None
    elif request.GET.get("year"):
        _, end = reports.year_bounds(_year(request))
        as_at = min(end, today)
    return as_at or today


class ReconcileView(RoleRequiredMixin, TemplateView):
    """The working reconciliation: bank ↔ ledger at a date (``?as_at=``, default today) with a Match link on
    each unmatched line for administrators, and the asset register ↔ fund summary; Excel download of
    the bank side. The yearly report is ``trustfund:reconciliation``."""

    allowed_roles = FUND_READERS
    page_access = PageAccess(opens=FUND_READERS)
    template_name = "trustfund/reconciliation.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        as_at = _as_at(request, timezone.localdate())
        if request.GET.get("export") == "xlsx":
            result = reports.bank_reconciliation(as_at)
            title = _("Bank reconciliation as at %(as_at)s") % {"as_at": date_format(as_at, "d M Y")}
            return xlsx_response(
                "fund-reconciliation",
                RECONCILIATION_COLUMNS,
                result.rows(),
                _about(request, title, [(str(_("As at")), date_format(as_at, "d M Y"))]),
            )
        statement = reports.reconciliation_statement(as_at)
        result = reports.bank_reconciliation(as_at, statement=statement)  # the statement's balances and entries
        context = {
            "rec": result,
            "statement": statement,
            "unmatched_lines": paged(request.GET, "lines", result.unmatched_lines, DETAIL_PAGE_SIZE),
            "unmatched_entries": paged(request.GET, "entries", result.unmatched_entries, DETAIL_PAGE_SIZE),
            "matched": paged(request.GET, "matched", result.matched, DETAIL_PAGE_SIZE),
            "as_at": as_at,
            "proceeds": reports.proceeds_totals(),
            "can_administer": can_administer(request.user),
            "title": _("Reconciliation"),
            "years": reports.year_choices(),
        }
        return render(request, self.template_name, context)


class ProceedsListView(FilteredListView):
    """Asset register ↔ fund: every realisation destined for the fund, expected against received."""

    allowed_roles = FUND_READERS
    page_access = PageAccess(opens=FUND_READERS)
    filterset_class = ProceedsFilter
    columns = PROCEEDS_COLUMNS
    title = _("Forfeited proceeds due to the fund")
    export_name = "fund-proceeds"

    def get_base_queryset(self) -> QuerySet[Any]:
        return reports.proceeds_due(Realisation.objects.visible_to(self.request.user))
