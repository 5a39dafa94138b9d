"""The fund home page."""

from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from core.access import PageAccess, RoleRequiredMixin
from trustfund.access import SUMMARY_READERS, can_administer, can_read_fund
from trustfund.queries import fund_summary


class FundHomeView(RoleRequiredMixin, TemplateView):
    """The fund home page: the summary for the unit head, and the way in for the fund roles and auditors."""

    allowed_roles = SUMMARY_READERS
    page_access = PageAccess(opens=SUMMARY_READERS)
    template_name = "trustfund/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            summary=fund_summary(),
            can_read=can_read_fund(self.request.user),
            can_administer=can_administer(self.request.user),
        )
        return context
