"""The fund home page."""

from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from core.access import PageAccess, RoleRequiredMixin
from trustfund.access import SUMMARY_READERS, can_administer, can_read_fund
from trustfund.queries import fund_queues, fund_summary


class FundHomeView(RoleRequiredMixin, TemplateView):
    """The fund home page: the summary for the unit head (totals only); for the fund roles and auditors,
    also what waits for whom — each figure a link to the list that shows those records."""

    allowed_roles = SUMMARY_READERS
    page_access = PageAccess(opens=SUMMARY_READERS)
    template_name = "trustfund/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        can_read = can_read_fund(self.request.user)
        context.update(
            summary=fund_summary(),
            can_read=can_read,
            can_administer=can_administer(self.request.user),
            queues=fund_queues(self.request) if can_read else [],
        )
        return context
