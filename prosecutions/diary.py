"""The hearings diary, read side: the period a page shows (a list over any range, or a day, a week or a
month of the calendar), the calendar grids, "outcome not recorded", and the hearings of a personal
calendar feed. Plain data out; no view runs here."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.models import User
from prosecutions.access import cases_of
from prosecutions.ical import Event
from prosecutions.models import Hearing

DAY = dt.timedelta(days=1)
# The widest range the diary lists or downloads at once.
MAX_RANGE_DAYS = 366
# The dates the diary takes (the years the case forms take), so that paging a period forward or back
# always stays on the calendar.
EARLIEST = dt.date(1963, 1, 1)
LATEST = dt.date(2100, 12, 31)
# What a calendar feed holds: hearings from this many days back to this many days ahead.
FEED_DAYS_BACK = 30
FEED_DAYS_AHEAD = 365
# A month cell lists this many hearings, then "n more" (the day view lists them all).
MONTH_CELL_LIMIT = 4


class DiaryView:
    """How the diary lays its hearings out."""

    LIST = "list"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    CHOICES = ((LIST, _("List")), (DAY, _("Day")), (WEEK, _("Week")), (MONTH, _("Month")))
    CALENDARS = frozenset({DAY, WEEK, MONTH})

    @classmethod
    def of(cls, value: str | None) -> str:
        """The view asked for, or the list for anything else."""
        return value if value in dict(cls.CHOICES) else cls.LIST


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def default_range(today: dt.date) -> tuple[dt.date, dt.date]:
    """This week and next week, Monday to Sunday."""
    start = monday_of(today)
    return start, start + dt.timedelta(days=13)


def in_bounds(day: dt.date) -> bool:
    return EARLIEST <= day <= LATEST


@dataclass(frozen=True)
class Period:
    """The dates one diary page shows: ``start`` to ``end`` inclusive, laid out as ``view``."""

    view: str
    start: dt.date
    end: dt.date

    @classmethod
    def around(cls, view: str, anchor: dt.date) -> Period:
        """The day, the Monday-to-Sunday week or the calendar month holding ``anchor``."""
        if view == DiaryView.DAY:
            return cls(view, anchor, anchor)
        if view == DiaryView.WEEK:
            start = monday_of(anchor)
            return cls(view, start, start + dt.timedelta(days=6))
        last = calendar.monthrange(anchor.year, anchor.month)[1]
        return cls(DiaryView.MONTH, anchor.replace(day=1), anchor.replace(day=last))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def shifted(self, steps: int) -> Period | None:
        """The period ``steps`` before (negative) or after this one, of the same kind and length; None
        beyond the dates the diary takes."""
        try:
            if self.view == DiaryView.MONTH:
                index = self.start.year * 12 + self.start.month - 1 + steps
                moved = Period.around(self.view, dt.date(index // 12, index % 12 + 1, 1))
            elif self.view in DiaryView.CALENDARS:
                moved = Period.around(self.view, self.start + steps * self.days * DAY)
            else:
                shift = steps * self.days * DAY
                moved = Period(self.view, self.start + shift, self.end + shift)
        except (ValueError, OverflowError):
            return None
        return moved if in_bounds(moved.start) and in_bounds(moved.end) else None

    @property
    def title(self) -> str:
        # Day and month names in the active language (Django's date formatting, not the C locale's).
        if self.view == DiaryView.DAY:
            return date_format(self.start, "l j F Y")
        if self.view == DiaryView.MONTH:
            return date_format(self.start, "F Y")
        span = f"{date_format(self.start, 'j M Y')} – {date_format(self.end, 'j M Y')}"
        if self.view == DiaryView.WEEK:
            return gettext("Week of %(span)s") % {"span": span}
        return span


def with_outcome_missing(hearings: QuerySet[Hearing], as_of: dt.date) -> QuerySet[Hearing]:
    """Each hearing with ``outcome_missing``: its date has passed with no outcome recorded, by the one
    definition (``Hearing.objects.outcome_not_recorded``)."""
    unrecorded = Hearing.objects.outcome_not_recorded(as_of).filter(pk=OuterRef("pk"))
    return hearings.annotate(outcome_missing=Exists(unrecorded))


def diary_order(hearings: QuerySet[Hearing]) -> QuerySet[Hearing]:
    """By date, then time (hearings with no time given after the timed ones), court, courtroom."""
    return hearings.order_by(
        "date", F("time").asc(nulls_last=True), "court__name", "courtroom", "case__reference", "id"
    )


@dataclass(frozen=True)
class CalendarDay:
    """One day of a calendar grid, with its hearings."""

    date: dt.date
    hearings: Sequence[Any]
    in_period: bool = True
    limit: int | None = None

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5

    @property
    def shown(self) -> Sequence[Any]:
        return self.hearings if self.limit is None else self.hearings[: self.limit]

    @property
    def more(self) -> int:
        return len(self.hearings) - len(self.shown)


def _by_date(hearings: Iterable[Any]) -> dict[dt.date, list[Any]]:
    found: dict[dt.date, list[Any]] = {}
    for hearing in hearings:
        found.setdefault(hearing.date, []).append(hearing)
    return found


def week_days(period: Period, hearings: Iterable[Any]) -> list[CalendarDay]:
    """The seven days of a week view, Monday first."""
    by_date = _by_date(hearings)
    return [CalendarDay(day, by_date.get(day, [])) for day in (period.start + n * DAY for n in range(period.days))]


def month_weeks(period: Period, hearings: Iterable[Any]) -> list[list[CalendarDay]]:
    """The weeks (Monday to Sunday) of a month view; days of the neighbouring months are blank."""
    by_date = _by_date(hearings)
    weeks: list[list[CalendarDay]] = []
    day = monday_of(period.start)
    while day <= period.end:
        week = []
        for _weekday in range(7):
            inside = period.start <= day <= period.end
            week.append(CalendarDay(day, by_date.get(day, []) if inside else [], inside, MONTH_CELL_LIMIT))
            day += DAY
        weeks.append(week)
    return weeks


def feed_hearings(user: User, today: dt.date) -> QuerySet[Hearing]:
    """The hearings a user's calendar feed carries: those of the cases they lead or are on the team of,
    from ``FEED_DAYS_BACK`` days ago to ``FEED_DAYS_AHEAD`` days ahead, with what an event shows."""
    window = (today - dt.timedelta(days=FEED_DAYS_BACK), today + dt.timedelta(days=FEED_DAYS_AHEAD))
    hearings = Hearing.objects.filter(case__in=cases_of(user), date__range=window).select_related("case", "court")
    return diary_order(with_outcome_missing(hearings, today))


# A hearing's UID in every feed, whatever the server's address: calendar apps match updates by it.
UID_TEMPLATE = "ctip-hearing-{pk}@ctip-case-tracker"


def outcome_label(hearing: Any) -> str:
    """The outcome as the diary says it: "Outcome not recorded" once the date has passed without one
    (``outcome_missing``, from ``with_outcome_missing``)."""
    if getattr(hearing, "outcome_missing", False):
        return gettext("Outcome not recorded")
    return str(hearing.get_outcome_display())


def hearing_event(hearing: Hearing, url: str) -> Event:
    """A hearing as a calendar event: the case reference, the purpose, the court, the courtroom and the
    time — and nothing of the case's victims, witnesses, court measures or notes."""
    reference, court = hearing.case.reference, hearing.court.name
    start: dt.date | dt.datetime = dt.datetime.combine(hearing.date, hearing.time) if hearing.time else hearing.date
    details = [
        gettext("Case: %(reference)s") % {"reference": reference},
        gettext("Purpose: %(purpose)s") % {"purpose": hearing.get_purpose_display()},
        gettext("Court: %(court)s") % {"court": court},
        gettext("Courtroom: %(courtroom)s") % {"courtroom": hearing.courtroom or gettext("not given")},
        gettext("Time: %(time)s East Africa Time") % {"time": f"{hearing.time:%H:%M}"}
        if hearing.time
        else gettext("Time: not given"),
        gettext("Outcome: %(outcome)s") % {"outcome": outcome_label(hearing)},
    ]
    return Event(
        uid=UID_TEMPLATE.format(pk=hearing.pk),
        stamp=hearing.updated_at,
        summary=f"{hearing.get_purpose_display()}: {reference}",
        start=start,
        location=", ".join(part for part in (court, hearing.courtroom) if part),
        description="\n".join(details),
        url=url,
    )


def hearing_events(hearings: Iterable[Hearing], case_url: Callable[[Hearing], str]) -> Iterator[Event]:
    for hearing in hearings:
        yield hearing_event(hearing, case_url(hearing))
