"""Every bad input named in the assets issue, submitted through the real form pages: the form comes back
with the error in words, and nothing is saved — no row and no history row in the app changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assets import services
from assets.choices import AssetStatus
from assets.models import Asset
from tests.assets.factories import days_ago, forfeit, preserve, seize
from tests.helpers import post_refused as refused

pytestmark = pytest.mark.django_db


def post_refused(client: Client, url: str, data: dict[str, Any], field: str | None, words: str) -> None:
    """POST ``data`` to a assets form: refused with ``words`` on ``field``, nothing saved."""
    refused(client, url, data, field, words, "assets")


def iso(day: dt.date) -> str:
    return day.isoformat()


def tomorrow() -> str:
    return iso(timezone.localdate() + dt.timedelta(days=1))


@pytest.fixture
def signed_in(client: Client, prosecutor) -> Client:
    client.force_login(prosecutor)
    return client


# --- amounts -------------------------------------------------------------------------------------

SEIZURE = {
    "asset_type": "bank_account",
    "description": "Equity Bank account",
    "identifier": "0123456789",
    "seized_on": iso(days_ago(3)),
    "seizing_agency": "dci",
    "currency": "KES",
    "estimated_value": "2500000",
}


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"estimated_value": "0"}, "estimated_value", "Enter an amount greater than zero."),
        ({"estimated_value": "-1"}, "estimated_value", "Enter an amount greater than zero."),
        ({"currency": "USD"}, "exchange_rate", "An amount in USD needs its exchange rate to KES."),
        ({"currency": "USD", "exchange_rate": "0"}, "exchange_rate", "The exchange rate must be greater than zero."),
        ({"currency": "USD", "exchange_rate": "-129"}, "exchange_rate", "The exchange rate must be greater than zero."),
        ({"seized_on": tomorrow()}, "seized_on", "This date cannot be in the future."),
    ],
)
def test_a_bad_seizure_is_refused(signed_in: Client, case, change, field, words) -> None:
    post_refused(signed_in, reverse("assets:asset_create", args=[case.pk]), {**SEIZURE, **change}, field, words)


VALUATION = {"valued_on": iso(days_ago(1)), "amount": "950000", "currency": "KES", "valuer": "Regent Valuers"}


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"amount": "0"}, "amount", "Enter an amount greater than zero."),
        ({"amount": "-5000"}, "amount", "Enter an amount greater than zero."),
        ({"currency": "EUR"}, "exchange_rate", "An amount in EUR needs its exchange rate to KES."),
        ({"valued_on": tomorrow()}, "valued_on", "This date cannot be in the future."),
    ],
)
def test_a_bad_valuation_is_refused(signed_in: Client, case, change, field, words) -> None:
    asset = seize(case)
    post_refused(signed_in, reverse("assets:valuation_create", args=[asset.pk]), {**VALUATION, **change}, field, words)


# --- court orders --------------------------------------------------------------------------------

ORDER = {
    "order_type": "restraint",
    "legal_basis": "other",
    "court_name": "High Court at Nairobi",
    "order_number": "HCACEC Misc. E77 of 2026",
    "granted_on": iso(days_ago(10)),
}


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            {"expires_on": iso(days_ago(11))},
            "expires_on",
            "An order cannot expire on or before the day it was granted.",
        ),
        (
            {"expires_on": iso(days_ago(10))},
            "expires_on",
            "An order cannot expire on or before the day it was granted.",
        ),
        (
            {"order_type": "preservation", "legal_basis": "pocamla_s82", "gazetted_on": iso(days_ago(12))},
            "gazetted_on",
            "An order cannot be gazetted before it was granted.",
        ),
        ({"granted_on": tomorrow()}, "granted_on", "This date cannot be in the future."),
    ],
)
def test_a_bad_court_order_is_refused(signed_in: Client, case, change, field, words) -> None:
    asset = seize(case)
    post_refused(signed_in, reverse("assets:order_create", args=[asset.pk]), {**ORDER, **change}, field, words)
    asset.refresh_from_db()
    assert asset.status == AssetStatus.SEIZED


def test_a_gazettement_before_the_grant_is_refused(signed_in: Client, case) -> None:
    order = preserve(seize(case), granted_days_ago=20)
    post_refused(
        signed_in,
        reverse("assets:order_gazette", args=[order.pk]),
        {"gazetted_on": iso(days_ago(21))},
        "gazetted_on",
        "An order cannot be gazetted before it was granted.",
    )
    order.refresh_from_db()
    assert order.gazetted_on is None and order.expires_on == days_ago(20) + dt.timedelta(days=90)


def test_a_preservation_order_on_a_forfeited_asset_is_refused(signed_in: Client, case) -> None:
    asset = seize(case)
    forfeit(asset)
    post_refused(
        signed_in,
        reverse("assets:order_create", args=[asset.pk]),
        {**ORDER, "order_type": "preservation", "legal_basis": "pocamla_s82"},
        None,
        "A preservation order cannot be recorded on an asset that is forfeited.",
    )


# --- realisation ---------------------------------------------------------------------------------

SALE = {
    "realised_on": iso(days_ago(1)),
    "method": "auction",
    "gross_proceeds": "900000",
    "costs": "40000",
    "currency": "KES",
}


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"gross_proceeds": "0"}, "gross_proceeds", "Enter an amount greater than zero."),
        ({"gross_proceeds": "-900000"}, "gross_proceeds", "Enter an amount greater than zero."),
        ({"costs": "-1"}, "costs", "Costs cannot be negative (enter 0 if there were none)."),
        ({"costs": "900000.01"}, "costs", "Costs cannot be larger than the gross proceeds."),
        ({"currency": "USD"}, "exchange_rate", "An amount in USD needs its exchange rate to KES."),
        ({"realised_on": tomorrow()}, "realised_on", "This date cannot be in the future."),
    ],
)
def test_a_bad_sale_is_refused(signed_in: Client, case, change, field, words) -> None:
    asset = seize(case)
    forfeit(asset)
    post_refused(signed_in, reverse("assets:realisation_create", args=[asset.pk]), {**SALE, **change}, field, words)
    asset.refresh_from_db()
    assert asset.status == AssetStatus.FORFEITED


@pytest.mark.parametrize("status", ["seized", "preserved", "released", "realised"])
def test_a_sale_of_an_asset_that_is_not_forfeited_is_refused(signed_in: Client, case, prosecutor, status) -> None:
    asset = seize(case)
    if status == "preserved":
        preserve(asset)
    elif status == "released":
        services.release_to_owner(asset, prosecutor, released_on=days_ago(1), note="Acquitted")
    elif status == "realised":
        forfeit(asset)
        services.record_realisation(
            asset,
            prosecutor,
            realised_on=days_ago(2),
            method="auction",
            gross_proceeds=Decimal("100"),
            costs=Decimal("0"),
        )
    label = AssetStatus(status).label.lower()
    post_refused(
        signed_in,
        reverse("assets:realisation_create", args=[asset.pk]),
        SALE,
        None,
        f"Only a forfeited asset can be sold or converted; this one is {label}.",
    )


# --- status moves --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "to_status", "words"),
    [
        ("seized", "forfeiture_applied", "An asset cannot move from “seized” to “forfeiture applied for”."),
        ("seized", "lapsed", "An asset cannot move from “seized” to “lapsed (preservation expired)”."),
        ("released", "written_off", "An asset cannot move from “released to owner” to “written off”."),
        ("forfeited", "released", "An asset cannot move from “forfeited” to “released to owner”."),
    ],
)
def test_a_move_the_table_does_not_allow_is_refused(signed_in: Client, case, prosecutor, status, to_status, words):
    asset = seize(case)
    if status == "released":
        services.release_to_owner(asset, prosecutor, released_on=days_ago(1), note="Acquitted")
    elif status == "forfeited":
        forfeit(asset)
    post_refused(
        signed_in,
        reverse("assets:asset_move", args=[asset.pk]),
        {"to_status": to_status, "effective_on": iso(days_ago(0)), "note": "Because"},
        "to_status",
        words,
    )
    assert Asset.objects.get(pk=asset.pk).status == status


def test_transferred_cannot_be_chosen_by_hand(signed_in: Client, case, prosecutor) -> None:
    asset = seize(case)
    forfeit(asset)
    services.record_realisation(
        asset, prosecutor, realised_on=days_ago(2), method="auction", gross_proceeds=Decimal("100"), costs=Decimal("0")
    )
    post_refused(
        signed_in,
        reverse("assets:asset_move", args=[asset.pk]),
        {"to_status": "transferred", "effective_on": iso(days_ago(0))},
        "to_status",
        "transferred is not one of the available choices",
    )


@pytest.mark.parametrize(
    ("to_status", "note", "field", "words"),
    [
        ("lapsed", "", None, "Only an asset whose preservation order has expired can lapse."),
        ("written_off", "", "note", "Say why (a note is required for this move)."),
    ],
)
def test_a_move_whose_guard_fails_is_refused(signed_in: Client, case, to_status, note, field, words) -> None:
    asset = seize(case)
    preserve(asset, granted_days_ago=5)
    post_refused(
        signed_in,
        reverse("assets:asset_move", args=[asset.pk]),
        {"to_status": to_status, "effective_on": iso(days_ago(0)), "note": note},
        field,
        words,
    )


def test_a_move_dated_in_the_future_is_refused(signed_in: Client, case) -> None:
    asset = seize(case)
    preserve(asset, granted_days_ago=5)
    post_refused(
        signed_in,
        reverse("assets:asset_move", args=[asset.pk]),
        {"to_status": "forfeiture_applied", "effective_on": tomorrow()},
        "effective_on",
        "This date cannot be in the future.",
    )
