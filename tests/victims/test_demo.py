"""The demo register: victims with and without cases, referrals in every state, services paid by the fund."""

from __future__ import annotations

import pytest

from prosecutions import services as prosecution_services
from tests.trustfund.factories import receive
from tests.victims.factories import days_ago
from trustfund.demo import pay_for_referrals
from trustfund.models import Disbursement
from victims.access import on_a_case
from victims.choices import ReferralStatus
from victims.demo import LONE_VICTIMS, seed_victims
from victims.models import Referral, Victim

pytestmark = pytest.mark.django_db


def test_the_demo_register_and_the_payments_citing_referrals(
    case, prosecutor, victim_services_officer, fund_admin, fund_approver
) -> None:
    for _ in range(3):
        prosecution_services.add_victim(case, prosecutor, exploitation_type="servitude", identified_on=days_ago(40))
    lines: list[str] = []
    users = {"victimservices": victim_services_officer, "fundadmin": fund_admin, "approver": fund_approver}
    assert seed_victims(users, lines.append) == LONE_VICTIMS + 3
    assert Victim.objects.exclude(on_a_case()).count() == LONE_VICTIMS
    assert Victim.objects.filter(on_a_case()).count() == 3
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    assert seed_victims(users, lines.append) == 0  # a second run leaves the register alone

    receive(fund_admin, "500000")
    paid = pay_for_referrals(users, lines.append)
    cited = Disbursement.objects.filter(referral__isnull=False).select_related("referral")
    assert paid >= 1 and cited.filter(status="paid").count() == paid
    assert all(d.referral is not None and d.victim_id == d.referral.victim_id for d in cited)
