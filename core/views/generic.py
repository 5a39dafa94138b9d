"""Generic views every app reuses: a filtered list with Excel export, a tabbed detail page,
and a form page whose form calls a service.

A domain list is four declarations: the user-restricted queryset, a FilterSet, the columns, a title.

Every record a generic view shows or changes comes from ``Model.objects.visible_to(user)``: the views
refuse a queryset that was not narrowed that way (``core.querysets.require_scoped``), so a page cannot
fetch a record by bare primary key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import django_filters
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView

from core import versioning
from core.access import RoleRequiredMixin, require_role
from core.exceptions import DomainError, StaleRecord
from core.export_jobs import offer_background_export
from core.exporter import CHUNK_SIZE as EXPORT_CHUNK_SIZE
from core.exporter import AboutExport, xlsx_response
from core.filters import present_filter_form, render_filter_form
from core.history import history_entries
from core.labels import Label
from core.querysets import require_scoped
from core.tables import Column, values_plan
from core.tally import TalliedPaginator
from core.versioning import VERSION_FIELD, Versioned

EXPORT_PARAM = "export"


def describe_filters(filterset: django_filters.FilterSet) -> list[tuple[str, str]]:
    """The filters in force, as (label, value) pairs a person can read."""
    form = filterset.form
    if not form.is_bound or not form.is_valid():
        return []
    described: list[tuple[str, str]] = []
    for name, value in form.cleaned_data.items():
        if value in (None, "", [], ()) or (hasattr(value, "exists") and not value.exists()):
            continue
        field = form.fields[name]
        label = str(field.label or name.replace("_", " ").capitalize())
        if isinstance(value, bool):
            text = gettext("Yes") if value else gettext("No")
        elif isinstance(value, slice):
            text = " – ".join(str(v) for v in (value.start, value.stop) if v is not None)
        elif isinstance(value, (list, tuple, QuerySet)):
            text = ", ".join(_choice_label(field, item) for item in value)
        else:
            text = _choice_label(field, value)
        described.append((label, text))
    return described


def _choice_label(field: forms.Field, value: Any) -> str:
    choices = getattr(field, "choices", None)
    # No truth test on ``choices``: django-filter's iterator over callable choices cannot tell its length.
    if choices is not None and not isinstance(value, Model):
        for key, label in choices:
            if str(key) == str(value):
                return str(label)
    return str(value)


class FilteredListView(RoleRequiredMixin, ListView):
    """A paginated, filtered list whose "Download Excel" exports exactly the filtered rows."""

    filterset_class: ClassVar[type[django_filters.FilterSet]]
    columns: ClassVar[Sequence[Column]]
    title: ClassVar[Label] = ""
    export_name: ClassVar[str] = "export"
    paginate_by = 25
    paginator_class = TalliedPaginator  # a whole large table counted from its tally (core.tally)
    template_name = "core/list.html"
    #: True when every choice of the filter form is static or a ``core.filters.ReferenceChoices``: the
    #: rendered form is then remembered per process (``core.filters.render_filter_form``).
    filter_form_cacheable: ClassVar[bool] = False

    def get_base_queryset(self) -> QuerySet[Any]:
        """Every row the user may see (``Model.objects.visible_to(user)``), with what the columns need
        selected/prefetched."""
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        base = self.get_base_queryset()
        require_scoped(base, self.request.user)
        self.filterset = self.filterset_class(self.request.GET or None, queryset=base, request=self.request)
        if self.filterset.is_bound and not self.filterset.is_valid():
            queryset: QuerySet[Any] = self.filterset.queryset.none()
            return queryset
        filtered: QuerySet[Any] = self.filterset.qs
        return filtered

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        if request.GET.get(EXPORT_PARAM) == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self) -> HttpResponseBase:
        queryset = self.get_queryset()
        # A list too large to build during the request is prepared by a worker (core/export_jobs.py).
        if (offered := offer_background_export(self.request, self.get_title(), queryset)) is not None:
            return offered
        about = AboutExport(
            title=self.get_title(),
            exported_by=f"{self.request.user} ({self.request.user.get_username()})",
            filters=describe_filters(self.filterset),
        )
        plan = values_plan(self.columns)
        if plan is not None:
            # Every column names its source: tuples from values_list(), each cell by its column's converter.
            rows = plan.rows(queryset, EXPORT_CHUNK_SIZE)
            return xlsx_response(self.export_name, self.columns, rows, about, cells=True)
        # iterator() streams the rows (and, given a chunk size, prefetches per chunk), so memory stays flat.
        return xlsx_response(self.export_name, self.columns, queryset.iterator(chunk_size=EXPORT_CHUNK_SIZE), about)

    def get_title(self) -> str:
        return str(self.title)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query[EXPORT_PARAM] = "xlsx"
        present_filter_form(self.filterset.form)  # Any / Yes / No, checkbox lists: the same on every list
        if self.filter_form_cacheable:
            context["filter_form_html"] = render_filter_form(self.filterset.form, as_crispy_form, type(self.filterset))
        context.update(
            title=self.get_title(),
            filter=self.filterset,
            filters_described=describe_filters(self.filterset),
            columns=self.columns,
            export_query=query.urlencode(),
            filters_in_use=any(
                value.strip()
                for key, values in self.request.GET.lists()
                if key not in ("page", EXPORT_PARAM)
                for value in values
            ),
            result_count=context["paginator"].count if context.get("paginator") else len(context["object_list"]),
        )
        return context


@dataclass(frozen=True)
class Tab:
    """One tab of a detail page. Only the active tab is rendered, so each tab costs its own queries."""

    slug: str
    label: Label
    template: str


class TabbedDetailView(RoleRequiredMixin, DetailView):
    """A detail page with tabs (``?tab=slug``); the History tab is built in."""

    tabs: ClassVar[Sequence[Tab]] = ()
    template_name = "core/detail.html"
    history_tab = Tab("history", _("History"), "core/tabs/history.html")

    def get_queryset(self) -> QuerySet[Any]:
        """The records the user may open; a page adds what it shows with ``select_related``."""
        manager: Any = self.model._default_manager
        queryset: QuerySet[Any] = manager.visible_to(self.request.user)
        return queryset

    def get_object(self, queryset: QuerySet[Any] | None = None) -> Any:
        """The record from the user's own scope: 404 when it is out of their sight."""
        queryset = self.get_queryset() if queryset is None else queryset
        require_scoped(queryset, self.request.user)
        return super().get_object(queryset)

    def get_tabs(self) -> list[Tab]:
        return [*self.tabs, self.history_tab]

    def get_active_tab(self) -> Tab:
        tabs = self.get_tabs()
        wanted = self.request.GET.get("tab")
        return next((tab for tab in tabs if tab.slug == wanted), tabs[0])

    def get_tab_context(self, tab: Tab) -> dict[str, Any]:
        """Context for the active tab: ``get_<slug>_context`` on the view, when defined."""
        if tab.slug == "history":
            return {"history": history_entries(self.get_history_records())}
        method = getattr(self, f"get_{tab.slug}_context", None)
        return method() if method else {}

    def get_history_records(self) -> QuerySet[Any]:
        """The history rows shown on the History tab (the object's own by default)."""
        records: QuerySet[Any] = self.object.history.select_related("history_user")
        return records

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        active = self.get_active_tab()
        context.update(tabs=self.get_tabs(), active_tab=active)
        context.update(self.get_tab_context(active))
        return context


