"""The fund's financial years (1 July – 30 June), named as ``"2026-27"``."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from core.numbering import financial_year
from trustfund.models import JournalEntry

FY_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


def year_bounds(year: str) -> tuple[dt.date, dt.date]:
    """``"2026-27"`` → (1 Jul 2026, 30 Jun 2027); ``ValueError`` for anything else."""
    match = FY_PATTERN.match(year.strip())
    if not match:
        raise ValueError(year)
    start = int(match.group(1))
    if (start + 1) % 100 != int(match.group(2)):
        raise ValueError(year)
    return dt.date(start, 7, 1), dt.date(start + 1, 6, 30)


def current_year(today: dt.date | None = None) -> str:
    return financial_year(today or timezone.localdate())


def year_choices(today: dt.date | None = None) -> list[str]:
    """Financial years from the first posting (or this year) to this year, newest first."""
    this = current_year(today)
    first = JournalEntry.objects.order_by("entry_date").values_list("entry_date", flat=True).first()
    start_year = int(financial_year(first)[:4]) if first else int(this[:4])
    return [f"{y}-{(y + 1) % 100:02d}" for y in range(int(this[:4]), start_year - 1, -1)]
