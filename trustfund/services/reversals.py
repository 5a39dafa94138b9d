"""Corrections of posted entries: the mirror-image entry that reverses one."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import guards
from core.models import User
from trustfund import ledger
from trustfund.choices import EntryKind
from trustfund.exceptions import (
    AlreadyReversed,
    FundError,
    InsufficientFunds,
    InvalidDate,
)
from trustfund.models import JournalEntry

ZERO = ledger.ZERO


# --------------------------------------------------------------------------------------------------
# Corrections


@transaction.atomic
def reverse_entry(
    entry: JournalEntry,
    user: User,
    *,
    reversed_on: dt.date,
    reason: str,
    today: dt.date | None = None,
) -> JournalEntry:
    """Post the mirror image of ``entry`` (debits become credits), pointing at it. An entry is reversed
    once; a reversal is not reversed (post a fresh entry instead). Reversing money that came in must
    not overdraw the bank."""
    if not reason.strip():
        raise FundError(_("Say why the entry is reversed."), field="reason")
    ledger.lock_bank()
    original = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    if original.kind == EntryKind.REVERSAL:
        raise AlreadyReversed(
            _("%(reference)s is itself a reversal; post a new entry instead.") % {"reference": original.reference}
        )
    if JournalEntry.objects.filter(reverses=original).exists():
        raise AlreadyReversed(_("%(reference)s has already been reversed.") % {"reference": original.reference})
    guards.not_in_future(reversed_on, "reversal date", field="reversed_on", as_of=today)
    if reversed_on < original.entry_date:
        raise InvalidDate(_("A reversal cannot be dated before the entry it reverses."), field="reversed_on")
    effect = -ledger.bank_effect(original)
    if effect < 0 and ledger.lowest_bank_balance_from(reversed_on) + effect < 0:
        raise InsufficientFunds(
            _("Reversing %(reference)s would take %(kes)s out of the bank and overdraw the Fund.")
            % {"reference": original.reference, "kes": ledger.kes(-effect)}
        )
    lines = [
        ledger.Line(line.account, debit=line.credit, credit=line.debit, memo=line.memo)
        for line in original.lines.select_related("account")
    ]
    try:
        with transaction.atomic():
            return ledger.post_entry(
                user,
                entry_date=reversed_on,
                kind=EntryKind.REVERSAL,
                description=f"Reversal of {original.reference}: {reason.strip()}",
                document_reference=original.document_reference,
                lines=lines,
                reverses=original,
            )
    except IntegrityError as error:  # the one-to-one on ``reverses``: someone reversed it first
        raise AlreadyReversed(
            _("%(reference)s has already been reversed.") % {"reference": original.reference}
        ) from error
