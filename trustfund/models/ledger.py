"""The Fund's double-entry ledger: its chart of accounts, and the journal entries and lines posted to it,
which are never changed or deleted once posted."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import MoneyField, TrackedModel
from core.querysets import ScopedManager, ScopedQuerySet
from trustfund.choices import AccountType, EntryKind
from trustfund.exceptions import PostedEntryImmutable


class Account(TrackedModel):
    """An account in the Fund's chart of accounts: the bank account, an income source, an expense purpose."""

    code = models.CharField(gettext_lazy("code"), max_length=10, unique=True)
    name = models.CharField(gettext_lazy("name"), max_length=150)
    account_type = models.CharField(gettext_lazy("type"), max_length=20, choices=AccountType.choices)
    is_active = models.BooleanField(gettext_lazy("is active"), default=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = gettext_lazy("account")
        verbose_name_plural = gettext_lazy("accounts")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ImmutableQuerySet(ScopedQuerySet[Any]):
    """Posted ledger rows are never updated or deleted in bulk either; a view sees them through
    ``visible_to(user)`` like any other scoped record."""

    def update(self, **kwargs: Any) -> int:
        raise PostedEntryImmutable(_("Posted ledger records cannot be changed; post a reversing entry."))

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PostedEntryImmutable(_("Posted ledger records cannot be deleted; post a reversing entry."))


class ImmutableModel(TrackedModel):
    """A ledger record: written once, when it is posted, and never changed or deleted after."""

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PostedEntryImmutable(_("Posted ledger records cannot be changed; post a reversing entry."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PostedEntryImmutable(_("Posted ledger records cannot be deleted; post a reversing entry."))


class JournalEntry(ImmutableModel):
    """One posting to the ledger: a set of debit and credit lines that balance, on one date. A correction
    is a new entry that reverses this one (``reverses``); an entry is reversed at most once."""

    reference = models.CharField(gettext_lazy("reference"), max_length=24, unique=True)
    entry_date = models.DateField(gettext_lazy("entry date"), db_index=True)
    kind = models.CharField(gettext_lazy("kind"), max_length=20, choices=EntryKind.choices, db_index=True)
    description = models.CharField(gettext_lazy("description"), max_length=255)
    document_reference = models.CharField(
        gettext_lazy("document reference"),
        max_length=60,
        blank=True,
        db_index=True,
        help_text=gettext_lazy("The receipt or disbursement this entry posts."),
    )
    bank_reference = models.CharField(
        gettext_lazy("bank reference"),
        max_length=60,
        blank=True,
        help_text=gettext_lazy("The bank's or payer's reference."),
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=gettext_lazy("reverses"),
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("posted by")
    )

    class Meta:
        verbose_name = gettext_lazy("journal entry")
        verbose_name_plural = gettext_lazy("journal entries")
        ordering = ["-entry_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | Q(kind=EntryKind.REVERSAL), name="trustfund_entry_reversal_kind"
            ),
            # The books open once: the opening-balance entry is the first date anything may be posted on.
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind=EntryKind.OPENING), name="trustfund_one_opening_entry"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.description}"

    def get_absolute_url(self) -> str:
        return reverse("trustfund:entry_detail", args=[self.pk])


class JournalLine(ImmutableModel):
    """One side of a journal entry: a positive debit or a positive credit to one account, never both."""

    entry = models.ForeignKey(
        JournalEntry, on_delete=models.PROTECT, related_name="lines", verbose_name=gettext_lazy("entry")
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="lines", verbose_name=gettext_lazy("account")
    )
    debit = MoneyField(gettext_lazy("debit"), default=0)
    credit = MoneyField(gettext_lazy("credit"), default=0)
    memo = models.CharField(gettext_lazy("memo"), max_length=255, blank=True)

    class Meta:
        verbose_name = gettext_lazy("journal line")
        verbose_name_plural = gettext_lazy("journal lines")
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
