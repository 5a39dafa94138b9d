"""Month-end: every month with its reconciliation state and the financial years (``books``); the bank
reconciliation statement at a month's end or any date, with its items page by page and in Excel
(``reconciliation_statement``); and the approver's moves — sign off, re-open with a reason, close a month,
close a year."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from core.access import PageAccess, RoleRequiredMixin
from core.exporter import AboutExport, xlsx_response
from core.labels import Label
from core.paging import paged
from core.versioning import Versioned
from core.views.generic import RecordFormView, ServiceFormView
from trustfund import periods, reports
from trustfund.access import FUND_APPROVERS, FUND_READERS, can_close_periods, can_sign_off
from trustfund.forms import CloseMonthForm, CloseYearForm, ReopenForm, SignOffForm
from trustfund.models import ReconciliationSignOff
from trustfund.queries import MONTH_QUEUE_STATES
from trustfund.reports.bank import ReconciliationStatement
from trustfund.reports.month_end import month_states, year_states
from trustfund.reports.registered import DETAIL_PAGE_SIZE
from trustfund.tables import RECONCILIATION_COLUMNS

UNPRESENTED = gettext_lazy("Unpresented payments")
UNCREDITED = gettext_lazy("Receipts not yet credited")
UNEXPLAINED = gettext_lazy("On the statement, not explained by the ledger")


def parse_month(text: str) -> dt.date:
    """``"2026-04"`` → 1 April 2026; 404 for anything else."""
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError as error:
        raise Http404("No such month") from error


class BooksView(RoleRequiredMixin, TemplateView):
    """The month-end page: each month from the first posting to this one (newest first) with its balances,
    difference and state, the financial years with theirs, and the moves the user may make."""

    allowed_roles = FUND_READERS
    page_access = PageAccess(opens=FUND_READERS)
    template_name = "trustfund/books.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        months = month_states(today)
        state = self.request.GET.get("state", "")
        wanted = MONTH_QUEUE_STATES.get(state)
        shown = [month for month in months if wanted is None or month.state in wanted]
        user = self.request.user
        context.update(
            title=_("Month-end"),
            state_filter=state if wanted is not None else "",
            months=paged(self.request.GET, "months", shown, 24),
            years=year_states(months, today),
            can_sign_off=can_sign_off(user),
            can_close=can_close_periods(user),
            can_read_fund=True,
        )
        return context


def _statement_rows(rec: ReconciliationStatement) -> list[dict[str, Any]]:
    blank = {"date": None, "reference": "", "ledger": ""}
    rows = [
        {**blank, "section": _("Statement"), "description": label, "amount": amount} for label, amount in rec.summary()
    ]
    # Each section's name translated once, not once a row (a lazy label costs a catalogue lookup each time).
    for section, section_rows in (
        (UNPRESENTED, rec.entry_rows(rec.unpresented)),
        (UNCREDITED, rec.entry_rows(rec.uncredited)),
        (UNEXPLAINED, rec.line_rows()),
    ):
        name = str(section)
        rows += [{"section": name, **row} for row in section_rows]
    return rows


class ReconciliationStatementView(RoleRequiredMixin, TemplateView):
    """The bank reconciliation statement at the end of ``?month=YYYY-MM`` or at ``?as_at=YYYY-MM-DD``
    (today by default), its items page by page, the month's sign-off record; ``?export=xlsx`` downloads it
    with every item."""

    allowed_roles = FUND_READERS
    page_access = PageAccess(opens=FUND_READERS)
    template_name = "trustfund/books_statement.html"

    def as_at(self, today: dt.date) -> tuple[dt.date, dt.date | None]:
        """The date of the statement, and the month when one was asked for."""
        if month_text := self.request.GET.get("month"):
            first, last = periods.month_bounds(parse_month(month_text))
            return min(last, today), first
        try:
            day = parse_date(self.request.GET.get("as_at") or "")
        except ValueError:
            day = None
        return day or today, None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        today = timezone.localdate()
        as_at, month = self.as_at(today)
        rec = reports.reconciliation_statement(as_at)
        title = _("Bank reconciliation statement as at %(as_at)s") % {"as_at": date_format(as_at, "d M Y")}
        if request.GET.get("export") == "xlsx":
            user = request.user
            about = AboutExport(
                title=title,
                exported_by=f"{user} ({user.get_username()})",
                filters=[(_("As at"), date_format(as_at, "d M Y"))],
            )
            return xlsx_response("fund-bank-reconciliation", RECONCILIATION_COLUMNS, _statement_rows(rec), about)
        return render(request, self.template_name, self.context(rec, as_at, month, today))

    def context(self, rec: ReconciliationStatement, as_at: dt.date, month: dt.date | None, today: dt.date) -> dict:
        month = month or (as_at.replace(day=1) if as_at == periods.month_bounds(as_at)[1] else None)
        user = self.request.user
        sign_offs = (
            list(ReconciliationSignOff.objects.filter(month=month).select_related("signed_by", "reopened_by"))
            if month
            else []
        )
        current = next((s for s in sign_offs if s.is_open), None)
        closed = periods.closed_period_covering(as_at) if month else None
        over = month is not None and periods.month_bounds(month)[1] < today
        return {
            "title": _("Bank reconciliation statement"),
            "rec": rec,
            "as_at": as_at,
            "month": month,
            "month_param": f"{month:%Y-%m}" if month else "",
            "sign_offs": sign_offs,
            "current": current,
            "closed": closed,
            "unpresented": paged(self.request.GET, "unpresented", rec.unpresented, DETAIL_PAGE_SIZE),
            "uncredited": paged(self.request.GET, "uncredited", rec.uncredited, DETAIL_PAGE_SIZE),
            "unexplained": paged(self.request.GET, "unexplained", rec.unmatched_lines, DETAIL_PAGE_SIZE),
            "may_sign": can_sign_off(user) and over and not closed and not current and rec.reconciled,
            "may_reopen": can_sign_off(user) and current is not None and not closed,
            "may_close": can_close_periods(user) and over and not closed and current is not None,
            "can_read_fund": True,
        }


class MonthFormView(ServiceFormView):
    """An approver's move on one month (``month`` = ``YYYY-MM`` in the URL)."""

    allowed_roles = FUND_APPROVERS
    page_access = PageAccess(opens=FUND_APPROVERS)
    template_name = "trustfund/books_form.html"
    verb: Label = ""

    @property
    def month(self) -> dt.date:
        return parse_month(self.kwargs["month"])

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "month": self.month}

    def get_title(self) -> str:
        return _("%(verb)s %(month)s") % {"verb": self.verb, "month": date_format(self.month, "F Y")}

    def get_cancel_url(self) -> str:
        return reverse("trustfund:reconciliation_statement") + f"?month={self.month:%Y-%m}"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        as_at = min(periods.month_bounds(self.month)[1], timezone.localdate())
        context.update(rec=reports.reconciliation_statement(as_at), submit_label=self.verb, can_read_fund=True)
        return context

    def get_success_url_for(self, result: Any) -> str:
        return self.get_cancel_url()


