"""Matching bank statement lines to the ledger: automatically (the one entry with the line's amount within a
few days of it, the one whose reference the line quotes when several fit), by hand from candidates ranked by
amount, date and reference, and undoing a match with a reason. Nothing is matched into a closed period.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Abs
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User
from trustfund import ledger, periods
from trustfund.chart import BANK
from trustfund.choices import MatchMethod
from trustfund.exceptions import BeforeOpening, MatchError, PeriodClosed
from trustfund.models import JournalEntry, JournalLine, StatementLine

MATCH_WINDOW_DAYS = 5


def unmatched_bank_entries(entries: QuerySet[JournalEntry] | None = None) -> QuerySet[JournalEntry]:
    """Ledger entries (of ``entries``, when given: e.g. those a user may see) that moved the bank and are
    not yet matched to a statement line."""
    base = JournalEntry.objects.all() if entries is None else entries
    # EXISTS rather than a join and DISTINCT: counting and ordering stay cheap on a ledger of thousands.
    bank_line = JournalLine.objects.filter(entry=OuterRef("pk"), account__code=BANK)
    return base.filter(Exists(bank_line), statement_line__isnull=True)


def candidates(line: StatementLine, window: int = MATCH_WINDOW_DAYS) -> list[JournalEntry]:
    """Unmatched entries moving the bank by exactly the line's amount within ``window`` days of it."""
    side = {"lines__debit": line.amount} if line.amount > 0 else {"lines__credit": -line.amount}
    return list(
        unmatched_bank_entries()
        .filter(
            lines__account__code=BANK,
            entry_date__gte=line.date - dt.timedelta(days=window),
            entry_date__lte=line.date + dt.timedelta(days=window),
            **side,
        )
        .distinct()
        .order_by("entry_date", "id")
    )


def _reference_agrees(line: StatementLine, entry: JournalEntry) -> bool:
    haystack = f"{line.reference} {line.description}".upper()
    needles = [entry.document_reference, entry.bank_reference]
    return any(needle and needle.upper() in haystack for needle in needles)


# How many entries each of the two ranking queries reads, per candidate asked for: enough that the best
# by amount and the best by date or reference all reach the scoring, never the whole ledger.
RANKING_POOL_FACTOR = 4
MATCH_CHOICES = 10  # entries the Match page offers a statement line
RANKING_DATE_WINDOW_DAYS = 31
REFERENCE_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9/\-_.]{3,}")


@dataclass(frozen=True)
class RankedCandidate:
    """An unmatched ledger entry offered for a statement line, with why it ranks where it does."""

    entry: JournalEntry
    bank_amount: Decimal
    score: int
    reasons: tuple[str, ...]

    @property
    def exact_amount(self) -> bool:
        return "same amount" in self.reasons


def with_bank_amount(entries: QuerySet[JournalEntry]) -> QuerySet[JournalEntry]:
    """``entries`` annotated with ``bank_amount``: what each did to the bank, positive in, negative out
    (None for an entry that did not touch the bank)."""
    net = (
        ledger.lines_between()
        .filter(entry=OuterRef("pk"), account__code=BANK)
        .order_by()
        .values("entry")
        .annotate(net=Sum(F("debit") - F("credit")))
        .values("net")[:1]
    )
    return entries.annotate(bank_amount=Subquery(net, output_field=ledger.MONEY))


def _reference_tokens(line: StatementLine) -> list[str]:
    """The words of the line's reference and description that could be a document or bank reference."""
    found = REFERENCE_TOKEN.findall(f"{line.reference} {line.description}")
    return list(dict.fromkeys(token.strip("./-_") for token in found))[:12]


def _score(line: StatementLine, entry: JournalEntry, amount: Decimal) -> RankedCandidate:
    """Amount first (equal amounts always rank above unequal ones), then the date, then the reference."""
    reasons: list[str] = []
    gap = abs(amount - line.amount)
    if gap == 0:
        score = 1000
        reasons.append("same amount")
    else:
        closeness = max(ledger.ZERO, 1 - gap / abs(line.amount))
        score = int(400 * closeness)
        reasons.append(f"{ledger.kes(gap)} {'more' if abs(amount) > abs(line.amount) else 'less'}")
    days = abs((entry.entry_date - line.date).days)
    score += max(0, 200 - 5 * days)
    reasons.append("same day" if days == 0 else f"{days} day{'s' if days != 1 else ''} apart")
    if _reference_agrees(line, entry):
        score += 300
        reasons.append("reference matches")
    return RankedCandidate(entry=entry, bank_amount=amount, score=score, reasons=tuple(reasons))


