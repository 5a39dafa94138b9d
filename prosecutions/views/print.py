"""The printable case file: one page holding the whole case, laid out for A4 paper (``static/css/print.css``).

Whoever may read the case may print it. Other apps add their sections through
``prosecutions.registry.register_case_file_section`` (assets and court orders for those who read assets,
witnesses by code), so this module imports none of them. A fixed number of queries, whatever the size of
the case.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.views.generic import DetailView
from django_stubs_ext import StrOrPromise

from core.access import PageAccess, RoleRequiredMixin
from core.querysets import require_scoped
from prosecutions.access import CASE_READERS
from prosecutions.models import Case, Charge
from prosecutions.registry import annotate_hearings, case_file_sections_for


@dataclass(frozen=True)
class PrintedSection:
    """A registered section of the case file, rendered for the user printing it."""

    key: str
    title: StrOrPromise
    html: SafeString


class CaseFilePrintView(RoleRequiredMixin, DetailView):
    """The case file as one printable page: overview, team, accused and their counts (pleas, outcomes,
    sentences), victims by code, hearings, the sections other apps add, and the stage timeline."""

    allowed_roles = CASE_READERS
    page_access = PageAccess(opens=CASE_READERS)
    template_name = "prosecutions/print/case_file.html"
    context_object_name = "case"

    def get_queryset(self) -> QuerySet[Case]:
        return Case.objects.visible_to(self.request.user).select_related("court", "county", "lead_prosecutor")

    def get_object(self, queryset: QuerySet[Any] | None = None) -> Any:
        """The case from the user's own scope: 404 when it is out of their sight."""
        queryset = self.get_queryset() if queryset is None else queryset
        require_scoped(queryset, self.request.user)
        return super().get_object(queryset)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        case: Case = self.object
        context.update(
            title=gettext("Case file %(reference)s") % {"reference": case.reference},
            printed_at=timezone.localtime(),
            team=list(case.team.order_by("last_name", "first_name")),
            accused_list=self.accused_with_counts(case),
            victims=list(case.victims.order_by("code")),
            hearings=annotate_hearings(case.hearings.select_related("court").order_by("date", "time", "id")),
            stage_changes=list(case.stage_changes.select_related("changed_by").order_by("effective_on", "id")),
            sections=self.registered_sections(case),
        )
        return context

    @staticmethod
    def accused_with_counts(case: Case) -> list[Any]:
        """Each accused with their counts, and each count's offence and sentence: two queries."""
        charges = Charge.objects.select_related("offence", "sentence", "sentence__compensation_victim").order_by(
            "count_number"
        )
        return list(case.accused.order_by("id").prefetch_related(Prefetch("charges", queryset=charges)))

    def registered_sections(self, case: Case) -> list[PrintedSection]:
        """The sections other apps add that this user may read, each rendered with its own template."""
        user = self.request.user
        return [
            PrintedSection(
                section.key,
                section.title,
                render_to_string(section.template, {"case": case, **section.get_context(case, user)}, self.request),
            )
            for section in case_file_sections_for(user)
        ]
