"""Column specs of the fund's lists and reports, shared by the screen and the Excel export."""

from __future__ import annotations

from core.tables import Column, ColumnKind
from prosecutions.access import can_read_cases
from trustfund.ledger import natural

RECEIPT_COLUMNS: tuple[Column, ...] = (
    Column("reference", "Reference", link=True),
    Column("received_on", "Received on", kind=ColumnKind.DATE),
    Column("source", "Source", "get_source_display"),
    Column("payer", "Payer"),
    Column("payer_reference", "Bank reference"),
    Column("asset", "Asset (realisation)", "realisation.asset.reference"),
    Column(
        "case", "Case", "realisation.asset.case.reference", link_to="realisation.asset.case", link_if=can_read_cases
    ),
    Column("amount", "Amount", kind=ColumnKind.MONEY),
    Column("entry", "Journal entry", "entry.reference"),
    Column("reversal_reference", "Reversed by"),
)

DISBURSEMENT_COLUMNS: tuple[Column, ...] = (
    Column("reference", "Reference", link=True),
    Column("requested_on", "Requested on", kind=ColumnKind.DATE),
    Column("victim", "Victim (code)", "victim.code"),
    Column("case", "Case", "victim.case.reference", link_to="victim.case", link_if=can_read_cases),
    Column("service_provider", "Service provider"),
    Column("purpose", "Purpose", "get_purpose_display"),
    Column("amount", "Amount", kind=ColumnKind.MONEY),
    Column("resolution_reference", "Board resolution"),
    Column("status", "Status", "get_status_display"),
    Column("requested_by", "Requested by", "requested_by"),
    Column("decided_by", "Approved / rejected by", "decided_by"),
    Column("paid_on", "Paid on", kind=ColumnKind.DATE),
)

PROPOSAL_COLUMNS: tuple[Column, ...] = (
    Column("reference", "Reference", link=True),
    Column("entry_date", "Entry date", kind=ColumnKind.DATE),
    Column("kind", "Kind", "get_kind_display"),
    Column("description", "Description"),
    Column("total", "Amount", kind=ColumnKind.MONEY),
    Column("statement_line", "Statement line", "statement_line"),
    Column("status", "Status", "get_status_display"),
    Column("proposed_by", "Proposed by", "proposed_by"),
    Column("decided_by", "Posted / rejected by", "decided_by"),
    Column("entry", "Journal entry", "entry.reference"),
)

ENTRY_COLUMNS: tuple[Column, ...] = (
    Column("reference", "Entry", link=True),
    Column("entry_date", "Date", kind=ColumnKind.DATE),
    Column("kind", "Kind", "get_kind_display"),
    Column("document_reference", "Document"),
    Column("description", "Description"),
    Column("total", "Amount", kind=ColumnKind.MONEY),
    Column("reverses", "Reverses", "reverses.reference"),
    Column("reversal_reference", "Reversed by"),
    Column("posted_by", "Posted by", "posted_by"),
)

ACCOUNT_COLUMNS: tuple[Column, ...] = (
    Column("code", "Code"),
    Column("name", "Account"),
    Column("account_type", "Type", "get_account_type_display"),
    Column("total_debit", "Debits", kind=ColumnKind.MONEY),
    Column("total_credit", "Credits", kind=ColumnKind.MONEY),
    Column(
        "debit_balance",
        "Debit balance",
        lambda a: max(a.total_debit - a.total_credit, 0) or None,
        kind=ColumnKind.MONEY,
    ),
    Column(
        "credit_balance",
        "Credit balance",
        lambda a: max(a.total_credit - a.total_debit, 0) or None,
        kind=ColumnKind.MONEY,
    ),
    Column(
        "balance", "Balance", lambda a: natural(a.account_type, a.total_debit, a.total_credit), kind=ColumnKind.MONEY
    ),
)

STATEMENT_COLUMNS: tuple[Column, ...] = (
    Column("name", "File", "original_name", link=True),
    Column("period_start", "From", kind=ColumnKind.DATE),
    Column("period_end", "To", kind=ColumnKind.DATE),
    Column("line_count", "Lines", kind=ColumnKind.INTEGER),
    Column("matched_count", "Matched", kind=ColumnKind.INTEGER),
    Column("imported_by", "Imported by", "imported_by"),
    Column("created_at", "Imported at", kind=ColumnKind.DATETIME),
)

STATEMENT_LINE_COLUMNS: tuple[Column, ...] = (
    Column("date", "Date", kind=ColumnKind.DATE),
    Column("line_number", "Row", kind=ColumnKind.INTEGER),
    Column("reference", "Reference"),
    Column("description", "Description"),
    Column("amount", "Amount", kind=ColumnKind.MONEY),
    Column("balance", "Balance", kind=ColumnKind.MONEY),
    Column("matched_entry", "Matched to", "matched_entry.reference"),
    Column("document", "Document", "matched_entry.document_reference"),
    Column("match_method", "How", "get_match_method_display"),
    Column("statement", "Statement", "statement.original_name"),
)

PROCEEDS_COLUMNS: tuple[Column, ...] = (
    Column("asset", "Asset", "asset.reference"),
    Column("description", "Description", "asset.description"),
    Column("case", "Case", "asset.case.reference", link_to="asset.case", link_if=can_read_cases),
    Column("realised_on", "Realised on", kind=ColumnKind.DATE),
    Column("asset_status", "Asset status", "asset.get_status_display"),
    Column("net_proceeds_kes", "Expected (net KES)", kind=ColumnKind.MONEY),
    Column("received", "Received", kind=ColumnKind.MONEY),
    Column("outstanding", "Outstanding", kind=ColumnKind.MONEY),
    Column("over_received", "Over-received", kind=ColumnKind.MONEY),
)

FUND_STATEMENT_COLUMNS: tuple[Column, ...] = (
    Column("section", "Section"),
    Column("line", "Line"),
    Column("amount", "Amount", kind=ColumnKind.MONEY),
)

RECONCILIATION_COLUMNS: tuple[Column, ...] = (
    Column("section", "Section"),
    Column("date", "Date", kind=ColumnKind.DATE),
    Column("reference", "Reference"),
    Column("description", "Description"),
    Column("amount", "Amount", kind=ColumnKind.MONEY),
    Column("ledger", "Ledger entry"),
)
