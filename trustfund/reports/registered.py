"""The fund's registered reports (``core.reports``): the fund statement and the reconciliation report,
each on screen with charts and as an Excel workbook. ``trustfund.registrations`` registers them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pandas as pd
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import charts
from core.access import AnyUser
from core.labels import Label
from core.reports import (
    ExcelChart,
    Figure,
    Period,
    PeriodKind,
    Report,
    ReportChart,
    ReportData,
    ReportTable,
)
from core.roles import Role
from core.tables import Column, ColumnKind
from trustfund import ledger
from trustfund.reports.bank import (
    UNMATCHED_ENTRIES,
    UNMATCHED_LINES,
    BankReconciliation,
    ReconciliationStatement,
    bank_reconciliation,
    reconciliation_statement,
)
from trustfund.reports.proceeds import proceeds_due
from trustfund.reports.statement import FundStatement, fund_statement

ZERO = ledger.ZERO
REPORT_ROLES = frozenset({Role.FUND_ADMINISTRATOR, Role.FUND_APPROVER, Role.AUDITOR})

STATEMENT_LINE_COLUMNS: tuple[Column, ...] = (
    Column("line", gettext_lazy("Line")),
    Column("amount", gettext_lazy("Amount"), kind=ColumnKind.MONEY),
)
RECONCILIATION_LINE_COLUMNS: tuple[Column, ...] = (
    Column("date", gettext_lazy("Date"), kind=ColumnKind.DATE),
    Column("reference", gettext_lazy("Reference")),
    Column("description", gettext_lazy("Description")),
    Column("amount", gettext_lazy("Amount"), kind=ColumnKind.MONEY),
    Column("ledger", gettext_lazy("Ledger entry")),
)
PROCEEDS_REPORT_COLUMNS: tuple[Column, ...] = (
    Column("asset", gettext_lazy("Asset")),
    Column("case", gettext_lazy("Case")),
    Column("realised_on", gettext_lazy("Realised on"), kind=ColumnKind.DATE),
    Column("expected", gettext_lazy("Expected (net KES)"), kind=ColumnKind.MONEY),
    Column("received", gettext_lazy("Received"), kind=ColumnKind.MONEY),
    Column("outstanding", gettext_lazy("Outstanding"), kind=ColumnKind.MONEY),
    Column("over", gettext_lazy("Over-received"), kind=ColumnKind.MONEY),
)
DETAIL_PAGE_SIZE = 25  # rows a page of the reconciliation's detail on screen; the workbook holds every row


# --------------------------------------------------------------------------------------------------
# The fund statement


def _statement_tables(
    statement: FundStatement, receipts: list[dict[str, Any]], payments: list[dict[str, Any]]
) -> list[ReportTable]:
    return [
        ReportTable(
            "receipts",
            _("Receipts by source (CTIP s.23(1))"),
            STATEMENT_LINE_COLUMNS,
            receipts,
            total={"line": _("Total receipts"), "amount": statement.total_receipts},
            sheet=_("Receipts"),
        ),
        ReportTable(
            "payments",
            _("Disbursements by purpose (CTIP s.23(2))"),
            STATEMENT_LINE_COLUMNS,
            payments,
            total={"line": _("Total disbursements"), "amount": statement.total_payments},
            sheet=_("Disbursements"),
        ),
        ReportTable(
            "others",
            _("Other movements of the bank"),
            STATEMENT_LINE_COLUMNS,
            [{"line": row.label, "amount": row.amount} for row in statement.others],
            total={"line": _("Total other movements"), "amount": statement.total_others},
            note=_(
                "Money in (positive) or out that is neither income nor expense: unidentified receipts held in "
                "suspense until identified, corrections between balance-sheet accounts."
            ),
            sheet=_("Other movements"),
        ),
        ReportTable(
            "balances",
            _("Opening and closing balance"),
            STATEMENT_LINE_COLUMNS,
            [
                {
                    "line": (_("Opening balance, %(start)s") % {"start": date_format(statement.start, "d M Y")}),
                    "amount": statement.opening,
                },
                {"line": _("Add: receipts"), "amount": statement.total_receipts},
                {"line": _("Less: disbursements"), "amount": statement.total_payments},
                {"line": _("Add: other movements"), "amount": statement.total_others},
                {
                    "line": (_("Closing balance, %(end)s") % {"end": date_format(statement.end, "d M Y")}),
                    "amount": statement.closing,
                },
            ],
            note=_(
                "The opening balance is the previous year's closing balance (with the books' opening balance in "
                "the year the books opened); the closing balance is the ledger's bank balance on the last day."
            ),
            sheet=_("Balances"),
        ),
    ]


def _statement_chart(key: str, title: Label, rows: list[dict[str, Any]]) -> ReportChart:
    """A horizontal bar per line of table ``key``, on screen and in the workbook."""
    frame = pd.DataFrame(rows, columns=["line", "amount"]).astype({"amount": float})
    return ReportChart(
        key,
        title,
        charts.bar(frame, "line", "amount", value_title="KES", horizontal=True, money=True),
        excel=ExcelChart(key, "line", ("amount",), chart_type="bar"),
    )


def fund_statement_report(period: Period, user: AnyUser) -> ReportData:
    """The fund statement of ``period`` (a financial year) for the report page and its workbook."""
    statement = fund_statement(period.param)
    receipts = [{"line": row.label, "amount": row.amount} for row in statement.receipts]
    payments = [{"line": row.label, "amount": row.amount} for row in statement.payments]
    return ReportData(
        figures=[
            Figure(
                "opening",
                (_("Opening balance, %(start)s") % {"start": date_format(statement.start, "d M Y")}),
                statement.opening,
                ColumnKind.MONEY,
            ),
            Figure("receipts", _("Receipts"), statement.total_receipts, ColumnKind.MONEY),
            Figure("payments", _("Disbursements"), statement.total_payments, ColumnKind.MONEY),
            Figure(
                "closing",
                (_("Closing balance, %(end)s") % {"end": date_format(statement.end, "d M Y")}),
                statement.closing,
                ColumnKind.MONEY,
            ),
        ],
        tables=_statement_tables(statement, receipts, payments),
        charts=[
            _statement_chart("receipts", _("Receipts by source"), receipts),
            _statement_chart("payments", _("Disbursements by purpose"), payments),
        ],
        notes=[statement.status],
    )


# --------------------------------------------------------------------------------------------------
# The reconciliation report, step by step: the proceeds due, what explains the bank difference, then
# the figures, tables and charts built from them.


def _proceeds_rows() -> tuple[list[dict[str, Any]], dict[str, Decimal]]:
    """Each realisation destined for the fund as a row of the proceeds table, and the column totals (read as
    plain values: the register may hold thousands)."""
    values = proceeds_due().values_list(
        "asset__reference",
        "asset__description",
        "asset__case__reference",
        "realised_on",
        "net_proceeds_kes",
        "received",
        "outstanding",
        "over_received",
    )
    rows = [
        {
            "asset": f"{reference} {description}",
            "case": case,
            "realised_on": realised_on,
            "expected": expected,
            "received": received,
            "outstanding": outstanding,
            "over": over,
        }
        for reference, description, case, realised_on, expected, received, outstanding, over in values
    ]
    totals = {key: sum((row[key] for row in rows), ZERO) for key in ("expected", "received", "outstanding", "over")}
    return rows, totals


def _explained(rec: BankReconciliation) -> list[dict[str, Any]]:
    """The bank difference as what is only on the statement less what is only in the ledger."""
    return [
        {"line": _("Only on the statement"), "amount": rec.unmatched_lines_total},
        {"line": _("Only in the ledger"), "amount": rec.unmatched_entries_total},
        {"line": _("Difference (bank − ledger)"), "amount": rec.difference},
    ]


def _reconciliation_figures(rec: BankReconciliation, as_at: dt.date, outstanding: Decimal) -> list[Figure]:
    return [
        Figure(
            "ledger",
            (_("Ledger bank balance, %(as_at)s") % {"as_at": date_format(as_at, "d M Y")}),
            rec.ledger_balance,
            ColumnKind.MONEY,
        ),
        Figure(
            "statement",
            _("Bank statement balance"),
            rec.statement_balance,
            ColumnKind.MONEY,
            note="" if rec.statement_balance is not None else _("No statement imported up to this date."),
        ),
        Figure("difference", _("Difference (bank − ledger)"), rec.difference, ColumnKind.MONEY),
        Figure("matched", _("Statement lines matched"), len(rec.matched)),
        Figure("outstanding", _("Forfeited proceeds outstanding"), outstanding, ColumnKind.MONEY),
    ]


def _statement_table(statement: ReconciliationStatement) -> ReportTable:
    """The bank reconciliation statement as at the report's date, line by line."""
    return ReportTable(
        "reconciliation_statement",
        _("Bank reconciliation statement"),
        STATEMENT_LINE_COLUMNS,
        [{"line": label, "amount": amount} for label, amount in statement.summary()],
        note=_(
            "Balance per bank statement, less unpresented payments, plus receipts not yet credited, "
            "against the balance per ledger; the difference is what the statement shows that the ledger does not."
        ),
        sheet=_("Reconciliation statement"),
    )


