"""The API's own records: personal tokens that other systems sign in with, and the answers to idempotent
writes kept for replay."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A token reads ``ctip_<prefix>_<secret>``: the prefix finds the row, the secret (256 bits) is checked
# against its SHA-256 digest. A fast hash is right for a random secret of that size: nothing to guess.
TOKEN_TAG = "ctip"
PREFIX_BYTES = 6  # 12 hex digits
SECRET_BYTES = 32  # 256 bits
MAX_LIFETIME = dt.timedelta(days=365)
# last_used_at is written at most this often, so a busy system does not write on every request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
# Idempotency records are kept at least this long; older ones may be pruned.
IDEMPOTENCY_RETENTION = dt.timedelta(hours=24)


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def in_force(self, now: dt.datetime | None = None) -> ApiTokenQuerySet:
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    """A personal API token: the key one person gives another agency's system (the Judiciary's case
    tracking, the NRM, the Assets Recovery Agency) to act as them through the API, with their roles and
    no more. Named, expiring within a year, revocable; only a digest of the secret is stored, so the token
    is shown once, when made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. the system using it."))
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, db_index=True)
    digest = models.CharField(_("digest"), max_length=64)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")), name="api_token_expires_after_created"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_secret() -> tuple[str, str]:
        """A fresh (prefix, secret) pair."""
        return secrets.token_hex(PREFIX_BYTES), secrets.token_urlsafe(SECRET_BYTES)

    @staticmethod
    def compose(prefix: str, secret: str) -> str:
        return f"{TOKEN_TAG}_{prefix}_{secret}"

    @staticmethod
    def split(token: str) -> tuple[str, str] | None:
        """(prefix, secret) of a presented token, or None when it is not shaped like one of ours."""
        tag, _sep, rest = token.partition("_")
        prefix, _sep, secret = rest.partition("_")
        if tag != TOKEN_TAG or len(prefix) != 2 * PREFIX_BYTES or not secret:
            return None
        return prefix, secret

    def matches(self, secret: str) -> bool:
        return hmac.compare_digest(self.digest, digest_of(secret))

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def in_force(self) -> bool:
        return not self.is_revoked and not self.is_expired


class IdempotencyRecord(models.Model):
    """The answer given to one write sent with an ``Idempotency-Key``: a retry of the same request gets the
    same answer back instead of doing the work twice. One per user and key (a database constraint, so of
    two copies sent at once exactly one does the work); kept at least 24 hours."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    key = models.CharField(_("key"), max_length=255)
    fingerprint = models.CharField(
        _("fingerprint"), max_length=64, help_text=_("SHA-256 of the method, path and body.")
    )
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True)
    body = models.JSONField(_("body"), null=True, encoder=None)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="api_idempotency_one_per_user_key")]

    def __str__(self) -> str:
        return f"{self.key} → {self.status_code}"

    @classmethod
    def prune(cls, now: dt.datetime | None = None) -> int:
        """Delete records older than the retention; returns how many went."""
        cutoff = (now or timezone.now()) - 2 * IDEMPOTENCY_RETENTION
        deleted: tuple[int, Any] = cls.objects.filter(created_at__lt=cutoff).delete()
        return deleted[0]
