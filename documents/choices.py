"""The vocabulary of documents: what kind of paper a document is."""

from __future__ import annotations

from django.db import models


class DocumentType(models.TextChoices):
    CHARGE_SHEET = "charge_sheet", "Charge sheet"
    OB_EXTRACT = "ob_extract", "OB extract"
    WITNESS_STATEMENT = "witness_statement", "Statement of witness"
    EXHIBIT_MEMO = "exhibit_memo", "Exhibit memo"
    COURT_ORDER = "court_order", "Court order"
    GAZETTE_NOTICE = "gazette_notice", "Gazette notice"
    VALUATION_REPORT = "valuation_report", "Valuation report"
    JUDGMENT = "judgment", "Judgment"
    SENTENCE_RULING = "sentence_ruling", "Sentence ruling"
    APPEAL_FILING = "appeal_filing", "Appeal filing"
    INVOICE = "invoice", "Invoice"
    QUOTATION = "quotation", "Quotation"
    BOARD_RESOLUTION = "board_resolution", "Board resolution"
    PAYMENT_VOUCHER = "payment_voucher", "Payment voucher"
    BANK_SLIP = "bank_slip", "Bank slip"
    IDENTITY_DOCUMENT = "identity_document", "Identity document"
    OTHER = "other", "Other"


# The papers a fund approver approves a payment against (an invoice, a quotation, the Board's resolution).
SUPPORTING_TYPES: tuple[str, ...] = (
    DocumentType.INVOICE,
    DocumentType.QUOTATION,
    DocumentType.BOARD_RESOLUTION,
)

# The papers of a court order: the order itself and its notice in the Kenya Gazette.
ORDER_TYPES: tuple[str, ...] = (DocumentType.COURT_ORDER, DocumentType.GAZETTE_NOTICE)
