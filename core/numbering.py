"""Human reference numbers, issued atomically per series and period and never reused.

A row per (series, period) holds the last number. Issuing locks that row (``SELECT … FOR UPDATE``
on PostgreSQL), so concurrent requests queue rather than collide. The first number of a period
creates the row inside a savepoint; a racing creator falls back to locking the row the other made.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from core.models import NumberSequence


def calendar_year(day: dt.date) -> str:
    return f"{day.year}"


def financial_year(day: dt.date) -> str:
    """Kenya's government financial year, 1 July – 30 June, written ``2026-27``."""
    start = day.year if day.month >= 7 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


@transaction.atomic
def issue_number(series: str, period: str) -> int:
    """The next number in ``series`` for ``period``; part of the caller's transaction."""
    sequence = NumberSequence.objects.select_for_update().filter(series=series, period=period).first()
    if sequence is None:
        try:
            with transaction.atomic():
                NumberSequence.objects.create(series=series, period=period, last_value=0)
        except IntegrityError:
            pass  # another request created it first; lock theirs below
        sequence = NumberSequence.objects.select_for_update().get(series=series, period=period)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return sequence.last_value


def next_reference(series: str, template: str, period: str) -> str:
    """A formatted reference such as ``ODPP/CTIP/2026/0007``.

    ``template`` uses ``{period}`` and ``{number}``, e.g. ``"ODPP/CTIP/{period}/{number:04d}"``.
    """
    number = issue_number(series, period)
    return template.format(period=period, number=number)
