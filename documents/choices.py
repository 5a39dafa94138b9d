"""The vocabulary of documents: what kind of paper a document is."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentType(models.TextChoices):
    CHARGE_SHEET = "charge_sheet", _("Charge sheet")
    OB_EXTRACT = "ob_extract", _("OB extract")
    WITNESS_STATEMENT = "witness_statement", _("Statement of witness")
    EXHIBIT_MEMO = "exhibit_memo", _("Exhibit memo")
    COURT_ORDER = "court_order", _("Court order")
    GAZETTE_NOTICE = "gazette_notice", _("Gazette notice")
    VALUATION_REPORT = "valuation_report", _("Valuation report")
    JUDGMENT = "judgment", _("Judgment")
    SENTENCE_RULING = "sentence_ruling", _("Sentence ruling")
    APPEAL_FILING = "appeal_filing", _("Appeal filing")
    INVOICE = "invoice", _("Invoice")
    QUOTATION = "quotation", _("Quotation")
    BOARD_RESOLUTION = "board_resolution", _("Board resolution")
    PAYMENT_VOUCHER = "payment_voucher", _("Payment voucher")
    BANK_SLIP = "bank_slip", _("Bank slip")
    IDENTITY_DOCUMENT = "identity_document", _("Identity document")
    OTHER = "other", _("Other")


# The papers a fund approver approves a payment against (an invoice, a quotation, the Board's resolution).
SUPPORTING_TYPES: tuple[str, ...] = (
    DocumentType.INVOICE,
    DocumentType.QUOTATION,
    DocumentType.BOARD_RESOLUTION,
)

# The papers of a court order: the order itself and its notice in the Kenya Gazette.
ORDER_TYPES: tuple[str, ...] = (DocumentType.COURT_ORDER, DocumentType.GAZETTE_NOTICE)
