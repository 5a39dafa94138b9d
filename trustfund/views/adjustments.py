"""Adjusting entries under four eyes: the list, one proposal, proposing one (from scratch, or prefilled
from a bank statement line), and the moves on it (post, reject, withdraw)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import PageAccess
from core.history import history_entries
from core.versioning import Versioned
from core.views.generic import FilteredListView, RecordFormView, ServiceFormView, Tab, TabbedDetailView
from documents.queries import supporting_documents
from trustfund import ledger
from trustfund.access import (
    FUND_ADMINS,
    FUND_APPROVERS,
    FUND_READERS,
    can_propose,
    may_open_proposal_decision,
    may_open_proposal_withdrawal,
    proposal_actions_for,
)
from trustfund.documents import PROPOSAL_DOCUMENT_TYPES
from trustfund.exceptions import FundError
from trustfund.filters import ProposalFilter
from trustfund.forms import ProposalForm, ProposalPostForm, ProposalRejectForm, ProposalWithdrawForm
from trustfund.models import AdjustmentProposal, StatementLine
from trustfund.queries import history_with_lines, lines_with_totals
from trustfund.services.adjustments import line_proposal_initial
from trustfund.tables import PROPOSAL_COLUMNS


class ProposalListView(FilteredListView):
    allowed_roles = FUND_READERS
    page_access = PageAccess(opens=FUND_READERS)
    filterset_class = ProposalFilter
    columns = PROPOSAL_COLUMNS
    title = gettext_lazy("Adjusting entries")
    export_name = "fund-adjustments"
    template_name = "trustfund/list.html"

    def get_base_queryset(self) -> QuerySet[AdjustmentProposal]:
        return (
            AdjustmentProposal.objects.visible_to(self.request.user)
            .select_related("proposed_by", "decided_by", "entry", "statement_line")
            .annotate(total=Sum("lines__debit"))
            .order_by("-entry_date", "-id")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["row_actions_template"] = "trustfund/rows/proposal_actions.html"
        context["row_actions"] = {row.pk: proposal_actions_for(user, row) for row in context["object_list"]}
        if can_propose(user):
            context["create_url"] = reverse("trustfund:proposal_create")
            context["create_label"] = _("Propose an adjustment")
        return context


class ProposalDetailView(TabbedDetailView):
    allowed_roles = FUND_READERS
    page_access = PageAccess(opens=FUND_READERS)
    template_name = "trustfund/proposal_detail.html"
    tabs = (Tab("overview", gettext_lazy("Overview"), "trustfund/tabs/proposal_overview.html"),)

    def get_queryset(self) -> QuerySet[AdjustmentProposal]:
        return AdjustmentProposal.objects.visible_to(self.request.user).select_related(
            "proposed_by", "decided_by", "entry", "statement_line__statement", "statement_line__matched_entry"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["actions"] = proposal_actions_for(self.request.user, self.object)
        return context

    def get_overview_context(self) -> dict[str, Any]:
        return lines_with_totals(self.object.lines.all())

    def get_history_records(self) -> Any:
        return history_with_lines(self.object, "proposal_id")

    def get_tab_context(self, tab: Tab) -> dict[str, Any]:
        if tab.slug == "history":
            return {"history": history_entries(self.get_history_records())}
        return super().get_tab_context(tab)


class ProposalCreateView(ServiceFormView):
    """Propose an adjusting entry. ``?line=<pk>&kind=<kind>`` prefills it from an unmatched statement line
    (its date, amount, words and reference), which the page shows above the form."""

    allowed_roles = FUND_ADMINS
    page_access = PageAccess(opens=FUND_ADMINS)
    form_class = ProposalForm
    template_name = "trustfund/proposal_form.html"
    title = gettext_lazy("Propose an adjusting entry")
    prefill_error = ""

    def visible_lines(self) -> QuerySet[StatementLine]:
        return StatementLine.objects.visible_to(self.request.user).select_related("statement", "matched_entry")

    def get_statement_line(self) -> StatementLine | None:
        """The line named by ``?line=`` (GET) or the form's hidden field (POST), from those the user may see."""
        if not hasattr(self, "_line"):
            wanted = self.request.POST.get("statement_line") if self.request.method == "POST" else None
            wanted = wanted or self.request.GET.get("line")
            if not wanted:
                self._line = None
            elif not str(wanted).isdigit():
                raise Http404
            else:
                self._line = get_object_or_404(self.visible_lines(), pk=wanted)
        return self._line

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        line = self.get_statement_line()
        self.initial_lines: list[dict[str, Any]] | None = None
        if line is None or self.request.method != "GET":
            return initial
        kind = self.request.GET.get("kind", "")
        try:
            prefill = line_proposal_initial(line, kind)
        except FundError as error:
            self.prefill_error = error.message
            return {**initial, "statement_line": line}
        self.initial_lines = prefill.pop("lines")
        return {**initial, **prefill}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(statement_lines=self.visible_lines(), initial_lines=getattr(self, "initial_lines", None))
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        total_debit, total_credit = form.totals()
        context.update(
            statement_line=self.get_statement_line(),
            prefill_error=self.prefill_error,
            total_debit=total_debit,
            total_credit=total_credit,
        )
        return context

    def get_cancel_url(self) -> str:
        line = self.get_statement_line()
        return line.get_absolute_url() if line else reverse("trustfund:proposal_list")

    def get_success_message(self, result: Any) -> str:
        return _("Adjustment %(reference)s proposed; it now awaits an approver.") % {"reference": result.reference}


