"""Choices of the trust fund: the kinds of account, where money comes from (CTIP s.23(1)), what it may
be spent on (CTIP s.23(2), s.15), and the states of a disbursement."""

from __future__ import annotations

from django.db import models


class AccountType(models.TextChoices):
    ASSET = "asset", "Asset"
    LIABILITY = "liability", "Liability"
    EQUITY = "equity", "Equity"
    INCOME = "income", "Income"
    EXPENSE = "expense", "Expense"


# Accounts whose balance is naturally a debit (assets, expenses); the others are naturally credits.
DEBIT_NORMAL = frozenset({AccountType.ASSET, AccountType.EXPENSE})


class ReceiptSource(models.TextChoices):
    """CTIP s.23(1): the four sources of the Fund."""

    APPROPRIATION = "appropriation", "Appropriation by Parliament (s.23(1)(a))"
    FORFEITED_PROCEEDS = "forfeited_proceeds", "Forfeited proceeds under CTIP s.17 (s.23(1)(b))"
    INVESTMENT_INCOME = "investment_income", "Income from investments (s.23(1)(c))"
    DONATION = "donation", "Donations (s.23(1)(d))"


class DisbursementPurpose(models.TextChoices):
    """CTIP s.23(2): assistance under s.15, the balance of damages under s.17(2), other approved purposes."""

    RETURN_REPATRIATION = "return_repatriation", "Return / repatriation (s.15(a))"
    RESETTLEMENT = "resettlement", "Resettlement (s.15(b))"
    REINTEGRATION = "reintegration", "Reintegration, incl. economic (s.15(c))"
    SHELTER_BASIC_NEEDS = "shelter_basic_needs", "Shelter and basic needs (s.15(d))"
    PSYCHOSOCIAL = "psychosocial", "Psychosocial support (s.15(e))"
    MEDICAL = "medical", "Medical assistance (s.15(f))"
    LEGAL_ASSISTANCE = "legal_assistance", "Legal assistance and information (s.15(g))"
    OTHER_ASSISTANCE = "other_assistance", "Other assistance (s.15(h))"
    DAMAGES_BALANCE = "damages_balance", "Balance of court-awarded damages (s.17(2))"
    ADVISORY_COMMITTEE = "advisory_committee", "Other purpose approved by the Advisory Committee (s.23(2)(c))"


class DisbursementStatus(models.TextChoices):
    """``requested → approved → paid``; ``requested → rejected``; ``requested | approved → cancelled``."""

    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved"
    PAID = "paid", "Paid"
    REJECTED = "rejected", "Rejected"
    CANCELLED = "cancelled", "Cancelled"


class EntryKind(models.TextChoices):
    RECEIPT = "receipt", "Receipt"
    DISBURSEMENT = "disbursement", "Disbursement payment"
    REVERSAL = "reversal", "Reversal"
    ADJUSTMENT = "adjustment", "Adjustment"
    OPENING = "opening", "Opening balance"


class AdjustmentKind(models.TextChoices):
    """What an adjusting entry records: the bank's own lines, corrections, and the books' opening."""

    BANK_CHARGES = "bank_charges", "Bank charges"
    INTEREST = "interest", "Interest earned"
    RETURNED_PAYMENT = "returned_payment", "Returned or reversed payment"
    UNIDENTIFIED_RECEIPT = "unidentified_receipt", "Unidentified receipt (to suspense)"
    CORRECTION = "correction", "Correction between accounts"
    OPENING_BALANCE = "opening_balance", "Opening balance"


class ProposalStatus(models.TextChoices):
    """``proposed → posted`` (approved by another officer), ``proposed → rejected``, ``proposed → withdrawn``."""

    PROPOSED = "proposed", "Awaiting approval"
    POSTED = "posted", "Posted"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class PeriodKind(models.TextChoices):
    MONTH = "month", "Month"
    YEAR = "year", "Financial year"


class MatchMethod(models.TextChoices):
    AUTOMATIC = "automatic", "Automatic"
    MANUAL = "manual", "Manual"
    POSTED = "posted", "Posted from the line"


class ProceedsStatus(models.TextChoices):
    """How the receipts citing a realisation compare with its net proceeds in KES."""

    OUTSTANDING = "outstanding", "Outstanding"
    RECEIVED = "received", "Fully received"
    OVER_RECEIVED = "over_received", "Over-received"
