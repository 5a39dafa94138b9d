"""The Fund's bank statements as the bank sent them, and each line's match to the ledger."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.models import MoneyField, TrackedModel
from core.querysets import ScopedManager
from trustfund.choices import MatchMethod
from trustfund.models.ledger import JournalEntry


def statement_upload_path(instance: Any, filename: str) -> str:
    return f"trustfund/statements/{instance.file_hash[:2]}/{instance.file_hash}-{filename}"


class BankStatement(TrackedModel):
    """A statement of the Fund's bank account as the bank sent it (CSV or Excel), imported once."""

    original_name = models.CharField(_("original name"), max_length=255)
    file = models.FileField(_("file"), upload_to=statement_upload_path, max_length=255)
    file_hash = models.CharField(
        _("file hash"), max_length=64, unique=True, help_text=_("SHA-256 of the file: the same file twice is refused.")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"), db_index=True)
    line_count = models.PositiveIntegerField(_("line count"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("imported by")
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="trustfund_statement_period"),
        ]

    def __str__(self) -> str:
        return _("Statement %(period_start)s – %(period_end)s (%(original_name)s)") % {
            "period_start": date_format(self.period_start, "d M Y"),
            "period_end": date_format(self.period_end, "d M Y"),
            "original_name": self.original_name,
        }

    def get_absolute_url(self) -> str:
        return reverse("trustfund:statement_detail", args=[self.pk])


class StatementLine(TrackedModel):
    """One line of a bank statement: money in (positive) or out (negative), and the ledger entry it
    was matched to, automatically or by hand."""

    statement = models.ForeignKey(
        BankStatement, on_delete=models.PROTECT, related_name="lines", verbose_name=_("statement")
    )
    line_number = models.PositiveIntegerField(
        _("line number"), help_text=_("The row in the file (the header is row 1).")
    )
    date = models.DateField(_("date"), db_index=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True, db_index=True)
    amount = MoneyField(_("amount"), help_text=_("Positive: money in. Negative: money out."))
    balance = MoneyField(
        _("balance"), null=True, blank=True, help_text=_("The running balance the bank printed, if any.")
    )
    matched_entry = models.OneToOneField(
        JournalEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statement_line",
        verbose_name=_("matched entry"),
    )
    match_method = models.CharField(_("match method"), max_length=20, choices=MatchMethod.choices, blank=True)
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("matched by"),
    )
    matched_at = models.DateTimeField(_("matched at"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["date", "line_number", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="trustfund_statement_line_not_zero"),
            models.UniqueConstraint(fields=["statement", "line_number"], name="trustfund_statement_line_unique_row"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d %b %Y} {self.reference or self.description} {self.amount:,.2f}"

    def get_absolute_url(self) -> str:
        return reverse("trustfund:statement_detail", args=[self.statement_id])
