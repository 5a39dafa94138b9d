"""The money the Fund receives (CTIP s.23(1)) and pays out to assist victims (s.23(2), s.15)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assets.models import Realisation
from core.models import MoneyField, TrackedModel
from core.querysets import ScopedManager
from trustfund.choices import DisbursementPurpose, DisbursementStatus, ReceiptSource
from trustfund.models.ledger import JournalEntry
from victims.models import Victim


class Receipt(TrackedModel):
    """Money received into the Fund's bank account from one of its four sources (CTIP s.23(1))."""

    reference = models.CharField(_("reference"), max_length=24, unique=True, editable=False)
    received_on = models.DateField(_("received on"), db_index=True)
    source = models.CharField(_("source"), max_length=30, choices=ReceiptSource.choices, db_index=True)
    amount = MoneyField(_("amount"))
    payer = models.CharField(_("payer"), max_length=150)
    payer_reference = models.CharField(
        _("payer reference"),
        max_length=60,
        blank=True,
        help_text=_("The reference on the bank credit (cheque, EFT or RTGS reference)."),
    )
    realisation = models.ForeignKey(
        Realisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_receipts",
        verbose_name=_("realisation"),
    )
    over_receipt_reason = models.TextField(_("over receipt reason"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, related_name="receipt", verbose_name=_("entry")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="trustfund_receipt_amount_positive"),
            models.CheckConstraint(
                condition=(Q(source=ReceiptSource.FORFEITED_PROCEEDS) & Q(realisation__isnull=False))
                | (~Q(source=ReceiptSource.FORFEITED_PROCEEDS) & Q(realisation__isnull=True)),
                name="trustfund_receipt_forfeiture_cites_realisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.payer}"

    def get_absolute_url(self) -> str:
        return reverse("trustfund:receipt_detail", args=[self.pk])


class Disbursement(TrackedModel):
    """A payment out of the Fund to assist a victim (by code) or pay a service provider, under a Board
    of Trustees resolution; requested by one officer and approved by another before it is paid."""

    reference = models.CharField(_("reference"), max_length=24, unique=True, editable=False)
    victim = models.ForeignKey(
        Victim, on_delete=models.PROTECT, null=True, blank=True, related_name="disbursements", verbose_name=_("victim")
    )
    service_provider = models.CharField(
        _("service provider"), max_length=150, blank=True, help_text=_("Shelter, clinic, counsellor …")
    )
    referral = models.ForeignKey(
        "victims.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disbursements",
        help_text=_("The victim's referral this pays for (victims register)."),
        verbose_name=_("referral"),
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=DisbursementPurpose.choices, db_index=True)
    amount = MoneyField(_("amount"))
    resolution_reference = models.CharField(
        _("board resolution"), max_length=60, help_text=_('The Board of Trustees resolution, e.g. "BOT/RES/14/2026".')
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DisbursementStatus.choices,
        default=DisbursementStatus.REQUESTED,
        db_index=True,
    )
    requested_on = models.DateField(_("requested on"), db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=60, blank=True)
    payment_entry = models.OneToOneField(
        JournalEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disbursement",
        verbose_name=_("payment entry"),
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="trustfund_disbursement_amount_positive"),
            models.CheckConstraint(
                condition=Q(victim__isnull=False) | ~Q(service_provider=""), name="trustfund_disbursement_has_payee"
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("requested_by")),
                name="trustfund_disbursement_four_eyes",
            ),
            models.CheckConstraint(
                condition=~Q(status=DisbursementStatus.PAID) | Q(payment_entry__isnull=False),
                name="trustfund_disbursement_paid_has_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.payee}"

    def get_absolute_url(self) -> str:
        return reverse("trustfund:disbursement_detail", args=[self.pk])

    @property
    def payee(self) -> str:
        """The victim's code (never more) and/or the service provider."""
        parts = [self.victim.code] if self.victim_id and self.victim else []
        if self.service_provider:
            parts.append(self.service_provider)
        return " / ".join(parts)


class DisbursementEvent(TrackedModel):
    """One move of a disbursement (requested, approved, rejected, paid, cancelled): who, when, why."""

    disbursement = models.ForeignKey(
        Disbursement, on_delete=models.PROTECT, related_name="events", verbose_name=_("disbursement")
    )
    from_status = models.CharField(_("from status"), max_length=20, choices=DisbursementStatus.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, choices=DisbursementStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("disbursement event")
        verbose_name_plural = _("disbursement events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        origin = self.get_from_status_display() or _("new")
        return f"{origin} → {self.get_to_status_display()}"
