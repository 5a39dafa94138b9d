"""The network pages: the graph around a person or a case (drawn, and as tables), and the persons of
interest ranked by the stored measures. Every record comes through the user's scope rules
(``network.access``); a page runs a fixed number of queries for a given number of steps."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.generic import View

from core.access import PageAccess, RoleRequiredMixin
from core.labels import Label
from network.access import NETWORK_READERS, measures_visible_to
from network.charts import force_spec
from network.graph import DEFAULT_STEPS, MAX_NODES, MAX_STEPS, TooManySteps, neighbourhood, parse_steps
from network.measures import DEFINITIONS
from network.models import NetworkRun, PersonMeasure
from prosecutions.models import Case, Person

PAGE_SIZE = 50
# The readers of the index of persons open the network pages, on any person or case they may see.
NETWORK_PAGE = PageAccess(opens=NETWORK_READERS)


class _NetworkView(RoleRequiredMixin, View):
    allowed_roles = NETWORK_READERS
    page_access = NETWORK_PAGE
    kind = ""
    kind_label: Label = ""

    def get_record(self, pk: int) -> Person | Case:
        raise NotImplementedError

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self.get_record(pk)
        context: dict[str, Any] = {
            "record": record,
            "kind": self.kind_label,
            "title": _("Network around %(record)s") % {"record": record},
            "max_steps": MAX_STEPS,
            "max_nodes": MAX_NODES,
            "step_choices": range(1, MAX_STEPS + 1),
        }
        try:
            steps = parse_steps(request.GET.get("steps"))
        except TooManySteps as error:
            context.update(steps=DEFAULT_STEPS, error=str(error))
            return render(request, "network/network.html", context, status=400)
        result = neighbourhood(request.user, record, steps)
        context.update(
            steps=steps,
            result=result,
            spec=force_spec(result),
            persons=result.of_kind("person"),
            cases=result.of_kind("case"),
            identifiers=result.of_kind("identifier"),
            victims=result.of_kind("victim"),
            links=[(result.nodes[a], label, result.nodes[b]) for (a, b), label in result.edges.items()],
        )
        return render(request, "network/network.html", context)


class PersonNetworkView(_NetworkView):
    kind = "person"
    kind_label = pgettext_lazy("back to the", "person")

    def get_record(self, pk: int) -> Person:
        return get_object_or_404(Person.objects.visible_to(self.request.user), pk=pk)


class CaseNetworkView(_NetworkView):
    kind = "case"
    kind_label = pgettext_lazy("back to the", "case")

    def get_record(self, pk: int) -> Case:
        return get_object_or_404(Case.objects.visible_to(self.request.user).select_related("county"), pk=pk)


def persons_of_interest(user: Any, run: NetworkRun | None, uncharged_only: bool) -> QuerySet[PersonMeasure]:
    rows = measures_visible_to(user, run).select_related("person")
    if uncharged_only:
        rows = rows.filter(charged=False, cases_connected__gte=2)
    return rows.order_by("-betweenness", "-cases_connected", "-degree", "person_id")


class PersonsOfInterestView(RoleRequiredMixin, View):
    """Persons ranked by their place in the whole network (the stored run), with their charged status."""

    allowed_roles = NETWORK_READERS
    page_access = NETWORK_PAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        run = NetworkRun.objects.order_by("-computed_at", "-id").first()
        uncharged_only = request.GET.get("uncharged") == "1"
        paginator = Paginator(persons_of_interest(request.user, run, uncharged_only), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        context = {
            "title": _("Persons of interest"),
            "run": run,
            "page_obj": page,
            "paginator": paginator,
            "is_paginated": paginator.num_pages > 1,
            "rows": list(page.object_list),
            "uncharged_only": uncharged_only,
            "definitions": DEFINITIONS,
        }
        return render(request, "network/persons_of_interest.html", context)