def _unmatched_table(key: str, title: Label, rows: list[dict[str, Any]], total: Decimal, sheet: Label) -> ReportTable:
    """Lines only on the statement, or entries only in the ledger, with their total."""
    total_row = {"date": None, "reference": "", "description": _("Total"), "amount": total, "ledger": ""}
    return ReportTable(
        key, title, RECONCILIATION_LINE_COLUMNS, rows, total=total_row, sheet=sheet, page_size=DETAIL_PAGE_SIZE
    )


def _reconciliation_tables(
    rec: BankReconciliation,
    explained: list[dict[str, Any]],
    proceeds: list[dict[str, Any]],
    totals: dict[str, Decimal],
) -> list[ReportTable]:
    return [
        _unmatched_table(
            "unmatched_lines",
            UNMATCHED_LINES,
            rec.unmatched_line_rows(),
            rec.unmatched_lines_total,
            _("Only on statement"),
        ),
        _unmatched_table(
            "unmatched_entries",
            UNMATCHED_ENTRIES,
            rec.unmatched_entry_rows(),
            rec.unmatched_entries_total,
            _("Only in ledger"),
        ),
        ReportTable(
            "matched",
            _("Matched"),
            RECONCILIATION_LINE_COLUMNS,
            rec.matched_rows,
            sheet=_("Matched"),
            page_size=DETAIL_PAGE_SIZE,
        ),
        ReportTable(
            "explained",
            _("What explains the difference"),
            STATEMENT_LINE_COLUMNS,
            explained,
            note=_("The difference is what is only on the statement less what is only in the ledger."),
            sheet=_("Difference"),
        ),
        ReportTable(
            "proceeds",
            _("Asset register ↔ fund: realisations destined for the fund"),
            PROCEEDS_REPORT_COLUMNS,
            proceeds,
            total={"asset": _("Total"), "case": "", "realised_on": None, **totals},
            sheet=_("Proceeds due"),
            page_size=DETAIL_PAGE_SIZE,
        ),
    ]


