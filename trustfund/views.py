"""Pages of the trust fund: the fund home, receipts, disbursements, the journal, balances, statement
import and matching, the reconciliation and the financial-year statement."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.generic import TemplateView

from core.access import RoleRequiredMixin, require_role
from core.exporter import AboutExport, xlsx_response
from core.history import history_entries
from core.views.generic import FilteredListView, RecordFormView, ServiceFormView, Tab, TabbedDetailView
from trustfund import ledger, reports, statements
from trustfund.access import (
    FUND_ADMINS,
    FUND_APPROVERS,
    FUND_READERS,
    SUMMARY_READERS,
    actions_for,
    can_administer,
    can_read_fund,
    disbursements_visible_to,
    entries_visible_to,
    may_open_decision,
    may_open_payment,
    receipts_visible_to,
    statement_lines_visible_to,
    statements_visible_to,
)
from trustfund.choices import DisbursementStatus
from trustfund.errors import StatementFileError
from trustfund.filters import (
    AccountBalanceFilter,
    DisbursementFilter,
    EntryFilter,
    ProceedsFilter,
    ReceiptFilter,
    StatementFilter,
    StatementLineFilter,
)
from trustfund.forms import (
    ApproveForm,
    CancelForm,
    DisbursementForm,
    MatchForm,
    PayForm,
    ReceiptForm,
    RejectForm,
    ReverseForm,
    StatementConfirmForm,
    StatementUploadForm,
    UnmatchForm,
)
from trustfund.models import (
    BankStatement,
    Disbursement,
    DisbursementEvent,
    JournalEntry,
    JournalLine,
    Receipt,
    StatementLine,
)
from trustfund.tables import (
    ACCOUNT_COLUMNS,
    DISBURSEMENT_COLUMNS,
    ENTRY_COLUMNS,
    PROCEEDS_COLUMNS,
    RECEIPT_COLUMNS,
    RECONCILIATION_COLUMNS,
    STATEMENT_COLUMNS,
    STATEMENT_LINE_COLUMNS,
)

PENDING_DIR = "trustfund/pending"


def fund_summary(today: dt.date | None = None) -> dict[str, Any]:
    """The fund at a glance: balance, this year in and out, awaiting approval, unreconciled items."""
    today = today or timezone.localdate()
    year = reports.current_year(today)
    start, _ = reports.year_bounds(year)
    bank = ledger.bank_account()
    moves = JournalLine.objects.filter(
        account=bank, entry__entry_date__gte=start, entry__entry_date__lte=today
    ).aggregate(money_in=Sum("debit"), money_out=Sum("credit"))
    awaiting = Disbursement.objects.filter(status=DisbursementStatus.REQUESTED).aggregate(
        n=Count("id"), total=Sum("amount")
    )
    approved = Disbursement.objects.filter(status=DisbursementStatus.APPROVED).aggregate(
        n=Count("id"), total=Sum("amount")
    )
    return {
        "balance": ledger.bank_balance(),
        "year": year,
        "money_in": moves["money_in"] or ledger.ZERO,
        "money_out": moves["money_out"] or ledger.ZERO,
        "awaiting_count": awaiting["n"],
        "awaiting_total": awaiting["total"] or ledger.ZERO,
        "approved_count": approved["n"],
        "approved_total": approved["total"] or ledger.ZERO,
        "unmatched_lines": StatementLine.objects.filter(matched_entry__isnull=True).count(),
        "unmatched_entries": statements.unmatched_bank_entries().count(),
    }


class FundHomeView(RoleRequiredMixin, TemplateView):
    """The fund home page: the summary for the unit head, and the way in for the fund roles and auditors."""

    allowed_roles = SUMMARY_READERS
    template_name = "trustfund/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            summary=fund_summary(),
            can_read=can_read_fund(self.request.user),
            can_administer=can_administer(self.request.user),
        )
        return context


# --------------------------------------------------------------------------------------------------
# Receipts


class ReceiptListView(FilteredListView):
    allowed_roles = FUND_READERS
    filterset_class = ReceiptFilter
    columns = RECEIPT_COLUMNS
    title = "Receipts"
    export_name = "fund-receipts"
    template_name = "trustfund/list.html"

    def get_base_queryset(self) -> QuerySet[Any]:
        return (
            receipts_visible_to(self.request.user)
            .select_related("realisation__asset", "entry")
            .annotate(reversal_reference=F("entry__reversed_by__reference"))
            .order_by("-received_on", "-id")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if can_administer(self.request.user):
            context["create_url"] = reverse("trustfund:receipt_create")
            context["create_label"] = "Record a receipt"
        return context


class ReceiptDetailView(TabbedDetailView):
    allowed_roles = FUND_READERS
    template_name = "trustfund/receipt_detail.html"
    tabs = (Tab("overview", "Overview", "trustfund/tabs/receipt_overview.html"),)

    def get_queryset(self) -> QuerySet[Receipt]:
        return receipts_visible_to(self.request.user).select_related(
            "realisation__asset", "entry", "entry__reversed_by", "recorded_by"
        )

    def get_overview_context(self) -> dict[str, Any]:
        return {"lines": list(self.object.entry.lines.select_related("account"))}


class ReceiptCreateView(ServiceFormView):
    allowed_roles = FUND_ADMINS
    form_class = ReceiptForm
    title = "Record a receipt"

    def get_cancel_url(self) -> str:
        return reverse("trustfund:receipt_list")

    def get_success_message(self, result: Any) -> str:
        return f"Receipt {result.reference} recorded: KES {result.amount:,.2f} from {result.payer}."


# --------------------------------------------------------------------------------------------------
# Disbursements


class DisbursementListView(FilteredListView):
    allowed_roles = FUND_READERS
    filterset_class = DisbursementFilter
    columns = DISBURSEMENT_COLUMNS
    title = "Disbursements"
    export_name = "fund-disbursements"
    template_name = "trustfund/list.html"
    row_actions_template = "trustfund/rows/disbursement_actions.html"

    def get_base_queryset(self) -> QuerySet[Any]:
        return (
            disbursements_visible_to(self.request.user)
            .select_related("victim", "requested_by", "decided_by")
            .order_by("-requested_on", "-id")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["row_actions_template"] = self.row_actions_template
        context["row_actions"] = {row.pk: actions_for(user, row) for row in context["object_list"]}
        if can_administer(user):
            context["create_url"] = reverse("trustfund:disbursement_create")
            context["create_label"] = "Raise a disbursement"
        return context


class DisbursementDetailView(TabbedDetailView):
    allowed_roles = FUND_READERS
    template_name = "trustfund/disbursement_detail.html"
    tabs = (
        Tab("overview", "Overview", "trustfund/tabs/disbursement_overview.html"),
        Tab("moves", "Approvals and payment", "trustfund/tabs/disbursement_moves.html"),
    )

    def get_queryset(self) -> QuerySet[Disbursement]:
        return disbursements_visible_to(self.request.user).select_related(
            "victim", "requested_by", "decided_by", "payment_entry", "payment_entry__reversed_by"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["actions"] = actions_for(self.request.user, self.object)
        return context

    def get_moves_context(self) -> dict[str, Any]:
        return {"events": list(DisbursementEvent.objects.filter(disbursement=self.object).select_related("by"))}

    def get_history_records(self) -> Any:
        pk = self.object.pk
        records: list[Any] = list(Disbursement.history.filter(id=pk).select_related("history_user"))
        records.extend(DisbursementEvent.history.filter(disbursement_id=pk).select_related("history_user"))
        return records

    def get_tab_context(self, tab: Tab) -> dict[str, Any]:
        if tab.slug == "history":
            return {"history": history_entries(self.get_history_records())}
        return super().get_tab_context(tab)


class DisbursementCreateView(ServiceFormView):
    allowed_roles = FUND_ADMINS
    form_class = DisbursementForm
    title = "Raise a disbursement"

    def get_cancel_url(self) -> str:
        return reverse("trustfund:disbursement_list")

    def get_success_message(self, result: Any) -> str:
        return f"Disbursement {result.reference} raised; it now awaits approval."


class DisbursementActionView(RecordFormView):
    """A move on one disbursement: role first (403), then the record (404), then the rule (403)."""

    rule: ClassVar[Any] = None

    def get_record(self, **kwargs: Any) -> Disbursement:
        self.disbursement = get_object_or_404(disbursements_visible_to(self.request.user), pk=kwargs["pk"])
        return self.disbursement

    def permitted(self, record: Disbursement) -> bool:
        return bool(type(self).rule(self.request.user, record))

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "disbursement": self.disbursement}

    def get_title(self) -> str:
        d = self.disbursement
        return f"{self.title} — {d.reference}: KES {d.amount:,.2f} to {d.payee}"

    def get_cancel_url(self) -> str:
        return self.disbursement.get_absolute_url()


class ApproveView(DisbursementActionView):
    allowed_roles = FUND_APPROVERS
    rule = staticmethod(may_open_decision)
    form_class = ApproveForm
    title = "Approve"
    success_message = "Disbursement approved."


class RejectView(DisbursementActionView):
    allowed_roles = FUND_APPROVERS
    rule = staticmethod(may_open_decision)
    form_class = RejectForm
    title = "Reject"
    success_message = "Disbursement rejected."


class PayView(DisbursementActionView):
    allowed_roles = FUND_ADMINS
    rule = staticmethod(may_open_payment)
    form_class = PayForm
    title = "Pay"
    success_message = "Disbursement paid."


class CancelView(DisbursementActionView):
    allowed_roles = FUND_ADMINS
    rule = staticmethod(may_open_payment)
    form_class = CancelForm
    title = "Cancel"
    success_message = "Disbursement cancelled."


# --------------------------------------------------------------------------------------------------
# Journal and balances


class EntryListView(FilteredListView):
    allowed_roles = FUND_READERS
    filterset_class = EntryFilter
    columns = ENTRY_COLUMNS
    title = "Journal"
    export_name = "fund-journal"

    def get_base_queryset(self) -> QuerySet[Any]:
        return (
            entries_visible_to(self.request.user)
            .select_related("reverses", "posted_by")
            .annotate(total=Sum("lines__debit"), reversal_reference=F("reversed_by__reference"))
            .order_by("-entry_date", "-id")
        )


class EntryDetailView(TabbedDetailView):
    allowed_roles = FUND_READERS
    template_name = "trustfund/entry_detail.html"
    tabs = (Tab("lines", "Lines", "trustfund/tabs/entry_lines.html"),)

    def get_queryset(self) -> QuerySet[JournalEntry]:
        return entries_visible_to(self.request.user).select_related("reverses", "reversed_by", "posted_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        entry: JournalEntry = self.object
        reversed_by = JournalEntry.objects.filter(reverses=entry).first()
        context.update(
            reversed_by=reversed_by,
            can_reverse=can_administer(self.request.user) and reversed_by is None and entry.reverses_id is None,
        )
        return context

    def get_lines_context(self) -> dict[str, Any]:
        lines = list(self.object.lines.select_related("account"))
        return {
            "lines": lines,
            "total_debit": sum((line.debit for line in lines), ledger.ZERO),
            "total_credit": sum((line.credit for line in lines), ledger.ZERO),
        }

    def get_history_records(self) -> Any:
        pk = self.object.pk
        records: list[Any] = list(JournalEntry.history.filter(id=pk).select_related("history_user"))
        records.extend(JournalLine.history.filter(entry_id=pk).select_related("history_user"))
        return records

    def get_tab_context(self, tab: Tab) -> dict[str, Any]:
        if tab.slug == "history":
            return {"history": history_entries(self.get_history_records())}
        return super().get_tab_context(tab)


class EntryReverseView(RecordFormView):
    allowed_roles = FUND_ADMINS
    form_class = ReverseForm
    title = "Reverse the entry"
    success_message = "Reversing entry posted."

    def get_record(self, **kwargs: Any) -> JournalEntry:
        self.entry = get_object_or_404(entries_visible_to(self.request.user), pk=kwargs["pk"])
        return self.entry

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "entry": self.entry}

    def get_title(self) -> str:
        return f"Reverse {self.entry.reference} — {self.entry.description}"

    def get_cancel_url(self) -> str:
        return self.entry.get_absolute_url()


class AccountBalanceView(FilteredListView):
    """Account balances and the trial balance as at a date (end of day); the totals row must agree."""

    allowed_roles = FUND_READERS
    filterset_class = AccountBalanceFilter
    columns = ACCOUNT_COLUMNS
    title = "Account balances and trial balance"
    export_name = "fund-trial-balance"
    template_name = "trustfund/balances.html"
    paginate_by = 100

    def as_at(self) -> dt.date | None:
        return parse_date(self.request.GET.get("as_at", "") or "") if self.request.GET.get("as_at") else None

    def get_base_queryset(self) -> QuerySet[Any]:
        try:
            as_at = self.as_at()
        except ValueError:
            as_at = None
        return ledger.accounts_with_totals(as_at)

    def get_title(self) -> str:
        try:
            as_at = self.as_at()
        except ValueError:
            as_at = None
        return f"{self.title} as at {as_at:%d %b %Y}" if as_at else f"{self.title} (all postings)"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = list(context["object_list"])
        context["total_debit"] = sum((max(r.total_debit - r.total_credit, 0) for r in rows), ledger.ZERO)
        context["total_credit"] = sum((max(r.total_credit - r.total_debit, 0) for r in rows), ledger.ZERO)
        return context


# --------------------------------------------------------------------------------------------------
# Bank statements


class StatementListView(FilteredListView):
    allowed_roles = FUND_READERS
    filterset_class = StatementFilter
    columns = STATEMENT_COLUMNS
    title = "Bank statements"
    export_name = "fund-bank-statements"
    template_name = "trustfund/list.html"

    def get_base_queryset(self) -> QuerySet[Any]:
        base = statements_visible_to(self.request.user)
        return (
            base.select_related("imported_by")
            .annotate(matched_count=Count("lines", filter=Q(lines__matched_entry__isnull=False)))
            .order_by("-period_end", "-id")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if can_administer(self.request.user):
            context["create_url"] = reverse("trustfund:statement_import")
            context["create_label"] = "Import a statement"
        context["extra_links"] = [(reverse("trustfund:line_list") + "?matched=no", "Unmatched lines")]
        return context


class StatementLineListView(FilteredListView):
    """Statement lines — all of them, or one statement's (``pk``) — with match / undo for administrators."""

    allowed_roles = FUND_READERS
    filterset_class = StatementLineFilter
    columns = STATEMENT_LINE_COLUMNS
    title = "Bank statement lines"
    export_name = "fund-statement-lines"
    template_name = "trustfund/list.html"
    paginate_by = 50

    def get_statement(self) -> BankStatement | None:
        if "pk" not in self.kwargs:
            return None
        if not hasattr(self, "_statement"):
            self._statement = get_object_or_404(statements_visible_to(self.request.user), pk=self.kwargs["pk"])
        return self._statement

    def get_base_queryset(self) -> QuerySet[Any]:
        lines = statement_lines_visible_to(self.request.user)
        statement = self.get_statement()
        if statement is not None:
            lines = lines.filter(statement=statement)
        return lines.select_related("statement", "matched_entry").order_by("date", "statement_id", "line_number")

    def get_title(self) -> str:
        statement = self.get_statement()
        return str(statement) if statement else self.title

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if can_administer(self.request.user):
            context["row_actions_template"] = "trustfund/rows/line_actions.html"
        return context