class MonthSignOffView(MonthFormView):
    form_class = SignOffForm
    verb = gettext_lazy("Sign off")

    def get_success_message(self, result: Any) -> str:
        return _("The bank reconciliation of %(month)s is signed off.") % {"month": date_format(self.month, "F Y")}


class MonthCloseView(MonthFormView):
    form_class = CloseMonthForm
    verb = gettext_lazy("Close")

    def get_success_message(self, result: Any) -> str:
        return _("%(month)s is closed: nothing more can be posted, reversed or matched in it.") % {
            "month": date_format(self.month, "F Y")
        }


class MonthReopenView(RecordFormView):
    """Re-open a signed-off month, with a reason; the form carries the sign-off's version."""

    allowed_roles = FUND_APPROVERS
    page_access = PageAccess(opens=FUND_APPROVERS)
    template_name = "trustfund/books_form.html"
    form_class = ReopenForm
    record: ReconciliationSignOff

    def get_record_queryset(self) -> QuerySet[ReconciliationSignOff]:
        return ReconciliationSignOff.objects.visible_to(self.request.user).select_related("signed_by")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "sign_off": self.record}

    def get_version_parts(self) -> list[Versioned]:
        return [
            Versioned.of(
                self.record, noun=_("the sign-off of %(month)s") % {"month": date_format(self.record.month, "F Y")}
            )
        ]

    def get_title(self) -> str:
        return _("Re-open %(month)s (signed off by %(signed_by)s)") % {
            "month": date_format(self.record.month, "F Y"),
            "signed_by": self.record.signed_by,
        }

    def get_cancel_url(self) -> str:
        return reverse("trustfund:reconciliation_statement") + f"?month={self.record.month:%Y-%m}"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(sign_off=self.record, submit_label=_("Re-open"), can_read_fund=True)
        return context

    def get_success_message(self, result: Any) -> str:
        return _("%(month)s is re-opened; it can be signed off again once reconciled.") % {
            "month": date_format(self.record.month, "F Y")
        }

    def get_success_url_for(self, result: Any) -> str:
        return self.get_cancel_url()


class YearCloseView(ServiceFormView):
    allowed_roles = FUND_APPROVERS
    page_access = PageAccess(opens=FUND_APPROVERS)
    template_name = "trustfund/books_form.html"
    form_class = CloseYearForm

    @property
    def year(self) -> str:
        year = self.kwargs["year"]
        try:
            reports.year_bounds(year)
        except ValueError as error:
            raise Http404("No such financial year") from error
        return str(year)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "year": self.year}

    def get_title(self) -> str:
        return _("Close the financial year %(year)s") % {"year": self.year}

    def get_cancel_url(self) -> str:
        return reverse("trustfund:books")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(submit_label=_("Close the year"), can_read_fund=True)
        return context

    def get_success_message(self, result: Any) -> str:
        return _("The financial year %(year)s is closed; its fund statement is final.") % {"year": self.year}

    def get_success_url_for(self, result: Any) -> str:
        return reverse("trustfund:books")
