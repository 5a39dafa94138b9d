"""The audit log: every change across the system (and every sign-in event), filtered and downloadable.

Auditors read all of it; the unit head the prosecution side; the fund roles the fund side (see
``core.audit.scopes``). A page costs a fixed number of queries whatever the size of the history.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import HttpResponseBase
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.access import PageAccess, has_role
from core.audit.cases import case_model
from core.audit.linking import catch_up
from core.audit.log import annotate_lines, annotated_in_chunks, record_type_choices
from core.audit.scopes import audit_roles, visible_app_labels
from core.exporter import CHUNK_SIZE as EXPORT_CHUNK_SIZE
from core.exporter import AboutExport, xlsx_response
from core.models import AuditAction, AuditLink, User
from core.roles import Role
from core.tables import Column, ColumnKind
from core.views.generic import FilteredListView, describe_filters

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class AuditLogFilter(django_filters.FilterSet):
    """Who, what kind of record, which case, what was done, and when."""

    user = django_filters.ModelChoiceFilter(
        label=_("User"), queryset=User.objects.order_by("last_name", "first_name", "username")
    )
    record_type = django_filters.ChoiceFilter(label=_("Record type"), choices=[])
    case = django_filters.ModelChoiceFilter(label=_("Case"), method="filter_case", queryset=User.objects.none())
    action = django_filters.ChoiceFilter(label=_("Action"), choices=AuditAction.choices)
    date_from = django_filters.DateFilter(label=_("From"), field_name="at", lookup_expr="date__gte", widget=DATE_INPUT)
    date_to = django_filters.DateFilter(label=_("To"), field_name="at", lookup_expr="date__lte", widget=DATE_INPUT)
    reason = django_filters.CharFilter(label=_("Reason contains"), lookup_expr="icontains")

    class Meta:
        model = AuditLink
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.request.user if self.request is not None else AnonymousUser()
        choices = record_type_choices(visible_app_labels(user))
        self.filters["record_type"].extra["choices"] = choices
        self.form.fields["record_type"].choices = [("", "---------"), *choices]
        cases = case_model()
        if cases is None:
            self.form.fields.pop("case")
        else:
            self.form.fields["case"].queryset = cases._default_manager.all()

    def filter_case(self, queryset: QuerySet[AuditLink], name: str, value: Any) -> QuerySet[AuditLink]:
        return queryset.filter(case_id=value.pk) if value else queryset


def _who(link: AuditLink) -> str:
    return str(link.user) if link.user_id else ("—" if link.action == AuditAction.LOGIN_FAILED else gettext("System"))


AUDIT_COLUMNS: tuple[Column, ...] = (
    Column("at", _("When"), kind=ColumnKind.DATETIME),
    Column("user", _("Who"), _who),
    Column("action", _("Action"), "get_action_display"),
    Column("record_type", _("Record type"), "record_type_label"),
    Column("object_repr", _("Record")),
    Column("case", _("Case"), "case_label"),
    Column("reason", _("Reason")),
    Column("changes", _("Changes"), "changes_text"),
    # Translators: a link of the audit chain (its number).
    Column("seq", _("Link"), kind=ColumnKind.INTEGER),
)


class AuditLogView(FilteredListView):
    """Every recorded change and sign-in event the user's roles may read, newest first."""

    filterset_class = AuditLogFilter
    columns = AUDIT_COLUMNS
    title = _("Audit log")
    export_name = "audit-log"
    template_name = "core/audit_log.html"
    paginate_by = 50

    @property
    def allowed_roles(self) -> frozenset[str]:  # type: ignore[override]
        return audit_roles()

    @classmethod
    def page_access_for(cls) -> PageAccess:
        """Whoever reads some part of the log (the apps' audit scopes add up to them)."""
        return PageAccess(opens=audit_roles())

    def get_base_queryset(self) -> QuerySet[Any]:
        catch_up()  # a change the linker has not reached yet shows at once
        return AuditLink.objects.visible_to(self.request.user).select_related("user").order_by("-seq")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["object_list"] = annotate_lines(list(context["object_list"]))
        context["can_verify"] = has_role(self.request.user, [Role.AUDITOR])
        return context

    def export(self) -> HttpResponseBase:
        queryset = self.get_queryset()
        about = AboutExport(
            title=self.get_title(),
            exported_by=f"{self.request.user} ({self.request.user.get_username()})",
            filters=describe_filters(self.filterset),
        )
        rows = annotated_in_chunks(queryset.iterator(chunk_size=EXPORT_CHUNK_SIZE), EXPORT_CHUNK_SIZE)
        return xlsx_response(self.export_name, self.columns, rows, about)