class ProposalActionView(RecordFormView):
    """A move on one proposal: role first (403), then the record (404), then ``permitted`` (403). The form
    carries the proposal's version: posted, rejected or withdrawn by someone else since it was opened, it is
    refused with what changed."""

    record: AdjustmentProposal

    def get_record_queryset(self) -> QuerySet[AdjustmentProposal]:
        return AdjustmentProposal.objects.visible_to(self.request.user)

    def get_version_parts(self) -> list[Versioned]:
        return [Versioned.of(self.record, noun=_("adjustment %(reference)s") % {"reference": self.record.reference})]

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "proposal": self.record}

    def get_title(self) -> str:
        return _("%(title)s — %(reference)s: %(description)s") % {
            "title": self.title,
            "reference": self.record.reference,
            "description": self.record.description,
        }

    def get_cancel_url(self) -> str:
        return self.record.get_absolute_url()


class ProposalDecisionView(ProposalActionView):
    """Post or reject: the page opens for any approver; the service refuses the proposer, and anything
    already decided, saying why."""

    allowed_roles = FUND_APPROVERS
    page_access = PageAccess(opens=FUND_APPROVERS)

    def permitted(self, record: AdjustmentProposal) -> bool:
        return may_open_proposal_decision(self.request.user, record)


class ProposalPostView(ProposalDecisionView):
    """Posting shows the proposal's lines and documents beside the form: a proposal that explains no
    statement line needs a supporting document or a reason for posting without."""

    form_class = ProposalPostForm
    title = gettext_lazy("Post")
    success_message = gettext_lazy("Adjustment posted to the ledger.")
    template_name = "trustfund/proposal_post.html"

    def lock_record(self) -> None:
        # As the posting service does: the bank account first, then the proposal.
        ledger.lock_bank()
        super().lock_record()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        lines = list(self.record.lines.select_related("account"))
        context.update(
            proposal=self.record,
            lines=lines,
            total_debit=sum((line.debit for line in lines), ledger.ZERO),
            total_credit=sum((line.credit for line in lines), ledger.ZERO),
            supported=bool(self.record.statement_line_id)
            or supporting_documents(self.record, PROPOSAL_DOCUMENT_TYPES).exists(),
        )
        return context


class ProposalRejectView(ProposalDecisionView):
    form_class = ProposalRejectForm
    title = gettext_lazy("Reject")
    success_message = gettext_lazy("Adjustment rejected.")


class ProposalWithdrawView(ProposalActionView):
    """Withdraw: the page opens for administrators; the service refuses anyone but the proposer."""

    allowed_roles = FUND_ADMINS
    page_access = PageAccess(opens=FUND_ADMINS)
    form_class = ProposalWithdrawForm
    title = gettext_lazy("Withdraw")
    success_message = gettext_lazy("Adjustment withdrawn.")

    def permitted(self, record: AdjustmentProposal) -> bool:
        return may_open_proposal_withdrawal(self.request.user, record)
