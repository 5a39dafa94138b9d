"""Receipts: the list, one receipt, recording a receipt."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.access import PageAccess
from core.views.generic import FilteredListView, ServiceFormView, Tab, TabbedDetailView
from trustfund.access import FUND_ADMINS, FUND_READERS, can_administer
from trustfund.filters import ReceiptFilter
from trustfund.forms import ReceiptForm
from trustfund.models import Receipt
from trustfund.tables import RECEIPT_COLUMNS


class ReceiptListView(FilteredListView):
    allowed_roles = FUND_READERS
    page_access = PageAccess(opens=FUND_READERS)
    filterset_class = ReceiptFilter
    columns = RECEIPT_COLUMNS
    title = _("Receipts")
    export_name = "fund-receipts"
    template_name = "trustfund/list.html"

    def get_base_queryset(self) -> QuerySet[Receipt]:
        return (
            Receipt.objects.visible_to(self.request.user)
            .select_related("realisation__asset__case", "entry")
            .annotate(reversal_reference=F("entry__reversed_by__reference"))
            .order_by("-received_on", "-id")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if can_administer(self.request.user):
            context["create_url"] = reverse("trustfund:receipt_create")
            context["create_label"] = _("Record a receipt")
        return context


class ReceiptDetailView(TabbedDetailView):
    allowed_roles = FUND_READERS
    page_access = PageAccess(opens=FUND_READERS)
    template_name = "trustfund/receipt_detail.html"
    tabs = (Tab("overview", _("Overview"), "trustfund/tabs/receipt_overview.html"),)

    def get_queryset(self) -> QuerySet[Receipt]:
        return Receipt.objects.visible_to(self.request.user).select_related(
            "realisation__asset__case", "entry", "entry__reversed_by", "recorded_by"
        )

    def get_overview_context(self) -> dict[str, Any]:
        return {"lines": list(self.object.entry.lines.select_related("account"))}


class ReceiptCreateView(ServiceFormView):
    allowed_roles = FUND_ADMINS
    page_access = PageAccess(opens=FUND_ADMINS)
    form_class = ReceiptForm
    title = _("Record a receipt")

    def get_cancel_url(self) -> str:
        return reverse("trustfund:receipt_list")

    def get_success_message(self, result: Any) -> str:
        return _("Receipt %(reference)s recorded: KES %(amount)s from %(payer)s.") % {
            "reference": result.reference,
            "amount": format(result.amount, ",.2f"),
            "payer": result.payer,
        }
