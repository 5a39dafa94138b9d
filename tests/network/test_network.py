"""The network behind the cases: a small hand-built network whose measures are known, its pages, who sees
what, and bad input — all through the services and the real views."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import QuerySet
from django.urls import reverse

from assets import services as asset_services
from assets.choices import AssetType
from assets.exceptions import AssetError
from assets.models import Asset, AssetIdentifier
from core.models import County, User
from core.querysets import _rules
from network.measures import compute_network
from network.models import NetworkRun, PersonMeasure
from prosecutions import services
from prosecutions.models import Case, Person, PersonIdentifier
from tests.assets.factories import seize
from tests.helpers import FormClient
from tests.prosecutions.factories import make_accused, make_case, make_charge

pytestmark = pytest.mark.django_db

ORG_PHONE = "+254722418305"


def network(kind: str, pk: int, **query: Any) -> tuple[str, dict[str, Any]]:
    return reverse(f"network:{kind}_network", args=[pk]), query


@pytest.fixture
def web(prosecutor: User, other_prosecutor: User, unit_head: User) -> dict[str, Any]:
    """Three cases in two counties. The organiser is accused (and charged) in case 1 only, but holds the lorry
    seized in cases 1 and 2 and his phone is the M-Pesa line seized in case 3. The recruiter, never charged,
    is accused in case 2 (another prosecutor's) and holds the lorry there; the driver is accused in case 3.

        recruiter — case2 — LORRY — case1
                    LORRY — organiser — case1
        organiser — PHONE — case3 — driver
    """
    mombasa, nairobi = County.objects.get(code="001"), County.objects.get(code="047")
    case1 = make_case(prosecutor, title="Republic v. Organiser", county=mombasa)
    case2 = make_case(other_prosecutor, title="Republic v. Recruiter", county=nairobi)
    case3 = make_case(prosecutor, title="Republic v. Driver", county=mombasa)
    organiser = services.create_person(unit_head, name="Salim Mwinyi", phones=["0722 418 305"])
    accused = make_accused(case1, prosecutor, name="Salim Mwinyi", person=organiser)
    make_charge(accused, prosecutor)
    recruiter_accused = make_accused(case2, other_prosecutor, name="Juma Recruiter")
    recruiter = recruiter_accused.person
    driver = make_accused(case3, prosecutor, name="Peter Driver").person
    lorry = [("vehicle_registration", "KCB 482M")]
    seize(case1, prosecutor, holder_person=organiser, identifiers=lorry)
    seize(case2, other_prosecutor, owner=recruiter_accused, identifiers=[("vehicle_registration", "kcb-482m")])
    seize(
        case3,
        prosecutor,
        asset_type=AssetType.ELECTRONICS,
        description="Phone",
        identifiers=[("phone", "+254 722 418305")],
    )
    return {
        "cases": (case1, case2, case3),
        "organiser": organiser,
        "recruiter": recruiter,
        "driver": driver,
    }


# --- measures --------------------------------------------------------------------------------------


def test_the_measures_of_a_hand_built_network_are_the_known_ones(web: dict[str, Any]) -> None:
    run = compute_network()
    assert (run.nodes, run.edges, run.cases, run.sampled_sources) == (8, 9, 3, None)
    measures = {m.person_id: m for m in PersonMeasure.objects.filter(run=run)}
    organiser = measures[web["organiser"].pk]
    # links: case 1, the lorry, the phone
    assert organiser.degree == 3
    # 4 points on one side (recruiter, case 2, lorry, case 1) × 3 on the other (phone, case 3, driver) = 12
    # of the 21 pairs of other points have every shortest path through him
    assert organiser.betweenness == pytest.approx(12 / 21)
    assert (organiser.cases_connected, organiser.counties_connected) == (3, 2)
    assert (organiser.cases_accused, organiser.charged) == (1, True)
    recruiter = measures[web["recruiter"].pk]
    assert (recruiter.degree, recruiter.betweenness, recruiter.cases_connected, recruiter.counties_connected) == (
        2,
        0.0,
        2,
        2,
    )
    assert (recruiter.cases_accused, recruiter.charged) == (1, False)
    driver = measures[web["driver"].pk]
    assert (driver.degree, driver.betweenness, driver.cases_connected) == (1, 0.0, 1)


def test_a_second_run_replaces_the_first_and_sampling_is_reported(web: dict[str, Any]) -> None:
    first = compute_network()
    second = compute_network(samples=3)
    assert list(NetworkRun.objects.all()) == [second]
    assert second.sampled_sources == 3
    assert not PersonMeasure.objects.filter(run_id=first.pk).exists()


def test_identifiers_written_differently_are_stored_equal(web: dict[str, Any]) -> None:
    values = set(AssetIdentifier.objects.values_list("kind", "value"))
    assert values == {("vehicle_registration", "KCB482M"), ("phone", ORG_PHONE)}


# --- pages -----------------------------------------------------------------------------------------


def test_the_case_network_finds_the_organiser_through_the_shared_phone(
    client: FormClient, prosecutor: User, web: dict[str, Any]
) -> None:
    client.force_login(prosecutor)
    case3 = web["cases"][2]
    response = client.get(reverse("network:case_network", args=[case3.pk]))
    assert response.status_code == 200
    persons = {node.label for node in response.context["persons"]}
    assert persons == {"Peter Driver", "Salim Mwinyi"}
    assert [n.label for n in response.context["identifiers"]] == [ORG_PHONE]
    spec = response.context["spec"]
    assert spec["marks"][0]["transform"][0]["type"] == "force"
    assert len(spec["data"][0]["values"]) == len(response.context["result"].nodes)
    # three steps out reach the lorry and the other cases
    wider = client.get(reverse("network:case_network", args=[case3.pk]), {"steps": 3})
    assert "KCB482M" in {n.label for n in wider.context["identifiers"]}


@pytest.mark.parametrize("steps", ["50", "0", "-1", "two"])
def test_a_request_for_too_many_steps_gets_a_clear_message_and_no_crawl(
    client: FormClient, prosecutor: User, web: dict[str, Any], steps: str, django_assert_max_num_queries: Any
) -> None:
    client.force_login(prosecutor)
    url = reverse("network:person_network", args=[web["organiser"].pk])
    client.get(url)
    with django_assert_max_num_queries(8):
        response = client.get(url, {"steps": steps})
    assert response.status_code == 400
    assert "1 to 4 steps" in response.context["error"] or "from 1 to 4" in response.context["error"]
    assert "result" not in response.context


def test_the_network_page_runs_a_fixed_number_of_queries(
    client: FormClient, prosecutor: User, web: dict[str, Any], django_assert_num_queries: Any
) -> None:
    client.force_login(prosecutor)
    url = reverse("network:person_network", args=[web["organiser"].pk])
    client.get(url)
    with django_assert_num_queries(0) as first:
        pass
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(3):
        case = make_case(prosecutor, title=f"Republic v. More {n}")
        make_accused(case, prosecutor, name="Salim Mwinyi", person=web["organiser"])
        seize(case, prosecutor, identifiers=[("vehicle_registration", "KCB 482M")])
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["cases"]) == 6
    assert first is not None


def test_persons_of_interest_lists_the_never_charged_with_definitions(
    client: FormClient, unit_head: User, web: dict[str, Any]
) -> None:
    url = reverse("network:persons_of_interest")
    client.force_login(unit_head)
    assert "not been measured" in client.get(url).content.decode()
    compute_network()
    page = client.get(url)
    rows = page.context["rows"]
    assert rows[0].person == web["organiser"]
    text = page.content.decode()
    for name in ("Links", "Betweenness", "Cases connected", "Counties", "Charged"):
        assert f"<dt>{name}</dt>" in text
    uncharged = client.get(url, {"uncharged": "1"}).context["rows"]
    assert [row.person for row in uncharged] == [web["recruiter"]]


def test_persons_of_interest_runs_a_fixed_number_of_queries(
    client: FormClient, unit_head: User, prosecutor: User, web: dict[str, Any], django_assert_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("network:persons_of_interest")
    compute_network()
    client.force_login(prosecutor)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(4):
        make_accused(make_case(prosecutor, title=f"Republic v. {n}"), prosecutor, name=f"Extra Person {n}")
    compute_network()
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["rows"]) == 7


# --- access ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["fund_admin", "fund_approver", "liaison", "stranger"])
def test_fund_roles_and_liaisons_see_no_network(
    client: FormClient, request: pytest.FixtureRequest, web: dict[str, Any], persona: str
) -> None:
    compute_network()
    client.force_login(request.getfixturevalue(persona))
    for url in (
        reverse("network:person_network", args=[web["organiser"].pk]),
        reverse("network:case_network", args=[web["cases"][0].pk]),
        reverse("network:persons_of_interest"),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Salim" not in response.content.decode()


def test_a_case_the_prosecutor_may_not_see_leaves_no_trace_in_the_network(
    client: FormClient, prosecutor: User, unit_head: User, web: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    compute_network()

    def own_cases_only(cases: QuerySet[Case], user: Any) -> QuerySet[Case]:
        return cases.filter(lead_prosecutor_id=user.pk)

    rules: dict[Any, Any] = _rules
    monkeypatch.setitem(rules, Case, own_cases_only)
    client.force_login(prosecutor)
    response = client.get(reverse("network:person_network", args=[web["organiser"].pk]), {"steps": 4})
    labels = {node.label for node in response.context["result"].nodes.values()}
    assert "Juma Recruiter" not in labels and web["cases"][1].reference not in labels
    assert "Republic v. Recruiter" not in response.content.decode()
    assert client.get(reverse("network:case_network", args=[web["cases"][1].pk])).status_code == 404
    assert client.get(reverse("network:person_network", args=[web["recruiter"].pk])).status_code == 404
    # the organiser's figures count case 2, which the prosecutor may not see: he is not listed to them
    listed = [row.person for row in client.get(reverse("network:persons_of_interest")).context["rows"]]
    assert web["organiser"] not in listed and web["recruiter"] not in listed
    assert web["driver"] in listed
    client.force_login(unit_head)
    everyone = [row.person for row in client.get(reverse("network:persons_of_interest")).context["rows"]]
    assert {web["organiser"], web["recruiter"], web["driver"]} <= set(everyone)


# --- assets: holders and identifiers, bad input ---------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "text", "words"),
    [
        ("vehicle_registration", "12345", "not a vehicle registration"),
        ("bank_account", "ACC-12", "not a bank account number"),
        ("phone", "12", "not a"),
        ("land_parcel", "Block X", "not a land parcel number"),
    ],
)
def test_a_bad_identifier_is_refused_and_nothing_is_saved(prosecutor: User, kind: str, text: str, words: str) -> None:
    case = make_case(prosecutor)
    before = Asset.objects.count()
    with pytest.raises(AssetError, match=words) as refused:
        seize(case, prosecutor, identifiers=[(kind, text)])
    assert refused.value.field == kind if kind != "land_parcel" else "land_parcel"
    assert Asset.objects.count() == before and not AssetIdentifier.objects.exists()


def test_a_holder_is_a_person_or_a_company_not_both(prosecutor: User, unit_head: User) -> None:
    case = make_case(prosecutor)
    person = services.create_person(unit_head, name="Holder Person")
    with pytest.raises(AssetError, match="not both"):
        seize(case, prosecutor, holder_person=person, holder_company="Acme Ltd")
    asset = seize(case, prosecutor, holder_company=" Acme Ltd ")
    assert asset.holder_company == "Acme Ltd" and asset.holder_person is None
    asset = asset_services.record_asset_links(
        asset, prosecutor, holder_person=person, identifiers=[("land_parcel", "LR No. 209/1234")]
    )
    assert asset.holder_person == person and asset.holder_company == ""
    assert list(asset.identifiers.values_list("value", flat=True)) == ["209/1234"]
    assert asset.history.first().history_change_reason == "Holder recorded"


def test_the_seizure_form_shows_a_clear_message_for_a_bad_registration(client: FormClient, prosecutor: User) -> None:
    from tests.helpers import post_refused

    case = make_case(prosecutor)
    client.force_login(prosecutor)
    data = {
        "asset_type": "motor_vehicle",
        "description": "Lorry",
        "seized_on": "2026-01-10",
        "seizing_agency": "dci",
        "currency": "KES",
        "estimated_value": "100000",
        "vehicle_registration": "123",
        "holder_person": "PER/1999/00001",
    }
    url = reverse("assets:asset_create", args=[case.pk])
    post_refused(client, url, data, "vehicle_registration", "is not a vehicle registration", "assets")
    post_refused(client, url, data, "holder_person", "No person PER/1999/00001", "assets")


# --- the loose end: a corrected ID number reaches the person --------------------------------------


def test_correcting_an_accused_id_number_adds_it_to_the_person(prosecutor: User) -> None:
    from prosecutions.exceptions import InvalidIdentifier
    from prosecutions.services.corrections import correct_accused

    case = make_case(prosecutor)
    accused = make_accused(case, prosecutor, name="Amos Kiptoo", id_number="12345678")
    person: Person = accused.person  # type: ignore[assignment]
    correct_accused(accused, prosecutor, reason="ID misread at the station", id_number="2345 6789")
    values = set(PersonIdentifier.objects.filter(person=person).values_list("kind", "value"))
    assert values == {("national_id", "12345678"), ("national_id", "23456789")}
    assert services.person_matches(name="", national_ids=["23456789"], user=prosecutor)[0].person == person
    before = PersonIdentifier.objects.count()
    with pytest.raises(InvalidIdentifier):
        correct_accused(accused, prosecutor, reason="typo", id_number="??")
    accused.refresh_from_db()
    assert accused.id_number == "2345 6789" and PersonIdentifier.objects.count() == before


# --- the migration's reading of existing text, and the demo ------------------------------------------


def test_the_migration_reads_existing_text_identifiers_as_the_service_does() -> None:
    import importlib

    migration = importlib.import_module("assets.migrations.0006_asset_holder_identifiers")
    for asset_type, text in (
        ("motor_vehicle", "kda 123-a"),
        ("bank_account", "0110 2934.5512"),
        ("land", "LR No. 209/1"),
    ):
        kind, read = migration.READERS[asset_type]
        assert read(text) == asset_services.normalise_asset_identifier(kind, text)
    assert migration.READERS["motor_vehicle"][1]("white lorry") is None


def test_the_demo_organiser_is_found_from_the_small_fish_case(
    prosecutor: User, other_prosecutor: User, unit_head: User
) -> None:
    from django.utils import timezone

    from assets.demo import seed_shared_assets
    from network.graph import neighbourhood
    from prosecutions.demo.persons import recurring_cases, seed_recurring_persons

    users = {"prosecutor": prosecutor, "prosecutor2": other_prosecutor, "unithead": unit_head}
    seed_recurring_persons(users, timezone.localdate(), lambda line: None)
    assert seed_shared_assets(users, lambda line: None) == 6
    assert seed_shared_assets(users, lambda line: None) == 0  # once
    malindi = next(c for c in recurring_cases() if c.court and c.court.station == "Malindi")
    around = neighbourhood(prosecutor, malindi, 2)
    assert "Salim Bakari Mwinyi" in {n.label for n in around.of_kind("person")}
    run = compute_network()
    salim = PersonMeasure.objects.get(run=run, person__name="Salim Bakari Mwinyi")
    assert salim.cases_accused == 3 and salim.cases_connected == 4 and salim.charged


def test_the_asset_page_shows_its_identifiers_and_the_holder_only_to_readers_of_persons(
    client: FormClient, prosecutor: User, fund_admin: User, web: dict[str, Any]
) -> None:
    asset = Asset.objects.get(case=web["cases"][0])
    url = reverse("assets:asset_detail", args=[asset.pk])
    client.force_login(prosecutor)
    page = client.get(url).content.decode()
    assert "KCB482M" in page and web["organiser"].reference in page
    client.force_login(fund_admin)
    page = client.get(url).content.decode()
    assert "KCB482M" in page and web["organiser"].reference not in page and "Salim" not in page


def test_a_victim_the_register_links_to_two_cases_joins_them_by_code_only(
    client: FormClient, prosecutor: User, victim_services_officer: User, web: dict[str, Any]
) -> None:
    from tests.victims.factories import identified
    from victims.services import link_victim_to_case

    case1, _, case3 = web["cases"]
    victim = identified(victim_services_officer)
    link_victim_to_case(victim, case1, prosecutor, role="complainant")
    link_victim_to_case(victim, case3, prosecutor, role="victim_witness")
    client.force_login(prosecutor)
    response = client.get(reverse("network:case_network", args=[case1.pk]))
    assert response.status_code == 200
    assert [node.label for node in response.context["victims"]] == [victim.code]
    assert case3.reference in {node.detail for node in response.context["cases"]} | {
        node.label for node in response.context["cases"]
    }
