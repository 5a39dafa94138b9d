"""The TIP victims tables that needed the register: nationality from the country list, several forms of
exploitation, and victims with and without a prosecution, referred and receiving services."""

from __future__ import annotations

from decimal import Decimal

import pytest

from prosecutions.reports.tip_victims import victim_tables
from tests.victims.factories import days_ago, identified
from victims import services
from victims.choices import ReferralStatus, ServiceKind

pytestmark = pytest.mark.django_db


def _rows(table) -> dict[str, int]:
    return {row["group"]: row["victims"] for row in table.rows}


def test_a_small_year_by_hand(victim_services_officer, case, prosecutor) -> None:
    kenyan = identified(victim_services_officer, country="KE", exploitation_forms=["forced_labour", "servitude"])
    services.link_victim_to_case(kenyan, case, prosecutor, role="complainant")
    ugandan = identified(victim_services_officer, country="UG", sex="male", age=None, age_band="12-17")
    unknown = identified(victim_services_officer, country="", exploitation_forms=[], sex="unknown", age=None)
    shelter = services.add_provider(victim_services_officer, name="Safe Haven", kinds=[ServiceKind.SHELTER])
    referral = services.refer_victim(
        ugandan, shelter, victim_services_officer, kind=ServiceKind.SHELTER, referred_on=days_ago(20)
    )
    services.refer_victim(unknown, shelter, victim_services_officer, kind=ServiceKind.SHELTER, referred_on=days_ago(20))
    services.move_referral(referral, victim_services_officer, to_status=ReferralStatus.ACCEPTED, on=days_ago(19))
    services.move_referral(referral, victim_services_officer, to_status=ReferralStatus.IN_SERVICE, on=days_ago(18))

    tables = victim_tables(days_ago(365), days_ago(0))

    assert tables.total == 3
    assert _rows(tables.nrm) == {
        "Identified, with a prosecution (linked to a case)": 1,
        "Identified, without a prosecution": 2,
        "Referred to services": 2,
        "Receiving or having received services": 1,
    }
    assert _rows(tables.by_nationality) == {"Kenyan": 1, "Foreign": 1, "Not recorded": 1}
    assert _rows(tables.by_country) == {"Kenyan": 1, "Uganda": 1, "Not recorded": 1}
    forms = _rows(tables.by_exploitation)
    assert forms["Forced labour"] == 2 and forms["Involuntary servitude"] == 1 and forms["Not recorded"] == 1
    assert (tables.by_exploitation.total or {})["victims"] == 3  # several forms, counted once in the total
    assert _rows(tables.tip_groups) == {
        "Adult women": 1,
        "Adult men": 0,
        "Girls": 0,
        "Boys": 1,
        "Not recorded (sex or age)": 1,
    }
    assert (tables.nrm.total or {})["share"] == Decimal("1.0000")
