"""The shared kernel: users, counties, the tracked base model and reference-number sequences."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """A person who signs in: a prosecutor, liaison, fund officer or auditor. Roles are groups."""

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_names(self) -> frozenset[str]:
        """The names of the user's roles, read once per request and cached on the instance."""
        cached: frozenset[str] | None = getattr(self, "_role_names_cache", None)
        if cached is None:
            cached = frozenset(self.groups.values_list("name", flat=True)) if self.pk else frozenset()
            self._role_names_cache = cached
        return cached


class TrackedModel(models.Model):
    """Abstract base of every domain record: timestamps and a full change history with who and why."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def save_as(self, user: Any, reason: str = "", **kwargs: Any) -> None:
        """Save and record ``user`` (and an optional reason) on the history row this save writes."""
        if user is not None and getattr(user, "pk", None):
            self._history_user = user
        if reason:
            self._change_reason = reason
        self.save(**kwargs)


class County(models.Model):
    """One of Kenya's 47 counties (Constitution, First Schedule), with its official code."""

    code = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=60, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "counties"

    def __str__(self) -> str:
        return self.name


class NumberSequence(models.Model):
    """The last number issued in one reference series for one period (a year or financial year)."""

    series = models.CharField(max_length=40)
    period = models.CharField(max_length=10)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "period"], name="core_sequence_unique_series_period"),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.period}: {self.last_value}"


class MoneyField(models.DecimalField):
    """A KES (or other currency) amount with the project-wide precision: 18 digits, 2 places."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", settings.MONEY_MAX_DIGITS)
        kwargs.setdefault("decimal_places", settings.MONEY_DECIMAL_PLACES)
        super().__init__(*args, **kwargs)
