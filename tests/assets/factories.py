"""Small factories for the asset tests: cases and accused created directly, assets through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from assets import services
from assets.choices import AssetType, Currency, OrderType, SeizingAgency
from assets.models import Asset, CourtOrder
from core.models import County, User
from prosecutions.models import Accused, Case
from tests.factories import UserFactory


class CaseFactory(factory.django.DjangoModelFactory[Case]):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"ODPP/CTIP/TEST/{n:04d}")
    title = factory.Sequence(lambda n: f"Republic v. Accused {n}")
    county = factory.LazyFunction(lambda: County.objects.order_by("code").first())
    lead_prosecutor = factory.SubFactory(UserFactory)
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=400))
    last_activity_on = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def team(obj: Case, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            obj.team.set(extracted)


class AccusedFactory(factory.django.DjangoModelFactory[Accused]):
    class Meta:
        model = Accused

    case = factory.SubFactory(CaseFactory)
    name = factory.Sequence(lambda n: f"Accused Person {n}")


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def seize(case: Case, user: User | None = None, **overrides: Any) -> Asset:
    """An asset seized in ``case`` through the service (KES 1,000,000 vehicle by default)."""
    values: dict[str, Any] = {
        "asset_type": AssetType.MOTOR_VEHICLE,
        "description": "Toyota Probox",
        "identifier": "KDA 123X",
        "seized_on": days_ago(120),
        "seizing_agency": SeizingAgency.DCI,
        "estimated_value": Decimal("1000000.00"),
        "currency": Currency.KES,
    }
    values.update(overrides)
    return services.record_seizure(case, user or case.lead_prosecutor, **values)


def preserve(asset: Asset, user: User | None = None, granted_days_ago: int = 30, **overrides: Any) -> CourtOrder:
    values: dict[str, Any] = {
        "order_type": OrderType.PRESERVATION,
        "legal_basis": "pocamla_s82",
        "order_number": "HCACEC Misc. Appl. E001 of 2026",
        "granted_on": days_ago(granted_days_ago),
        "court_name": "High Court at Nairobi",
    }
    values.update(overrides)
    return services.record_court_order(asset, user or asset.case.lead_prosecutor, **values)


def forfeit(asset: Asset, user: User | None = None, granted_days_ago: int = 5, **overrides: Any) -> CourtOrder:
    values: dict[str, Any] = {
        "order_type": OrderType.FORFEITURE,
        "legal_basis": "ctip_s17",
        "order_number": "HCACEC OM E009 of 2026",
        "granted_on": days_ago(granted_days_ago),
        "court_name": "High Court at Nairobi",
        "destination": "trust_fund",
    }
    values.update(overrides)
    return services.record_court_order(asset, user or asset.case.lead_prosecutor, **values)
