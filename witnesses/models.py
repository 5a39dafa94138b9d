"""Witnesses known by a code, their protection, and the encrypted vault of their real identities."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.models import TrackedModel
from core.querysets import ScopedManager
from prosecutions.models import Case
from victims.models import Victim
from witnesses.choices import (
    Applicant,
    MeasureCategory,
    MeasureKind,
    MeasureStatus,
    ProtectionStatus,
    RiskLevel,
    TerminationGround,
    WitnessRole,
)
from witnesses.vault import EncryptedTextField


class Witness(TrackedModel):
    """A person who gives or will give evidence for the State, known everywhere by a code
    (``W-2026-0019``) and never by name, with the state of their protection."""

    code = models.CharField(_("code"), max_length=20, unique=True, editable=False)
    victim = models.ForeignKey(
        Victim,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="witnesses",
        help_text=_("The victim record this witness corresponds to, if any."),
        verbose_name=_("victim"),
    )
    protection_status = models.CharField(
        _("protection status"),
        max_length=20,
        choices=ProtectionStatus.choices,
        default=ProtectionStatus.NONE,
        db_index=True,
    )
    risk_level = models.CharField(
        _("risk level"), max_length=20, choices=RiskLevel.choices, default=RiskLevel.NOT_ASSESSED
    )
    applicant = models.CharField(
        _("protection requested by"), max_length=30, choices=Applicant.choices, blank=True, db_index=True
    )
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("flagged by"),
    )
    flagged_on = models.DateField(_("flagged on"), null=True, blank=True, db_index=True)
    flag_reason = models.TextField(_("why protection is needed"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("witness")
        verbose_name_plural = _("witnesses")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("witnesses:witness_detail", args=[self.pk])


class Appearance(TrackedModel):
    """A witness's part in one case: the role they testify in and their number on the witness list (PW3)."""

    witness = models.ForeignKey(
        Witness, on_delete=models.PROTECT, related_name="appearances", verbose_name=_("witness")
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="witness_appearances", verbose_name=_("case"))
    role = models.CharField(_("role"), max_length=20, choices=WitnessRole.choices, db_index=True)
    witness_number = models.CharField(
        _("witness number"), max_length=10, blank=True, help_text=_('The prosecution witness number, e.g. "PW3".')
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("appearance")
        verbose_name_plural = _("appearances")
        ordering = ["case_id", "witness_number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["witness", "case"], name="witnesses_appearance_once_per_case"),
            models.UniqueConstraint(
                fields=["case", "witness_number"],
                condition=~Q(witness_number=""),
                name="witnesses_appearance_number_unique_in_case",
            ),
        ]

    def __str__(self) -> str:
        return _("%(number)s (%(role)s)") % {
            "number": self.witness_number or _("Witness"),
            "role": self.get_role_display(),
        }


class ProtectionStatusChange(TrackedModel):
    """One move of a witness's protection status: from, to, when, who, why (and the s.10 ground of a
    termination). The witness's protection timeline reads these rows."""

    witness = models.ForeignKey(
        Witness, on_delete=models.PROTECT, related_name="status_changes", verbose_name=_("witness")
    )
    from_status = models.CharField(_("from status"), max_length=20, choices=ProtectionStatus.choices)
    to_status = models.CharField(_("to status"), max_length=20, choices=ProtectionStatus.choices)
    effective_on = models.DateField(_("effective on"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("changed by")
    )
    reason = models.TextField(_("reason"))
    risk_level = models.CharField(_("risk level"), max_length=20, choices=RiskLevel.choices, blank=True)
    termination_ground = models.CharField(
        _("termination ground"), max_length=30, choices=TerminationGround.choices, blank=True
    )

    class Meta:
        verbose_name = _("protection status change")
        verbose_name_plural = _("protection status changes")
        ordering = ["effective_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class ProtectionMeasure(TrackedModel):
    """A protection measure: a programme measure of the Agency (armed protection, relocation, change of
    identity) or a court measure in the witness's cases (in camera, pseudonym, screen, voice distortion…)."""

    witness = models.ForeignKey(Witness, on_delete=models.PROTECT, related_name="measures", verbose_name=_("witness"))
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For a court measure ordered in one case only; blank means every case of the witness."),
        verbose_name=_("case"),
    )
    kind = models.CharField(_("measure"), max_length=30, choices=MeasureKind.choices)
    category = models.CharField(
        _("category"), max_length=10, choices=MeasureCategory.choices, editable=False, db_index=True
    )
    status = models.CharField(_("status"), max_length=20, choices=MeasureStatus.choices, db_index=True)
    court_order_reference = models.CharField(_("court order reference"), max_length=80, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("protection measure")
        verbose_name_plural = _("protection measures")
        ordering = ["category", "kind", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="witnesses_measure_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return _("%(measure)s (%(status)s)") % {
            "measure": self.get_kind_display(),
            "status": self.get_status_display().lower(),
        }


class Identity(TrackedModel):
    """The real identity of a witness, encrypted at rest. Read only by witness protection liaisons,
    through the vault service that records an ``IdentityAccess`` first."""

    witness = models.OneToOneField(
        Witness, on_delete=models.PROTECT, related_name="identity", verbose_name=_("witness")
    )
    witness_code = models.CharField(_("witness code"), max_length=20, editable=False)
    full_name = EncryptedTextField(_("real name"))
    id_number = EncryptedTextField(_("ID or passport number"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    next_of_kin = EncryptedTextField(_("next of kin"), blank=True)

    ENCRYPTED_FIELDS = ("full_name", "id_number", "phone", "address", "next_of_kin")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("identity")
        verbose_name_plural = _("identities")
        verbose_name_plural = _("identities")

    def __str__(self) -> str:
        return _("Identity of %(code)s") % {"code": self.witness_code}


class IdentityAccess(TrackedModel):
    """One reading of a protected identity: who, when and the purpose they gave (recorded before the
    identity is shown)."""

    witness = models.ForeignKey(
        Witness, on_delete=models.PROTECT, related_name="identity_accesses", verbose_name=_("witness")
    )
    accessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("accessed by")
    )
    accessed_at = models.DateTimeField(_("accessed at"), db_index=True)
    purpose = models.TextField(_("purpose"))

    class Meta:
        verbose_name = _("identity access")
        verbose_name_plural = _("identity accesses")
        ordering = ["-accessed_at", "-id"]
        verbose_name_plural = _("identity accesses")

    def __str__(self) -> str:
        # Nairobi time, as every page shows times: this name is what the audit log and History tabs print.
        return _("Identity read on %(when)s") % {"when": date_format(timezone.localtime(self.accessed_at), "d M Y H:i")}