class StatementImportView(RoleRequiredMixin, TemplateView):
    """Upload → preview (parsed lines, row errors, a duplicate refused) → import, all or nothing.

    The uploaded bytes wait in Django's storage under their SHA-256 between the preview and the import,
    so any app server can finish what another began.
    """

    allowed_roles = FUND_ADMINS
    template_name = "trustfund/statement_import.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return render(request, self.template_name, {"form": StatementUploadForm(), "title": "Import a bank statement"})

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if "token" in request.POST:
            return self.confirm(request)
        form = StatementUploadForm(request.POST, request.FILES)
        context: dict[str, Any] = {"form": form, "title": "Import a bank statement"}
        if not form.is_valid():
            return render(request, self.template_name, context)
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            parsed = statements.parse_statement(upload.name, content)
        except StatementFileError as error:
            form.add_error("file", error.message)
            return render(request, self.template_name, context)
        if parsed.ok:
            path = f"{PENDING_DIR}/{parsed.file_hash}"
            if not default_storage.exists(path):
                default_storage.save(path, ContentFile(content))
            context["confirm"] = StatementConfirmForm(initial={"token": parsed.file_hash, "name": upload.name})
        context["parsed"] = parsed
        return render(request, self.template_name, context)

    def confirm(self, request: HttpRequest) -> HttpResponseBase:
        form = StatementConfirmForm(request.POST)
        if not form.is_valid() or not all(c in "0123456789abcdef" for c in form.cleaned_data["token"]):
            raise Http404
        path = f"{PENDING_DIR}/{form.cleaned_data['token']}"
        if not default_storage.exists(path):
            messages.error(request, "That upload has expired; choose the file again.")
            return HttpResponseRedirect(reverse("trustfund:statement_import"))
        with default_storage.open(path, "rb") as handle:
            content = handle.read()
        if statements.file_hash(content) != form.cleaned_data["token"]:
            raise Http404
        try:
            statement = statements.import_statement(request.user, name=form.cleaned_data["name"], content=content)
        except StatementFileError as error:
            upload = StatementUploadForm()
            upload.add_error(None, error.message)
            return render(
                request,
                self.template_name,
                {"form": upload, "title": "Import a bank statement", "problems": error.problems},
            )
        default_storage.delete(path)
        matched = statement.lines.filter(matched_entry__isnull=False).count()
        messages.success(
            request,
            f"Statement imported: {statement.line_count} lines, {matched} matched automatically, "
            f"{statement.line_count - matched} to match by hand.",
        )
        return HttpResponseRedirect(statement.get_absolute_url())


