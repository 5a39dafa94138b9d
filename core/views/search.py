"""The search page: one box, results grouped by kind, each group only what the user may open."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from core.access import SIGNED_IN, PageAccess
from core.search import GROUP_LIMIT, SearchForm, search, search_sources_for


class SearchView(LoginRequiredMixin, View):
    """``?q=`` searches every kind of record the user may see (see ``core.search``).

    Without ``q`` the page asks what to look for; a ``q`` it cannot search (too short, too long, a
    character no database stores) gets a message and a 400, and runs no search.
    """

    page_access = PageAccess(opens=frozenset({SIGNED_IN}))
    template_name = "core/search.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        asked = "q" in request.GET and request.GET["q"].strip() != ""
        form = SearchForm(request.GET if asked else None)
        context: dict[str, Any] = {
            "form": form,
            "title": _("Search"),
            "searchable": [str(source.title) for source in search_sources_for(request.user)],
            "group_limit": GROUP_LIMIT,
        }
        if not asked:
            return render(request, self.template_name, context)
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        text = form.cleaned_data["q"]
        groups = search(request.user, text)
        context.update({"query": text, "groups": groups, "title": _("Search: %(text)s") % {"text": text}})
        return render(request, self.template_name, context)
