"""The trust fund as the API shows it: receipts, disbursements (victims by code only), account balances and
the financial year's fund statement."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.serializers.money_common import label, money
from trustfund.models import Disbursement, Receipt


class ReceiptSerializer(serializers.ModelSerializer[Receipt]):
    source_label = label("source")
    amount = money()
    asset = serializers.IntegerField(source="realisation.asset_id", read_only=True, allow_null=True, default=None)
    asset_reference = serializers.CharField(
        source="realisation.asset.reference", read_only=True, allow_null=True, default=None
    )
    case_reference = serializers.CharField(
        source="realisation.asset.case.reference", read_only=True, allow_null=True, default=None
    )
    entry_reference = serializers.CharField(source="entry.reference", read_only=True)
    reversal_reference = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("The journal entry that reversed this receipt, if any.")
    )

    class Meta:
        model = Receipt
        fields = [
            "id",
            "reference",
            "received_on",
            "source",
            "source_label",
            "amount",
            "payer",
            "payer_reference",
            "realisation",
            "asset",
            "asset_reference",
            "case_reference",
            "entry_reference",
            "reversal_reference",
        ]
        read_only_fields = fields


class DisbursementSerializer(serializers.ModelSerializer[Disbursement]):
    """A payment out of the fund. The victim appears by code, never by name."""

    victim_code = serializers.CharField(source="victim.code", read_only=True, allow_null=True, default=None)
    case_reference = serializers.CharField(
        source="victim.case.reference", read_only=True, allow_null=True, default=None
    )
    purpose_label = label("purpose")
    status_label = label("status")
    amount = money()
    requested_by = serializers.StringRelatedField(read_only=True)
    decided_by = serializers.StringRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Disbursement
        fields = [
            "id",
            "reference",
            "requested_on",
            "victim_code",
            "case_reference",
            "service_provider",
            "purpose",
            "purpose_label",
            "amount",
            "resolution_reference",
            "status",
            "status_label",
            "requested_by",
            "decided_by",
            "decided_at",
            "paid_on",
            "payment_reference",
        ]
        read_only_fields = fields


class AccountBalanceSerializer(serializers.Serializer[object]):
    """One account of the fund's chart with its debits, credits and balance as at the date asked."""

    code = serializers.CharField()
    name = serializers.CharField()
    account_type = serializers.CharField()
    account_type_label = serializers.CharField()
    total_debit = money()
    total_credit = money()
    balance = money(help_text=_("With the sign its type expects: debit-normal for assets and expenses."))
    debit_balance = money()
    credit_balance = money()


class BalancesSerializer(serializers.Serializer[object]):
    """The trial balance: every account, and totals that must agree."""

    as_at = serializers.DateField(allow_null=True, help_text=_("End of this day; null for every posting."))
    bank_balance = money(help_text=_("The fund's bank balance per the ledger."))
    total_debit = money()
    total_credit = money()
    accounts = AccountBalanceSerializer(many=True)


class StatementRowSerializer(serializers.Serializer[object]):
    code = serializers.CharField(help_text=_("The ledger account's code."))
    label = serializers.CharField()
    amount = money()


class FundStatementSerializer(serializers.Serializer[object]):
    """The fund statement of one financial year (1 July – 30 June), as the report page computes it."""

    year = serializers.CharField(help_text=_('The financial year, e.g. "2026-27".'))
    start = serializers.DateField()
    end = serializers.DateField()
    final = serializers.BooleanField(help_text=_("True once the year is closed: the figures no longer move."))
    status = serializers.CharField()
    opening = money()
    receipts = StatementRowSerializer(many=True)
    total_receipts = money()
    payments = StatementRowSerializer(many=True)
    total_payments = money()
    others = StatementRowSerializer(many=True)
    total_others = money()
    closing = money()
