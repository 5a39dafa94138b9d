"""Bank statements: parse the bank's CSV or Excel file, preview it, import it all or nothing, and match
its lines to the ledger automatically (``trustfund.matching``).

A statement file has a header row with at least ``Date`` and either ``Amount`` (money in positive,
money out negative) or ``Money in`` / ``Money out`` (also ``Credit`` / ``Debit``); ``Reference``,
``Description`` and ``Balance`` are read when present. The same file (by SHA-256) is refused twice.

The file is read through ``core.uploads`` — its size, a workbook's expanded size, its rows and the time
taken are bounded, so a hostile file is refused before it ties up a worker — and each row is checked at
the preview against exactly what the database will store (the money precision, the lengths of the
description and reference, no control characters), so the import never fails on a row the preview
accepted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Context, Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.exceptions import UploadRefused
from core.models import User
from core.uploads import UploadLimits, table_rows
from trustfund import ledger, matching
from trustfund.exceptions import DuplicateStatement, StatementFileError
from trustfund.models import BankStatement, StatementLine

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y", "%d-%b-%Y", "%Y/%m/%d")
COLUMN_NAMES = {
    "date": ("date", "transaction date", "value date", "posting date", "txn date"),
    "description": ("description", "narrative", "details", "particulars", "narration"),
    "reference": ("reference", "ref", "cheque/ref", "reference number", "transaction reference"),
    "amount": ("amount",),
    "money_in": ("money in", "credit", "credits", "deposit", "deposits", "paid in"),
    "money_out": ("money out", "debit", "debits", "withdrawal", "withdrawals", "paid out"),
    "balance": ("balance", "running balance", "closing balance"),
}
# What a statement line's columns hold, read from the model so the preview checks what the database stores.
_AMOUNT_FIELD = StatementLine._meta.get_field("amount")
assert isinstance(_AMOUNT_FIELD, models.DecimalField)
MONEY_INTEGER_DIGITS = int(_AMOUNT_FIELD.max_digits or 0) - int(_AMOUNT_FIELD.decimal_places or 0)
MONEY_LIMIT = Decimal(10) ** MONEY_INTEGER_DIGITS
SQLITE_DECIMALS = Context(prec=15)
DESCRIPTION_LENGTH = int(StatementLine._meta.get_field("description").max_length or 0)
REFERENCE_LENGTH = int(StatementLine._meta.get_field("reference").max_length or 0)
NAME_LENGTH = int(BankStatement._meta.get_field("original_name").max_length or 0)
# Ordinary whitespace a cell may hold; every other control character (NUL above all) is refused.
ALLOWED_CONTROLS = frozenset("\t\n\r")


@dataclass(frozen=True)
class ParsedLine:
    row: int
    date: dt.date
    description: str
    reference: str
    amount: Decimal
    balance: Decimal | None


@dataclass
class ParsedStatement:
    """What a statement file holds, read without saving anything: its lines and its row errors."""

    name: str
    file_hash: str
    lines: list[ParsedLine] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    duplicate_of: BankStatement | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and self.duplicate_of is None and bool(self.lines)

    @property
    def total_in(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.amount > 0), ledger.ZERO)

    @property
    def total_out(self) -> Decimal:
        return sum((-line.amount for line in self.lines if line.amount < 0), ledger.ZERO)


class AmountTooLarge(ValueError):
    """An amount with more digits before the decimal point than the ledger keeps."""


def file_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _normalise(name: Any) -> str:
    return re.sub(r"\s+", " ", str(name).replace("_", " ")).strip().lower()


def _columns(headers: Iterable[Any]) -> dict[str, int]:
    """Our column → the position of the file's column, for the headers we recognise (the first of a kind)."""
    found: dict[str, int] = {}
    for position, header in enumerate(headers):
        normal = _normalise(header)
        for ours, names in COLUMN_NAMES.items():
            if normal in names and ours not in found:
                found[ours] = position
    return found


