"""The home page: the panels registered for the user's roles."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from core.access import SIGNED_IN, PageAccess
from core.registry import panels_for


class HomeView(LoginRequiredMixin, TemplateView):
    """Every signed-in user has a home page, if only to see that they hold no role yet."""

    page_access = PageAccess(opens=frozenset({SIGNED_IN}))
    template_name = "core/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["panels"] = [(panel, panel.get_context(user)) for panel in panels_for(user)]
        context["panels_have_charts"] = any(panel.has_chart for panel, _ in context["panels"])
        return context
