"""The index of persons accused: one real person however many cases they are accused in, the ID, passport
and phone numbers they are known by, and the unit head's decisions that two records are one person."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel
from core.querysets import ScopedManager
from prosecutions.choices import IdentifierKind, Sex


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
