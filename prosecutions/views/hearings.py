"""The hearings diary (a list over any range, or a day, week or month calendar, with its Excel download) and
the personal calendar feed: the page where a user creates and revokes its secret address, and the
iCalendar file that address serves to calendar apps, which cannot sign in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from core.access import PageAccess, RoleRequiredMixin
from core.exporter import CHUNK_SIZE, AboutExport, xlsx_response
from core.guards import today
from core.models import User
from core.querysets import require_scoped
from core.views.generic import EXPORT_PARAM, FilteredListView, describe_filters
from prosecutions import ical, services
from prosecutions.access import CASE_READERS, CASE_WRITERS, hearings_scope
from prosecutions.choices import Stage
from prosecutions.diary import (
    EARLIEST,
    FEED_DAYS_AHEAD,
    FEED_DAYS_BACK,
    LATEST,
    DiaryView,
    Period,
    default_range,
    diary_order,
    feed_hearings,
    hearing_events,
    in_bounds,
    month_weeks,
    week_days,
    with_outcome_missing,
)
from prosecutions.filters import HearingFilter
from prosecutions.models import CalendarFeed, Hearing
from prosecutions.registry import annotate_hearings, annotate_hearings_in_chunks
from prosecutions.services.hearings import FEED_MIN_INTERVAL, mark_calendar_feed_used, open_calendar_feed
from prosecutions.tables import HEARING_COLUMNS

# Query parameters that say which dates and layout a diary page shows (the rest are its filters).
PERIOD_PARAMS = ("view", "start", "end", "page", EXPORT_PARAM)
# How often a subscribed calendar app is asked to fetch the feed again.
FEED_REFRESH = dt.timedelta(hours=1)


def _date(text: str) -> dt.date | None:
    """A date typed in a diary address (ISO or the site's formats), or None."""
    try:
        day: dt.date | None = forms.DateField().clean(text)
    except ValidationError:
        return None
    return day


def diary_query(params: QueryDict, view: str, today_: dt.date) -> QueryDict:
    """The diary's query with its dates filled in: a calendar view's day, week or month around ``start``
    (today by default); a list's range as given, this week and next when none is (two weeks from the one
    end given). Dates that cannot be read are left for the filter form to refuse."""
    data = params.copy()
    start_text, end_text = data.get("start", "").strip(), data.get("end", "").strip()
    start, end = _date(start_text), _date(end_text)
    if view in DiaryView.CALENDARS:
        anchor = start if start_text else today_
        if anchor is not None and in_bounds(anchor):
            period = Period.around(view, anchor)
            data["start"], data["end"] = period.start.isoformat(), period.end.isoformat()
        return data
    fortnight = dt.timedelta(days=13)
    if not start_text and not end_text:
        default_start, default_end = default_range(today_)
        data["start"], data["end"] = default_start.isoformat(), default_end.isoformat()
    elif not end_text and start is not None and in_bounds(start):
        data["end"] = min(start + fortnight, LATEST).isoformat()
    elif not start_text and end is not None and in_bounds(end):
        data["start"] = max(end - fortnight, EARLIEST).isoformat()
    return data


class HearingListView(FilteredListView):
    """The diary. The unit head sees every case's hearings, a prosecutor those of the cases they lead or
    are on the team of; any range up to a year, as a list or a day, week or month calendar."""

    allowed_roles = CASE_WRITERS
    page_access = PageAccess(opens=CASE_WRITERS)
    filterset_class = HearingFilter
    columns = HEARING_COLUMNS
    title = _("Hearings diary")
    export_name = "hearings"
    paginate_by = 50
    template_name = "prosecutions/diary/diary.html"
    view_kind: str = DiaryView.LIST
    period: Period | None = None

    def get_base_queryset(self) -> QuerySet[Any]:
        user = self.request.user
        hearings = (
            Hearing.objects.visible_to(user)
            .filter(case__in=hearings_scope(user))
            .select_related("case", "case__lead_prosecutor", "court")
        )
        return diary_order(with_outcome_missing(hearings, today()))

    def get_queryset(self) -> QuerySet[Any]:
        base = self.get_base_queryset()
        require_scoped(base, self.request.user)
        self.view_kind = DiaryView.of(self.request.GET.get("view"))
        self.query = diary_query(self.request.GET, self.view_kind, today())
        self.filterset = self.filterset_class(self.query, queryset=base, request=self.request)
        if not self.filterset.is_valid():
            return base.none()
        data = self.filterset.form.cleaned_data
        self.period = Period(self.view_kind, data["start"], data["end"])
        queryset: QuerySet[Any] = self.filterset.qs
        return queryset

    def get_paginate_by(self, queryset: QuerySet[Any]) -> int | None:
        """A calendar shows its whole day, week or month; the list pages."""
        return None if self.view_kind in DiaryView.CALENDARS else self.paginate_by

    def get_title(self) -> str:
        if self.period:
            return gettext("Hearings diary, %(period)s") % {"period": self.period.title}
        return str(self.title)

    def link(self, view: str, period: Period | None) -> str:
        """This page's address showing ``period`` as ``view``, with the same filters."""
        query = self.query.copy()
        for name in PERIOD_PARAMS:
            query.pop(name, None)
        query["view"] = view
        if period is not None:
            query["start"], query["end"] = period.start.isoformat(), period.end.isoformat()
        return f"{self.request.path}?{query.urlencode()}"

    def navigation(self) -> dict[str, Any]:
        """Links to the views of these dates, and to the periods before, after and of today."""
        period, now = self.period, today()
        if period is None:
            return {"views": [(kind, label, self.link(kind, None)) for kind, label in DiaryView.CHOICES]}
        anchor = now if period.start <= now <= period.end else period.start
        views = [
            (kind, label, self.link(kind, period if kind == DiaryView.LIST else Period.around(kind, anchor)))
            for kind, label in DiaryView.CHOICES
        ]
        current = (
            Period.around(self.view_kind, now)
            if self.view_kind in DiaryView.CALENDARS
            else Period(DiaryView.LIST, *default_range(now))
        )
        before, after = period.shifted(-1), period.shifted(1)
        return {
            "views": views,
            "previous_url": self.link(self.view_kind, before) if before else "",
            "next_url": self.link(self.view_kind, after) if after else "",
            "today_url": self.link(self.view_kind, current),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        hearings = annotate_hearings(context["object_list"])
        export = self.query.copy()
        export.pop("page", None)
        export[EXPORT_PARAM] = "xlsx"
        in_use = any(
            value.strip() for key, values in self.request.GET.lists() if key not in PERIOD_PARAMS for value in values
        )
        context.update(
            object_list=hearings,
            export_query=export.urlencode(),
            filters_in_use=in_use,
            filters_open=in_use or bool(self.filterset.form.errors),
            view_kind=self.view_kind,
            diary_views=DiaryView,
            period=self.period,
            today=today(),
            stages=Stage,
            **self.navigation(),
        )
        if self.period is not None and self.view_kind == DiaryView.WEEK:
            context["week"] = week_days(self.period, hearings)
        if self.period is not None and self.view_kind == DiaryView.MONTH:
            context["weeks"] = month_weeks(self.period, hearings)
            context["weekday_names"] = weekday_names()
        return context

    def export(self) -> HttpResponseBase:
        """The filtered range as a workbook, with the registered annotations (one query per source per chunk)."""
        queryset = self.get_queryset()
        about = AboutExport(
            title=self.get_title(),
            exported_by=f"{self.request.user} ({self.request.user.get_username()})",
            filters=describe_filters(self.filterset),
        )
        rows = annotate_hearings_in_chunks(queryset.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE)
        return xlsx_response(self.export_name, self.columns, rows, about)


def weekday_names() -> list[tuple[str, str]]:
    """Monday to Sunday, each with its abbreviation, in the active language."""
    return [
        (gettext("Monday"), pgettext("weekday abbreviation", "Mon")),
        (gettext("Tuesday"), pgettext("weekday abbreviation", "Tue")),
        (gettext("Wednesday"), pgettext("weekday abbreviation", "Wed")),
        (gettext("Thursday"), pgettext("weekday abbreviation", "Thu")),
        (gettext("Friday"), pgettext("weekday abbreviation", "Fri")),
        (gettext("Saturday"), pgettext("weekday abbreviation", "Sat")),
        (gettext("Sunday"), pgettext("weekday abbreviation", "Sun")),
    ]


class CalendarFeedView(RoleRequiredMixin, TemplateView):
    """The user's personal calendar feed: create a secret address (shown once), see whether one is in use
    and when a calendar app last fetched it, revoke it."""

    allowed_roles = CASE_WRITERS
    page_access = PageAccess(opens=CASE_WRITERS)
    template_name = "prosecutions/diary/calendar_feed.html"

    def owner(self) -> User:
        """The signed-in user (the role check in ``dispatch`` has run): a feed is only ever one's own."""
        user = self.request.user
        assert isinstance(user, User)
        return user

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            title=gettext("Your hearings calendar feed"),
            feed=CalendarFeed.objects.filter(user=self.owner()).first(),
            days_back=FEED_DAYS_BACK,
            days_ahead=FEED_DAYS_AHEAD,
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        action = request.POST.get("action")
        if action == "create":
            token = services.issue_calendar_feed(self.owner())
            address = request.build_absolute_uri(reverse("calendar_feed_ics", args=[token]))
            return render(request, self.template_name, self.get_context_data(feed_url=address))
        if action == "revoke":
            if services.revoke_calendar_feed(self.owner()):
                messages.success(request, gettext("Your calendar feed address has been revoked: it no longer works."))
            else:
                messages.info(request, gettext("You had no calendar feed address to revoke."))
        return HttpResponseRedirect(reverse("prosecutions:calendar_feed"))


@method_decorator(login_not_required, name="dispatch")
@method_decorator(never_cache, name="dispatch")
class CalendarFeedFileView(View):
    """The iCalendar file at a feed's secret address. Calendar apps cannot sign in, so the token is the
    credential: an unknown or revoked token, or an owner who is inactive or no longer reads cases, gets
    404 whoever asks. ``page_access`` here is what the token's owner must hold (``NOT_PAGES`` in the
    generated access test, which holds this view to it with a token per role)."""

    page_access = PageAccess(opens=CASE_READERS)
    two_factor_exempt = True
    http_method_names = ["get", "head"]

    def head(self, request: HttpRequest, token: str) -> HttpResponse:
        """What a client checking the address before it subscribes gets: found or not, no fetch recorded."""
        if open_calendar_feed(token) is None:
            raise Http404("No such calendar feed.")
        return HttpResponse(content_type=ical.CONTENT_TYPE)

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        feed = open_calendar_feed(token)
        if feed is None:
            raise Http404("No such calendar feed.")
        if not mark_calendar_feed_used(feed, timezone.now()):
            seconds = int(FEED_MIN_INTERVAL.total_seconds())
            response = HttpResponse(
                f"This calendar was fetched moments ago. Try again in {seconds} seconds.",
                status=429,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = str(seconds)
            return response
        owner = feed.user
        # Calendar apps do not sign in: the feed speaks its owner's language (the site's when none is chosen).
        with translation.override(getattr(owner, "language", "") or settings.LANGUAGE_CODE):
            events = hearing_events(
                feed_hearings(owner, today()), lambda hearing: request.build_absolute_uri(hearing.get_absolute_url())
            )
            name = gettext("CTIP hearings – %(name)s") % {"name": owner.get_full_name() or owner.get_username()}
            text = ical.calendar_text(events, name=name, tzid=settings.TIME_ZONE, refresh=FEED_REFRESH)
        response = HttpResponse(text, content_type=ical.CONTENT_TYPE)
        response["Content-Disposition"] = 'inline; filename="ctip-hearings.ics"'
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        return response
