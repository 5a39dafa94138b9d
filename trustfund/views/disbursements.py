"""Disbursements: the list, one disbursement, raising a request, and the moves on it (approve, reject,
pay, cancel)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import PageAccess
from core.history import history_entries
from core.versioning import Versioned
from core.views.generic import FilteredListView, RecordFormView, ServiceFormView, Tab, TabbedDetailView
from documents.choices import SUPPORTING_TYPES
from documents.queries import supporting_documents
from trustfund import ledger
from trustfund.access import (
    FUND_ADMINS,
    FUND_APPROVERS,
    FUND_READERS,
    actions_for,
    can_administer,
    may_open_decision,
    may_open_payment,
)
from trustfund.filters import DisbursementFilter
from trustfund.forms import ApproveForm, CancelForm, DisbursementForm, PayForm, RejectForm
from trustfund.models import Disbursement, DisbursementEvent
from trustfund.tables import DISBURSEMENT_COLUMNS


class DisbursementListView(FilteredListView):
    allowed_roles = FUND_READERS
    page_access = PageAccess(opens=FUND_READERS)
    filterset_class = DisbursementFilter
    columns = DISBURSEMENT_COLUMNS
    title = gettext_lazy("Disbursements")
    export_name = "fund-disbursements"
    template_name = "trustfund/list.html"
    row_actions_template = "trustfund/rows/disbursement_actions.html"

    def get_base_queryset(self) -> QuerySet[Disbursement]:
        return (
            Disbursement.objects.visible_to(self.request.user)
            .select_related("victim__case", "requested_by", "decided_by")
            .order_by("-requested_on", "-id")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["row_actions_template"] = self.row_actions_template
        context["row_actions"] = {row.pk: actions_for(user, row) for row in context["object_list"]}
        if can_administer(user):
            context["create_url"] = reverse("trustfund:disbursement_create")
            context["create_label"] = _("Raise a disbursement")
        return context


class DisbursementDetailView(TabbedDetailView):
    allowed_roles = FUND_READERS
    page_access = PageAccess(opens=FUND_READERS)
    template_name = "trustfund/disbursement_detail.html"
    tabs = (
        Tab("overview", gettext_lazy("Overview"), "trustfund/tabs/disbursement_overview.html"),
        Tab("moves", gettext_lazy("Approvals and payment"), "trustfund/tabs/disbursement_moves.html"),
    )

    def get_queryset(self) -> QuerySet[Disbursement]:
        return Disbursement.objects.visible_to(self.request.user).select_related(
            "victim__case", "requested_by", "decided_by", "payment_entry", "payment_entry__reversed_by"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["actions"] = actions_for(self.request.user, self.object)
        return context

    def get_moves_context(self) -> dict[str, Any]:
        return {"events": list(self.object.events.select_related("by"))}

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
    page_access = PageAccess(opens=FUND_ADMINS)
    form_class = DisbursementForm
    title = gettext_lazy("Raise a disbursement")

    def get_cancel_url(self) -> str:
        return reverse("trustfund:disbursement_list")

    def get_success_message(self, result: Any) -> str:
        return _("Disbursement %(reference)s raised; it now awaits approval.") % {"reference": result.reference}


class DisbursementActionView(RecordFormView):
    """A move on one disbursement: role first (403), then the record (404), then ``permitted`` (403). The
    form carries the disbursement's version: approved, rejected, cancelled or paid by someone else since it
    was opened, it is refused with what changed."""

    record: Disbursement

    def get_record_queryset(self) -> QuerySet[Disbursement]:
        return Disbursement.objects.visible_to(self.request.user)

    def get_version_parts(self) -> list[Versioned]:
        return [Versioned.of(self.record, noun=_("disbursement %(reference)s") % {"reference": self.record.reference})]

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "disbursement": self.record}

    def get_title(self) -> str:
        d = self.record
        return _("%(title)s — %(reference)s: KES %(amount)s to %(payee)s") % {
            "title": self.title,
            "reference": d.reference,
            "amount": f"{d.amount:,.2f}",
            "payee": d.payee,
        }

    def get_cancel_url(self) -> str:
        return self.record.get_absolute_url()


class DecisionView(DisbursementActionView):
    """Approve or reject: the page opens for any approver; the service refuses the officer who raised the
    request, and anything not awaiting a decision, saying why."""

    allowed_roles = FUND_APPROVERS
    page_access = PageAccess(opens=FUND_APPROVERS)

    def permitted(self, record: Disbursement) -> bool:
        return may_open_decision(self.request.user, record)


class PaymentView(DisbursementActionView):
    """Pay or cancel: the page opens for administrators; the service says why a state does not allow it."""

    allowed_roles = FUND_ADMINS
    page_access = PageAccess(opens=FUND_ADMINS)

    def permitted(self, record: Disbursement) -> bool:
        return may_open_payment(self.request.user, record)


class ApproveView(DecisionView):
    """The approval shows the request's documents beside the form: approving needs a supporting one (an
    invoice, a quotation or the Board's resolution) or a reason for approving without."""

    form_class = ApproveForm
    title = gettext_lazy("Approve")
    success_message = gettext_lazy("Disbursement approved.")
    template_name = "trustfund/disbursement_approve.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            disbursement=self.record,
            supported=supporting_documents(self.record, SUPPORTING_TYPES).exists(),
        )
        return context


class RejectView(DecisionView):
    form_class = RejectForm
    title = gettext_lazy("Reject")
    success_message = gettext_lazy("Disbursement rejected.")


class PayView(PaymentView):
    form_class = PayForm
    title = gettext_lazy("Pay")
    success_message = gettext_lazy("Disbursement paid.")

    def lock_record(self) -> None:
        # As the payment service does: the bank account first, then the disbursement.
        ledger.lock_bank()
        super().lock_record()


class CancelView(PaymentView):
    form_class = CancelForm
    title = gettext_lazy("Cancel")
    success_message = gettext_lazy("Disbursement cancelled.")
