"""FilterSets of the fund's lists."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from assets.models import Realisation
from core.bounds import money_filter
from trustfund.choices import (
    AdjustmentKind,
    DisbursementPurpose,
    DisbursementStatus,
    EntryKind,
    MatchMethod,
    ProceedsStatus,
    ProposalStatus,
    ReceiptSource,
)
from trustfund.models import (
    Account,
    AdjustmentProposal,
    BankStatement,
    Disbursement,
    JournalEntry,
    Receipt,
    StatementLine,
)


def awaiting_decision_by(
    filterset: django_filters.FilterSet, queryset: QuerySet[Any], asked: bool | None, status: str, raised_by: str
) -> QuerySet[Any]:
    """The "Awaiting my decision" filter: records in ``status`` that someone other than the signed-in user
    raised (an approver never decides their own). Not asked, or no request: the list is not narrowed."""
    request = filterset.request
    if not asked or request is None:
        return queryset
    return queryset.filter(status=status).exclude(**{raised_by: request.user.pk})


class ReceiptFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Reference, payer or bank reference"), method="filter_text")
    source = django_filters.MultipleChoiceFilter(label=_("Source"), choices=ReceiptSource.choices)
    received_from = django_filters.DateFilter(label=_("Received from"), field_name="received_on", lookup_expr="gte")
    received_to = django_filters.DateFilter(label=_("Received up to"), field_name="received_on", lookup_expr="lte")
    amount_min = money_filter(_("Amount from (KES)"), field_name="amount", lookup_expr="gte")

    class Meta:
        model = Receipt
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(reference__icontains=value) | Q(payer__icontains=value) | Q(payer_reference__icontains=value)
        )


class DisbursementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Reference, victim code, provider or resolution"), method="filter_text")
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=DisbursementStatus.choices)
    purpose = django_filters.MultipleChoiceFilter(label=_("Purpose"), choices=DisbursementPurpose.choices)
    requested_from = django_filters.DateFilter(label=_("Requested from"), field_name="requested_on", lookup_expr="gte")
    requested_to = django_filters.DateFilter(label=_("Requested up to"), field_name="requested_on", lookup_expr="lte")
    approved_before = django_filters.DateFilter(label=_("Approved before"), method="filter_approved_before")
    awaiting_me = django_filters.BooleanFilter(label=_("Awaiting my decision"), method="filter_awaiting_me")

    class Meta:
        model = Disbursement
        fields: list[str] = []

    def filter_approved_before(self, queryset: QuerySet[Any], name: str, value: dt.date) -> QuerySet[Any]:
        """Approved on a day before ``value`` (whatever happened next: with ``status=approved``, the payments
        left waiting since). A rejection is a decision too, but not an approval."""
        return queryset.filter(decided_at__date__lt=value).exclude(status=DisbursementStatus.REJECTED)

    def filter_awaiting_me(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        """Requests this user may decide: still requested, and raised by someone else (never your own)."""
        return awaiting_decision_by(self, queryset, value, DisbursementStatus.REQUESTED, "requested_by_id")

    def filter_text(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(victim__code__icontains=value)
            | Q(service_provider__icontains=value)
            | Q(resolution_reference__icontains=value)
        )


class ProposalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Reference, description or bank reference"), method="filter_text")
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=ProposalStatus.choices)
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=AdjustmentKind.choices)
    date_from = django_filters.DateFilter(label=_("Dated from"), field_name="entry_date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("Dated up to"), field_name="entry_date", lookup_expr="lte")
    awaiting_me = django_filters.BooleanFilter(label=_("Awaiting my decision"), method="filter_awaiting_me")

    class Meta:
        model = AdjustmentProposal
        fields: list[str] = []

    def filter_awaiting_me(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        """Proposals this approver may post or reject: still proposed, by someone else."""
        return awaiting_decision_by(self, queryset, value, ProposalStatus.PROPOSED, "proposed_by_id")

    def filter_text(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(reference__icontains=value) | Q(description__icontains=value) | Q(bank_reference__icontains=value)
        )


class EntryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Reference or description"), method="filter_text")
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=EntryKind.choices)
    account = django_filters.ModelChoiceFilter(
        queryset=Account.objects.order_by("code"), method="filter_account", label=_("Account")
    )
    date_from = django_filters.DateFilter(label=_("From"), field_name="entry_date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("Up to"), field_name="entry_date", lookup_expr="lte")

    class Meta:
        model = JournalEntry
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(reference__icontains=value) | Q(description__icontains=value) | Q(document_reference__icontains=value)
        )

    def filter_account(self, queryset: QuerySet[Any], name: str, value: Account) -> QuerySet[Any]:
        return queryset.filter(pk__in=value.lines.values("entry_id"))


class AccountBalanceFilter(django_filters.FilterSet):
    as_at = django_filters.DateFilter(label=_("As at (end of day)"), method="filter_noop")
    account_type = django_filters.ChoiceFilter(
        label=_("Type"), choices=[(t, t.title()) for t in ("asset", "liability", "equity", "income", "expense")]
    )

    class Meta:
        model = Account
        fields: list[str] = []

    def filter_noop(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset  # the view annotates the totals as at this date


class StatementFilter(django_filters.FilterSet):
    period_from = django_filters.DateFilter(label=_("Ending from"), field_name="period_end", lookup_expr="gte")
    period_to = django_filters.DateFilter(label=_("Ending up to"), field_name="period_end", lookup_expr="lte")

    class Meta:
        model = BankStatement
        fields: list[str] = []


class StatementLineFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Reference or description"), method="filter_text")
    matched = django_filters.ChoiceFilter(
        label=_("Matched?"), choices=[("yes", _("Matched")), ("no", _("Unmatched"))], method="filter_matched"
    )
    match_method = django_filters.ChoiceFilter(label=_("Match method"), choices=MatchMethod.choices)
    date_from = django_filters.DateFilter(label=_("From"), field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("Up to"), field_name="date", lookup_expr="lte")

    class Meta:
        model = StatementLine
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(reference__icontains=value) | Q(description__icontains=value))

    def filter_matched(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(matched_entry__isnull=(value == "no"))


class ProceedsFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Asset or case"), method="filter_text")
    state = django_filters.ChoiceFilter(label=_("Received?"), choices=ProceedsStatus.choices, method="filter_state")

    class Meta:
        model = Realisation
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(asset__reference__icontains=value)
            | Q(asset__description__icontains=value)
            | Q(asset__case__reference__icontains=value)
        )

    def filter_state(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == ProceedsStatus.OUTSTANDING:
            return queryset.filter(outstanding__gt=0)
        if value == ProceedsStatus.OVER_RECEIVED:
            return queryset.filter(over_received__gt=0)
        return queryset.filter(outstanding=0, over_received=0)
