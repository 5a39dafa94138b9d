"""Corrections of facts already recorded in a case — a plea, a count's outcome, a sentence, a hearing, an
accused's details: what was changed, by whom, and why."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel
from core.querysets import ScopedManager
from prosecutions.choices import CorrectionKind
from prosecutions.models.cases import Case


class Correction(TrackedModel):
    """A correction of a fact already recorded in a case — a plea, a count's outcome, a sentence, a hearing
    or an accused's details — with who made it and why. The corrected record's own history keeps the old
    value; this record says that the change was a correction, what it changed, and the reason."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=20, choices=CorrectionKind.choices)
    record_type = models.CharField(
        _("record type"), max_length=100, help_text=_('The corrected model, e.g. "prosecutions.charge".')
    )
    record_id = models.PositiveBigIntegerField(_("record id"))
    record_label = models.CharField(
        _("record label"), max_length=255, help_text=_("What was corrected, as shown to users.")
    )
    changes = models.JSONField(
        _("changes"), default=dict, help_text=_('{field label: {"from": old, "to": new}} as displayed.')
    )
    reason = models.TextField(_("reason"))
    corrected_on = models.DateField(_("corrected on"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("corrected by")
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-corrected_on", "-id"]
        indexes = [models.Index(fields=["record_type", "record_id"], name="prosecutions_correction_record")]

    def __str__(self) -> str:
        return f"Correction of {self.record_label}"

    def get_absolute_url(self) -> str:
        return reverse("prosecutions:case_detail", args=[self.case_id]) + "?tab=history"
