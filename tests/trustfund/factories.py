"""Helpers for the trust fund tests: realisations destined for the fund, victims, and money through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from assets import services as asset_services
from assets.models import Realisation
from core.models import User
from prosecutions.models import Case
from tests.assets.factories import AccusedFactory, CaseFactory, days_ago, forfeit, seize
from tests.factories import UserFactory
from trustfund import services
from trustfund.choices import DisbursementPurpose, ReceiptSource
from trustfund.models import Disbursement, Receipt
from victims.choices import CaseRole
from victims.models import CaseVictim, Victim

__all__ = ["days_ago"]


def realisation(
    net: Decimal = Decimal("850000.00"), destination: str = "trust_fund", case: Case | None = None, **extra: Any
) -> Realisation:
    """A seized vehicle forfeited (destination given) and sold for ``net`` KES with no costs."""
    case = case or CaseFactory.create(lead_prosecutor=UserFactory.create())
    AccusedFactory.create(case=case)
    asset = seize(case, description=extra.pop("description", "Toyota Probox"))
    forfeit(asset, destination=destination)
    return asset_services.record_realisation(
        asset,
        case.lead_prosecutor,
        realised_on=extra.pop("realised_on", days_ago(3)),
        method="auction",
        gross_proceeds=net,
        costs=Decimal("0"),
    )


def victim(case: Case | None = None) -> Victim:
    case = case or CaseFactory.create(lead_prosecutor=UserFactory.create())
    recorded = Victim.objects.create(
        case=case,
        code=f"V-2026-{Victim.objects.count() + 1:04d}",
        exploitation_type="slavery",
        identified_on=timezone.localdate() - dt.timedelta(days=100),
    )
    CaseVictim.objects.create(victim=recorded, case=case, role=CaseRole.NAMED_IN_COUNT)  # as add_victim links it
    return recorded


def receive(user: User, amount: str | Decimal, on: dt.date | None = None, **extra: Any) -> Receipt:
    values: dict[str, Any] = {
        "source": ReceiptSource.APPROPRIATION,
        "payer": "The National Treasury",
        "received_on": on or days_ago(10),
    }
    values.update(extra)
    return services.record_receipt(user, amount=Decimal(amount), **values)


def request(user: User, amount: str | Decimal, on: dt.date | None = None, **extra: Any) -> Disbursement:
    values: dict[str, Any] = {
        "purpose": DisbursementPurpose.MEDICAL,
        "service_provider": "Kenyatta National Hospital",
        "resolution_reference": "BOT/RES/14/2026",
        "requested_on": on or days_ago(5),
    }
    values.update(extra)
    return services.request_disbursement(user, amount=Decimal(amount), **values)


def approved(requester: User, approver: User, amount: str | Decimal, **extra: Any) -> Disbursement:
    disbursement = request(requester, amount, **extra)
    return services.approve_disbursement(disbursement, approver, no_documents_reason="On the Board's paper file")


def paid(
    requester: User, approver: User, amount: str | Decimal, on: dt.date | None = None, **extra: Any
) -> Disbursement:
    disbursement = approved(requester, approver, amount, **extra)
    return services.pay_disbursement(disbursement, requester, paid_on=on or days_ago(2), payment_reference="EFT-1")
