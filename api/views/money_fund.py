"""The trust fund through the API, read only: receipts, disbursements (victims by code), the account balances
and trial balance, and a financial year's fund statement. Fund roles and auditors only (``FUND_READERS``), as
on the pages; the figures come from the same functions as the pages (``trustfund.ledger``,
``trustfund.reports.fund_statement``)."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from api.base import ApiAccessMixin, ScopedReadOnlyViewSet
from api.serializers.money_fund import (
    BalancesSerializer,
    DisbursementSerializer,
    FundStatementSerializer,
    ReceiptSerializer,
)
from core.reports import Period, PeriodKind
from trustfund import ledger
from trustfund.access import FUND_READERS
from trustfund.choices import AccountType
from trustfund.filters import DisbursementFilter, ReceiptFilter
from trustfund.models import Account, Disbursement, Receipt
from trustfund.reports import REPORT_ROLES, fund_statement


@extend_schema_view(
    list=extend_schema(summary="Receipts into the fund", tags=["fund"]),
    retrieve=extend_schema(summary="One receipt", tags=["fund"]),
)
class ReceiptViewSet(ScopedReadOnlyViewSet):
    """Money received into the fund, by CTIP s.23(1) source, filtered as the receipts page filters them."""

    queryset = Receipt.objects.all()
    allowed_roles = FUND_READERS
    filterset_class = ReceiptFilter
    serializer_class = ReceiptSerializer

    def narrow(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.select_related("realisation__asset__case", "entry").annotate(
            reversal_reference=F("entry__reversed_by__reference")
        )


@extend_schema_view(
    list=extend_schema(summary="Disbursements from the fund", tags=["fund"]),
    retrieve=extend_schema(summary="One disbursement", tags=["fund"]),
)
class DisbursementViewSet(ScopedReadOnlyViewSet):
    """Payments out of the fund, filtered as the disbursements page filters them; victims by code only."""

    queryset = Disbursement.objects.all()
    allowed_roles = FUND_READERS
    filterset_class = DisbursementFilter
    serializer_class = DisbursementSerializer

    def narrow(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.select_related("victim__case", "requested_by", "decided_by")


class BalancesQuerySerializer(serializers.Serializer[object]):
    as_at = serializers.DateField(
        required=False, help_text=_("Balances at the end of this day (YYYY-MM-DD); every posting when left out.")
    )
    account_type = serializers.ChoiceField(choices=AccountType.choices, required=False)


class BalancesView(ApiAccessMixin, GenericAPIView):
    """Account balances and the trial balance, as the balances page computes them."""

    allowed_roles = FUND_READERS
    serializer_class = BalancesSerializer
    pagination_class = None
    filter_backends: list[Any] = []

    @extend_schema(
        summary="Account balances and trial balance",
        parameters=[BalancesQuerySerializer],
        responses={200: BalancesSerializer},
        tags=["fund"],
    )
    def get(self, request: Request) -> Response:
        query = BalancesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        as_at = query.validated_data.get("as_at")
        accounts = Account.objects.visible_to(request.user)
        if query.validated_data.get("account_type"):
            accounts = accounts.filter(account_type=query.validated_data["account_type"])
        rows = []
        # Annotated with total_debit and total_credit (``ledger.accounts_with_totals``).
        totals: QuerySet[Any] = ledger.accounts_with_totals(as_at, accounts=accounts)
        for account in totals:
            debit, credit = account.total_debit, account.total_credit
            rows.append(
                {
                    "code": account.code,
                    "name": account.name,
                    "account_type": account.account_type,
                    "account_type_label": account.get_account_type_display(),
                    "total_debit": debit,
                    "total_credit": credit,
                    "balance": ledger.natural(account.account_type, debit, credit),
                    "debit_balance": max(debit - credit, ledger.ZERO),
                    "credit_balance": max(credit - debit, ledger.ZERO),
                }
            )
        body = {
            "as_at": as_at,
            "bank_balance": ledger.bank_balance(as_at),
            "total_debit": sum((row["debit_balance"] for row in rows), ledger.ZERO),
            "total_credit": sum((row["credit_balance"] for row in rows), ledger.ZERO),
            "accounts": rows,
        }
        return Response(BalancesSerializer(body).data)


class StatementQuerySerializer(serializers.Serializer[object]):
    year = serializers.CharField(
        required=False, help_text=_('The financial year, e.g. "2026-27"; the year in progress when left out.')
    )


class FundStatementView(ApiAccessMixin, GenericAPIView):
    """The fund statement of a financial year: the figures of the fund statement report."""

    allowed_roles = REPORT_ROLES
    serializer_class = FundStatementSerializer
    pagination_class = None
    filter_backends: list[Any] = []

    @extend_schema(
        summary="The fund statement of a financial year",
        parameters=[StatementQuerySerializer],
        responses={200: FundStatementSerializer},
        tags=["fund"],
    )
    def get(self, request: Request) -> Response:
        text = str(request.query_params.get("year", "")).strip()
        period = (
            Period.parse(PeriodKind.FINANCIAL_YEAR, text)
            if text
            else Period.containing(PeriodKind.FINANCIAL_YEAR, timezone.localdate())
        )
        statement = fund_statement(period.param)

        def rows(items: list[Any]) -> list[dict[str, Any]]:
            return [{"code": row.code, "label": str(row.label), "amount": row.amount} for row in items]

        body = {
            "year": statement.year,
            "start": statement.start,
            "end": statement.end,
            "final": statement.closed is not None,
            "status": str(statement.status),
            "opening": statement.opening,
            "receipts": rows(statement.receipts),
            "total_receipts": statement.total_receipts,
            "payments": rows(statement.payments),
            "total_payments": statement.total_payments,
            "others": rows(statement.others),
            "total_others": statement.total_others,
            "closing": statement.closing,
        }
        return Response(FundStatementSerializer(body).data)