def ranked_candidates(
    line: StatementLine, limit: int = 10, entries: QuerySet[JournalEntry] | None = None
) -> list[RankedCandidate]:
    """The best ``limit`` unmatched entries for matching ``line`` by hand, best first: money the same way
    as the line only, scored on amount closeness (the same amount first), date distance and whether the
    line quotes the entry's document or bank reference. Two bounded queries, whatever the ledger's size."""
    base = with_bank_amount(JournalEntry.objects.all() if entries is None else entries).filter(
        statement_line__isnull=True
    )
    same_way = {"bank_amount__gt": 0} if line.amount > 0 else {"bank_amount__lt": 0}
    base = base.filter(**same_way)
    base = base.annotate(amount_gap=Abs(F("bank_amount") - Value(line.amount, output_field=ledger.MONEY)))
    pool = limit * RANKING_POOL_FACTOR
    window = dt.timedelta(days=RANKING_DATE_WINDOW_DAYS)
    nearby = Q(entry_date__gte=line.date - window, entry_date__lte=line.date + window)
    for token in _reference_tokens(line):
        nearby |= Q(document_reference__iexact=token) | Q(bank_reference__iexact=token)
    found: dict[int, JournalEntry] = {}
    for query in (base, base.filter(nearby)):
        for entry in query.order_by("amount_gap", "entry_date", "id")[:pool]:
            found.setdefault(entry.pk, entry)
    scored = [_score(line, entry, entry.bank_amount) for entry in found.values()]  # type: ignore[attr-defined]
    scored.sort(key=lambda c: (not c.exact_amount, -c.score, c.entry.entry_date, c.entry.pk))
    return scored[:limit]


def check_match_open(line: StatementLine, entry: JournalEntry, what: str = "matched") -> None:
    """Refuse a match (or undoing one) that would change a closed period's bank reconciliation: the pair
    counts as matched in every reconciliation as at a date on or after both its dates, so the later of the
    two must fall in an open period (``PeriodClosed`` naming the period). An entry of a closed month may
    still be matched to a later line — an unpresented cheque presented after the close."""
    periods.check_open(max(line.date, entry.entry_date), what)


def link_line(line: StatementLine, entry: JournalEntry, user: User, method: str, reason: str) -> None:
    line.matched_entry = entry
    line.match_method = method
    line.matched_by = user
    line.matched_at = timezone.now()
    line.save_as(
        user, reason, update_fields=["matched_entry", "match_method", "matched_by", "matched_at", "updated_at"]
    )


def _open_pair(line: StatementLine, entry: JournalEntry) -> bool:
    """Whether matching ``line`` to ``entry`` leaves every closed period as it was signed and closed."""
    try:
        check_match_open(line, entry)
    except (PeriodClosed, BeforeOpening):
        return False
    return True


@transaction.atomic
def auto_match(lines: Iterable[StatementLine], user: User) -> int:
    """Match each unmatched line to the one entry with its amount within the date window — the one whose
    receipt or disbursement reference (or bank reference) the line quotes, when several fit. Returns how
    many lines were matched; the others wait for a person."""
    matched = 0
    for line in lines:
        if line.matched_entry_id:
            continue
        found = [entry for entry in candidates(line) if _open_pair(line, entry)]
        by_reference = [entry for entry in found if _reference_agrees(line, entry)]
        choice = by_reference[0] if len(by_reference) == 1 else found[0] if len(found) == 1 else None
        if choice is not None:
            link_line(line, choice, user, MatchMethod.AUTOMATIC, f"Matched automatically to {choice.reference}")
            matched += 1
    return matched


@transaction.atomic
def match_line(line: StatementLine, entry: JournalEntry, user: User) -> StatementLine:
    """Match a line to an entry by hand; the amounts must agree and neither may be matched already."""
    locked = StatementLine.objects.select_for_update().get(pk=line.pk)
    if locked.matched_entry_id:
        raise MatchError(_("This statement line is already matched; undo that match first."))
    if StatementLine.objects.filter(matched_entry=entry).exists():
        raise MatchError(
            _("%(reference)s is already matched to another statement line.") % {"reference": entry.reference},
            field="entry",
        )
    effect = ledger.bank_effect(entry)
    if effect == 0:
        raise MatchError(
            _("%(reference)s did not move the bank account.") % {"reference": entry.reference}, field="entry"
        )
    if effect != locked.amount:
        raise MatchError(
            _("The amounts differ: the bank shows KES %(amount)s, %(reference)s moved KES %(effect)s.")
            % {"amount": format(locked.amount, ",.2f"), "reference": entry.reference, "effect": format(effect, ",.2f")},
            field="entry",
        )
    check_match_open(locked, entry)
    link_line(locked, entry, user, MatchMethod.MANUAL, f"Matched by hand to {entry.reference}")
    return locked


@transaction.atomic
def unmatch_line(line: StatementLine, user: User, *, reason: str) -> StatementLine:
    """Undo a match, saying why; the history keeps the match that was undone."""
    if not reason.strip():
        raise MatchError(_("Say why the match is undone."), field="reason")
    locked = StatementLine.objects.select_for_update().get(pk=line.pk)  # no outer join: PostgreSQL refuses
    if not locked.matched_entry_id:
        raise MatchError(_("This statement line is not matched."))
    was_entry = JournalEntry.objects.only("reference", "entry_date").get(pk=locked.matched_entry_id)
    check_match_open(locked, was_entry, "unmatched")
    was = was_entry.reference
    locked.matched_entry = None
    locked.match_method = ""
    locked.matched_by = None
    locked.matched_at = None
    locked.save_as(
        user,
        f"Match to {was} undone: {reason.strip()}",
        update_fields=["matched_entry", "match_method", "matched_by", "matched_at", "updated_at"],
    )
    return locked
