"""Seizure, valuations, court orders, the expiry rule, every status move and its guard, realisation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from assets import services
from assets.choices import AssetStatus, Currency, Destination, OrderType
from assets.models import Asset, AssetStatusChange, CourtOrder, Realisation, Valuation
from tests.assets.factories import AccusedFactory, CaseFactory, days_ago, forfeit, preserve, seize

pytestmark = pytest.mark.django_db


def statuses(asset: Asset) -> list[tuple[str, str]]:
    return list(AssetStatusChange.objects.filter(asset=asset).order_by("id").values_list("from_status", "to_status"))


def realise(asset: Asset, **overrides) -> Realisation:
    values: dict[str, Any] = {
        "realised_on": days_ago(1),
        "method": "auction",
        "gross_proceeds": Decimal("900000.00"),
        "costs": Decimal("50000.00"),
    }
    values.update(overrides)
    return services.record_realisation(asset, asset.case.lead_prosecutor, **values)


# --- seizure -------------------------------------------------------------------------------------


def test_a_seizure_is_numbered_by_year_and_starts_the_timeline(case, accused, prosecutor) -> None:
    first = seize(case, owner=accused)
    second = seize(case)
    year = timezone.localdate().year
    assert first.reference == f"AST/{year}/0001"
    assert second.reference == f"AST/{year}/0002"
    assert first.status == AssetStatus.SEIZED
    assert first.owner == accused
    assert first.estimated_value_kes == Decimal("1000000.00")
    assert statuses(first) == [("", AssetStatus.SEIZED)]
    assert first.history.first().history_user == prosecutor


def test_a_foreign_currency_seizure_is_valued_in_kes_through_the_rate(case) -> None:
    asset = seize(case, currency=Currency.USD, estimated_value=Decimal("28000.00"), exchange_rate=Decimal("129.5"))
    assert asset.estimated_value_kes == Decimal("3626000.00")
    assert asset.exchange_rate == Decimal("129.5")


def test_a_foreign_currency_seizure_without_a_rate_is_refused_and_nothing_saved(case) -> None:
    with pytest.raises(services.MissingExchangeRate) as error:
        seize(case, currency=Currency.USD, estimated_value=Decimal("28000.00"))
    assert error.value.field == "exchange_rate"
    assert not Asset.objects.exists()


@pytest.mark.parametrize("value", [Decimal("0"), Decimal("-5")])
def test_a_seizure_of_zero_or_negative_value_is_refused(case, value) -> None:
    with pytest.raises(services.InvalidAmount):
        seize(case, estimated_value=value)
    assert not Asset.objects.exists()


def test_a_seizure_in_the_future_is_refused(case) -> None:
    with pytest.raises(services.InvalidDate):
        seize(case, seized_on=timezone.localdate() + dt.timedelta(days=1))


def test_the_owner_must_be_accused_in_the_same_case(case) -> None:
    stranger = AccusedFactory.create(case=CaseFactory.create())
    with pytest.raises(services.AssetError) as error:
        seize(case, owner=stranger)
    assert error.value.field == "owner"


def test_the_database_refuses_a_foreign_amount_without_rate_even_if_code_forgets(case) -> None:
    asset = seize(case)
    asset.currency = Currency.USD
    asset.exchange_rate = None
    with pytest.raises(IntegrityError), transaction.atomic():
        asset.save()


# --- valuations ----------------------------------------------------------------------------------


def test_the_latest_valuation_becomes_the_estimate(case) -> None:
    asset = seize(case)
    services.add_valuation(asset, case.lead_prosecutor, valued_on=days_ago(10), amount=Decimal("800000"), valuer="A")
    services.add_valuation(asset, case.lead_prosecutor, valued_on=days_ago(20), amount=Decimal("950000"), valuer="B")
    asset.refresh_from_db()
    assert asset.estimated_value == Decimal("800000.00")
    assert Valuation.objects.filter(asset=asset).count() == 2


def test_a_zero_valuation_is_refused(case) -> None:
    asset = seize(case)
    with pytest.raises(services.InvalidAmount):
        services.add_valuation(asset, case.lead_prosecutor, valued_on=days_ago(1), amount=Decimal("0"), valuer="A")
    assert not Valuation.objects.exists()


def test_a_usd_valuation_needs_a_rate(case) -> None:
    asset = seize(case)
    with pytest.raises(services.MissingExchangeRate):
        services.add_valuation(
            asset, case.lead_prosecutor, valued_on=days_ago(1), amount=Decimal("10"), valuer="A", currency="USD"
        )


# --- the preservation expiry rule ----------------------------------------------------------------


def test_preservation_runs_90_days_from_the_grant_while_the_gazette_date_is_unknown(case) -> None:
    asset = seize(case)
    order = preserve(asset, granted_days_ago=30)
    assert order.expires_on == days_ago(30) + dt.timedelta(days=90)
    asset.refresh_from_db()
    assert asset.status == AssetStatus.PRESERVED
    assert statuses(asset)[-1] == (AssetStatus.SEIZED, AssetStatus.PRESERVED)


def test_preservation_runs_from_the_gazettement_when_known(case) -> None:
    asset = seize(case)
    order = preserve(asset, granted_days_ago=30, gazetted_on=days_ago(16))
    assert order.expires_on == days_ago(16) + dt.timedelta(days=90)


def test_the_expiry_is_recomputed_when_the_gazette_date_arrives_later(case, prosecutor) -> None:
    asset = seize(case)
    order = preserve(asset, granted_days_ago=30)
    assert order.expires_on == days_ago(30) + dt.timedelta(days=90)
    services.record_gazettement(order, prosecutor, gazetted_on=days_ago(14), gazette_notice="Gazette Notice No. 77")
    order.refresh_from_db()
    assert order.gazetted_on == days_ago(14)
    assert order.expires_on == days_ago(14) + dt.timedelta(days=90)
    latest = order.history.first()
    assert latest.history_user == prosecutor
    assert "expiry now" in latest.history_change_reason


@override_settings(PRESERVATION_EXPIRY_FROM="grant")
def test_with_the_grant_rule_the_gazette_date_does_not_move_the_expiry(case, prosecutor) -> None:
    asset = seize(case)
    order = preserve(asset, granted_days_ago=30, gazetted_on=days_ago(16))
    assert order.expires_on == days_ago(30) + dt.timedelta(days=90)
    services.record_gazettement(order, prosecutor, gazetted_on=days_ago(10))
    order.refresh_from_db()
    assert order.expires_on == days_ago(30) + dt.timedelta(days=90)


@override_settings(PRESERVATION_ORDER_DAYS=60)
def test_the_number_of_days_is_a_setting(case) -> None:
    order = preserve(seize(case), granted_days_ago=10)
    assert order.expires_on == days_ago(10) + dt.timedelta(days=60)


def test_a_gazettement_before_the_grant_is_refused(case, prosecutor) -> None:
    order = preserve(seize(case), granted_days_ago=10)
    with pytest.raises(services.InvalidDate):
        services.record_gazettement(order, prosecutor, gazetted_on=days_ago(11))
    with pytest.raises(services.InvalidDate):
        preserve(seize(case), granted_days_ago=10, gazetted_on=days_ago(12))


def test_an_order_expiring_before_it_was_granted_is_refused(case) -> None:
    asset = seize(case)
    with pytest.raises(services.InvalidDate) as error:
        services.record_court_order(
            asset,
            case.lead_prosecutor,
            order_type=OrderType.RESTRAINT,
            legal_basis="other",
            order_number="R1",
            granted_on=days_ago(5),
            expires_on=days_ago(6),
            court_name="High Court",
        )
    assert error.value.field == "expires_on"
    assert not CourtOrder.objects.exists()


def test_the_database_refuses_an_expiry_before_the_grant(case) -> None:
    order = preserve(seize(case))
    order.expires_on = order.granted_on - dt.timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        order.save()


def test_an_order_needs_a_court(case) -> None:
    with pytest.raises(services.AssetError) as error:
        preserve(seize(case), court_name="")
    assert error.value.field == "court"


# --- moves and guards ----------------------------------------------------------------------------


def test_the_full_road_from_seizure_to_transfer(case, prosecutor) -> None:
    asset = seize(case)
    preserve(asset, granted_days_ago=40)
    services.move_asset(asset, prosecutor, AssetStatus.FORFEITURE_APPLIED, effective_on=days_ago(20))
    forfeit(asset, granted_days_ago=5)
    realise(asset)
    services.mark_transferred(asset, None, receipt_reference="RCT/2026-27/0004")
    asset.refresh_from_db()
    assert asset.status == AssetStatus.TRANSFERRED
    assert asset.transfer_reference == "RCT/2026-27/0004"
    assert [to for _, to in statuses(asset)] == [
        AssetStatus.SEIZED,
        AssetStatus.PRESERVED,
        AssetStatus.FORFEITURE_APPLIED,
        AssetStatus.FORFEITED,
        AssetStatus.REALISED,
        AssetStatus.TRANSFERRED,
    ]


def test_a_forfeiture_order_on_a_preserved_asset_records_the_implied_application(case) -> None:
    asset = seize(case)
    preserve(asset)
    forfeit(asset)
    asset.refresh_from_db()
    assert asset.status == AssetStatus.FORFEITED
    assert asset.destination == Destination.TRUST_FUND
    assert [to for _, to in statuses(asset)][-2:] == [AssetStatus.FORFEITURE_APPLIED, AssetStatus.FORFEITED]


def test_criminal_forfeiture_on_conviction_goes_straight_from_seized(case) -> None:
    asset = seize(case)
    forfeit(asset, order_type=OrderType.CONFISCATION)
    asset.refresh_from_db()
    assert statuses(asset)[-1] == (AssetStatus.SEIZED, AssetStatus.FORFEITED)


def test_a_forfeiture_order_needs_a_destination(case) -> None:
    asset = seize(case)
    with pytest.raises(services.AssetError) as error:
        forfeit(asset, destination="")
    assert error.value.field == "destination"
    asset.refresh_from_db()
    assert asset.status == AssetStatus.SEIZED
    assert not CourtOrder.objects.exists()


def test_preserved_needs_a_preservation_order_in_force(case, prosecutor) -> None:
    asset = seize(case)
    preserve(asset, granted_days_ago=120)  # expired 30 days ago
    services.record_lapse(asset, prosecutor)
    with pytest.raises(services.AssetGuardFailed):
        services.move_asset(asset, prosecutor, AssetStatus.PRESERVED)  # the expired order is not in force…
    # …but a fresh preservation order preserves it again.
    preserve(asset, granted_days_ago=2, order_number="E2")
    asset.refresh_from_db()
    assert asset.status == AssetStatus.PRESERVED


def test_the_guard_refuses_preserved_without_an_order(case, prosecutor) -> None:
    asset = seize(case)
    with pytest.raises(services.AssetGuardFailed):
        services.move_asset(asset, prosecutor, AssetStatus.PRESERVED)
    asset.refresh_from_db()
    assert asset.status == AssetStatus.SEIZED
    assert len(statuses(asset)) == 1


def test_the_guard_refuses_forfeited_without_a_forfeiture_order(case, prosecutor) -> None:
    asset = seize(case)
    preserve(asset)
    services.move_asset(asset, prosecutor, AssetStatus.FORFEITURE_APPLIED)
    with pytest.raises(services.AssetGuardFailed):
        services.move_asset(asset, prosecutor, AssetStatus.FORFEITED)
    asset.refresh_from_db()
    assert asset.status == AssetStatus.FORFEITURE_APPLIED


def test_the_guard_refuses_realised_without_a_realisation(case, prosecutor) -> None:
    asset = seize(case)
    forfeit(asset)
    with pytest.raises(services.AssetGuardFailed):
        services.move_asset(asset, prosecutor, AssetStatus.REALISED)


def test_transferred_is_never_set_by_hand(case, prosecutor) -> None:
    asset = seize(case)
    forfeit(asset)
    realise(asset)
    with pytest.raises(services.TransferOnlyByTrustFund):
        services.move_asset(asset, prosecutor, AssetStatus.TRANSFERRED)
    asset.refresh_from_db()
    assert asset.status == AssetStatus.REALISED


def test_the_transfer_hook_needs_a_realised_asset_and_a_receipt(case) -> None:
    asset = seize(case)
    forfeit(asset)
    with pytest.raises(services.IllegalAssetMove):
        services.mark_transferred(asset, None, receipt_reference="RCT/1")
    realise(asset)
    with pytest.raises(services.AssetGuardFailed):
        services.mark_transferred(asset, None, receipt_reference=" ")


def test_lapse_needs_an_expired_preservation_order(case, prosecutor) -> None:
    asset = seize(case)
    preserve(asset, granted_days_ago=10)
    with pytest.raises(services.AssetGuardFailed):
        services.record_lapse(asset, prosecutor)
    with pytest.raises(services.AssetGuardFailed):
        services.move_asset(asset, prosecutor, AssetStatus.LAPSED)


def test_lapse_of_an_expired_order_is_dated_the_day_after_expiry(case) -> None:
    asset = seize(case)
    order = preserve(asset, granted_days_ago=100)
    change = services.record_lapse(asset, None)
    assert change.to_status == AssetStatus.LAPSED
    assert order.expires_on is not None
    assert change.effective_on == order.expires_on + dt.timedelta(days=1)
    assert change.changed_by is None
    assert change.order == order


def test_release_needs_a_note_and_sets_the_destination(case, prosecutor) -> None:
    asset = seize(case)
    preserve(asset)
    with pytest.raises(services.AssetGuardFailed) as error:
        services.release_to_owner(asset, prosecutor, released_on=days_ago(1), note="")
    assert error.value.field == "note"
    services.release_to_owner(asset, prosecutor, released_on=days_ago(1), note="Order rescinded under s.89")
    asset.refresh_from_db()
    assert asset.status == AssetStatus.RELEASED
    assert asset.destination == Destination.RETURNED_TO_OWNER


def test_write_off_needs_a_note(case, prosecutor) -> None:
    asset = seize(case)
    with pytest.raises(services.AssetGuardFailed):
        services.move_asset(asset, prosecutor, AssetStatus.WRITTEN_OFF)
    services.move_asset(asset, prosecutor, AssetStatus.WRITTEN_OFF, note="Perished")
    asset.refresh_from_db()
    assert asset.status == AssetStatus.WRITTEN_OFF


ILLEGAL = [
    (AssetStatus.SEIZED, AssetStatus.FORFEITURE_APPLIED),
    (AssetStatus.SEIZED, AssetStatus.LAPSED),
    (AssetStatus.SEIZED, AssetStatus.REALISED),
    (AssetStatus.FORFEITED, AssetStatus.RELEASED),
    (AssetStatus.RELEASED, AssetStatus.WRITTEN_OFF),
    (AssetStatus.WRITTEN_OFF, AssetStatus.RELEASED),
]


@pytest.mark.parametrize(("start", "target"), ILLEGAL)
def test_moves_the_table_does_not_allow_are_refused(case, prosecutor, start, target) -> None:
    asset = seize(case)
    if start == AssetStatus.FORFEITED:
        forfeit(asset)
    elif start == AssetStatus.RELEASED:
        services.release_to_owner(asset, prosecutor, released_on=days_ago(1), note="Acquitted")
    elif start == AssetStatus.WRITTEN_OFF:
        services.move_asset(asset, prosecutor, AssetStatus.WRITTEN_OFF, note="Perished")
    before = statuses(asset)
    with pytest.raises(services.IllegalAssetMove) as error:
        services.move_asset(asset, prosecutor, target, note="try")
    assert "cannot move" in error.value.message
    assert statuses(asset) == before


def test_every_status_in_the_table_has_an_entry() -> None:
    assert set(services.ALLOWED_MOVES) == set(AssetStatus.values)


def test_a_move_dated_in_the_future_is_refused(case, prosecutor) -> None:
    asset = seize(case)
    with pytest.raises(services.InvalidDate):
        services.move_asset(
            asset, prosecutor, AssetStatus.WRITTEN_OFF, note="x", effective_on=timezone.localdate() + dt.timedelta(1)
        )


def test_no_order_on_an_asset_that_is_gone(case, prosecutor) -> None:
    asset = seize(case)
    services.move_asset(asset, prosecutor, AssetStatus.WRITTEN_OFF, note="Perished")
    with pytest.raises(services.IllegalAssetMove):
        preserve(asset)
    with pytest.raises(services.IllegalAssetMove):
        forfeit(asset)


# --- realisation ---------------------------------------------------------------------------------


def test_a_realisation_computes_net_and_net_in_kes(case) -> None:
    asset = seize(case, currency="USD", estimated_value=Decimal("10000"), exchange_rate=Decimal("129"))
    forfeit(asset)
    realisation = realise(
        asset, gross_proceeds=Decimal("9500.00"), costs=Decimal("500.00"), currency="USD", exchange_rate=Decimal("130")
    )
    assert realisation.net_proceeds == Decimal("9000.00")
    assert realisation.net_proceeds_kes == Decimal("1170000.00")
    assert realisation.destination == Destination.TRUST_FUND
    asset.refresh_from_db()
    assert asset.status == AssetStatus.REALISED


def test_cents_that_floating_point_cannot_subtract_exactly_are_accepted(case) -> None:
    """1000.30 − 100.10 is 900.1999… in floating point, which is how SQLite evaluates the net-proceeds check."""
    asset = seize(case)
    forfeit(asset)
    realisation = realise(asset, gross_proceeds=Decimal("1000.30"), costs=Decimal("100.10"))
    realisation.refresh_from_db()
    assert realisation.net_proceeds == Decimal("900.20")


def test_a_realisation_for_an_asset_not_forfeited_is_refused(case) -> None:
    asset = seize(case)
    preserve(asset)
    with pytest.raises(services.NotForfeited):
        realise(asset)
    assert not Realisation.objects.exists()


def test_costs_larger_than_gross_are_refused(case) -> None:
    asset = seize(case)
    forfeit(asset)
    with pytest.raises(services.InvalidAmount) as error:
        realise(asset, gross_proceeds=Decimal("100"), costs=Decimal("101"))
    assert error.value.field == "costs"
    asset.refresh_from_db()
    assert asset.status == AssetStatus.FORFEITED
    assert not Realisation.objects.exists()


def test_a_foreign_realisation_without_a_rate_is_refused(case) -> None:
    asset = seize(case)
    forfeit(asset)
    with pytest.raises(services.MissingExchangeRate):
        realise(asset, currency="USD")
    assert not Realisation.objects.exists()


def test_zero_gross_is_refused(case) -> None:
    asset = seize(case)
    forfeit(asset)
    with pytest.raises(services.InvalidAmount):
        realise(asset, gross_proceeds=Decimal("0"), costs=Decimal("0"))


def test_the_database_keeps_net_equal_to_gross_less_costs(case) -> None:
    asset = seize(case)
    forfeit(asset)
    realisation = realise(asset)
    realisation.net_proceeds = Decimal("1")
    with pytest.raises(IntegrityError), transaction.atomic():
        realisation.save()
