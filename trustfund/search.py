"""What the search box finds in the trust fund: receipts and disbursements, for the fund's readers only."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.access import AnyUser
from core.search import SearchHit, SearchSource, best_matches, register_search_source
from core.tables import ColumnKind, format_value
from trustfund.access import FUND_READERS
from trustfund.models import Disbursement, Receipt

RECEIPT_FIELDS = ("reference", "payer", "payer_reference")
DISBURSEMENT_FIELDS = ("reference", "service_provider", "victim__code", "resolution_reference")


def find_receipts(user: AnyUser, text: str, limit: int) -> Sequence[SearchHit]:
    """Receipts by reference, payer or the payer's bank reference."""
    receipts = best_matches(Receipt.objects.visible_to(user), RECEIPT_FIELDS, text)
    return [
        SearchHit(
            f"{receipt.reference} — {receipt.payer}",
            (
                _("%(format_value)s · received %(received_on)s · %(source)s")
                % {
                    "format_value": format_value(receipt.amount, ColumnKind.MONEY),
                    "received_on": date_format(receipt.received_on, "d M Y"),
                    "source": receipt.get_source_display(),
                }
            ),
            receipt.get_absolute_url(),
        )
        for receipt in receipts[:limit]
    ]


def find_disbursements(user: AnyUser, text: str, limit: int) -> Sequence[SearchHit]:
    """Disbursements by reference, payee (victim code or service provider) or board resolution."""
    found = best_matches(Disbursement.objects.visible_to(user).select_related("victim"), DISBURSEMENT_FIELDS, text)
    return [
        SearchHit(
            f"{disbursement.reference} — {disbursement.payee}",
            f"{format_value(disbursement.amount, ColumnKind.MONEY)} · {disbursement.get_purpose_display()}"
            f" · {disbursement.get_status_display()}",
            disbursement.get_absolute_url(),
        )
        for disbursement in found[:limit]
    ]


register_search_source(
    SearchSource("receipts", _("Receipts"), FUND_READERS, find_receipts, "trustfund:receipt_list", order=70)
)
register_search_source(
    SearchSource(
        "disbursements", _("Disbursements"), FUND_READERS, find_disbursements, "trustfund:disbursement_list", order=80
    )
)
