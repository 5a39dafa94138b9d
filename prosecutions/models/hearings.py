"""The court's sittings in a case — purpose, outcome, adjournment and next date — and each user's personal
calendar feed of the hearings."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel
from core.querysets import ScopedQuerySet
from prosecutions.choices import AdjournmentReason, HearingOutcome, HearingPurpose
from prosecutions.models.cases import Case
from prosecutions.models.reference import Court


class HearingQuerySet(ScopedQuerySet["Hearing"]):
    def outcome_not_recorded(self, as_of: dt.date) -> HearingQuerySet:
        """Hearings whose date has passed (before ``as_of``) with no outcome recorded."""
        return self.filter(date__lt=as_of, outcome=HearingOutcome.SCHEDULED)


class Hearing(TrackedModel):
    """A sitting of the court in a case: its purpose, what happened, and the next date given."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="hearings", verbose_name=_("case"))
    date = models.DateField(_("date"), db_index=True)
    time = models.TimeField(_("time"), null=True, blank=True, help_text=_("When the court sits (East Africa Time)."))
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="hearings", verbose_name=_("court"))
    courtroom = models.CharField(
        _("courtroom"), max_length=40, blank=True, help_text=_('Court number or courtroom, e.g. "Court 3".')
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=HearingPurpose.choices)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=HearingOutcome.choices, default=HearingOutcome.SCHEDULED
    )
    adjournment_reason = models.CharField(
        _("adjournment reason"), max_length=30, choices=AdjournmentReason.choices, blank=True
    )
    next_date = models.DateField(_("next date"), null=True, blank=True)
    adjournment_clear_days = models.PositiveIntegerField(_("adjournment clear days"), null=True, blank=True)
    exceeds_adjournment_limit = models.BooleanField(
        _("exceeds adjournment limit"),
        default=False,
        help_text=_("Adjourned beyond CPC s.205 (30 clear days, 15 when an accused is remanded)."),
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = HearingQuerySet.as_manager()

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["date", "time", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_date__isnull=True) | Q(next_date__gt=models.F("date")),
                name="prosecutions_hearing_next_after_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} on {self.date:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("prosecutions:case_detail", args=[self.case_id]) + "?tab=hearings"

    @property
    def is_adjourned(self) -> bool:
        return self.outcome == HearingOutcome.ADJOURNED


class CalendarFeed(models.Model):
    """A user's personal hearings calendar feed (iCalendar): a secret token in a URL that calendar apps
    subscribe to. Only the token's SHA-256 is stored; revoking deletes the row, and a new token replaces it.
    Not tracked in history: the row is a credential, not a record of the case."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("user")
    )
    token_digest = models.CharField(_("token digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