def parse_date(text: str) -> dt.date:
    text = text.strip()
    if not text:
        raise ValueError("no date")
    try:
        return dt.datetime.fromisoformat(text).date()  # also Excel's "2026-07-01 00:00:00"
    except ValueError:
        pass
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_amount(text: str) -> Decimal | None:
    """``1,234.50``, ``-500``, ``(500.00)``, ``KES 1,000``; blank is ``None``. More digits before the point
    than the ledger keeps is ``AmountTooLarge``; anything else not shillings and cents is ``ValueError``."""
    cleaned = re.sub(r"(?i)\b(kes|ksh|kshs)\b\.?", "", text).replace(",", "").replace(" ", "").strip()
    if not cleaned or cleaned in {"-", "nan"}:
        return None
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = cleaned[1:-1]
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(text) from error
    if not value.is_finite():
        raise ValueError(text)
    if value and (value.adjusted() >= MONEY_INTEGER_DIGITS or abs(_as_sqlite_reads(value)) >= MONEY_LIMIT):
        raise AmountTooLarge(text)
    if value != value.quantize(ledger.CENT):
        raise ValueError(text)
    return -value if negative else value


def _as_sqlite_reads(value: Decimal) -> Decimal:
    """``value`` as SQLite gives it back: stored as a double, read to 15 significant digits. An amount a hair
    below the limit (9,999,999,999,999,995 and up) comes back as 10^16, which the field cannot hold; the
    preview refuses it on every database, so a file previews alike on SQLite and PostgreSQL."""
    return SQLITE_DECIMALS.create_decimal_from_float(float(value))


def _shown(text: str, limit: int = 40) -> str:
    """A cell quoted back in a message: control characters as �, long text cut."""
    safe = "".join("\ufffd" if unicodedata.category(ch) == "Cc" else ch for ch in text)
    return safe if len(safe) <= limit else safe[: limit - 1] + "…"


def _text_problem(label: str, text: str, limit: int) -> str | None:
    """What the database would refuse, or cut, in a text cell."""
    if any(unicodedata.category(ch) == "Cc" and ch not in ALLOWED_CONTROLS for ch in text):
        return _("the %(label)s holds a control character (such as a NUL byte) that cannot be stored") % {
            "label": label
        }
    if len(text) > limit:
        return _("the %(label)s is %(length)s characters long; at most %(limit)s are kept") % {
            "label": label,
            "length": f"{len(text):,}",
            "limit": f"{limit:,}",
        }
    return None


class _Row:
    """One row of the file, read through the columns we recognised."""

    def __init__(self, cells: Sequence[str], columns: dict[str, int]) -> None:
        self.cells = cells
        self.columns = columns

    def has(self, key: str) -> bool:
        return key in self.columns

    def text(self, key: str) -> str:
        position = self.columns.get(key)
        if position is None or position >= len(self.cells):
            return ""
        return str(self.cells[position]).strip()

    def amount(self) -> Decimal | None:
        """The signed amount: the Amount column, or Money in less Money out (never both on one row)."""
        if self.has("amount"):
            return parse_amount(self.text("amount"))
        money_in = parse_amount(self.text("money_in")) or ledger.ZERO
        money_out = parse_amount(self.text("money_out")) or ledger.ZERO
        if money_in < 0 or money_out < 0 or (money_in and money_out):
            raise ValueError("both")
        return money_in - money_out


def _read_row(row: _Row, number: int) -> ParsedLine | str:
    """The row as a statement line, or what is wrong with it (``Row 5: …``): everything the database
    would refuse or cut is found here, so the import never fails on a row the preview accepted."""
    problems: list[str] = []
    day: dt.date | None = None
    try:
        day = parse_date(row.text("date"))
    except ValueError:
        problems.append(
            _("the date “%(text)s” is not a date (use e.g. 2026-07-31 or 31/07/2026)")
            % {"text": _shown(row.text("date"))}
        )
    amount: Decimal | None = None
    try:
        amount = row.amount()
        if not amount:
            problems.append(_("the amount is missing or zero"))
    except AmountTooLarge:
        problems.append(
            _("the amount is larger than the ledger keeps (at most %(digits)s digits before the point)")
            % {"digits": MONEY_INTEGER_DIGITS}
        )
    except ValueError:
        problems.append(_("the amount is not a number in shillings and cents"))
    balance: Decimal | None = None
    try:
        balance = parse_amount(row.text("balance")) if row.has("balance") else None
    except AmountTooLarge:
        problems.append(
            _("the balance is larger than the ledger keeps (at most %(digits)s digits before the point)")
            % {"digits": MONEY_INTEGER_DIGITS}
        )
    except ValueError:
        problems.append(_("the balance “%(text)s” is not a number") % {"text": _shown(row.text("balance"))})
    description, reference = row.text("description"), row.text("reference")
    for label, text, limit in (
        (_("description"), description, DESCRIPTION_LENGTH),
        (_("reference"), reference, REFERENCE_LENGTH),
    ):
        if problem := _text_problem(label, text, limit):
            problems.append(problem)
    if problems:
        return _("Row %(number)s: %(problems)s.") % {"number": number, "problems": "; ".join(problems)}
    assert day is not None and amount is not None
    return ParsedLine(
        row=number, date=day, description=description, reference=reference, amount=amount, balance=balance
    )


