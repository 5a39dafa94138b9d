"""The Fund's accounting periods: calendar months and financial years, which of them are closed, and the
date the books open (the opening-balance entry's date).

``check_open`` is the one gate every posting, reversal, back-dated entry and bank match goes through: a
closed month or year takes nothing more, and nothing is dated before the books opened. On PostgreSQL a
trigger (migration 0006) refuses the same journal entries should anything insert around the services.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trustfund.choices import EntryKind
from trustfund.exceptions import BeforeOpening, PeriodClosed
from trustfund.models import ClosedPeriod, JournalEntry


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and the last day of the calendar month ``day`` falls in."""
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def opening_date() -> dt.date | None:
    """The date of the books' opening-balance entry, or ``None`` while the books have no opening entry."""
    return JournalEntry.objects.filter(kind=EntryKind.OPENING).values_list("entry_date", flat=True).order_by().first()


def closed_period_covering(day: dt.date) -> ClosedPeriod | None:
    """The closed month or financial year ``day`` falls in (the year first, the wider of the two), if any."""
    return (
        ClosedPeriod.objects.filter(start__lte=day, end__gte=day)
        .select_related("closed_by")
        .order_by("-end", "kind")
        .first()
    )


def period_name(period: ClosedPeriod) -> str:
    """``"April 2026"`` for a month, ``"Financial year 2025/26"`` for a year."""
    return str(period)


def closed_up_to() -> ClosedPeriod | None:
    """The closed period that ends last. Months close in order and a year only once its months are, so
    every day up to its end is closed — a day before the first close too, as a posting there would
    change every closed balance after it."""
    return ClosedPeriod.objects.select_related("closed_by").order_by("-end", "kind").first()


# What a refused action is called in the refusal ("nothing dated … can be posted").
WHAT = {
    "posted": gettext_lazy("posted"),
    "reversed": gettext_lazy("reversed"),
    "matched": gettext_lazy("matched"),
    "unmatched": gettext_lazy("unmatched"),
}


def _closed_message(day: dt.date, what: str) -> str | None:
    last = closed_up_to()
    if last is None or day > last.end:
        return None
    period = closed_period_covering(day)
    if period is not None:
        return _(
            "%(period)s is closed (closed on %(closed_on)s by %(closed_by)s): nothing dated %(day)s can be "
            "%(what)s. Put any correction into an open period."
        ) % {
            "period": period_name(period),
            "closed_on": date_format(timezone.localtime(period.closed_at), "d F Y"),
            "closed_by": period.closed_by,
            "day": date_format(day, "d F Y"),
            "what": WHAT.get(what, what),
        }
    return _(
        "The books are closed up to %(end)s (%(period)s and everything before it): nothing dated %(day)s can be "
        "%(what)s. Put any correction into an open period."
    ) % {
        "end": date_format(last.end, "d F Y"),
        "period": period_name(last),
        "day": date_format(day, "d F Y"),
        "what": WHAT.get(what, what),
    }


def check_open(day: dt.date, what: str = "posted") -> None:
    """Refuse anything dated ``day`` (to be ``what``: posted, reversed, matched …) when ``day`` falls in a
    closed month or year, or before the end of the last one closed (``PeriodClosed``), or before the books'
    opening balance (``BeforeOpening``)."""
    if (message := _closed_message(day, what)) is not None:
        raise PeriodClosed(message)
    opening = opening_date()
    if opening is not None and day < opening:
        raise BeforeOpening(
            _("The books open on %(opening)s (the opening balance): nothing dated %(day)s can be %(what)s.")
            % {"opening": date_format(opening, "d F Y"), "day": date_format(day, "d F Y"), "what": WHAT.get(what, what)}
        )
