"""The shared kernel: users, counties, the tracked base model and reference-number sequences."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models, router, transaction
from simple_history.models import HistoricalRecords

from core.audit.manager import ChainedHistoryManager
from core.querysets import ScopedManager


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
    """Abstract base of every domain record: timestamps and a full change history with who and why.

    A model whose records some users may not see gives itself a ``ScopedManager`` (``core.querysets``),
    whose ``visible_to(user)`` applies the scope rule its app declares in ``access.py``.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(inherit=True, history_manager=ChainedHistoryManager)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save the row, its history row and the history row's audit-chain link in one transaction."""
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            super().save(*args, **kwargs)

    def save_as(self, user: User | None, reason: str = "", **kwargs: Any) -> None:
        """Save and record ``user`` (and an optional reason) on the history row this save writes."""
        if user is not None and user.pk:
            self._history_user = user
        if reason:
            self._change_reason = reason
        self.save(**kwargs)


class County(models.Model):
    """One of Kenya's 47 counties (Constitution, First Schedule), with its official code."""

    code = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=60, unique=True)

    objects = ScopedManager()

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


class AuditAction(models.TextChoices):
    """What an audit-log line records: a change to a record, or a sign-in event."""

    CREATED = "created", "Created"
    CHANGED = "changed", "Changed"
    DELETED = "deleted", "Deleted"
    LOGIN = "login", "Signed in"
    LOGOUT = "logout", "Signed out"
    LOGIN_FAILED = "login_failed", "Failed sign-in"


class AuthEvent(models.Model):
    """A sign-in, sign-out or failed sign-in. Append-only; chained into the audit chain like history rows.

    A failed sign-in keeps the username that was tried (never the password) and no user.
    """

    kind = models.CharField(max_length=20, choices=AuditAction.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    username = models.CharField("username tried", max_length=150, blank=True)
    at = models.DateTimeField()
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "sign-in event"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.username}"


class AuditChainHead(models.Model):
    """The head of the audit chain: the last link's number and digest. Its single row is the lock that
    serialises every append, so concurrent writers cannot fork the chain."""

    seq = models.PositiveBigIntegerField(default=0)
    digest = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"Audit chain head: link {self.seq}, {self.digest[:12]}…"


class AuditLink(models.Model):
    """One link of the tamper-evident audit chain: a keyed digest (HMAC-SHA256 with ``AUDIT_HMAC_KEY``) over
    one history row (or sign-in event) and the previous link's digest.

    It doubles as the index of the audit log: what record, which case, who, what, when and why.
    """

    seq = models.PositiveBigIntegerField(unique=True)
    source = models.CharField(max_length=100, help_text="The chained table: a history model or sign-in events.")
    row_id = models.BigIntegerField()
    record_type = models.CharField(max_length=100, db_index=True)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField("record", max_length=255, blank=True)
    case_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(db_index=True)
    reason = models.TextField(blank=True)
    digest = models.CharField(max_length=64)

    objects = ScopedManager()

    class Meta:
        ordering = ["-seq"]
        constraints = [
            models.UniqueConstraint(fields=["source", "row_id"], name="core_auditlink_unique_row"),
        ]
        indexes = [models.Index(fields=["record_type", "object_id"], name="core_auditlink_record")]

    def __str__(self) -> str:
        return f"Link {self.seq}: {self.source} #{self.row_id}"
