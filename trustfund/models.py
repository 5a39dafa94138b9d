"""The National Assistance Trust Fund for Victims of Trafficking in Persons (CTIP ss.22–24): its
double-entry ledger, the money it receives and pays out, and the bank statements it reconciles."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from assets.models import Realisation
from core.models import MoneyField, TrackedModel
from core.querysets import ScopedManager, ScopedQuerySet
from prosecutions.models import Victim
from trustfund.choices import (
    AccountType,
    DisbursementPurpose,
    DisbursementStatus,
    EntryKind,
    MatchMethod,
    ReceiptSource,
)
from trustfund.exceptions import PostedEntryImmutable


class Account(TrackedModel):
    """An account in the Fund's chart of accounts: the bank account, an income source, an expense purpose."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=150)
    account_type = models.CharField("type", max_length=20, choices=AccountType.choices)
    is_active = models.BooleanField(default=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ImmutableQuerySet(ScopedQuerySet[Any]):
    """Posted ledger rows are never updated or deleted in bulk either; a view sees them through
    ``visible_to(user)`` like any other scoped record."""

    def update(self, **kwargs: Any) -> int:
        raise PostedEntryImmutable("Posted ledger records cannot be changed; post a reversing entry.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PostedEntryImmutable("Posted ledger records cannot be deleted; post a reversing entry.")


class ImmutableModel(TrackedModel):
    """A ledger record: written once, when it is posted, and never changed or deleted after."""

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PostedEntryImmutable("Posted ledger records cannot be changed; post a reversing entry.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PostedEntryImmutable("Posted ledger records cannot be deleted; post a reversing entry.")


class JournalEntry(ImmutableModel):
    """One posting to the ledger: a set of debit and credit lines that balance, on one date. A correction
    is a new entry that reverses this one (``reverses``); an entry is reversed at most once."""

    reference = models.CharField(max_length=24, unique=True)
    entry_date = models.DateField(db_index=True)
    kind = models.CharField(max_length=20, choices=EntryKind.choices, db_index=True)
    description = models.CharField(max_length=255)
    document_reference = models.CharField(
        max_length=60, blank=True, db_index=True, help_text="The receipt or disbursement this entry posts."
    )
    bank_reference = models.CharField(max_length=60, blank=True, help_text="The bank's or payer's reference.")
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by")
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-entry_date", "-id"]
        verbose_name_plural = "journal entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | Q(kind=EntryKind.REVERSAL), name="trustfund_entry_reversal_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.description}"

    def get_absolute_url(self) -> str:
        return reverse("trustfund:entry_detail", args=[self.pk])


class JournalLine(ImmutableModel):
    """One side of a journal entry: a positive debit or a positive credit to one account, never both."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lines")
    debit = MoneyField(default=0)
    credit = MoneyField(default=0)
    memo = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(debit__gte=0) & Q(credit__gte=0), name="trustfund_line_not_negative"),
            models.CheckConstraint(
                condition=(Q(debit__gt=0) & Q(credit=0)) | (Q(debit=0) & Q(credit__gt=0)),
                name="trustfund_line_one_sided",
            ),
        ]

    def __str__(self) -> str:
        side = f"Dr {self.debit:,.2f}" if self.debit else f"Cr {self.credit:,.2f}"
        return f"{self.account.code} {side}"


class Receipt(TrackedModel):
    """Money received into the Fund's bank account from one of its four sources (CTIP s.23(1))."""

    reference = models.CharField(max_length=24, unique=True, editable=False)
    received_on = models.DateField(db_index=True)
    source = models.CharField(max_length=30, choices=ReceiptSource.choices, db_index=True)
    amount = MoneyField()
    payer = models.CharField(max_length=150)
    payer_reference = models.CharField(
        max_length=60, blank=True, help_text="The reference on the bank credit (cheque, EFT or RTGS reference)."
    )
    realisation = models.ForeignKey(
        Realisation, on_delete=models.PROTECT, null=True, blank=True, related_name="fund_receipts"
    )
    over_receipt_reason = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, related_name="receipt")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager()

    class Meta:
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

    reference = models.CharField(max_length=24, unique=True, editable=False)
    victim = models.ForeignKey(Victim, on_delete=models.PROTECT, null=True, blank=True, related_name="disbursements")
    service_provider = models.CharField(max_length=150, blank=True, help_text="Shelter, clinic, counsellor …")
    purpose = models.CharField(max_length=30, choices=DisbursementPurpose.choices, db_index=True)
    amount = MoneyField()
    resolution_reference = models.CharField(
        "board resolution", max_length=60, help_text='The Board of Trustees resolution, e.g. "BOT/RES/14/2026".'
    )
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=DisbursementStatus.choices, default=DisbursementStatus.REQUESTED, db_index=True
    )
    requested_on = models.DateField(db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    payment_reference = models.CharField(max_length=60, blank=True)
    payment_entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="disbursement"
    )

    objects = ScopedManager()

    class Meta:
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

    disbursement = models.ForeignKey(Disbursement, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=20, choices=DisbursementStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=DisbursementStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        origin = self.get_from_status_display() or "new"
        return f"{origin} → {self.get_to_status_display()}"


def statement_upload_path(instance: Any, filename: str) -> str:
    return f"trustfund/statements/{instance.file_hash[:2]}/{instance.file_hash}-{filename}"


class BankStatement(TrackedModel):
    """A statement of the Fund's bank account as the bank sent it (CSV or Excel), imported once."""

    original_name = models.CharField(max_length=255)
    file = models.FileField(upload_to=statement_upload_path, max_length=255)
    file_hash = models.CharField(
        max_length=64, unique=True, help_text="SHA-256 of the file: the same file twice is refused."
    )
    period_start = models.DateField()
    period_end = models.DateField(db_index=True)
    line_count = models.PositiveIntegerField()
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager()

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="trustfund_statement_period"),
        ]

    def __str__(self) -> str:
        return f"Statement {self.period_start:%d %b %Y} – {self.period_end:%d %b %Y} ({self.original_name})"

    def get_absolute_url(self) -> str:
        return reverse("trustfund:statement_detail", args=[self.pk])


class StatementLine(TrackedModel):
    """One line of a bank statement: money in (positive) or out (negative), and the ledger entry it
    was matched to, automatically or by hand."""

    statement = models.ForeignKey(BankStatement, on_delete=models.PROTECT, related_name="lines")
    line_number = models.PositiveIntegerField(help_text="The row in the file (the header is row 1).")
    date = models.DateField(db_index=True)
    description = models.CharField(max_length=255, blank=True)
    reference = models.CharField(max_length=100, blank=True, db_index=True)
    amount = MoneyField(help_text="Positive: money in. Negative: money out.")
    balance = MoneyField(null=True, blank=True, help_text="The running balance the bank printed, if any.")
    matched_entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="statement_line"
    )
    match_method = models.CharField(max_length=20, choices=MatchMethod.choices, blank=True)
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    matched_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["date", "line_number", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="trustfund_statement_line_not_zero"),
            models.UniqueConstraint(fields=["statement", "line_number"], name="trustfund_statement_line_unique_row"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d %b %Y} {self.reference or self.description} {self.amount:,.2f}"

    def get_absolute_url(self) -> str:
        return reverse("trustfund:statement_detail", args=[self.statement_id])
