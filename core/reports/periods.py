"""Reporting periods: a calendar year, or Kenya's financial year (1 July – 30 June)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models

from core.exceptions import DomainError


class PeriodKind(models.TextChoices):
    CALENDAR_YEAR = "calendar_year", "Calendar year"
    FINANCIAL_YEAR = "financial_year", "Financial year (1 July – 30 June)"


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

    @property
    def start(self) -> dt.date:
        if self.kind == PeriodKind.CALENDAR_YEAR:
            return dt.date(self.start_year, 1, 1)
        return dt.date(self.start_year, 7, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the period (inclusive)."""
        if self.kind == PeriodKind.CALENDAR_YEAR:
            return dt.date(self.start_year, 12, 31)
        return dt.date(self.start_year + 1, 6, 30)

    @property
    def param(self) -> str:
        """As written in the URL: ``2026`` or ``2026-27``."""
        if self.kind == PeriodKind.CALENDAR_YEAR:
            return str(self.start_year)
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.CALENDAR_YEAR:
            return f"Calendar year {self.start_year}"
        return f"Financial year {self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def dates(self) -> str:
        return f"{self.start:%d %b %Y} – {self.end:%d %b %Y}"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def shifted(self, years: int) -> Period:
        return Period(self.kind, self.start_year + years)

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
            raise InvalidPeriod(f"“{text}” is not a period this report understands; write it like {example}.")
        year = int(first)
        if kind == PeriodKind.CALENDAR_YEAR and second:
            raise InvalidPeriod(f"“{text}” is not a calendar year; write it like 2026.")
        if second and int(second) != (year + 1) % (10 ** len(second)):
            raise InvalidPeriod(f"“{text}” is not a financial year: the second year must follow the first.")
        if not EARLIEST_YEAR <= year <= LATEST_YEAR:
            raise InvalidPeriod(f"Reports cover {EARLIEST_YEAR} onwards; {year} is out of range.")
        return cls(kind, year)

    @classmethod
    def recent(cls, kind: PeriodKind | str, today: dt.date, count: int = 8) -> list[Period]:
        """The period containing ``today`` and the ``count - 1`` before it, newest first."""
        current = cls.containing(kind, today)
        return [current.shifted(-n) for n in range(count) if current.start_year - n >= EARLIEST_YEAR]
