"""The victims register: a victim identified without a case, linked to cases in a role, seen by role."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from prosecutions import services as prosecution_services
from tests.helpers import post_refused
from tests.victims.factories import days_ago, identified
from victims import services
from victims.exceptions import InvalidVictimDetails, NotAllowed
from victims.models import CaseVictim, Victim

pytestmark = pytest.mark.django_db


def test_a_victim_is_identified_without_a_case_and_continues_the_code_series(
    victim_services_officer, case, prosecutor
) -> None:
    on_case = prosecution_services.add_victim(
        case, prosecutor, exploitation_type="servitude", identified_on=days_ago(3)
    )
    victim = identified(victim_services_officer, identified_on=days_ago(2), exploitation_forms=[])
    year = days_ago(2).year
    assert victim.case_id is None and not victim.case_links.exists()
    assert victim.code.startswith(f"V-{year}-")
    assert int(victim.code.rsplit("-", 1)[1]) == int(on_case.code.rsplit("-", 1)[1]) + 1
    assert victim.forms_display() == "Not recorded"
    assert victim.country.code == "KE"


def test_the_child_flag_follows_the_age_or_the_band(victim_services_officer) -> None:
    assert identified(victim_services_officer, age=15).is_child
    assert identified(victim_services_officer, age=None, age_band="12-17").child is True
    assert identified(victim_services_officer, age=None, age_band="18-24").child is False
    assert identified(victim_services_officer, age=None).child is None


def test_the_officer_identifies_a_victim_through_the_form(client: Client, victim_services_officer) -> None:
    client.force_login(victim_services_officer)
    response = client.post(
        reverse("victims:victim_identify"),
        {
            "identified_on": days_ago(1).isoformat(),
            "identified_by": "iom",
            "sex": "female",
            "age": "",
            "age_band": "12-17",
            "country": "UG",
            "exploitation_forms": ["sexual_exploitation", "forced_labour"],
            "exploited_abroad": "SA",
            "referral_consent_on": days_ago(1).isoformat(),
        },
    )
    victim = Victim.objects.get()
    assert response.status_code == 302 and response["Location"] == victim.get_absolute_url()
    page = client.get(victim.get_absolute_url()).content.decode()
    assert "Uganda" in page and "Saudi Arabia" in page and "Not linked to any case you can see" in page
    assert victim.is_child and victim.exploitation_forms == ["sexual_exploitation", "forced_labour"]


def test_a_prosecutor_links_a_register_victim_to_their_case_and_both_pages_show_it(
    client: Client, case, prosecutor, lone_victim
) -> None:
    client.force_login(prosecutor)
    response = client.post(
        reverse("victims:link_case", args=[case.pk]), {"victim_code": lone_victim.code, "role": "complainant"}
    )
    assert response.status_code == 302
    tab = client.get(case.get_absolute_url() + "?tab=victims").content.decode()
    assert lone_victim.code in tab and "Complainant" in tab
    page = client.get(lone_victim.get_absolute_url()).content.decode()
    assert case.reference in page and "Complainant" in page


# --- bad input ------------------------------------------------------------------------------------


def test_an_age_over_120_is_refused(client: Client, victim_services_officer) -> None:
    client.force_login(victim_services_officer)
    data = {
        "identified_on": days_ago(1).isoformat(),
        "identified_by": "ngo",
        "sex": "male",
        "age": "121",
        "country": "KE",
    }
    post_refused(client, reverse("victims:victim_identify"), data, "age", "less than or equal to 120", "victims")
    with pytest.raises(InvalidVictimDetails, match="between 0 and 120"):
        identified(victim_services_officer, age=130)
    assert not Victim.objects.exists()


def test_a_future_identification_date_is_refused(client: Client, victim_services_officer) -> None:
    client.force_login(victim_services_officer)
    data = {"identified_on": days_ago(-3).isoformat(), "identified_by": "ngo", "sex": "male", "country": "KE"}
    post_refused(client, reverse("victims:victim_identify"), data, "identified_on", "future", "victims")


def test_a_nationality_outside_the_country_list_is_refused(client: Client, victim_services_officer) -> None:
    client.force_login(victim_services_officer)
    data = {"identified_on": days_ago(1).isoformat(), "identified_by": "ngo", "sex": "male", "country": "XX"}
    post_refused(client, reverse("victims:victim_identify"), data, "country", "Select a valid choice", "victims")
    with pytest.raises(InvalidVictimDetails, match="list of countries"):
        identified(victim_services_officer, country="Kenyan")
    assert not Victim.objects.exists()


def test_linking_to_a_case_the_user_may_not_change_is_refused(
    client: Client, case, other_prosecutor, victim_services_officer, lone_victim
) -> None:
    client.force_login(other_prosecutor)
    assert client.get(reverse("victims:link_case", args=[case.pk])).status_code == 403
    with pytest.raises(NotAllowed, match="may not change"):
        services.link_victim_to_case(lone_victim, case, other_prosecutor, role="complainant")
    # The victim services officer sees no case at all: linking to one is refused as unseen.
    with pytest.raises(NotAllowed, match="No case you can see"):
        services.link_victim_to_case(lone_victim, case, victim_services_officer, role="complainant")
    assert not CaseVictim.objects.exists()


def test_linking_twice_or_without_a_role_is_refused(client: Client, case, prosecutor, lone_victim) -> None:
    services.link_victim_to_case(lone_victim, case, prosecutor, role="victim_witness")
    client.force_login(prosecutor)
    url = reverse("victims:link_case", args=[case.pk])
    post_refused(
        client, url, {"victim_code": lone_victim.code, "role": "complainant"}, None, "already linked", "victims"
    )
    post_refused(
        client, url, {"victim_code": "V-1999-0001", "role": "complainant"}, "victim_code", "No victim", "victims"
    )


def test_only_the_victim_services_officer_identifies_victims(prosecutor, fund_admin) -> None:
    for user in (prosecutor, fund_admin):
        with pytest.raises(NotAllowed):
            identified(user)
    assert not Victim.objects.exists()
