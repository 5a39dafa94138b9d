"""The double-entry ledger: posting balanced entries, and reading balances as at any date.

Every posting goes through ``post_entry``: it refuses an entry whose lines are not one-sided and
positive or whose debits and credits differ. The database holds the same rules (check constraints on
each line; on PostgreSQL a deferred trigger refuses to commit an unbalanced entry). Postings that
move money out of the bank take ``lock_bank()`` first, so balance checks and postings are serialised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from core.models import User
from core.numbering import financial_year, next_reference
from trustfund.chart import BANK
from trustfund.choices import DEBIT_NORMAL, EntryKind
from trustfund.exceptions import UnbalancedEntry
from trustfund.models import Account, JournalEntry, JournalLine
from trustfund.periods import check_open

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=18, decimal_places=2)  # the output of a money sum
ENTRY_TEMPLATE = "JNL/{period}/{number:04d}"


def kes(amount: Decimal) -> str:
    """An amount as the Fund's messages show it: ``KES 1,250.00``."""
    return f"KES {amount:,.2f}"


@dataclass(frozen=True)
class Line:
    """A line about to be posted: a debit or a credit to one account."""

    account: Account
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    memo: str = ""


def account(code: str) -> Account:
    return Account.objects.get(code=code)


def bank_account() -> Account:
    return account(BANK)


def lock_bank() -> Account:
    """The bank account row, locked until the transaction ends (``SELECT … FOR UPDATE`` on PostgreSQL;
    SQLite serialises writers anyway). Everything that checks the balance before posting takes it."""
    return Account.objects.select_for_update().get(code=BANK)


def check_lines(lines: Sequence[Line]) -> None:
    if len(lines) < 2:
        raise UnbalancedEntry(_("A journal entry needs at least one debit and one credit line."))
    for line in lines:
        debit, credit = line.debit or ZERO, line.credit or ZERO
        if debit < 0 or credit < 0:
            raise UnbalancedEntry(_("A journal line cannot carry a negative amount."))
        if (debit > 0) == (credit > 0):
            raise UnbalancedEntry(_("Each journal line is either a debit or a credit of more than zero, never both."))
        if debit != debit.quantize(CENT) or credit != credit.quantize(CENT):
            raise UnbalancedEntry(_("Amounts are in shillings and cents (two decimal places)."))
    debits = sum((line.debit for line in lines), ZERO)
    credits = sum((line.credit for line in lines), ZERO)
    if debits != credits:
        raise UnbalancedEntry(
            _("The entry does not balance: debits KES %(debits)s, credits KES %(credits)s.")
            % {"debits": format(debits, ",.2f"), "credits": format(credits, ",.2f")}
        )


@transaction.atomic
def post_entry(
    user: User,
    *,
    entry_date: dt.date,
    kind: str,
    description: str,
    lines: Sequence[Line],
    document_reference: str = "",
    bank_reference: str = "",
    reverses: JournalEntry | None = None,
) -> JournalEntry:
    """Post a balanced entry (its number ``JNL/{fy}/{n}``); it can never be changed afterwards."""
    EntryKind(kind)
    check_lines(lines)
    check_open(entry_date, "reversed" if kind == EntryKind.REVERSAL else "posted")
    entry = JournalEntry(
        reference=next_reference("journal", ENTRY_TEMPLATE, financial_year(entry_date)),
        entry_date=entry_date,
        kind=kind,
        description=description[:255],
        document_reference=document_reference,
        bank_reference=bank_reference,
        reverses=reverses,
        posted_by=user,
    )
    entry.save_as(user)
    for line in lines:
        JournalLine(
            entry=entry, account=line.account, debit=line.debit or ZERO, credit=line.credit or ZERO, memo=line.memo
        ).save_as(user)
    return entry


def _money_sum(field: str, condition: Q | None = None) -> Coalesce:
    return Coalesce(Sum(field, filter=condition), Value(ZERO), output_field=MONEY)