def _missing_columns(columns: dict[str, int], header: Sequence[str]) -> StatementFileError | None:
    missing = []
    if "date" not in columns:
        missing.append(_("Date"))
    if "amount" not in columns and not ("money_in" in columns and "money_out" in columns):
        missing.append(_("Amount (or Money in and Money out)"))
    if not missing:
        return None
    found = ", ".join(_shown(str(cell)) for cell in header if str(cell).strip()) or _("none")
    message = ngettext(
        "The file is missing the column: %(missing)s. Columns found: %(found)s.",
        "The file is missing the columns: %(missing)s. Columns found: %(found)s.",
        len(missing),
    )
    return StatementFileError(message % {"missing": ", ".join(str(name) for name in missing), "found": found})


def parse_statement(name: str, content: bytes) -> ParsedStatement:
    """Read a statement file; nothing is saved. File-level problems raise ``StatementFileError`` (a file too
    large, a workbook that would expand too far, too many rows, missing columns); row problems are listed
    in ``errors`` with the row number as the bank's file shows it (header = row 1)."""
    parsed = ParsedStatement(name=name, file_hash=file_hash(content))
    if not content.strip():
        raise StatementFileError(_("The file is empty."))
    header: list[str] | None = None
    columns: dict[str, int] = {}
    try:
        for number, cells in enumerate(table_rows(name, content, UploadLimits.from_settings()), start=1):
            if not any(str(cell).strip() for cell in cells):
                continue
            if header is None:
                header, columns = cells, _columns(cells)
                if (missing := _missing_columns(columns, header)) is not None:
                    raise missing
                continue
            read = _read_row(_Row(cells, columns), number=number)
            if isinstance(read, str):
                parsed.errors.append(read)
            else:
                parsed.lines.append(read)
    except UploadRefused as error:
        raise StatementFileError(error.message) from error
    if header is None:
        raise StatementFileError(_("The file has no header row (Date, Description, Reference, Amount …)."))
    if not parsed.lines and not parsed.errors:
        parsed.errors.append(_("The file has a header but no statement lines."))
    parsed.duplicate_of = BankStatement.objects.filter(file_hash=parsed.file_hash).first()
    return parsed


def _stored_name(name: str) -> str:
    """The file's name as kept: no control characters, at most the column's length."""
    return "".join(ch for ch in name if unicodedata.category(ch) != "Cc")[:NAME_LENGTH]


@transaction.atomic
def import_statement(user: User, *, name: str, content: bytes, auto_match_lines: bool = True) -> BankStatement:
    """Import a statement all or nothing: refused if any row is wrong or the file was imported before.
    The file is kept through Django's storage; the lines are then matched automatically where they can be."""
    parsed = parse_statement(name, content)
    if parsed.duplicate_of is not None:
        raise DuplicateStatement(
            _("This file was already imported on %(localtime)s (%(duplicate_of)s).")
            % {
                "localtime": date_format(timezone.localtime(parsed.duplicate_of.created_at), "d M Y"),
                "duplicate_of": parsed.duplicate_of,
            }
        )
    if parsed.errors:
        raise StatementFileError(
            ngettext(
                "The file has %(count)s row error; nothing was imported.",
                "The file has %(count)s row errors; nothing was imported.",
                len(parsed.errors),
            )
            % {"count": len(parsed.errors)},
            parsed.errors,
        )
    dates = [line.date for line in parsed.lines]
    statement = BankStatement(
        original_name=_stored_name(name),
        file_hash=parsed.file_hash,
        period_start=min(dates),
        period_end=max(dates),
        line_count=len(parsed.lines),
        imported_by=user,
    )
    statement.file.save(
        re.sub(r"[^\w.-]", "_", _stored_name(name))[-80:] or "statement", ContentFile(content), save=False
    )
    statement.save_as(user, "Statement imported")
    created = []
    for line in parsed.lines:
        row = StatementLine(
            statement=statement,
            line_number=line.row,
            date=line.date,
            description=line.description,
            reference=line.reference,
            amount=line.amount,
            balance=line.balance,
        )
        row.save_as(user)
        created.append(row)
    if auto_match_lines:
        matching.auto_match(created, user)
    return statement
