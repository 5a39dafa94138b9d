"""The reference data every case is written against: the statutory offences (each version of a section
and the penalties it carried while in force) and the court stations where trafficking cases are heard."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import County, MoneyField, TrackedModel
from prosecutions.choices import CourtLevel, Statute


class Offence(TrackedModel):
    """One version of a statutory offence: its section, the penalty section it is read with, and the
    minimum penalty that applied to offences committed between ``effective_from`` and ``effective_to``.

    Penalties changed over time (DOMAIN §1.3), so one section can have several versions.
    """

    statute = models.CharField(_("statute"), max_length=20, choices=Statute.choices)
    section = models.CharField(
        _("section"), max_length=20, help_text=_('Offence-creating section, e.g. "3(1)" or "7".')
    )
    title = models.CharField(_("title"), max_length=200)
    penalty_section = models.CharField(
        _("penalty section"), max_length=20, blank=True, help_text=_('"As read with", e.g. "3(5)".')
    )
    min_custodial_months = models.PositiveIntegerField(_("min custodial months"), null=True, blank=True)
    life_imprisonment = models.BooleanField(
        _("life imprisonment"), default=False, help_text=_("The penalty is imprisonment for life.")
    )
    min_fine = MoneyField(_("min fine"), null=True, blank=True)
    max_custodial_months = models.PositiveIntegerField(
        _("max custodial months"),
        null=True,
        blank=True,
        help_text=_("Longest term the section allows; empty when it sets none (or life)."),
    )
    max_fine = MoneyField(
        _("max fine"), null=True, blank=True, help_text=_("Largest fine the section allows; empty when it sets none.")
    )
    subsequent_conviction_penalty = models.CharField(_("subsequent conviction penalty"), max_length=200, blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("offence")
        verbose_name_plural = _("offences")
        ordering = ["statute", "section", "effective_from"]
        indexes = [models.Index(fields=["section"], name="prosecutions_offence_section")]
        constraints = [
            models.UniqueConstraint(
                fields=["statute", "section", "effective_from"], name="prosecutions_offence_unique_version"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="prosecutions_offence_effective_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.short_statute} s.{self.section} — {self.title}"

    @property
    def short_statute(self) -> str:
        return {
            Statute.CTIP: "CTIP Act",
            Statute.SEXUAL_OFFENCES: "SOA",
            Statute.CHILDREN: "Children Act",
            Statute.IMMIGRATION: "Immigration Act",
            Statute.PENAL_CODE: "Penal Code",
        }.get(Statute(self.statute), self.statute)

    @property
    def citation(self) -> str:
        """As on a charge sheet: "contrary to section 3(1) as read with section 3(5) of the CTIP Act"."""
        read_with = f" as read with section {self.penalty_section}" if self.penalty_section else ""
        return f"contrary to section {self.section}{read_with} of the {self.get_statute_display()}"

    def applies_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


class Court(TrackedModel):
    """A court station where trafficking cases are heard, at a given rank."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    level = models.CharField(_("level"), max_length=4, choices=CourtLevel.choices)
    station = models.CharField(_("station"), max_length=100)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="courts", verbose_name=_("county"))
    is_active = models.BooleanField(_("is active"), default=True)

    class Meta:
        verbose_name = _("court")
        verbose_name_plural = _("courts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
