"""Notifications: what a person is told (in the tracker, and by e-mail), how they want e-mail, the outbox.

``Notification`` and ``OutboxEmail`` are delivery infrastructure, like sign-in events: plain rows, not
tracked in history — the records they are about keep their own history and audit chain, and marking a
notification read is not a change to any record. A person's e-mail preference is a ``TrackedModel``: who
turned their e-mail off, and when, is worth knowing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel
from core.querysets import ScopedManager
from notifications.choices import Delivery, EmailMode, Event, OutboxStatus


class OutboxEmail(models.Model):
    """An e-mail waiting to be sent, or sent: kept until it leaves, retried with back-off while the mail
    server refuses it, so that nothing is lost when the server is down. ``key`` makes each e-mail unique
    (one per immediate notification, one digest per person per day)."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    to_address = models.EmailField(_("to address"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    status = models.CharField(_("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), db_index=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("outbox email")
        verbose_name_plural = _("outbox emails")
        ordering = ["next_attempt_at", "id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notifications_outbox_due")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=OutboxStatus.SENT) | Q(sent_at__isnull=False),
                name="notifications_outbox_sent_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_address}"

    @property
    def is_delayed(self) -> bool:
        """Still queued after at least one refused attempt."""
        return self.status == OutboxStatus.QUEUED and self.attempts > 0


class Notification(models.Model):
    """Something a person is told: an event about a record of theirs (a hearing tomorrow, a case moved,
    a disbursement approved …), with the record's reference and a link to it. ``key`` names the event,
    the record and the occasion: the same event for the same record and person is never made twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    event = models.CharField(_("event"), max_length=40, choices=Event.choices, db_index=True)
    key = models.CharField(_("key"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    reference = models.CharField(
        _("reference"), max_length=60, help_text=_("The record's reference (a case, order, disbursement …).")
    )
    url = models.CharField(_("url"), max_length=300, help_text=_("The record's page, as a path on this site."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    delivery = models.CharField(_("delivery"), max_length=12, choices=Delivery.choices, default=Delivery.IN_APP)
    email = models.ForeignKey(
        OutboxEmail,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("email"),
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notifications_once_per_person")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notifications_unread")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(TrackedModel):
    """How a person wants their notifications by e-mail: at once, in a daily digest at 07:00 Nairobi time,
    or not at all (they always see them in the tracker). Deadline alerts reach a lead prosecutor by e-mail
    whatever this says."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    email_mode = models.CharField(
        _("email mode"), max_length=10, choices=EmailMode.choices, default=EmailMode.IMMEDIATE
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.get_email_mode_display()}"
