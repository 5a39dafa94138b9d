"""Victims test data built through the services, so every record is as the app would make it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from core.models import User
from victims import services
from victims.choices import IdentifyingAgency
from victims.models import Victim


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def identified(officer: User, **overrides: Any) -> Victim:
    values: dict[str, Any] = {
        "identified_on": days_ago(30),
        "identified_by": IdentifyingAgency.NGO,
        "sex": "female",
        "age": 24,
        "country": "KE",
        "exploitation_forms": ["forced_labour"],
    }
    values.update(overrides)
    return services.identify_victim(officer, **values)
