"""The prosecution case file at the ODPP and each move it makes from stage to stage, with the stages that
count as open and the lazy names of the victims register that a case's victims are kept in."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.models import County, TrackedModel
from core.querysets import ScopedManager, ScopedQuerySet
from prosecutions.choices import ClosureReason, ExploitationType, Scope, Stage
from prosecutions.models.reference import Court

OPEN_STAGES = tuple(stage for stage in Stage if stage != Stage.CLOSED)


def victim_model() -> Any:
    """The victims register's ``Victim`` (it lives in ``victims``, which sits above this app: named lazily)."""
    return apps.get_model("victims", "Victim")


def case_victim_model() -> Any:
    """The register's link of a victim to a case in a role (``victims.CaseVictim``), named lazily."""
    return apps.get_model("victims", "CaseVictim")


class CaseQuerySet(ScopedQuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.exclude(stage=Stage.CLOSED)


class Case(TrackedModel):
    """A trafficking prosecution file at the ODPP, from investigation to verdict and appeal."""

    rows_tallied = True  # the count of every case is kept by the database (core.tally, migration 0015)

    reference = models.CharField(_("ODPP file number"), max_length=40, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=255, help_text=_('"Republic v. …"'))
    court = models.ForeignKey(
        Court, on_delete=models.PROTECT, null=True, blank=True, related_name="cases", verbose_name=_("court")
    )
    court_case_type = models.CharField(_("court case type"), max_length=60, default="Criminal Case", blank=True)
    court_case_serial = models.CharField(
        _("court case serial"), max_length=20, blank=True, db_index=True, help_text=_('e.g. "E123" or "117".')
    )
    court_case_year = models.PositiveSmallIntegerField(_("court case year"), null=True, blank=True)
    police_station = models.CharField(_("police station"), max_length=100, blank=True)
    ob_number = models.CharField(_("OB number"), max_length=60, blank=True, db_index=True)
    ob_date = models.DateField(_("OB date"), null=True, blank=True)
    dci_reference = models.CharField(_("DCI reference"), max_length=60, blank=True)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="cases", verbose_name=_("county"))
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices, default=Scope.INTERNAL)
    exploitation_types = models.JSONField(
        _("exploitation types"), default=list, blank=True, help_text=_("ExploitationType values.")
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.INVESTIGATION, db_index=True
    )
    lead_prosecutor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_cases", verbose_name=_("lead prosecutor")
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="team_cases", verbose_name=_("team")
    )
    opened_on = models.DateField(_("opened on"), db_index=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.CharField(_("closure reason"), max_length=20, choices=ClosureReason.choices, blank=True)
    last_activity_on = models.DateField(
        _("last activity on"), db_index=True, help_text=_("Last stage move, hearing or count outcome.")
    )
    in_camera = models.BooleanField(
        _("in camera"), default=False, help_text=_("Proceedings held in camera (CTIP s.11).")
    )
    summary = models.TextField(_("summary"), blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["stage", "last_activity_on"], name="prosecutions_case_stage_idle"),
            # The case list's order, and its county filter in that order (migration 0011_case_list_indexes):
            # a page of 25 reads 25 index entries instead of sorting every case.
            models.Index(fields=["-opened_on", "-id"], name="prosecutions_case_list"),
            models.Index(fields=["county", "-opened_on", "-id"], name="prosecutions_case_county_list"),
            # The count of a list filtered by county and stage, from the index alone.
            models.Index(fields=["county", "stage"], name="prosecutions_case_county_stage"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage=Stage.CLOSED) | (Q(closed_on__isnull=False) & ~Q(closure_reason="")),
                name="prosecutions_case_closed_has_date_and_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("prosecutions:case_detail", args=[self.pk])

    @property
    def court_case_number(self) -> str:
        """The court's number, e.g. "Criminal Case E123 of 2024"."""
        if not self.court_case_serial:
            return ""
        if not self.court_case_year:
            return f"{self.court_case_type} {self.court_case_serial}".strip()
        # Translators: a court case number, e.g. "Criminal Case E123 of 2024".
        return gettext("%(type)s %(serial)s of %(year)s") % {
            "type": self.court_case_type,
            "serial": self.court_case_serial,
            "year": self.court_case_year,
        }

    @property
    def is_closed(self) -> bool:
        return self.stage == Stage.CLOSED

    def exploitation_type_labels(self) -> str:
        labels = dict(ExploitationType.choices)
        return ", ".join(str(labels.get(value, value)) for value in self.exploitation_types)


class StageChange(TrackedModel):
    """One move of a case from one stage to another: the case timeline is read from these rows."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="stage_changes", verbose_name=_("case"))
    from_stage = models.CharField(_("from stage"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to stage"), max_length=20, choices=Stage.choices)
    effective_on = models.DateField(_("effective on"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("changed by")
    )
    closure_reason = models.CharField(_("closure reason"), max_length=20, choices=ClosureReason.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["effective_on", "id"]

    def __str__(self) -> str:
        # No related lookups here: history lists render many of these at once.
        moved = f"{self.get_from_stage_display() or 'New case'} → {self.get_to_stage_display()}"
        return f"{moved} on {self.effective_on:%d %b %Y}"
