"""The Fund's reports: the statement for a financial year (1 July – 30 June) and the three-way
reconciliation — bank ↔ ledger, and asset register ↔ fund. Aggregated in the database."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd
from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from assets.choices import Destination
from assets.models import Realisation
from core import charts
from core.numbering import financial_year
from core.reports import (
    RECOVERY_RECEIPTS,
    ExcelChart,
    Figure,
    Period,
    PeriodKind,
    Report,
    ReportChart,
    ReportData,
    ReportTable,
    register_report,
    register_source,
)
from core.roles import Role
from core.tables import Column, ColumnKind
from trustfund import ledger
from trustfund.chart import BANK, PURPOSE_ACCOUNTS, SOURCE_ACCOUNTS
from trustfund.choices import AccountType, DisbursementPurpose, ReceiptSource
from trustfund.models import Account, JournalEntry, Receipt, StatementLine
from trustfund.statements import unmatched_bank_entries

ZERO = ledger.ZERO
FY_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=18, decimal_places=2)


def year_bounds(year: str) -> tuple[dt.date, dt.date]:
    """``"2026-27"`` → (1 Jul 2026, 30 Jun 2027); ``ValueError`` for anything else."""
    match = FY_PATTERN.match(year.strip())
    if not match:
        raise ValueError(year)
    start = int(match.group(1))
    if (start + 1) % 100 != int(match.group(2)):
        raise ValueError(year)
    return dt.date(start, 7, 1), dt.date(start + 1, 6, 30)


def current_year(today: dt.date | None = None) -> str:
    return financial_year(today or timezone.localdate())


def year_choices(today: dt.date | None = None) -> list[str]:
    """Financial years from the first posting (or this year) to this year, newest first."""
    this = current_year(today)
    first = JournalEntry.objects.order_by("entry_date").values_list("entry_date", flat=True).first()
    start_year = int(financial_year(first)[:4]) if first else int(this[:4])
    return [f"{y}-{(y + 1) % 100:02d}" for y in range(int(this[:4]), start_year - 1, -1)]


@dataclass(frozen=True)
class StatementRow:
    label: str
    amount: Decimal
    code: str = ""


@dataclass
class FundStatement:
    """Opening balance, receipts by source, disbursements by purpose, closing balance, for one year."""

    year: str
    start: dt.date
    end: dt.date
    opening: Decimal
    receipts: list[StatementRow] = field(default_factory=list)
    payments: list[StatementRow] = field(default_factory=list)

    @property
    def total_receipts(self) -> Decimal:
        return sum((row.amount for row in self.receipts), ZERO)

    @property
    def total_payments(self) -> Decimal:
        return sum((row.amount for row in self.payments), ZERO)

    @property
    def closing(self) -> Decimal:
        return (self.opening + self.total_receipts - self.total_payments).quantize(ledger.CENT)

    def rows(self) -> list[dict[str, Any]]:
        """The statement as rows for the Excel download: section, line, amount."""
        rows: list[dict[str, Any]] = [
            {"section": "Opening balance", "line": f"1 July {self.start.year}", "amount": self.opening}
        ]
        rows += [{"section": "Receipts", "line": r.label, "amount": r.amount} for r in self.receipts]
        rows.append({"section": "Receipts", "line": "Total receipts", "amount": self.total_receipts})
        rows += [{"section": "Disbursements", "line": r.label, "amount": r.amount} for r in self.payments]
        rows.append({"section": "Disbursements", "line": "Total disbursements", "amount": self.total_payments})
        rows.append({"section": "Closing balance", "line": f"30 June {self.end.year}", "amount": self.closing})
        return rows


def fund_statement(year: str) -> FundStatement:
    """The statement of ``year``: its opening is the bank balance at the end of the previous year, so
    it always equals the previous year's closing. Reversals count against what they reverse."""
    start, end = year_bounds(year)
    opening = ledger.bank_balance(start - dt.timedelta(days=1))
    movements = {a.code: a for a in ledger.accounts_with_totals(as_at=end, since=start)}
    statement = FundStatement(year=year, start=start, end=end, opening=opening)
    for source, code in SOURCE_ACCOUNTS.items():
        acct: Any = movements[code]
        statement.receipts.append(
            StatementRow(
                ReceiptSource(source).label, (acct.total_credit - acct.total_debit).quantize(ledger.CENT), code
            )
        )
    for purpose, code in PURPOSE_ACCOUNTS.items():
        acct = movements[code]
        statement.payments.append(
            StatementRow(
                DisbursementPurpose(purpose).label, (acct.total_debit - acct.total_credit).quantize(ledger.CENT), code
            )
        )
    for code, acct in movements.items():
        if acct.account_type == AccountType.EXPENSE and code not in PURPOSE_ACCOUNTS.values():
            statement.payments.append(
                StatementRow(acct.name, (acct.total_debit - acct.total_credit).quantize(ledger.CENT), code)
            )
    return statement


