"""Stale forms on an asset: Achieng (the lead prosecutor) opens a form on an asset or one of its orders,
Wanjiru (the unit head) records something on it through the service, and Achieng's form is refused with
what changed — nothing saved. Sent on the version it was opened on, the same form still works."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assets import services
from assets.choices import AssetStatus
from assets.models import Asset
from core.models import User
from prosecutions import services as prosecution_services
from prosecutions.models import Case
from tests.assets.factories import days_ago, preserve, seize
from tests.helpers import FormClient, post_refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client: FormClient, prosecutor: User) -> FormClient:
    client.force_login(prosecutor)
    return client


@pytest.fixture
def asset(case: Case, prosecutor: User) -> Asset:
    return seize(case, prosecutor)


def test_a_release_sent_after_someone_preserved_the_asset_is_refused(
    signed_in: FormClient, asset: Asset, unit_head: User
) -> None:
    url = reverse("assets:asset_release", args=[asset.pk])
    opened = signed_in.version_shown(url)
    preserve(asset, unit_head)
    data = {"released_on": days_ago(1).isoformat(), "note": "Owner acquitted", "record_version": opened}
    post_refused(
        signed_in,
        url,
        data,
        None,
        f"Asset {asset.reference} changed since you opened the form: status moved from Seized to Preserved by "
        "Wanjiru Kamau at ",
        "assets",
    )
    asset.refresh_from_db()
    assert asset.status == AssetStatus.PRESERVED


def test_a_gazettement_recorded_by_someone_else_refuses_the_gazettement_form(
    signed_in: FormClient, asset: Asset, unit_head: User
) -> None:
    order = preserve(asset)
    url = reverse("assets:order_gazette", args=[order.pk])
    opened = signed_in.version_shown(url)
    services.record_gazettement(order, unit_head, gazetted_on=days_ago(20), gazette_notice="Gazette Notice No. 77")
    data = {"gazetted_on": days_ago(10).isoformat(), "gazette_notice": "Gazette Notice No. 91"}
    post_refused(
        signed_in,
        url,
        {**data, "record_version": opened},
        None,
        f"The preservation order {order.order_number} on asset {asset.reference} changed since you opened the "
        f"form: gazetted on changed from — to {days_ago(20):%d %b %Y}, gazette notice changed from — to Gazette "
        "Notice No. 77, expires on changed from",
        "assets",
    )
    order.refresh_from_db()
    assert order.gazette_notice == "Gazette Notice No. 77"


def test_a_seizure_depends_on_the_stage_of_its_case(signed_in: FormClient, case: Case, unit_head: User) -> None:
    url = reverse("assets:asset_create", args=[case.pk])
    opened = signed_in.version_shown(url)
    prosecution_services.move_stage(case, unit_head, "charging_decision", effective_on=days_ago(1))
    data = {
        "asset_type": "cash",
        "description": "Cash in a safe",
        "seized_on": days_ago(3).isoformat(),
        "seizing_agency": "dci",
        "estimated_value": "50000.00",
        "currency": "KES",
        "record_version": opened,
    }
    post_refused(
        signed_in,
        url,
        data,
        None,
        f"Case {case.reference} changed since you opened the form: stage moved from Investigation to Charging "
        "decision by Wanjiru Kamau",
        "assets",
    )


def test_a_valuation_sent_on_the_version_it_opened_on_is_recorded(signed_in: FormClient, asset: Asset) -> None:
    url = reverse("assets:valuation_create", args=[asset.pk])
    opened = signed_in.version_shown(url)
    data = {
        "valued_on": days_ago(2).isoformat(),
        "amount": "900000.00",
        "currency": "KES",
        "valuer": "Motor Valuers Ltd",
        "record_version": opened,
    }
    assert signed_in.post(url, data).status_code == 302
    assert asset.valuations.count() == 1