class LineFormView(RecordFormView):
    allowed_roles = FUND_ADMINS

    def get_record(self, **kwargs: Any) -> StatementLine:
        self.line = get_object_or_404(
            StatementLine.objects.select_related("statement", "matched_entry"), pk=kwargs["pk"]
        )
        return self.line

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "line": self.line}

    def get_title(self) -> str:
        line = self.line
        return f"{self.title} — {line.date:%d %b %Y} {line.reference or line.description} KES {line.amount:,.2f}"

    def get_cancel_url(self) -> str:
        return self.line.get_absolute_url()

    def get_success_url_for(self, result: Any) -> str:
        return self.line.get_absolute_url()


class LineMatchView(LineFormView):
    form_class = MatchForm
    title = "Match to a ledger entry"
    success_message = "Line matched."


class LineUnmatchView(LineFormView):
    form_class = UnmatchForm
    title = "Undo the match"
    success_message = "Match undone."


# --------------------------------------------------------------------------------------------------
# Reports


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


class ReconcileView(RoleRequiredMixin, TemplateView):
    """The working reconciliation: bank ↔ ledger at a date (``?as_at=``, default today) with a Match link on
    each unmatched line for administrators, and the asset register ↔ fund summary; Excel download of
    the bank side. The yearly report is ``trustfund:reconciliation``."""

    allowed_roles = FUND_READERS
    template_name = "trustfund/reconciliation.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        today = timezone.localdate()
        as_at: dt.date | None = None
        if request.GET.get("as_at"):
            try:
                as_at = parse_date(request.GET["as_at"])
            except ValueError:
                as_at = None
        elif request.GET.get("year"):
            _, end = reports.year_bounds(_year(request))
            as_at = min(end, today)
        as_at = as_at or today
        result = reports.bank_reconciliation(as_at)
        if request.GET.get("export") == "xlsx":
            title = f"Bank reconciliation as at {as_at:%d %b %Y}"
            return xlsx_response(
                "fund-reconciliation",
                RECONCILIATION_COLUMNS,
                result.rows(),
                _about(request, title, [("As at", f"{as_at:%d %b %Y}")]),
            )
        context = {
            "rec": result,
            "as_at": as_at,
            "proceeds": reports.proceeds_totals(),
            "can_administer": can_administer(request.user),
            "title": "Reconciliation",
            "years": reports.year_choices(),
        }
        return render(request, self.template_name, context)


class ProceedsListView(FilteredListView):
    """Asset register ↔ fund: every realisation destined for the fund, expected against received."""

    allowed_roles = FUND_READERS
    filterset_class = ProceedsFilter
    columns = PROCEEDS_COLUMNS
    title = "Forfeited proceeds due to the fund"
    export_name = "fund-proceeds"

    def get_base_queryset(self) -> QuerySet[Any]:
        require_role(self.request.user, FUND_READERS)
        return reports.proceeds_due()
