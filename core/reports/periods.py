"""Reporting periods: a calendar year, Kenya's financial year (1 July – 30 June), or — for a report that
allows it (``Report.any_dates``) — any dates chosen by the reader (``?from=2026-03-01&to=2026-05-31``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils import dateformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class PeriodKind(models.TextChoices):
    CALENDAR_YEAR = "calendar_year", _("Calendar year")
    FINANCIAL_YEAR = "financial_year", _("Financial year (1 July – 30 June)")


class InvalidPeriod(DomainError):
    """The period asked for is not a year the report can show."""


EARLIEST_YEAR = 2010  # the CTIP Act was passed in 2010; nothing before it is reported
LATEST_YEAR = 2100


@dataclass(frozen=True)
class Period:
    """A reporting year: a calendar year (1 January – 31 December) or Kenya's financial year
    (1 July – 30 June, named by its first year: ``2026-27`` starts on 1 July 2026)."""

    kind: PeriodKind
    start_year: int
    # Set for a period of chosen dates (``Period.between``); ``start_year`` is then the year containing
    # the first day, in the report's kind, so that ``shifted`` and the year picker still work.
    first_day: dt.date | None = None
    last_day: dt.date | None = None

    @property
    def is_chosen_dates(self) -> bool:
        return self.first_day is not None

    @property
    def start(self) -> dt.date:
        if self.first_day is not None:
            return self.first_day
        if self.kind == PeriodKind.CALENDAR_YEAR:
            return dt.date(self.start_year, 1, 1)
        return dt.date(self.start_year, 7, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the period (inclusive)."""
        if self.last_day is not None:
            return self.last_day
        if self.kind == PeriodKind.CALENDAR_YEAR:
            return dt.date(self.start_year, 12, 31)
        return dt.date(self.start_year + 1, 6, 30)

    @property
    def param(self) -> str:
        """As written in the URL (and the workbook's file name): ``2026``, ``2026-27``, or for chosen dates
        ``2026-03-01_2026-05-31``."""
        if self.is_chosen_dates:
            return f"{self.start.isoformat()}_{self.end.isoformat()}"
        if self.kind == PeriodKind.CALENDAR_YEAR:
            return str(self.start_year)
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def query(self) -> str:
        """The period as a URL query: ``period=2026``, or ``from=2026-03-01&to=2026-05-31``."""
        if self.is_chosen_dates:
            return f"from={self.start.isoformat()}&to={self.end.isoformat()}"
        return f"period={self.param}"

    @property
    def label(self) -> str:
        if self.is_chosen_dates:
            return gettext("Chosen dates")
        if self.kind == PeriodKind.CALENDAR_YEAR:
            return gettext("Calendar year %(year)s") % {"year": self.start_year}
        return gettext("Financial year %(year)s") % {"year": f"{self.start_year}/{(self.start_year + 1) % 100:02d}"}

    @property
    def dates(self) -> str:
        return f"{_day(self.start)} – {_day(self.end)}"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def shifted(self, years: int) -> Period:
        """The same period ``years`` later (earlier when negative); chosen dates move by whole years."""
        if self.is_chosen_dates:
            return Period.between(self.kind, _years_on(self.start, years), _years_on(self.end, years))
        return Period(self.kind, self.start_year + years)

    @classmethod
    def between(cls, kind: PeriodKind | str, first_day: dt.date, last_day: dt.date) -> Period:
        """The chosen dates ``first_day .. last_day`` (both included)."""
        kind = PeriodKind(kind)
        return cls(kind, cls.containing(kind, first_day).start_year, first_day, last_day)

    @classmethod
    def parse_dates(cls, kind: PeriodKind | str, first_text: str, last_text: str) -> Period:
        """Chosen dates from the ``from`` and ``to`` parameters (``2026-03-01``). Raises ``InvalidPeriod``
        with a message a person can act on: both dates given, real dates, in order, within the years
        reports cover."""
        first, last = (first_text or "").strip(), (last_text or "").strip()
        if not first or not last:
            raise InvalidPeriod(gettext("Give both dates, from and to (like 2026-03-01 and 2026-05-31)."))
        days = []
        for text in (first, last):
            try:
                days.append(dt.date.fromisoformat(text))
            except ValueError:
                raise InvalidPeriod(
                    gettext("“%(text)s” is not a date; write it like 2026-03-31.") % {"text": text}
                ) from None
        start, end = days
        if start > end:
            raise InvalidPeriod(
                gettext("The period cannot end (%(end)s) before it starts (%(start)s); swap the dates.")
                % {"end": _day(end), "start": _day(start)}
            )
        if start.year < EARLIEST_YEAR or end.year > LATEST_YEAR:
            raise InvalidPeriod(
                gettext("Reports cover %(year)s onwards; choose dates from %(day)s.")
                % {"year": EARLIEST_YEAR, "day": _day(dt.date(EARLIEST_YEAR, 1, 1))}
            )
        return cls.between(kind, start, end)

    @classmethod
    def containing(cls, kind: PeriodKind | str, day: dt.date) -> Period:
        kind = PeriodKind(kind)
        if kind == PeriodKind.CALENDAR_YEAR:
            return cls(kind, day.year)
        return cls(kind, day.year if day.month >= 7 else day.year - 1)

    @classmethod
    def parse(cls, kind: PeriodKind | str, text: str) -> Period:
        """``2026`` for a calendar year; ``2026-27`` (or ``2026/27``, or just ``2026``) for a financial
        year. Raises ``InvalidPeriod`` with a message a person can act on."""
        kind = PeriodKind(kind)
        raw = (text or "").strip().replace("/", "-")
        first, _, second = raw.partition("-")
        if not first.isdigit() or len(first) != 4 or (second and not second.isdigit()):
            example = "2026" if kind == PeriodKind.CALENDAR_YEAR else "2026-27"
            raise InvalidPeriod(
                gettext("“%(text)s” is not a period this report understands; write it like %(example)s.")
                % {"text": text, "example": example}
            )
        year = int(first)
        if kind == PeriodKind.CALENDAR_YEAR and second:
            raise InvalidPeriod(gettext("“%(text)s” is not a calendar year; write it like 2026.") % {"text": text})
        if second and int(second) != (year + 1) % (10 ** len(second)):
            raise InvalidPeriod(
                gettext("“%(text)s” is not a financial year: the second year must follow the first.") % {"text": text}
            )
        if not EARLIEST_YEAR <= year <= LATEST_YEAR:
            raise InvalidPeriod(
                gettext("Reports cover %(earliest)s onwards; %(year)s is out of range.")
                % {"earliest": EARLIEST_YEAR, "year": year}
            )
        return cls(kind, year)

    @classmethod
    def recent(cls, kind: PeriodKind | str, today: dt.date, count: int = 8) -> list[Period]:
        """The period containing ``today`` and the ``count - 1`` before it, newest first."""
        current = cls.containing(kind, today)
        return [current.shifted(-n) for n in range(count) if current.start_year - n >= EARLIEST_YEAR]


def _day(day: dt.date) -> str:
    """A day as "01 Jul 2026", the month in the reader's language."""
    return dateformat.format(day, "d M Y")


def _years_on(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
