"""Closing the Fund's books: adjusting entries proposed by one officer and posted by another, the
approver's signature under a month's bank reconciliation, and the months and years closed to posting."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.models import MoneyField, TrackedModel
from core.querysets import ScopedManager
from trustfund.choices import AdjustmentKind, PeriodKind, ProposalStatus
from trustfund.models.bank import StatementLine
from trustfund.models.ledger import Account, JournalEntry


class AdjustmentProposal(TrackedModel):
    """A journal entry a fund administrator proposes — bank charges, interest earned, a returned payment,
    an unidentified receipt held in suspense, a correction between accounts, the books' opening balance —
    with its reason and supporting documents. It reaches the ledger only when a fund approver who is not
    the proposer posts it; it may instead be rejected (with a reason) or withdrawn by its proposer."""

    reference = models.CharField(_("reference"), max_length=24, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=30, choices=AdjustmentKind.choices, db_index=True)
    entry_date = models.DateField(
        _("entry date"), db_index=True, help_text=_("The date the entry will carry in the ledger.")
    )
    description = models.CharField(_("description"), max_length=255)
    reason = models.TextField(
        _("reason"), help_text=_("Why the adjustment is needed: what the approver checks it against.")
    )
    bank_reference = models.CharField(
        _("bank reference"), max_length=60, blank=True, help_text=_("The bank's reference, if any.")
    )
    statement_line = models.ForeignKey(
        StatementLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        help_text=_("The bank statement line this adjustment explains; matched to the entry once posted."),
        verbose_name=_("statement line"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED, db_index=True
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
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
    decision_note = models.TextField(_("decision note"), blank=True)
    entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="proposal", verbose_name=_("entry")
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("adjustment proposal")
        verbose_name_plural = _("adjustment proposals")
        ordering = ["-entry_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("proposed_by")),
                name="trustfund_proposal_four_eyes",
            ),
            models.CheckConstraint(
                condition=(Q(status=ProposalStatus.POSTED) & Q(entry__isnull=False))
                | (~Q(status=ProposalStatus.POSTED) & Q(entry__isnull=True)),
                name="trustfund_proposal_posted_has_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.description}"

    def get_absolute_url(self) -> str:
        return reverse("trustfund:proposal_detail", args=[self.pk])


class AdjustmentLine(TrackedModel):
    """One line of a proposed adjustment: a positive debit or a positive credit to one account."""

    proposal = models.ForeignKey(
        AdjustmentProposal, on_delete=models.PROTECT, related_name="lines", verbose_name=_("proposal")
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="proposal_lines", verbose_name=_("account")
    )
    debit = MoneyField(_("debit"), default=0)
    credit = MoneyField(_("credit"), default=0)
    memo = models.CharField(_("memo"), max_length=255, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("adjustment line")
        verbose_name_plural = _("adjustment lines")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(debit__gte=0) & Q(credit__gte=0), name="trustfund_proposal_line_not_negative"
            ),
            models.CheckConstraint(
                condition=(Q(debit__gt=0) & Q(credit=0)) | (Q(debit=0) & Q(credit__gt=0)),
                name="trustfund_proposal_line_one_sided",
            ),
        ]

    def __str__(self) -> str:
        side = f"Dr {self.debit:,.2f}" if self.debit else f"Cr {self.credit:,.2f}"
        return f"{self.account.code} {side}"


class ReconciliationSignOff(TrackedModel):
    """A fund approver's signature under the bank reconciliation statement of one bank account for one
    month: the figures as they stood (reconciled: the difference is zero), who signed and when. A signed
    month is re-opened only by an approver, with a reason; the signature stays on record."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="sign_offs", verbose_name=_("account"))
    month = models.DateField(_("month"), help_text=_("The first day of the month reconciled."))
    as_at = models.DateField(_("as at"), help_text=_("The last day of the month: the date of the statement signed."))
    statement_balance = MoneyField(_("statement balance"))
    unpresented_payments = MoneyField(_("unpresented payments"))
    uncredited_receipts = MoneyField(_("uncredited receipts"))
    ledger_balance = MoneyField(_("ledger balance"))
    difference = MoneyField(_("difference"), default=0)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("signed by")
    )
    signed_at = models.DateTimeField(_("signed at"))
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopen_reason = models.TextField(_("reopen reason"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("reconciliation sign-off")
        verbose_name_plural = _("reconciliation sign-offs")
        ordering = ["-month", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "month"], condition=Q(reopened_at__isnull=True), name="trustfund_one_signoff_a_month"
            ),
            models.CheckConstraint(condition=Q(difference=0), name="trustfund_signoff_reconciled"),
            models.CheckConstraint(
                condition=Q(reopened_at__isnull=True) | ~Q(reopen_reason=""), name="trustfund_signoff_reopen_reason"
            ),
        ]

    def __str__(self) -> str:
        return _("%(code)s reconciled for %(month)s") % {
            "code": self.account.code,
            "month": date_format(self.month, "F Y"),
        }

    @property
    def is_open(self) -> bool:
        """Signed and not re-opened."""
        return self.reopened_at is None


class ClosedPeriod(TrackedModel):
    """A month or a financial year the fund approver has closed: reconciled, the suspense account clear.
    Nothing can be posted, reversed or back-dated into it — the services refuse it and, on PostgreSQL,
    the database does too. A close is final: corrections go into an open period."""

    kind = models.CharField(_("kind"), max_length=10, choices=PeriodKind.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), db_index=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("closed by")
    )
    closed_at = models.DateTimeField(_("closed at"))
    note = models.TextField(_("note"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("closed period")
        verbose_name_plural = _("closed periods")
        ordering = ["-end", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "start"], name="trustfund_period_closed_once"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="trustfund_period_dates"),
        ]

    def __str__(self) -> str:
        if self.kind == PeriodKind.YEAR:
            return _("Financial year %(year)s/%(year2)s") % {"year": self.start.year, "year2": str(self.end.year)[-2:]}
        return date_format(self.start, "F Y")