# The bars of the proceeds chart, by the key of their total.
PROCEEDS_STATES = {
    "received": gettext_lazy("Received"),
    "outstanding": gettext_lazy("Outstanding"),
    "over": gettext_lazy("Over-received"),
}


def _reconciliation_charts(explained: list[dict[str, Any]], totals: dict[str, Decimal]) -> list[ReportChart]:
    frame = pd.DataFrame(
        [{"item": row["line"], "amount": float(row["amount"] or 0)} for row in explained], columns=["item", "amount"]
    )
    proceeds_frame = pd.DataFrame(
        [{"status": str(PROCEEDS_STATES[k]), "amount": float(v)} for k, v in totals.items() if k != "expected"],
        columns=["status", "amount"],
    )
    return [
        ReportChart(
            "bank",
            _("What explains the difference"),
            charts.bar(frame, "item", "amount", category_title=_("Item"), value_title="KES", money=True),
            excel=ExcelChart("explained", "line", ("amount",)),
        ),
        ReportChart(
            "proceeds",
            _("Forfeited proceeds: received, outstanding, over-received"),
            charts.bar(proceeds_frame, "status", "amount", category_title=_("Proceeds"), value_title="KES", money=True),
        ),
    ]


def reconciliation_report(period: Period, user: AnyUser) -> ReportData:
    """Bank ↔ ledger at the end of ``period`` (or today, for the year in progress) and the asset register
    ↔ fund for every realisation destined for the fund."""
    as_at = min(period.end, timezone.localdate())
    statement = reconciliation_statement(as_at)
    rec = bank_reconciliation(as_at, statement=statement)
    proceeds, totals = _proceeds_rows()
    explained = _explained(rec)
    return ReportData(
        figures=_reconciliation_figures(rec, as_at, totals["outstanding"]),
        tables=[
            _statement_table(statement),
            *_reconciliation_tables(rec, explained, proceeds, totals),
        ],
        charts=_reconciliation_charts(explained, totals),
        notes=[
            (
                _("Bank ↔ ledger as at %(as_at)s; the asset register ↔ fund covers every realisation to date.")
                % {"as_at": date_format(as_at, "d M Y")}
            )
        ],
    )


