"""Trafficking prosecutions: the case file, its accused and counts, victims, hearings and stages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.models import County, MoneyField, TrackedModel
from core.querysets import ScopedManager, ScopedQuerySet
from prosecutions.choices import (
    AdjournmentReason,
    ClosureReason,
    CorrectionKind,
    CourtLevel,
    CustodyStatus,
    Disposition,
    ExploitationType,
    FineRelation,
    HearingOutcome,
    HearingPurpose,
    IdentifierKind,
    NetworkRole,
    Plea,
    Scope,
    SentenceOverrideGround,
    Sex,
    Stage,
    Statute,
)

OPEN_STAGES = tuple(stage for stage in Stage if stage != Stage.CLOSED)


def victim_model() -> Any:
    """The victims register's ``Victim`` (it lives in ``victims``, which sits above this app: named lazily)."""
    return apps.get_model("victims", "Victim")


def case_victim_model() -> Any:
    """The register's link of a victim to a case in a role (``victims.CaseVictim``), named lazily."""
    return apps.get_model("victims", "CaseVictim")


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


class Person(TrackedModel):
    """One real person in the index of persons accused: however many cases they are accused in, and however
    their name is spelt in each. An accused record is this person in one case (with the case's own facts —
    network role, custody, counts). Protected witnesses never enter the index. A person merged into another
    by the unit head points at the one kept (``merged_into``) and is no longer listed."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=150, db_index=True)
    aliases = models.CharField(
        _("aliases"), max_length=255, blank=True, help_text=_("Other names, separated by commas.")
    )
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"), null=True, blank=True, help_text=_("When only the year is known.")
    )
    nationality = models.CharField(_("nationality"), max_length=60, blank=True)
    addresses = models.TextField(_("addresses"), blank=True, help_text=_("Known addresses, as text."))
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.reference})"

    def get_absolute_url(self) -> str:
        return reverse("prosecutions:person_detail", args=[self.pk])


class PersonIdentifier(TrackedModel):
    """A national ID, passport or phone number a person is known by, normalised (digits; upper case; E.164)
    so that the same number written two ways matches."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="identifiers", verbose_name=_("person"))
    kind = models.CharField(_("kind"), max_length=20, choices=IdentifierKind.choices)
    value = models.CharField(_("value"), max_length=40)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("person identifier")
        verbose_name_plural = _("person identifiers")
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "value"], name="prosecutions_person_identifier_once"),
        ]
        indexes = [models.Index(fields=["kind", "value"], name="prosecutions_identifier_value")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class PersonMerge(TrackedModel):
    """The unit head's decision that two index records are one person: the accused records of ``merged`` move
    to ``kept``, with the reason. Undone by a second record that ``undoes`` it — never by deleting."""

    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_out", verbose_name=_("merged"))
    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_in", verbose_name=_("kept"))
    reason = models.TextField(_("reason"))
    moved_accused = models.JSONField(
        _("moved accused"), default=list, help_text=_("The ids of the accused records moved.")
    )
    undoes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="undone_by", verbose_name=_("undoes")
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"))

    objects = ScopedManager()

    class Meta:
        verbose_name = _("person merge")
        verbose_name_plural = _("person merges")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(merged=F("kept")), name="prosecutions_merge_two_persons"),
        ]

    def __str__(self) -> str:
        verb = "Undo of merge" if self.undoes_id else "Merge"
        return f"{verb}: {self.merged.reference} into {self.kept.reference}"


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
