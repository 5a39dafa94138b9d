"""The accused in a case, the counts on the charge sheet against each of them (with plea and outcome), and
the sentence passed on each convicted count."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.models import MoneyField, TrackedModel
from core.querysets import ScopedManager
from prosecutions.choices import (
    CustodyStatus,
    Disposition,
    FineRelation,
    NetworkRole,
    Plea,
    SentenceOverrideGround,
    Sex,
)
from prosecutions.models.cases import Case
from prosecutions.models.persons import Person
from prosecutions.models.reference import Offence


class Accused(TrackedModel):
    """A person charged (or to be charged) in a case, with their role in the trafficking network."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="accused", verbose_name=_("case"))
    name = models.CharField(_("name"), max_length=150)
    aliases = models.CharField(
        _("aliases"),
        max_length=255,
        blank=True,
        help_text=_("Other names the accused is known by, separated by commas."),
    )
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    age = models.PositiveSmallIntegerField(
        _("age"), null=True, blank=True, help_text=_("Age when charged, if no date of birth.")
    )
    nationality = models.CharField(_("nationality"), max_length=60, blank=True)
    id_number = models.CharField(_("ID or passport number"), max_length=40, blank=True)
    network_role = models.CharField(
        _("network role"), max_length=20, choices=NetworkRole.choices, default=NetworkRole.OTHER, db_index=True
    )
    custody_status = models.CharField(
        _("custody status"), max_length=20, choices=CustodyStatus.choices, default=CustodyStatus.REMANDED
    )
    bail_terms = models.CharField(_("bail terms"), max_length=255, blank=True)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accused_records",
        help_text=_("Who this accused is in the index of persons."),
        verbose_name=_("person"),
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("accused")
        verbose_name_plural = _("accused")
        ordering = ["case", "id"]
        verbose_name_plural = _("accused")

    def __str__(self) -> str:
        return self.name


class Charge(TrackedModel):
    """One count on the charge sheet against one accused, with its plea and its own outcome."""

    accused = models.ForeignKey(Accused, on_delete=models.PROTECT, related_name="charges", verbose_name=_("accused"))
    count_number = models.PositiveSmallIntegerField(_("count number"))
    offence = models.ForeignKey(Offence, on_delete=models.PROTECT, related_name="charges", verbose_name=_("offence"))
    penalty_section = models.CharField(_("as read with section"), max_length=20, blank=True)
    particulars = models.TextField(_("particulars"), blank=True)
    offence_date = models.DateField(_("offence date"), null=True, blank=True)
    plea = models.CharField(_("plea"), max_length=30, choices=Plea.choices, default=Plea.NOT_TAKEN)
    plea_date = models.DateField(_("plea date"), null=True, blank=True)
    disposition = models.CharField(
        _("disposition"), max_length=30, choices=Disposition.choices, default=Disposition.PENDING, db_index=True
    )
    disposition_date = models.DateField(_("disposition date"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        ordering = ["accused", "count_number"]
        constraints = [
            models.UniqueConstraint(fields=["accused", "count_number"], name="prosecutions_charge_unique_count"),
            models.CheckConstraint(condition=Q(count_number__gte=1), name="prosecutions_charge_count_positive"),
        ]

    def __str__(self) -> str:
        # No related lookups here: history lists render many of these at once.
        return f"Count {self.count_number}"

    @property
    def description(self) -> str:
        return f"Count {self.count_number}: {self.offence.short_statute} s.{self.offence.section}"

    @property
    def is_conviction(self) -> bool:
        from prosecutions.choices import CONVICTIONS

        return self.disposition in CONVICTIONS


class Sentence(TrackedModel):
    """The sentence passed on one convicted count."""

    charge = models.OneToOneField(Charge, on_delete=models.PROTECT, related_name="sentence", verbose_name=_("charge"))
    sentenced_on = models.DateField(_("sentenced on"))
    custodial_months = models.PositiveIntegerField(_("custodial months"), null=True, blank=True)
    life_imprisonment = models.BooleanField(_("life imprisonment"), default=False)
    fine_amount = MoneyField(_("fine amount"), null=True, blank=True)
    fine_default_months = models.PositiveIntegerField(
        _("fine default months"), null=True, blank=True, help_text=_("Imprisonment in default of paying the fine.")
    )
    fine_relation = models.CharField(
        _("fine relation"), max_length=20, choices=FineRelation.choices, default=FineRelation.NONE
    )
    compensation_amount = MoneyField(
        _("compensation amount"), null=True, blank=True, help_text=_("Compensation or restitution (CTIP s.13).")
    )
    compensation_victim = models.ForeignKey(
        "victims.Victim",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="compensation_orders",
        verbose_name=_("compensation victim"),
    )
    deportation = models.BooleanField(
        _("deportation"), default=False, help_text=_("Deportation after sentence (CTIP s.26(1)).")
    )
    forfeiture_ordered = models.BooleanField(
        _("forfeiture ordered"), default=False, help_text=_("Forfeiture of proceeds (CTIP s.17).")
    )
    notes = models.TextField(_("notes"), blank=True)
    override_ground = models.CharField(
        _("override ground"),
        max_length=20,
        choices=SentenceOverrideGround.choices,
        blank=True,
        help_text=_("Set when the sentence lies outside the offence's statutory range."),
    )
    override_reason = models.TextField(
        _("override reason"), blank=True, help_text=_("Why the statutory range does not apply.")
    )

    class Meta:
        verbose_name = _("sentence")
        verbose_name_plural = _("sentences")
        ordering = ["sentenced_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fine_amount__isnull=True) | Q(fine_amount__gt=0), name="prosecutions_sentence_fine_positive"
            ),
            models.CheckConstraint(
                condition=Q(compensation_amount__isnull=True) | Q(compensation_amount__gt=0),
                name="prosecutions_sentence_compensation_positive",
            ),
            models.CheckConstraint(
                condition=~(Q(life_imprisonment=True) & Q(custodial_months__isnull=False)),
                name="prosecutions_sentence_life_or_months",
            ),
        ]

    def __str__(self) -> str:
        return f"Sentence passed on {self.sentenced_on:%d %b %Y}"

    @property
    def custodial_label(self) -> str:
        if self.life_imprisonment:
            return gettext("Life imprisonment")
        if self.custodial_months:
            years, months = divmod(self.custodial_months, 12)
            parts = [
                # Translators: a prison term in years, abbreviated ("3 yr").
                ngettext("%(years)s yr", "%(years)s yr", years) % {"years": years} if years else "",
                # Translators: a prison term in months, abbreviated ("6 mo").
                ngettext("%(months)s mo", "%(months)s mo", months) % {"months": months} if months else "",
            ]
            return " ".join(p for p in parts if p)
        return ""
