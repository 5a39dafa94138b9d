"""The vocabulary of notifications: the events people are told about, how they want e-mail, and the outbox."""

from __future__ import annotations

from django.db import models


class Event(models.TextChoices):
    HEARING_TOMORROW = "hearing_tomorrow", "Hearing tomorrow"
    HEARING_IN_A_WEEK = "hearing_in_a_week", "Hearing in 7 days"
    PRESERVATION_EXPIRING = "preservation_expiring", "Preservation order expiring"
    PRESERVATION_LAPSED = "preservation_lapsed", "Preservation order lapsed"
    CASE_MOVED = "case_moved", "Case moved by someone else"
    DISBURSEMENT_APPROVED = "disbursement_approved", "Disbursement approved"
    DISBURSEMENT_REJECTED = "disbursement_rejected", "Disbursement rejected"
    DISBURSEMENT_PAID = "disbursement_paid", "Disbursement paid"
    DISBURSEMENT_AWAITING = "disbursement_awaiting", "Disbursement waiting for approval"
    PROTECTION_FLAG_RAISED = "protection_flag_raised", "Protection flag raised"
    PROTECTION_REQUEST_WAITING = "protection_request_waiting", "Protection request waiting"
    AUDIT_FAILED = "audit_failed", "Audit verification failed"


# Deadline alerts: a lead prosecutor cannot turn their e-mail off (they are sent at once whatever the
# preference says, DESIGN §8 / issue 18).
DEADLINE_EVENTS = frozenset({Event.PRESERVATION_EXPIRING, Event.PRESERVATION_LAPSED})


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", "Immediately"
    DIGEST = "digest", "In a daily digest at 07:00"
    OFF = "off", "Off (in the tracker only)"


class Delivery(models.TextChoices):
    """What happens to a notification by e-mail, decided when it is made."""

    IN_APP = "in_app", "In the tracker only"
    QUEUED = "queued", "E-mail queued"
    DIGEST = "digest", "Waiting for the daily digest"
    DIGESTED = "digested", "In a daily digest"
    NO_ADDRESS = "no_address", "No e-mail address"


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