# --------------------------------------------------------------------------------------------------
# Bank ↔ ledger


@dataclass
class BankReconciliation:
    as_at: dt.date
    ledger_balance: Decimal
    statement_balance: Decimal | None
    matched: list[StatementLine]
    unmatched_lines: list[StatementLine]
    unmatched_entries: list[Any]

    @property
    def difference(self) -> Decimal | None:
        """The bank's balance less the ledger's at the date (None when no statement covers it)."""
        return None if self.statement_balance is None else self.statement_balance - self.ledger_balance

    @property
    def unmatched_lines_total(self) -> Decimal:
        return sum((line.amount for line in self.unmatched_lines), ZERO)

    @property
    def unmatched_entries_total(self) -> Decimal:
        return sum((entry.bank_amount for entry in self.unmatched_entries), ZERO)

    def rows(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for line in self.matched:
            entry = line.matched_entry
            rows.append(
                {
                    "section": "Matched",
                    "date": line.date,
                    "reference": line.reference,
                    "description": line.description,
                    "amount": line.amount,
                    "ledger": f"{entry.reference} {entry.document_reference}" if entry else "",
                }
            )
        for line in self.unmatched_lines:
            rows.append(
                {
                    "section": "On the statement, not in the ledger",
                    "date": line.date,
                    "reference": line.reference,
                    "description": line.description,
                    "amount": line.amount,
                    "ledger": "",
                }
            )
        for entry in self.unmatched_entries:
            rows.append(
                {
                    "section": "In the ledger, not on the statement",
                    "date": entry.entry_date,
                    "reference": entry.document_reference,
                    "description": entry.description,
                    "amount": entry.bank_amount,
                    "ledger": entry.reference,
                }
            )
        summary = [
            ("Ledger bank balance", self.ledger_balance),
            ("Bank statement balance", self.statement_balance),
            ("Difference (bank − ledger)", self.difference),
        ]
        for label, amount in summary:
            rows.append(
                {
                    "section": "Balances",
                    "date": self.as_at,
                    "reference": "",
                    "description": label,
                    "amount": amount,
                    "ledger": "",
                }
            )
        return rows


def statement_balance(as_at: dt.date) -> Decimal | None:
    """The bank's balance at the end of ``as_at``: the balance it printed on its last line up to then,
    or — with no balance column — the sum of every imported line up to then. None with no statement."""
    lines = StatementLine.objects.filter(date__lte=as_at)
    last = lines.order_by("-date", "-statement__period_end", "-line_number").first()
    if last is None:
        return None
    if last.balance is not None:
        return last.balance
    total: Decimal | None = lines.aggregate(total=Sum("amount"))["total"]
    return total or ZERO


def bank_reconciliation(as_at: dt.date | None = None) -> BankReconciliation:
    as_at = as_at or timezone.localdate()
    lines = (
        StatementLine.objects.filter(date__lte=as_at).select_related("matched_entry").order_by("date", "line_number")
    )
    matched = [line for line in lines if line.matched_entry_id]
    unmatched = [line for line in lines if not line.matched_entry_id]
    bank_lines = ledger.lines_between().filter(entry=OuterRef("pk"), account__code="1000")
    entries = list(
        unmatched_bank_entries()
        .filter(entry_date__lte=as_at)
        .annotate(
            bank_amount=Subquery(
                bank_lines.values("entry").annotate(net=Sum(F("debit") - F("credit"))).values("net")[:1],
                output_field=MONEY,
            )
        )
        .order_by("entry_date", "id")
    )
    return BankReconciliation(
        as_at=as_at,
        ledger_balance=ledger.bank_balance(as_at),
        statement_balance=statement_balance(as_at),
        matched=matched,
        unmatched_lines=unmatched,
        unmatched_entries=entries,
    )


# --------------------------------------------------------------------------------------------------
# Asset register ↔ fund


def proceeds_due() -> QuerySet[Any]:
    """Every realisation whose proceeds go to the trust fund, with ``received`` (its receipts not
    reversed), ``outstanding`` and ``over_received`` in KES — one query."""
    received = (
        Receipt.objects.filter(realisation=OuterRef("pk"), entry__reversed_by__isnull=True)
        .values("realisation")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    return (
        Realisation.objects.filter(destination=Destination.TRUST_FUND)
        .select_related("asset", "asset__case")
        .annotate(received=Coalesce(Subquery(received, output_field=MONEY), Value(ZERO), output_field=MONEY))
        .annotate(
            outstanding=Greatest(F("net_proceeds_kes") - F("received"), Value(ZERO), output_field=MONEY),
            over_received=Greatest(F("received") - F("net_proceeds_kes"), Value(ZERO), output_field=MONEY),
        )
        .order_by("-realised_on", "-id")
    )


def proceeds_totals() -> dict[str, Decimal]:
    """Expected, received, outstanding and over-received across every realisation due to the fund:
    one query for the per-realisation figures, summed as they arrive."""
    totals = {"expected": ZERO, "received": ZERO, "outstanding": ZERO, "over": ZERO}
    row: Any
    for row in proceeds_due():
        totals["expected"] += row.net_proceeds_kes
        totals["received"] += row.received
        totals["outstanding"] += row.outstanding
        totals["over"] += row.over_received
    return totals


def bank_account_name() -> str:
    acct = Account.objects.filter(code="1000").first()
    return acct.name if acct else "Bank"


# --------------------------------------------------------------------------------------------------
# The registered reports (core.reports): the fund statement and the reconciliation report, each on
# screen with charts and as an Excel workbook; and the receipts the asset recovery report reads.

STATEMENT_LINE_COLUMNS: tuple[Column, ...] = (
    Column("line", "Line"),
    Column("amount", "Amount", kind=ColumnKind.MONEY),
)
RECONCILIATION_LINE_COLUMNS: tuple[Column, ...] = (
    Column("date", "Date", kind=ColumnKind.DATE),
    Column("reference", "Reference"),
    Column("description", "Description"),
    Column("amount", "Amount", kind=ColumnKind.MONEY),
    Column("ledger", "Ledger entry"),
)
PROCEEDS_REPORT_COLUMNS: tuple[Column, ...] = (
    Column("asset", "Asset"),
    Column("case", "Case"),
    Column("realised_on", "Realised on", kind=ColumnKind.DATE),
    Column("expected", "Expected (net KES)", kind=ColumnKind.MONEY),
    Column("received", "Received", kind=ColumnKind.MONEY),
    Column("outstanding", "Outstanding", kind=ColumnKind.MONEY),
    Column("over", "Over-received", kind=ColumnKind.MONEY),
)


def fund_statement_report(period: Period, user: Any) -> ReportData:
    """The fund statement of ``period`` (a financial year) for the report page and its workbook."""
    statement = fund_statement(period.param)
    receipts = [{"line": row.label, "amount": row.amount} for row in statement.receipts]
    payments = [{"line": row.label, "amount": row.amount} for row in statement.payments]
    in_frame = pd.DataFrame(receipts, columns=["line", "amount"]).astype({"amount": float})
    out_frame = pd.DataFrame(payments, columns=["line", "amount"]).astype({"amount": float})
    return ReportData(
        figures=[
            Figure("opening", f"Opening balance, {statement.start:%d %b %Y}", statement.opening, ColumnKind.MONEY),
            Figure("receipts", "Receipts", statement.total_receipts, ColumnKind.MONEY),
            Figure("payments", "Disbursements", statement.total_payments, ColumnKind.MONEY),
            Figure("closing", f"Closing balance, {statement.end:%d %b %Y}", statement.closing, ColumnKind.MONEY),
        ],
        tables=[
            ReportTable(
                "receipts",
                "Receipts by source (CTIP s.23(1))",
                STATEMENT_LINE_COLUMNS,
                receipts,
                total={"line": "Total receipts", "amount": statement.total_receipts},
                sheet="Receipts",
            ),
            ReportTable(
                "payments",
                "Disbursements by purpose (CTIP s.23(2))",
                STATEMENT_LINE_COLUMNS,
                payments,
                total={"line": "Total disbursements", "amount": statement.total_payments},
                sheet="Disbursements",
            ),
            ReportTable(
                "balances",
                "Opening and closing balance",
                STATEMENT_LINE_COLUMNS,
                [
                    {"line": f"Opening balance, {statement.start:%d %b %Y}", "amount": statement.opening},
                    {"line": "Add: receipts", "amount": statement.total_receipts},
                    {"line": "Less: disbursements", "amount": statement.total_payments},
                    {"line": f"Closing balance, {statement.end:%d %b %Y}", "amount": statement.closing},
                ],
                note="The opening balance is always the previous year's closing balance.",
                sheet="Balances",
            ),
        ],
        charts=[
            ReportChart(
                "receipts",
                "Receipts by source",
                charts.bar(in_frame, "line", "amount", value_title="KES", horizontal=True, money=True),
                excel=ExcelChart("receipts", "line", ("amount",), chart_type="bar"),
            ),
            ReportChart(
                "payments",
                "Disbursements by purpose",
                charts.bar(out_frame, "line", "amount", value_title="KES", horizontal=True, money=True),
                excel=ExcelChart("payments", "line", ("amount",), chart_type="bar"),
            ),
        ],
    )


def reconciliation_report(period: Period, user: Any) -> ReportData:
    """Bank ↔ ledger at the end of ``period`` (or today, for the year in progress) and the asset register
    ↔ fund for every realisation destined for the fund."""
    as_at = min(period.end, timezone.localdate())
    rec = bank_reconciliation(as_at)
    rows = rec.rows()

    def section(name: str) -> list[dict[str, Any]]:
        return [row for row in rows if row["section"] == name]

    proceeds = [
        {
            "asset": f"{r.asset.reference} {r.asset.description}",
            "case": r.asset.case.reference,
            "realised_on": r.realised_on,
            "expected": r.net_proceeds_kes,
            "received": r.received,
            "outstanding": r.outstanding,
            "over": r.over_received,
        }
        for r in proceeds_due()
    ]
    totals = {key: sum((row[key] for row in proceeds), ZERO) for key in ("expected", "received", "outstanding", "over")}
    explained: list[dict[str, Any]] = [
        {"line": "Only on the statement", "amount": rec.unmatched_lines_total},
        {"line": "Only in the ledger", "amount": rec.unmatched_entries_total},
        {"line": "Difference (bank − ledger)", "amount": rec.difference},
    ]
    frame = pd.DataFrame(
        [{"item": row["line"], "amount": float(row["amount"] or 0)} for row in explained], columns=["item", "amount"]
    )
    proceeds_frame = pd.DataFrame(
        [{"status": k.capitalize(), "amount": float(v)} for k, v in totals.items() if k != "expected"],
        columns=["status", "amount"],
    )
    return ReportData(
        figures=[
            Figure("ledger", f"Ledger bank balance, {as_at:%d %b %Y}", rec.ledger_balance, ColumnKind.MONEY),
            Figure(
                "statement",
                "Bank statement balance",
                rec.statement_balance,
                ColumnKind.MONEY,
                note="" if rec.statement_balance is not None else "No statement imported up to this date.",
            ),
            Figure("difference", "Difference (bank − ledger)", rec.difference, ColumnKind.MONEY),
            Figure("matched", "Statement lines matched", len(rec.matched)),
            Figure("outstanding", "Forfeited proceeds outstanding", totals["outstanding"], ColumnKind.MONEY),
        ],
        tables=[
            ReportTable(
                "unmatched_lines",
                "On the statement, not in the ledger",
                RECONCILIATION_LINE_COLUMNS,
                section("On the statement, not in the ledger"),
                total={
                    "date": None,
                    "reference": "",
                    "description": "Total",
                    "amount": rec.unmatched_lines_total,
                    "ledger": "",
                },
                sheet="Only on statement",
            ),
            ReportTable(
                "unmatched_entries",
                "In the ledger, not on the statement",
                RECONCILIATION_LINE_COLUMNS,
                section("In the ledger, not on the statement"),
                total={
                    "date": None,
                    "reference": "",
                    "description": "Total",
                    "amount": rec.unmatched_entries_total,
                    "ledger": "",
                },
                sheet="Only in ledger",
            ),
            ReportTable("matched", "Matched", RECONCILIATION_LINE_COLUMNS, section("Matched"), sheet="Matched"),
            ReportTable(
                "explained",
                "What explains the difference",
                STATEMENT_LINE_COLUMNS,
                explained,
                note="The difference is what is only on the statement less what is only in the ledger.",
                sheet="Difference",
            ),
            ReportTable(
                "proceeds",
                "Asset register ↔ fund: realisations destined for the fund",
                PROCEEDS_REPORT_COLUMNS,
                proceeds,
                total={"asset": "Total", "case": "", "realised_on": None, **totals},
                sheet="Proceeds due",
            ),
        ],
        charts=[
            ReportChart(
                "bank",
                "What explains the difference",
                charts.bar(frame, "item", "amount", value_title="KES", money=True),
                excel=ExcelChart("explained", "line", ("amount",)),
            ),
            ReportChart(
                "proceeds",
                "Forfeited proceeds: received, outstanding, over-received",
                charts.bar(proceeds_frame, "status", "amount", value_title="KES", money=True),
            ),
        ],
        notes=[f"Bank ↔ ledger as at {as_at:%d %b %Y}; the asset register ↔ fund covers every realisation to date."],
    )


# --------------------------------------------------------------------------------------------------
# The home page: the bank balance over the financial year in progress


def balance_by_day(start: dt.date, end: dt.date) -> pd.DataFrame:
    """The bank balance per the ledger at the end of each day from ``start`` to ``end``: the balance the
    day before ``start`` plus the bank's movements summed by day in the database (two queries),
    cumulated in one pandas pass. Columns ``date`` and ``balance`` (``Decimal``)."""
    opening = ledger.bank_balance(start - dt.timedelta(days=1))
    moves = (
        ledger.lines_between(start, end)
        .filter(account__code=BANK)
        .values("entry__entry_date")
        .annotate(net=Sum(F("debit") - F("credit"), output_field=MONEY))
        .order_by("entry__entry_date")
    )
    by_day = {row["entry__entry_date"]: row["net"] for row in moves}
    days: list[dt.date] = list(pd.date_range(start, end, freq="D").date) if end >= start else []
    movements = [by_day.get(day, ZERO) for day in days]
    if movements:
        movements[0] += opening
    balances = pd.Series(movements, dtype=object).cumsum()
    return pd.DataFrame({"date": days, "balance": [Decimal(b).quantize(ledger.CENT) for b in balances]})


def fund_balance_chart(today: dt.date | None = None) -> dict[str, Any]:
    """A line of the bank balance day by day from 1 July of the financial year in progress to today."""
    today = today or timezone.localdate()
    start, _ = year_bounds(current_year(today))
    frame = balance_by_day(start, today)
    return charts.line(frame, "date", {"balance": "Bank balance"}, value_title="KES", money=True, temporal=True)


def recovery_receipts(start: dt.date, end: dt.date) -> Iterable[tuple[int, dt.date, Decimal]]:
    """For the asset recovery report: receipts of forfeited proceeds in ``start .. end`` that were not
    reversed, as (realisation, date, KES)."""
    return Receipt.objects.filter(
        realisation__isnull=False, received_on__gte=start, received_on__lte=end, entry__reversed_by__isnull=True
    ).values_list("realisation_id", "received_on", "amount")


register_source(RECOVERY_RECEIPTS, recovery_receipts)

REPORT_ROLES = frozenset({Role.FUND_ADMINISTRATOR, Role.FUND_APPROVER, Role.AUDITOR})

register_report(
    Report(
        key="fund_statement",
        title="Fund statement",
        url_name="trustfund:statement",
        roles=REPORT_ROLES,
        app="trustfund",
        period_kind=PeriodKind.FINANCIAL_YEAR,
        compute=fund_statement_report,
        description="Opening balance, receipts by source, disbursements by purpose and closing balance of the fund.",
        definitions=(
            ("Period", "Kenya's financial year, 1 July – 30 June."),
            ("Receipts", "Money received into the fund's bank account, by source (CTIP s.23(1)), net of reversals."),
            ("Disbursements", "Payments out of the fund, by purpose (CTIP s.23(2)), net of reversals."),
            ("Opening balance", "The bank balance per the ledger at the end of the previous financial year."),
        ),
        order=400,
    )
)
register_report(
    Report(
        key="fund_reconciliation",
        title="Fund reconciliation",
        url_name="trustfund:reconciliation",
        roles=REPORT_ROLES,
        app="trustfund",
        period_kind=PeriodKind.FINANCIAL_YEAR,
        compute=reconciliation_report,
        description="Bank statement against the ledger, and the asset register's realisations against the fund.",
        definitions=(
            ("As at", "The last day of the financial year, or today for the year in progress."),
            ("Matched", "A statement line paired with the ledger entry it records (automatically or by hand)."),
            ("Outstanding", "Net proceeds of a realisation destined for the fund not yet received."),
        ),
        order=410,
    )
)
