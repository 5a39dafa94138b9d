"""Choices of the trust fund: the kinds of account, where money comes from (CTIP s.23(1)), what it may
be spent on (CTIP s.23(2), s.15), and the states of a disbursement."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountType(models.TextChoices):
    ASSET = "asset", _("Asset")
    LIABILITY = "liability", _("Liability")
    EQUITY = "equity", _("Equity")
    INCOME = "income", _("Income")
    EXPENSE = "expense", _("Expense")


# Accounts whose balance is naturally a debit (assets, expenses); the others are naturally credits.
DEBIT_NORMAL = frozenset({AccountType.ASSET, AccountType.EXPENSE})


class ReceiptSource(models.TextChoices):
    """CTIP s.23(1): the four sources of the Fund."""

    APPROPRIATION = "appropriation", _("Appropriation by Parliament (s.23(1)(a))")
    FORFEITED_PROCEEDS = "forfeited_proceeds", _("Forfeited proceeds under CTIP s.17 (s.23(1)(b))")
    INVESTMENT_INCOME = "investment_income", _("Income from investments (s.23(1)(c))")
    DONATION = "donation", _("Donations (s.23(1)(d))")


class DisbursementPurpose(models.TextChoices):
    """CTIP s.23(2): assistance under s.15, the balance of damages under s.17(2), other approved purposes."""

    RETURN_REPATRIATION = "return_repatriation", _("Return / repatriation (s.15(a))")
    RESETTLEMENT = "resettlement", _("Resettlement (s.15(b))")
    REINTEGRATION = "reintegration", _("Reintegration, incl. economic (s.15(c))")
    SHELTER_BASIC_NEEDS = "shelter_basic_needs", _("Shelter and basic needs (s.15(d))")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support (s.15(e))")
    MEDICAL = "medical", _("Medical assistance (s.15(f))")
    LEGAL_ASSISTANCE = "legal_assistance", _("Legal assistance and information (s.15(g))")
    OTHER_ASSISTANCE = "other_assistance", _("Other assistance (s.15(h))")
    DAMAGES_BALANCE = "damages_balance", _("Balance of court-awarded damages (s.17(2))")
    ADVISORY_COMMITTEE = "advisory_committee", _("Other purpose approved by the Advisory Committee (s.23(2)(c))")


class DisbursementStatus(models.TextChoices):
    """``requested → approved → paid``; ``requested → rejected``; ``requested | approved → cancelled``."""

    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class EntryKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    DISBURSEMENT = "disbursement", _("Disbursement payment")
    REVERSAL = "reversal", _("Reversal")
    ADJUSTMENT = "adjustment", _("Adjustment")
    OPENING = "opening", _("Opening balance")


class AdjustmentKind(models.TextChoices):
    """What an adjusting entry records: the bank's own lines, corrections, and the books' opening."""

    BANK_CHARGES = "bank_charges", _("Bank charges")
    INTEREST = "interest", _("Interest earned")
    RETURNED_PAYMENT = "returned_payment", _("Returned or reversed payment")
    UNIDENTIFIED_RECEIPT = "unidentified_receipt", _("Unidentified receipt (to suspense)")
    CORRECTION = "correction", _("Correction between accounts")
    OPENING_BALANCE = "opening_balance", _("Opening balance")


class ProposalStatus(models.TextChoices):
    """``proposed → posted`` (approved by another officer), ``proposed → rejected``, ``proposed → withdrawn``."""

    PROPOSED = "proposed", _("Awaiting approval")
    POSTED = "posted", _("Posted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    YEAR = "year", _("Financial year")


class MatchMethod(models.TextChoices):
    AUTOMATIC = "automatic", _("Automatic")
    MANUAL = "manual", _("Manual")
    POSTED = "posted", _("Posted from the line")


class ProceedsStatus(models.TextChoices):
    """How the receipts citing a realisation compare with its net proceeds in KES."""

    OUTSTANDING = "outstanding", _("Outstanding")
    RECEIVED = "received", _("Fully received")
    OVER_RECEIVED = "over_received", _("Over-received")
