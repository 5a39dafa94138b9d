"""Column specs of the fund's lists and reports, shared by the screen and the Excel export."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.tables import Column, ColumnKind
from prosecutions.access import can_read_cases
from trustfund.ledger import natural

RECEIPT_COLUMNS: tuple[Column, ...] = (
    Column("reference", _("Reference"), link=True),
    Column("received_on", _("Received on"), kind=ColumnKind.DATE),
    Column("source", _("Source"), "get_source_display"),
    Column("payer", _("Payer")),
    Column("payer_reference", _("Bank reference")),
    Column("asset", _("Asset (realisation)"), "realisation.asset.reference"),
    Column(
        "case", _("Case"), "realisation.asset.case.reference", link_to="realisation.asset.case", link_if=can_read_cases
    ),
    Column("amount", _("Amount"), kind=ColumnKind.MONEY),
    Column("entry", _("Journal entry"), "entry.reference"),
    Column("reversal_reference", _("Reversed by")),
)

DISBURSEMENT_COLUMNS: tuple[Column, ...] = (
    Column("reference", _("Reference"), link=True),
    Column("requested_on", _("Requested on"), kind=ColumnKind.DATE),
    Column("victim", _("Victim (code)"), "victim.code"),
    Column("case", _("Case"), "victim.case.reference", link_to="victim.case", link_if=can_read_cases),
    Column("service_provider", _("Service provider")),
    Column("purpose", _("Purpose"), "get_purpose_display"),
    Column("amount", _("Amount"), kind=ColumnKind.MONEY),
    Column("resolution_reference", _("Board resolution")),
    Column("status", _("Status"), "get_status_display"),
    Column("requested_by", _("Requested by"), "requested_by"),
    Column("decided_by", _("Approved / rejected by"), "decided_by"),
    Column("paid_on", _("Paid on"), kind=ColumnKind.DATE),
)

PROPOSAL_COLUMNS: tuple[Column, ...] = (
    Column("reference", _("Reference"), link=True),
    Column("entry_date", _("Entry date"), kind=ColumnKind.DATE),
    Column("kind", _("Kind"), "get_kind_display"),
    Column("description", _("Description")),
    Column("total", _("Amount"), kind=ColumnKind.MONEY),
    Column("statement_line", _("Statement line"), "statement_line"),
    Column("status", _("Status"), "get_status_display"),
    Column("proposed_by", _("Proposed by"), "proposed_by"),
    Column("decided_by", _("Posted / rejected by"), "decided_by"),
    Column("entry", _("Journal entry"), "entry.reference"),
)

ENTRY_COLUMNS: tuple[Column, ...] = (
    Column("reference", _("Entry"), link=True),
    Column("entry_date", _("Date"), kind=ColumnKind.DATE),
    Column("kind", _("Kind"), "get_kind_display"),
    Column("document_reference", _("Document")),
    Column("description", _("Description")),
    Column("total", _("Amount"), kind=ColumnKind.MONEY),
    Column("reverses", _("Reverses"), "reverses.reference"),
    Column("reversal_reference", _("Reversed by")),
    Column("posted_by", _("Posted by"), "posted_by"),
)

ACCOUNT_COLUMNS: tuple[Column, ...] = (
    Column("code", _("Code")),
    Column("name", _("Account")),
    Column("account_type", _("Type"), "get_account_type_display"),
    Column("total_debit", _("Debits"), kind=ColumnKind.MONEY),
    Column("total_credit", _("Credits"), kind=ColumnKind.MONEY),
    Column(
        "debit_balance",
        _("Debit balance"),
        lambda a: max(a.total_debit - a.total_credit, 0) or None,
        kind=ColumnKind.MONEY,
    ),
    Column(
        "credit_balance",
        _("Credit balance"),
        lambda a: max(a.total_credit - a.total_debit, 0) or None,
        kind=ColumnKind.MONEY,
    ),
    Column(
        "balance", _("Balance"), lambda a: natural(a.account_type, a.total_debit, a.total_credit), kind=ColumnKind.MONEY
    ),
)

STATEMENT_COLUMNS: tuple[Column, ...] = (
    Column("name", _("File"), "original_name", link=True),
    Column("period_start", _("From"), kind=ColumnKind.DATE),
    Column("period_end", _("To"), kind=ColumnKind.DATE),
    Column("line_count", _("Lines"), kind=ColumnKind.INTEGER),
    Column("matched_count", _("Matched"), kind=ColumnKind.INTEGER),
    Column("imported_by", _("Imported by"), "imported_by"),
    Column("created_at", _("Imported at"), kind=ColumnKind.DATETIME),
)

STATEMENT_LINE_COLUMNS: tuple[Column, ...] = (
    Column("date", _("Date"), kind=ColumnKind.DATE),
    Column("line_number", _("Row"), kind=ColumnKind.INTEGER),
    Column("reference", _("Reference")),
    Column("description", _("Description")),
    Column("amount", _("Amount"), kind=ColumnKind.MONEY),
    Column("balance", _("Balance"), kind=ColumnKind.MONEY),
    Column("matched_entry", _("Matched to"), "matched_entry.reference"),
    Column("document", _("Document"), "matched_entry.document_reference"),
    Column("match_method", _("How"), "get_match_method_display"),
    Column("statement", _("Statement"), "statement.original_name"),
)

PROCEEDS_COLUMNS: tuple[Column, ...] = (
    Column("asset", _("Asset"), "asset.reference"),
    Column("description", _("Description"), "asset.description"),
    Column("case", _("Case"), "asset.case.reference", link_to="asset.case", link_if=can_read_cases),
    Column("realised_on", _("Realised on"), kind=ColumnKind.DATE),
    Column("asset_status", _("Asset status"), "asset.get_status_display"),
    Column("net_proceeds_kes", _("Expected (net KES)"), kind=ColumnKind.MONEY),
    Column("received", _("Received"), kind=ColumnKind.MONEY),
    Column("outstanding", _("Outstanding"), kind=ColumnKind.MONEY),
    Column("over_received", _("Over-received"), kind=ColumnKind.MONEY),
)

FUND_STATEMENT_COLUMNS: tuple[Column, ...] = (
    Column("section", _("Section")),
    Column("line", _("Line")),
    Column("amount", _("Amount"), kind=ColumnKind.MONEY),
)

RECONCILIATION_COLUMNS: tuple[Column, ...] = (
    Column("section", _("Section")),
    Column("date", _("Date"), kind=ColumnKind.DATE),
    Column("reference", _("Reference")),
    Column("description", _("Description")),
    Column("amount", _("Amount"), kind=ColumnKind.MONEY),
    Column("ledger", _("Ledger entry")),
)
