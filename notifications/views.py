"""The notification centre: a person's notifications (read and unread, each opening its record), their
e-mail preference, and for the unit head the state of delivery (who cannot be e-mailed, what is delayed)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from core.access import RoleRequiredMixin
from core.exceptions import DomainError
from core.models import User
from core.roles import Role
from notifications import access, queries, services
from notifications.choices import DEADLINE_EVENTS, EmailMode
from notifications.forms import PreferenceForm
from notifications.models import Notification

PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # LoginRequiredMixin: only signed-in users get here
    return user


class NotificationListView(LoginRequiredMixin, View):
    """GET: my notifications, newest first (``?show=unread`` for the unread only). POST ``open`` marks one
    read and goes to its record; ``read`` marks one read; ``read_all`` marks them all."""

    page_access = access.OWN_PAGE
    template_name = "notifications/list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        user = _user(request)
        unread_only = request.GET.get("show") == "unread"
        rows = Notification.objects.visible_to(user).order_by("-created_at", "-id")
        if unread_only:
            rows = rows.filter(read_at__isnull=True)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "title": _("Notifications"),
            "page_obj": page,
            "paginator": page.paginator,
            "is_paginated": page.has_other_pages(),
            "notifications": list(page.object_list),
            "unread_only": unread_only,
            "delayed": services.delayed_emails(user),
            "no_address": not user.email,
            "oversee": access.may_oversee_delivery(user),
        }
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest) -> HttpResponse:
        user = _user(request)
        action = request.POST.get("action", "")
        here = reverse("notifications:notification_list")
        if action == "read_all":
            count = services.mark_all_read(user)
            messages.success(request, _("%(count)s notification(s) marked read.") % {"count": count})
            return HttpResponseRedirect(here)
        notification = get_object_or_404(Notification.objects.visible_to(user), pk=request.POST.get("id") or 0)
        try:
            services.mark_read(notification, user)
        except DomainError as error:  # pragma: no cover — the scope rule already refuses others' notifications
            messages.error(request, error.message)
            return HttpResponseRedirect(here)
        if action == "open" and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
            return HttpResponseRedirect(notification.url)
        return HttpResponseRedirect(here)


class PreferencesView(LoginRequiredMixin, View):
    """How I want to be told by e-mail."""

    page_access = access.OWN_PAGE
    template_name = "notifications/preferences.html"

    def _render(self, request: HttpRequest, form: PreferenceForm) -> HttpResponse:
        user = _user(request)
        context: dict[str, Any] = {
            "title": _("Notification settings"),
            "form": form,
            "no_address": not user.email,
            "deadline_locked": Role.PROSECUTOR in user.role_names or Role.UNIT_HEAD in user.role_names,
            "deadline_events": sorted(str(event.label) for event in DEADLINE_EVENTS),
        }
        return render(request, self.template_name, context)

    def get(self, request: HttpRequest) -> HttpResponse:
        form = PreferenceForm(initial={"email_mode": services.email_mode(_user(request))})
        return self._render(request, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                preference = form.save(_user(request))
            except DomainError as error:
                form.add_error(error.field, error.message)
            else:
                mode = str(EmailMode(preference.email_mode).label).lower()
                messages.success(request, _("E-mail: %(mode)s.") % {"mode": mode})
                return HttpResponseRedirect(reverse("notifications:preferences"))
        return self._render(request, form)


class DeliveryView(RoleRequiredMixin, View):
    """For the unit head: the people who can be told in the tracker only (no e-mail address), and e-mail
    the mail server has refused so far (queued, to be retried)."""

    allowed_roles = access.DELIVERY_OVERSEERS
    page_access = access.DELIVERY_PAGE
    template_name = "notifications/delivery.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        user = _user(request)
        context = {
            "title": _("Notification delivery"),
            "people": list(queries.people_without_email()),
            "summary": queries.outbox_summary(user),
            "delayed": list(queries.delayed_outbox(user)),
        }
        return render(request, self.template_name, context)
