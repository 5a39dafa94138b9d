"""The service forms through HTTP: what a prosecutor records, and clear errors with nothing saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assets.choices import AssetStatus
from assets.models import Asset, AssetStatusChange, CourtOrder, Realisation, Valuation
from tests.assets.factories import days_ago, forfeit, preserve, seize

pytestmark = pytest.mark.django_db


def iso(day: dt.date) -> str:
    return day.isoformat()


SEIZURE = {
    "asset_type": "motor_vehicle",
    "description": "Toyota Probox, white",
    "identifier": "KDA 123X",
    "seized_on": iso(days_ago(3)),
    "seizing_agency": "dci",
    "currency": "KES",
    "estimated_value": "850000",
}


@pytest.fixture
def signed_in(client: Client, prosecutor) -> Client:
    client.force_login(prosecutor)
    return client


def test_a_prosecutor_records_a_seizure(signed_in: Client, case, accused) -> None:
    response = signed_in.post(reverse("assets:asset_create", args=[case.pk]), {**SEIZURE, "owner": accused.pk})
    asset = Asset.objects.get()
    assert response.status_code == 302
    assert response["Location"] == asset.get_absolute_url()
    assert asset.owner == accused and asset.estimated_value_kes == Decimal("850000.00")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"estimated_value": "0"}, "estimated_value", "greater than zero"),
        ({"estimated_value": "-10"}, "estimated_value", "greater than zero"),
        ({"currency": "USD", "estimated_value": "28000"}, "exchange_rate", "needs its exchange rate"),
        ({"seized_on": iso(timezone.localdate() + dt.timedelta(days=2))}, "seized_on", "future"),
        ({"estimated_value": "abc"}, "estimated_value", "Enter a number"),
    ],
)
def test_a_bad_seizure_is_refused_with_a_clear_error(signed_in: Client, case, change, field, message) -> None:
    response = signed_in.post(reverse("assets:asset_create", args=[case.pk]), {**SEIZURE, **change})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert not Asset.objects.exists()


def test_a_preservation_order_form_computes_the_expiry(signed_in: Client, case) -> None:
    asset = seize(case)
    response = signed_in.post(
        reverse("assets:order_create", args=[asset.pk]),
        {
            "order_type": "preservation",
            "legal_basis": "pocamla_s82",
            "court_name": "High Court at Nairobi",
            "order_number": "E12",
            "granted_on": iso(days_ago(10)),
            "expires_on": iso(days_ago(5)),  # ignored: computed
        },
        follow=True,
    )
    order = CourtOrder.objects.get()
    assert order.expires_on == days_ago(10) + dt.timedelta(days=90)
    assert f"expires on {order.expires_on:%d %b %Y}" in response.content.decode()


def test_an_order_expiring_before_its_grant_is_refused(signed_in: Client, case) -> None:
    asset = seize(case)
    response = signed_in.post(
        reverse("assets:order_create", args=[asset.pk]),
        {
            "order_type": "restraint",
            "legal_basis": "other",
            "court_name": "High Court",
            "order_number": "R1",
            "granted_on": iso(days_ago(3)),
            "expires_on": iso(days_ago(4)),
        },
    )
    assert "cannot expire on or before" in " ".join(response.context["form"].errors["expires_on"])
    assert not CourtOrder.objects.exists()


def test_a_forfeiture_order_without_destination_is_refused(signed_in: Client, case) -> None:
    asset = seize(case)
    response = signed_in.post(
        reverse("assets:order_create", args=[asset.pk]),
        {
            "order_type": "forfeiture",
            "legal_basis": "ctip_s17",
            "court_name": "High Court",
            "order_number": "F1",
            "granted_on": iso(days_ago(3)),
        },
    )
    assert response.context["form"].errors["destination"]
    assert not CourtOrder.objects.exists()


def test_the_gazette_form_moves_the_expiry(signed_in: Client, case) -> None:
    order = preserve(seize(case), granted_days_ago=20)
    signed_in.post(reverse("assets:order_gazette", args=[order.pk]), {"gazetted_on": iso(days_ago(6))})
    order.refresh_from_db()
    assert order.expires_on == days_ago(6) + dt.timedelta(days=90)


def test_a_valuation_in_dollars_without_rate_is_refused(signed_in: Client, case) -> None:
    asset = seize(case)
    response = signed_in.post(
        reverse("assets:valuation_create", args=[asset.pk]),
        {"valued_on": iso(days_ago(1)), "amount": "100", "currency": "USD", "valuer": "Knight Frank"},
    )
    assert response.context["form"].errors["exchange_rate"]
    assert not Valuation.objects.exists()


REALISATION = {"realised_on": iso(days_ago(1)), "method": "auction", "gross_proceeds": "900000", "costs": "40000"}


def test_a_sale_is_recorded(signed_in: Client, case) -> None:
    asset = seize(case)
    forfeit(asset)
    signed_in.post(reverse("assets:realisation_create", args=[asset.pk]), {**REALISATION, "currency": "KES"})
    realisation = Realisation.objects.get()
    assert realisation.net_proceeds_kes == Decimal("860000.00")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"costs": "900001"}, "costs", "larger than the gross"),
        ({"gross_proceeds": "0"}, "gross_proceeds", "greater than zero"),
        ({"currency": "USD"}, "exchange_rate", "needs its exchange rate"),
    ],
)
def test_a_bad_sale_is_refused(signed_in: Client, case, change, field, message) -> None:
    asset = seize(case)
    forfeit(asset)
    response = signed_in.post(
        reverse("assets:realisation_create", args=[asset.pk]), {**REALISATION, "currency": "KES", **change}
    )
    assert message in " ".join(response.context["form"].errors[field])
    assert not Realisation.objects.exists()
    asset.refresh_from_db()
    assert asset.status == AssetStatus.FORFEITED


def test_a_sale_of_an_asset_not_forfeited_is_refused(signed_in: Client, case) -> None:
    asset = seize(case)
    response = signed_in.post(reverse("assets:realisation_create", args=[asset.pk]), {**REALISATION, "currency": "KES"})
    assert "Only a forfeited asset" in " ".join(response.context["form"].non_field_errors())
    assert not Realisation.objects.exists()


def test_a_move_the_table_does_not_allow_is_a_form_error(signed_in: Client, case) -> None:
    asset = seize(case)
    response = signed_in.post(
        reverse("assets:asset_move", args=[asset.pk]),
        {"to_status": "forfeiture_applied", "effective_on": iso(days_ago(0))},
    )
    assert "cannot move from “seized”" in " ".join(response.context["form"].errors["to_status"])
    assert AssetStatusChange.objects.filter(asset=asset).count() == 1


def test_a_guard_failure_is_a_form_error(signed_in: Client, case) -> None:
    asset = seize(case)
    preserve(asset, granted_days_ago=5)
    response = signed_in.post(
        reverse("assets:asset_move", args=[asset.pk]), {"to_status": "lapsed", "effective_on": iso(days_ago(0))}
    )
    assert "expired" in str(response.context["form"].errors)
    asset.refresh_from_db()
    assert asset.status == AssetStatus.PRESERVED


def test_release_to_owner(signed_in: Client, case) -> None:
    asset = seize(case)
    response = signed_in.post(
        reverse("assets:asset_release", args=[asset.pk]), {"released_on": iso(days_ago(0)), "note": "Acquitted"}
    )
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.status == AssetStatus.RELEASED
