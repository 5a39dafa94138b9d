"""Read-only admin pages: notifications and the outbox are made by the services, never edited by hand."""

from __future__ import annotations

from django.contrib import admin

from core.admin_base import ReadOnlyAdmin
from notifications.models import Notification, OutboxEmail


@admin.register(OutboxEmail)
class OutboxEmailAdmin(ReadOnlyAdmin):
    list_display = ["subject", "to_address", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status"]
    exclude = ["body"]  # an e-mail's text is its recipient's


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["title", "recipient", "event", "created_at", "read_at", "delivery"]
    list_filter = ["event", "delivery"]
    fields = ["recipient", "event", "title", "reference", "created_at", "read_at", "delivery"]