def lines_between(start: dt.date | None = None, end: dt.date | None = None) -> QuerySet[JournalLine]:
    lines = JournalLine.objects.all()
    if start is not None:
        lines = lines.filter(entry__entry_date__gte=start)
    if end is not None:
        lines = lines.filter(entry__entry_date__lte=end)
    return lines


def natural(account_type: str, debit: Decimal, credit: Decimal) -> Decimal:
    """A balance with the sign its account type expects: debit-normal for assets and expenses."""
    return debit - credit if account_type in DEBIT_NORMAL else credit - debit


def accounts_with_totals(
    as_at: dt.date | None = None, since: dt.date | None = None, *, accounts: QuerySet[Account] | None = None
) -> QuerySet[Account]:
    """Every account (of ``accounts``, when given: e.g. those a user may see) with ``total_debit`` and
    ``total_credit`` of the lines dated in the window (one query)."""
    condition = Q()
    if as_at is not None:
        condition &= Q(lines__entry__entry_date__lte=as_at)
    if since is not None:
        condition &= Q(lines__entry__entry_date__gte=since)
    base = Account.objects.all() if accounts is None else accounts
    return base.annotate(
        total_debit=_money_sum("lines__debit", condition or None),
        total_credit=_money_sum("lines__credit", condition or None),
    ).order_by("code")


@dataclass(frozen=True)
class TrialBalanceRow:
    account: Account
    debit: Decimal
    credit: Decimal

    @property
    def balance(self) -> Decimal:
        return natural(self.account.account_type, self.debit, self.credit)

    @property
    def debit_balance(self) -> Decimal:
        return max(self.debit - self.credit, ZERO)

    @property
    def credit_balance(self) -> Decimal:
        return max(self.credit - self.debit, ZERO)


def trial_balance(as_at: dt.date | None = None) -> list[TrialBalanceRow]:
    """Each account's debit and credit totals as at ``as_at`` (the end of that day); their sums agree."""
    return [TrialBalanceRow(a, a.total_debit, a.total_credit) for a in accounts_with_totals(as_at)]  # type: ignore[attr-defined]


def account_balance(code: str, as_at: dt.date | None = None) -> Decimal:
    totals = (
        lines_between(end=as_at).filter(account__code=code).aggregate(d=_money_sum("debit"), c=_money_sum("credit"))
    )
    acct = account(code)
    return natural(acct.account_type, totals["d"], totals["c"]).quantize(CENT)


def bank_balance(as_at: dt.date | None = None) -> Decimal:
    """The Fund's bank balance per the ledger at the end of ``as_at`` (today's entries included)."""
    totals = (
        lines_between(end=as_at).filter(account__code=BANK).aggregate(d=_money_sum("debit"), c=_money_sum("credit"))
    )
    result: Decimal = totals["d"] - totals["c"]
    return result.quantize(CENT)


def lowest_bank_balance_from(day: dt.date) -> Decimal:
    """The lowest the bank balance stands at the end of ``day`` or any later day already posted: a payment
    dated ``day`` must fit under it, or the balance would go negative on some later day."""
    running = bank_balance(day)
    lowest = running
    later = (
        lines_between(start=day + dt.timedelta(days=1))
        .filter(account__code=BANK)
        .values("entry__entry_date")
        .annotate(d=_money_sum("debit"), c=_money_sum("credit"))
        .order_by("entry__entry_date")
    )
    for movement in later:
        running += movement["d"] - movement["c"]
        lowest = min(lowest, running)
    return lowest


def bank_effect(entry: JournalEntry) -> Decimal:
    """What the entry did to the bank balance: positive in, negative out."""
    totals = entry.lines.filter(account__code=BANK).aggregate(d=_money_sum("debit"), c=_money_sum("credit"))
    result: Decimal = totals["d"] - totals["c"]
    return result.quantize(CENT)
