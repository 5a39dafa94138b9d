"""The vocabulary of notifications: the events people are told about, how they want e-mail, and the outbox."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    HEARING_TOMORROW = "hearing_tomorrow", _("Hearing tomorrow")
    HEARING_IN_A_WEEK = "hearing_in_a_week", _("Hearing in 7 days")
    PRESERVATION_EXPIRING = "preservation_expiring", _("Preservation order expiring")
    PRESERVATION_LAPSED = "preservation_lapsed", _("Preservation order lapsed")
    CASE_MOVED = "case_moved", _("Case moved by someone else")
    DISBURSEMENT_APPROVED = "disbursement_approved", _("Disbursement approved")
    DISBURSEMENT_REJECTED = "disbursement_rejected", _("Disbursement rejected")
    DISBURSEMENT_PAID = "disbursement_paid", _("Disbursement paid")
    DISBURSEMENT_AWAITING = "disbursement_awaiting", _("Disbursement waiting for approval")
    PROTECTION_FLAG_RAISED = "protection_flag_raised", _("Protection flag raised")
    PROTECTION_REQUEST_WAITING = "protection_request_waiting", _("Protection request waiting")
    AUDIT_FAILED = "audit_failed", _("Audit verification failed")


# Deadline alerts: a lead prosecutor cannot turn their e-mail off (they are sent at once whatever the
# preference says, DESIGN §8 / issue 18).
DEADLINE_EVENTS = frozenset({Event.PRESERVATION_EXPIRING, Event.PRESERVATION_LAPSED})


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DIGEST = "digest", _("In a daily digest at 07:00")
    OFF = "off", _("Off (in the tracker only)")


class Delivery(models.TextChoices):
    """What happens to a notification by e-mail, decided when it is made."""

    IN_APP = "in_app", _("In the tracker only")
    QUEUED = "queued", _("E-mail queued")
    DIGEST = "digest", _("Waiting for the daily digest")
    DIGESTED = "digested", _("In a daily digest")
    NO_ADDRESS = "no_address", _("No e-mail address")


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
