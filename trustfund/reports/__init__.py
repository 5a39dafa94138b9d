"""The Fund's reports: the statement for a financial year (1 July – 30 June) and the three-way
reconciliation — bank ↔ ledger, and asset register ↔ fund — aggregated in the database; the balance
chart of the home page; and the registered report pages built on them.

Everything other modules use is importable from ``trustfund.reports``.
"""

from __future__ import annotations

from trustfund.ledger import MONEY, ZERO
from trustfund.reports.balance import balance_by_day, fund_balance_chart
from trustfund.reports.bank import (
    BankReconciliation,
    ReconciliationStatement,
    bank_account_name,
    bank_reconciliation,
    reconciliation_statement,
    statement_balance,
)
from trustfund.reports.proceeds import proceeds_due, proceeds_totals, recovery_receipts
from trustfund.reports.registered import (
    FUND_RECONCILIATION,
    FUND_STATEMENT,
    PROCEEDS_REPORT_COLUMNS,
    RECONCILIATION_LINE_COLUMNS,
    REPORT_ROLES,
    STATEMENT_LINE_COLUMNS,
    fund_statement_report,
    reconciliation_report,
)
from trustfund.reports.statement import FundStatement, StatementRow, fund_statement
from trustfund.reports.years import FY_PATTERN, current_year, year_bounds, year_choices

__all__ = [
    "FUND_RECONCILIATION",
    "FUND_STATEMENT",
    "FY_PATTERN",
    "MONEY",
    "PROCEEDS_REPORT_COLUMNS",
    "RECONCILIATION_LINE_COLUMNS",
    "REPORT_ROLES",
    "STATEMENT_LINE_COLUMNS",
    "ZERO",
    "BankReconciliation",
    "FundStatement",
    "ReconciliationStatement",
    "StatementRow",
    "balance_by_day",
    "bank_account_name",
    "bank_reconciliation",
    "current_year",
    "fund_balance_chart",
    "fund_statement",
    "fund_statement_report",
    "proceeds_due",
    "proceeds_totals",
    "reconciliation_report",
    "reconciliation_statement",
    "recovery_receipts",
    "statement_balance",
    "year_bounds",
    "year_choices",
]
