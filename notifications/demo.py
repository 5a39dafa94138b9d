"""Demo notifications. The other apps' demo seeds replay months of back-dated history through the services,
and each move told its people as it committed; that is not news to anyone opening the demo, so this step
clears it and tells the demo users what a morning's schedule would — hearings next week, preservation
deadlines, requests waiting for approval — plus the latest disbursement decision and protection flag, as
they would have been told at the time. The auditor takes a daily digest."""

from __future__ import annotations

from collections.abc import Callable

from core.models import User
from notifications import events, schedule, services
from notifications.choices import EmailMode, OutboxStatus
from notifications.models import Notification, OutboxEmail
from trustfund.choices import DisbursementStatus
from trustfund.models import DisbursementEvent
from witnesses.choices import ProtectionStatus
from witnesses.models import ProtectionStatusChange


def seed_notifications(users: dict[str, User], out: Callable[[str], None]) -> None:
    Notification.objects.all().delete()
    OutboxEmail.objects.filter(status=OutboxStatus.QUEUED).delete()
    if "auditor" in users:
        services.set_email_mode(users["auditor"], EmailMode.DIGEST)
    decision = DisbursementEvent.objects.filter(to_status=DisbursementStatus.APPROVED).order_by("-at", "-id").first()
    if decision is not None:
        events.disbursement_moved(decision)
    flag = ProtectionStatusChange.objects.filter(to_status=ProtectionStatus.FLAGGED).order_by("-id").first()
    if flag is not None:
        events.protection_moved(flag)
    for line in (schedule.hearing_reminders(), schedule.preservation_alerts(), schedule.approvals_waiting()):
        out(str(line))
    out(f"Notifications: {Notification.objects.count()} for the demo users.")
