"""Dates of the demo caseload: events on court days, in order, never after today."""

from __future__ import annotations

import datetime as dt
import random


def court_day(day: dt.date, earliest: dt.date | None = None, latest: dt.date | None = None) -> dt.date:
    """Courts and offices work Monday to Friday: a weekend date moves to the next Monday, or back to the
    Friday when that Monday would pass ``latest`` (and the Friday is not before ``earliest``)."""
    if day.weekday() < 5:
        return day
    monday = day + dt.timedelta(days=7 - day.weekday())
    if latest is None or monday <= latest:
        return monday
    friday = day - dt.timedelta(days=day.weekday() - 4)
    return friday if earliest is None or friday >= earliest else day


class Clock:
    """Increasing event dates from the opening date, never after today."""

    def __init__(self, rng: random.Random, start: dt.date, end: dt.date, steps: int) -> None:
        self.rng, self.now, self.end = rng, start, end
        self.gap = max((end - start).days / max(steps, 1), 1.0)

    def tick(self, factor: float = 1.0) -> dt.date:
        days = max(1, round(self.gap * factor * self.rng.uniform(0.5, 1.4)))
        self.now = court_day(min(self.now + dt.timedelta(days=days), self.end), earliest=self.now, latest=self.end)
        return self.now
