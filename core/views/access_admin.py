"""The access administrators' pages: people and their roles, the grants, and the four moves on a grant
(ask, approve, reject, revoke). Every move is a grant service (``core.grants.services``); the admin site
no longer changes roles."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.access import ACCESS_ADMINS, PageAccess, grant_actions, may_decide_grant, may_revoke_grant
from core.choices import GrantStatus
from core.grants.filters import AccountFilter, GrantFilter
from core.grants.forms import ApproveGrantForm, GrantRequestForm, RejectGrantForm, RevokeGrantForm
from core.grants.queries import grants_awaiting, with_grants
from core.grants.tables import ACCOUNT_COLUMNS, GRANT_COLUMNS
from core.history import history_entries
from core.models import RoleGrant, User
from core.roles import SENSITIVE_ROLE_POWERS, SENSITIVE_ROLES
from core.views.generic import FilteredListView, RecordFormView, ServiceFormView, Tab, TabbedDetailView

ACCESS_PAGES = PageAccess(opens=ACCESS_ADMINS)


class AccessListView(FilteredListView):
    allowed_roles = ACCESS_ADMINS
    page_access = ACCESS_PAGES
    template_name = "core/access/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["create_url"] = reverse("core:grant_request")
        context["create_label"] = gettext("Ask for a role")
        context["awaiting_count"] = grants_awaiting(self.request.user).count()  # type: ignore[arg-type]
        return context


class UserListView(AccessListView):
    """Every account with the roles it holds in force and those awaiting approval."""

    filterset_class = AccountFilter
    columns = ACCOUNT_COLUMNS
    title = _("People and their roles")
    export_name = "accounts-and-roles"

    def get_base_queryset(self) -> QuerySet[User]:
        return with_grants(User.objects.visible_to(self.request.user)).order_by("username")


class GrantListView(AccessListView):
    """Every grant, in force or not; ``?status=requested`` is the queue awaiting approval."""

    filterset_class = GrantFilter
    columns = GRANT_COLUMNS
    title = _("Role grants")
    export_name = "role-grants"
    row_actions_template = "core/access/rows/grant_actions.html"

    def get_base_queryset(self) -> QuerySet[RoleGrant]:
        return (
            RoleGrant.objects.visible_to(self.request.user)
            .select_related("user", "requested_by", "decided_by", "revoked_by")
            .order_by("-requested_at", "-id")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["row_actions_template"] = self.row_actions_template
        context["row_actions"] = {row.pk: grant_actions(self.request.user, row) for row in context["object_list"]}
        return context


class UserDetailView(TabbedDetailView):
    """One account: its grants (with the moves the viewer may make) and the history of the account and of
    its grants."""

    model = User
    allowed_roles = ACCESS_ADMINS
    page_access = ACCESS_PAGES
    template_name = "core/access/user_detail.html"
    tabs = (Tab("roles", _("Roles"), "core/access/tabs/user_roles.html"),)

    def get_queryset(self) -> QuerySet[User]:
        return User.objects.visible_to(self.request.user)

    def get_roles_context(self) -> dict[str, Any]:
        grants = list(
            self.object.role_grants.select_related("requested_by", "decided_by", "revoked_by").order_by(
                "-requested_at", "-id"
            )
        )
        user = self.request.user
        return {"grants": [(grant, grant_actions(user, grant)) for grant in grants]}

    def get_history_records(self) -> Any:
        records: list[Any] = list(self.object.history.select_related("history_user"))
        records.extend(RoleGrant.history.filter(user_id=self.object.pk).select_related("history_user"))
        return records

    def get_tab_context(self, tab: Tab) -> dict[str, Any]:
        if tab.slug == "history":
            return {"history": history_entries(self.get_history_records())}
        return super().get_tab_context(tab)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["request_url"] = f"{reverse('core:grant_request')}?user={self.object.pk}"
        return context


class GrantDetailView(TabbedDetailView):
    """One grant: who asked, why, who decided, who revoked; and its history."""

    model = RoleGrant
    allowed_roles = ACCESS_ADMINS
    page_access = ACCESS_PAGES
    template_name = "core/access/grant_detail.html"
    tabs = (Tab("overview", _("Overview"), "core/access/tabs/grant_overview.html"),)

    def get_queryset(self) -> QuerySet[RoleGrant]:
        return RoleGrant.objects.visible_to(self.request.user).select_related(
            "user", "requested_by", "decided_by", "revoked_by"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["actions"] = grant_actions(self.request.user, self.object)
        return context


class GrantRequestView(ServiceFormView):
    """Ask for a role for someone (``?user=<id>`` picks the person)."""

    allowed_roles = ACCESS_ADMINS
    page_access = ACCESS_PAGES
    form_class = GrantRequestForm
    title = _("Ask for a role")

    def get_form_kwargs(self) -> dict[str, Any]:
        accounts = User.objects.visible_to(self.request.user).filter(is_active=True).order_by("username")
        return {**super().get_form_kwargs(), "accounts": accounts}

    def get_initial(self) -> dict[str, Any]:
        wanted = self.request.GET.get("user", "")
        return {"user": wanted} if wanted.isdigit() and len(wanted) < 19 else {}

    def get_cancel_url(self) -> str:
        return reverse("core:user_list")

    def get_success_message(self, result: Any) -> str:
        names = {"role": result.get_role_display(), "person": result.user}
        if result.status == GrantStatus.APPROVED:
            return gettext("%(role)s granted to %(person)s.") % names
        if result.role in SENSITIVE_ROLES:
            return (
                gettext(
                    "%(role)s for %(person)s asked for: a sensitive role needs a second access "
                    "administrator's approval."
                )
                % names
            )
        return (
            gettext(
                "%(role)s for %(person)s asked for: a role for yourself needs a second access administrator's approval."
            )
            % names
        )


class GrantActionView(RecordFormView):
    """A move on one grant: the role (403), the grant in sight (404), then the move allowed (403)."""

    allowed_roles = ACCESS_ADMINS
    page_access = ACCESS_PAGES
    record: RoleGrant

    def get_record_queryset(self) -> QuerySet[RoleGrant]:
        return RoleGrant.objects.visible_to(self.request.user).select_related("user", "requested_by")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "grant": self.record}

    def get_title(self) -> str:
        return gettext("%(action)s: %(role)s for %(person)s (%(username)s)") % {
            "action": self.title,
            "role": self.record.get_role_display(),
            "person": self.record.user,
            "username": self.record.user.username,
        }

    def get_cancel_url(self) -> str:
        return self.record.get_absolute_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["grant"] = self.record
        return context


class GrantDecisionView(GrantActionView):
    """Approve or reject a grant awaiting approval — not one you asked for, not one for yourself."""

    template_name = "core/access/grant_form.html"

    def permitted(self, record: RoleGrant) -> bool:
        return may_decide_grant(self.request.user, record)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["power"] = SENSITIVE_ROLE_POWERS.get(self.record.role, "")
        context["role_label"] = self.record.get_role_display()
        return context


class GrantApproveView(GrantDecisionView):
    form_class = ApproveGrantForm
    title = _("Approve")

    def get_success_message(self, result: Any) -> str:
        return gettext("%(role)s granted to %(person)s.") % {"role": result.get_role_display(), "person": result.user}


class GrantRejectView(GrantDecisionView):
    form_class = RejectGrantForm
    title = _("Reject")

    def get_success_message(self, result: Any) -> str:
        return gettext("The grant of %(role)s to %(person)s was rejected.") % {
            "role": result.get_role_display(),
            "person": result.user,
        }


class GrantRevokeView(GrantActionView):
    """Take a role in force away, saying why."""

    form_class = RevokeGrantForm
    title = _("Revoke")
    template_name = "core/access/grant_form.html"

    def permitted(self, record: RoleGrant) -> bool:
        return may_revoke_grant(self.request.user, record)

    def get_success_message(self, result: Any) -> str:
        return gettext("%(role)s taken away from %(person)s.") % {
            "role": result.get_role_display(),
            "person": result.user,
        }