# --------------------------------------------------------------------------------------------------
# The reports as core's registry knows them


SUBNAV = "trustfund/_report_subnav.html"  # the fund's sub-menu above its reports
FUND_STATEMENT = Report(
    key="fund_statement",
    title=gettext_lazy("Fund statement"),
    url_name="trustfund:statement",
    roles=REPORT_ROLES,
    app="trustfund",
    period_kind=PeriodKind.FINANCIAL_YEAR,
    compute=fund_statement_report,
    description=gettext_lazy(
        "Opening balance, receipts by source, disbursements by purpose and closing balance of the fund."
    ),
    definitions=(
        (gettext_lazy("Period"), gettext_lazy("Kenya's financial year, 1 July – 30 June.")),
        (
            gettext_lazy("Receipts"),
            gettext_lazy("Money received into the fund's bank account, by source (CTIP s.23(1)), net of reversals."),
        ),
        (
            gettext_lazy("Disbursements"),
            gettext_lazy("Payments out of the fund, by purpose (CTIP s.23(2)), net of reversals."),
        ),
        (
            gettext_lazy("Opening balance"),
            gettext_lazy("The bank balance per the ledger at the end of the previous financial year."),
        ),
    ),
    order=400,
    subnav_template=SUBNAV,
)
FUND_RECONCILIATION = Report(
    key="fund_reconciliation",
    title=gettext_lazy("Fund reconciliation"),
    url_name="trustfund:reconciliation",
    roles=REPORT_ROLES,
    app="trustfund",
    period_kind=PeriodKind.FINANCIAL_YEAR,
    compute=reconciliation_report,
    description=gettext_lazy(
        "Bank statement against the ledger, and the asset register's realisations against the fund."
    ),
    definitions=(
        (gettext_lazy("As at"), gettext_lazy("The last day of the financial year, or today for the year in progress.")),
        (
            gettext_lazy("Matched"),
            gettext_lazy("A statement line paired with the ledger entry it records (automatically or by hand)."),
        ),
        (
            gettext_lazy("Outstanding"),
            gettext_lazy("Net proceeds of a realisation destined for the fund not yet received."),
        ),
    ),
    order=410,
    subnav_template=SUBNAV,
)
