"""The demo seed: assets on about 40% of the cases, every status and type, idempotent, nothing dated ahead."""

from __future__ import annotations

import pytest
from django.utils import timezone

from assets.choices import AssetStatus, AssetType, Currency
from assets.deadlines import deadline_orders
from assets.demo import seed_assets
from assets.models import Asset, AssetStatusChange, CourtOrder, Realisation, Valuation
from tests.assets.factories import AccusedFactory, CaseFactory

pytestmark = pytest.mark.django_db


def test_no_cases_no_assets_and_no_error() -> None:
    lines: list[str] = []
    assert seed_assets({}, lines.append) == 0
    assert "no cases" in lines[0]


def test_the_seed_covers_every_status_and_type_and_is_idempotent(prosecutor) -> None:
    cases = [CaseFactory.create(lead_prosecutor=prosecutor) for _ in range(50)]
    for case in cases[::2]:
        AccusedFactory.create(case=case)
    created = seed_assets({}, lambda line: None)
    assert created > 0
    with_assets = Asset.objects.values("case").distinct().count()
    assert 0.25 <= with_assets / len(cases) <= 0.55
    assert set(Asset.objects.values_list("status", flat=True)) == set(AssetStatus.values)
    assert set(Asset.objects.values_list("asset_type", flat=True)) == set(AssetType.values)
    assert Asset.objects.filter(currency=Currency.USD).exists()
    assert deadline_orders(14).filter(expires_on__gte=timezone.localdate()).count() >= 3
    assert Asset.objects.filter(status=AssetStatus.LAPSED).exists()
    assert (
        Realisation.objects.count()
        == Asset.objects.filter(status__in=[AssetStatus.REALISED, AssetStatus.TRANSFERRED]).count()
    )

    today = timezone.localdate()
    assert not Asset.objects.filter(seized_on__gt=today).exists()
    assert not CourtOrder.objects.filter(granted_on__gt=today).exists()
    assert not CourtOrder.objects.filter(gazetted_on__gt=today).exists()
    assert not AssetStatusChange.objects.filter(effective_on__gt=today).exists()
    assert not Realisation.objects.filter(realised_on__gt=today).exists()
    assert not Valuation.objects.filter(valued_on__gt=today).exists()

    total = Asset.objects.count()
    assert seed_assets({}, lambda line: None) == 0
    assert Asset.objects.count() == total