class ServiceFormView(RoleRequiredMixin, FormView):
    """A form page whose form's ``save(user)`` calls a service; domain errors become form errors."""

    template_name = "core/form.html"
    title: ClassVar[Label] = ""
    success_message: ClassVar[Label] = _("Saved.")

    def get_title(self) -> str:
        return str(self.title)

    def get_cancel_url(self) -> str | None:
        return None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(title=self.get_title(), cancel_url=self.get_cancel_url())
        return context

    def form_valid(self, form: forms.Form) -> HttpResponse:
        try:
            result = self.save_form(form)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, self.get_success_message(result))
        return HttpResponseRedirect(self.get_success_url_for(result))

    def save_form(self, form: forms.Form) -> Any:
        """Call the form's service (``form.save(user)``); a ``DomainError`` becomes a form error."""
        return form.save(self.request.user)  # type: ignore[attr-defined]

    def get_success_message(self, result: Any) -> str:
        return str(self.success_message)

    def get_success_url_for(self, result: Any) -> str:
        if hasattr(result, "get_absolute_url"):
            url: str = result.get_absolute_url()
            return url
        return self.get_success_url()


class RecordFormView(ServiceFormView):
    """A form about one record. The order of the checks is the access contract: the role first (a 403
    that names no record), then the record fetched from the user's own scope (404 when out of sight),
    then ``permitted`` (403 when in sight but out of reach), then ``load_related`` for child records.

    A view declares ``get_record_queryset`` (``Model.objects.visible_to(user)`` and what the page needs)
    and, when the URL names the record otherwise than ``pk``, ``record_kwarg``; the record is
    ``self.record``.

    The form is an optimistic lock (``core.versioning``): it carries, in a hidden field, the version of the
    records it depends on (``get_version_parts``: the record by default; a form about a child record, or
    one that adds a child, says which). On POST, in the transaction the service runs in, the view locks the
    record (``lock_record``, in the order the service takes its locks), then the parts, and refuses a form
    opened on another version with what changed since, by whom and when — before anything is written.
    """

    record_kwarg: ClassVar[str] = "pk"
    #: False only for a form that changes nothing (revealing an identity records a reading, not a change).
    versioned: ClassVar[bool] = True
    record: Any
    version_refused: bool = False

    def get_record_queryset(self) -> QuerySet[Any]:
        """The records the user may see, narrowed with ``visible_to(self.request.user)``."""
        raise NotImplementedError

    def permitted(self, record: Any) -> bool:
        return True

    def load_related(self, **kwargs: Any) -> None:
        """Fetch child records through the record, once access is settled."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require_role(request.user, self.allowed_roles)
        queryset = self.get_record_queryset()
        require_scoped(queryset, request.user)
        self.record = get_object_or_404(queryset, pk=kwargs[self.record_kwarg])
        if not self.permitted(self.record):
            raise PermissionDenied
        self.load_related(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    # --- the version the form was opened on ------------------------------------------------------

    def get_version_parts(self) -> list[Versioned]:
        """The records the form depends on, in the order their rows are locked after the record's. Called
        again under the lock on POST, so a child record looked up here is looked up afresh."""
        return [Versioned.of(self.record)]

    def lock_record(self) -> None:
        """Lock what the service locks first — the record's row by default. A view whose service takes
        another lock before the record's (the fund's bank account) takes it here first, in that order."""
        versioning.lock_row(type(self.record), self.record.pk)

    def get_form(self, form_class: type[forms.Form] | None = None) -> forms.Form:
        form: forms.Form = super().get_form(form_class)
        if self.versioned:
            shown = "" if form.is_bound else versioning.version_token(self.get_version_parts())
            form.fields[VERSION_FIELD] = versioning.version_field(shown)
        return form

    def save_form(self, form: forms.Form) -> Any:
        """Check the version and call the service in one transaction, under the locks the service takes."""
        if not self.versioned:
            return super().save_form(form)
        shown = form.cleaned_data.pop(VERSION_FIELD, "")
        with transaction.atomic():
            self.lock_record()
            parts = self.get_version_parts()
            versioning.lock(parts)
            problem = versioning.refusal(parts, shown)
            if problem:
                self.version_refused = True
                raise StaleRecord(problem)
            return super().save_form(form)

    def form_invalid(self, form: forms.Form) -> HttpResponse:
        """The form again. A version that is missing, forged or out of date is said so even when the form
        has other errors; once said, the form carries the current version, so sending it again applies
        the user's input to the record as they have now been told it is."""
        if self.versioned and form.is_bound:
            name = form.add_prefix(VERSION_FIELD)
            if not self.version_refused:
                problem = versioning.refusal(self.get_version_parts(), form.data.get(name))
                if problem:
                    form.add_error(None, problem)
                    self.version_refused = True
            if self.version_refused:
                data = QueryDict(mutable=True)
                data.update(form.data)
                data[name] = versioning.version_token(self.get_version_parts())
                form.data = data
        return super().form_invalid(form)
