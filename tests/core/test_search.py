"""The search box: what it finds, for whom, in how many queries, and what it does with bad input."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils.html import escape

from assets.models import Asset, CourtOrder
from core.models import User
from core.roles import Role
from core.search import (
    MAX_QUERY_LENGTH,
    SearchHit,
    SearchSource,
    register_search_source,
    search_terms,
    unregister_search_source,
)
from prosecutions.models import Accused, Case
from tests.assets.factories import preserve, seize
from tests.factories import UserFactory
from tests.prosecutions.factories import make_accused, make_case
from tests.trustfund.factories import receive, request
from tests.witnesses.factories import victim_of, with_identity, witness_on
from trustfund.models import Disbursement, Receipt
from victims.models import Victim
from witnesses import services as witness_services
from witnesses.models import Witness

SEARCH = reverse("core:search")
FLAG_REASON = "Threatened at Gikomba market by a cousin"


@dataclass
class World:
    case: Case
    second: Accused  # the second accused on the case
    victim: Victim
    witness: Witness
    asset: Asset
    order: CourtOrder
    receipt: Receipt
    disbursement: Disbursement


@pytest.fixture
def world(prosecutor: User, liaison: User, fund_admin: User) -> World:
    case = make_case(
        prosecutor,
        title="Republic v. Juma Hamisi and another",
        ob_number="OB 45/12/2026",
        court_case_serial="E123",
        court_case_year=2026,
    )
    make_accused(case, prosecutor, name="Juma Hamisi")
    second = make_accused(case, prosecutor, name="Mercy Atieno", aliases="Mama Shiru", id_number="29384756")
    victim = victim_of(case, prosecutor)
    witness = witness_on(case, prosecutor, number="PW2")
    with_identity(witness, liaison, "SRCH")
    witness_services.flag_witness(witness, liaison, applicant="prosecutor", reason=FLAG_REASON)
    asset = seize(case, prosecutor, description="Toyota Probox station wagon", identifier="KDA 123X")
    order = preserve(asset, prosecutor, order_number="HCACEC Misc. Appl. E777 of 2026")
    receipt = receive(fund_admin, "250000.00", payer="Safaricom Foundation", payer_reference="EFT-99812")
    disbursement = request(fund_admin, "15000.00", service_provider="Tumaini Shelter Home")
    return World(case, second, victim, witness, asset, order, receipt, disbursement)


def groups(client, user: User, text: str) -> dict[str, list[str]]:
    """The labels of the hits, by group key, that ``user`` gets for ``text``."""
    client.force_login(user)
    response = client.get(SEARCH, {"q": text})
    assert response.status_code == 200, response.content.decode()[:500]
    return {group.source.key: [hit.label for hit in group.hits] for group in response.context["groups"]}


# --- What it finds ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "text", "group", "expected"),
    [
        ("prosecutor", "ODPP/CTIP", "cases", "case.reference"),
        ("prosecutor", "juma hamisi and ANOTHER", "cases", "case.reference"),
        ("prosecutor", "OB 45/12", "cases", "case.reference"),
        ("prosecutor", "e123", "cases", "case.reference"),
        ("prosecutor", "E123 of 2026", "cases", "case.reference"),
        ("prosecutor", "Criminal Case E123/2026", "cases", "case.reference"),
        ("prosecutor", "Mercy Atieno", "accused", "Mercy Atieno (also known as Mama Shiru)"),
        ("prosecutor", "atieno mercy", "accused", "Mercy Atieno (also known as Mama Shiru)"),
        ("prosecutor", "Mercy Atieno", "cases", "case.reference"),
        ("prosecutor", "mama shiru", "accused", "Mercy Atieno (also known as Mama Shiru)"),
        ("prosecutor", "29384756", "accused", "Mercy Atieno (also known as Mama Shiru)"),
        ("auditor", "victim.code", "victims", "victim.code"),
        ("prosecutor", "witness.code", "witnesses", "witness.code"),
        ("liaison", "witness.code", "witnesses", "witness.code"),
        ("prosecutor", "asset.reference", "assets", "asset label"),
        ("prosecutor", "kda 123", "assets", "asset label"),
        ("fund_admin", "probox", "assets", "asset label"),
        ("prosecutor", "E777", "court_orders", "Preservation order HCACEC Misc. Appl. E777 of 2026"),
        ("fund_admin", "receipt.reference", "receipts", "receipt label"),
        ("fund_approver", "safaricom", "receipts", "receipt label"),
        ("auditor", "EFT-99812", "receipts", "receipt label"),
        ("fund_admin", "disbursement.reference", "disbursements", "disbursement label"),
        ("fund_admin", "tumaini shelter", "disbursements", "disbursement label"),
        ("fund_admin", "BOT/RES/14", "disbursements", "disbursement label"),
    ],
)
def test_each_field_finds_its_record(client, world, request, persona, text, group, expected):
    values = {
        "case.reference": world.case.reference,
        "victim.code": world.victim.code,
        "witness.code": world.witness.code,
        "asset.reference": world.asset.reference,
        "asset label": f"{world.asset.reference} — Toyota Probox station wagon",
        "receipt.reference": world.receipt.reference,
        "receipt label": f"{world.receipt.reference} — Safaricom Foundation",
        "disbursement.reference": world.disbursement.reference,
        "disbursement label": f"{world.disbursement.reference} — Tumaini Shelter Home",
    }
    found = groups(client, request.getfixturevalue(persona), values.get(text, text))
    assert values.get(expected, expected) in found.get(group, []), found


def test_a_case_number_typed_without_its_prefix_finds_the_case(client, world, prosecutor):
    year_and_number = world.case.reference.removeprefix("ODPP/CTIP/")
    assert "/" in year_and_number and year_and_number != world.case.reference
    assert groups(client, prosecutor, year_and_number)["cases"] == [world.case.reference]


def test_words_must_all_be_found_and_short_words_are_ignored_beside_long_ones():
    assert search_terms('Republic v. "Mama Shiru"  of') == ["Republic", "Mama Shiru"]
    assert search_terms("v.") == ["v."]
    assert search_terms("   ") == []


def test_a_search_finding_nothing_says_so(client, world, prosecutor):
    client.force_login(prosecutor)
    response = client.get(SEARCH, {"q": "Nobody Here Atall"})
    assert response.context["groups"] == []
    assert "Nothing you can open matches" in response.content.decode()


def test_the_results_link_to_the_pages_that_show_them(client, world, prosecutor, fund_admin):
    client.force_login(prosecutor)
    response = client.get(SEARCH, {"q": "Mercy Atieno"})
    content = response.content.decode()
    assert f'href="{world.case.get_absolute_url()}?tab=accused"' in content
    assert f'href="{world.case.get_absolute_url()}"' in content
    client.force_login(fund_admin)
    content = client.get(SEARCH, {"q": world.receipt.reference}).content.decode()
    assert f'href="{world.receipt.get_absolute_url()}"' in content


# --- Scope -----------------------------------------------------------------------------------------


def test_only_the_fund_roles_and_auditors_find_receipts_and_disbursements(
    client, world, prosecutor, unit_head, liaison, auditor, fund_admin
):
    for user in (prosecutor, unit_head, liaison):
        found = groups(client, user, world.receipt.reference)
        assert "receipts" not in found and "disbursements" not in found
        assert "receipts" not in groups(client, user, "Safaricom")
        assert "disbursements" not in groups(client, user, "Tumaini")
    assert groups(client, auditor, world.receipt.reference)["receipts"]
    assert groups(client, fund_admin, "Tumaini")["disbursements"]


def test_a_record_outside_the_users_reach_never_appears(client, world, liaison, fund_admin, stranger):
    # Fund roles never open case pages: no cases, accused or victims, even by exact reference or name.
    for text in (world.case.reference, "Mercy Atieno", world.victim.code):
        found = groups(client, fund_admin, text)
        assert not {"cases", "accused", "victims"} & set(found), found
    client.force_login(fund_admin)
    assert world.case.title not in client.get(SEARCH, {"q": world.case.reference}).content.decode()
    # Liaisons see no assets; someone with no role sees nothing at all.
    assert "assets" not in groups(client, liaison, world.asset.reference)
    assert "court_orders" not in groups(client, liaison, "E777")
    assert groups(client, stranger, world.case.reference) == {}


def test_a_witness_is_found_by_code_only_never_by_identity_or_protection_details(
    client, world, prosecutor, liaison, auditor
):
    identity_words = ["Zuhura", "CANARYSRCHNAME", "CANARYSRCHID", "CANARYSRCHPHONE", "CANARYSRCHADDRESS", "Baraka"]
    for user in (prosecutor, liaison, auditor):
        for text in [*identity_words, "Gikomba", "cousin"]:
            assert "witnesses" not in groups(client, user, text), (user, text)
        client.force_login(user)
        content = client.get(SEARCH, {"q": world.witness.code}).content.decode()
        assert world.witness.code in content
        assert not [word for word in (*identity_words, "Gikomba") if word in content]


def test_fund_roles_never_find_a_witness_and_a_liaison_finds_every_one(client, world, liaison, fund_admin):
    assert "witnesses" not in groups(client, fund_admin, world.witness.code)
    assert groups(client, liaison, world.witness.code)["witnesses"] == [world.witness.code]


# --- Queries ---------------------------------------------------------------------------------------


def _many(world: World, prosecutor: User, fund_admin: User, liaison: User, n: int) -> None:
    """``n`` more of every kind, each matching "Wekesa"."""
    for i in range(n):
        case = make_case(prosecutor, title=f"Republic v. Wekesa {i}")
        make_accused(case, prosecutor, name=f"Wekesa Person {i}")
        witness_on(case, prosecutor)
        asset = seize(case, prosecutor, description=f"Wekesa lorry {i}", identifier=f"KCW {i:03d}W")
        preserve(asset, prosecutor, order_number=f"Wekesa Misc. {i}")
        receive(fund_admin, "1000.00", payer=f"Wekesa Trust {i}")
        request(fund_admin, "500.00", service_provider=f"Wekesa Clinic {i}")


@pytest.mark.parametrize("extra", [0, 12])
def test_the_search_runs_a_fixed_number_of_queries(
    client, world, prosecutor, fund_admin, liaison, extra, django_assert_num_queries
):
    everyone = UserFactory.create(
        username="all-roles", roles=[Role.UNIT_HEAD, Role.WITNESS_LIAISON, Role.FUND_ADMINISTRATOR]
    )
    _many(world, prosecutor, fund_admin, liaison, extra)
    client.force_login(everyone)
    client.get(SEARCH)  # the first page after signing in notes the two-factor state in the session
    # the session; the user with their roles and the notification bell's count (core.backends); one query for
    # each of the nine groups (cases, accused, persons, victims, witnesses, assets, court orders, receipts,
    # disbursements) (the session is written only when its idle expiry moves by more than a minute: core.sessions)
    with django_assert_num_queries(11):
        response = client.get(SEARCH, {"q": "Wekesa"})
    shown = {group.source.key: len(group.hits) for group in response.context["groups"]}
    if extra:
        assert shown == dict.fromkeys(
            ("cases", "accused", "persons", "assets", "court_orders", "receipts", "disbursements"), 10
        )
    with django_assert_num_queries(11):
        client.get(SEARCH, {"q": world.case.reference})


def test_a_full_group_offers_the_filtered_list_with_every_match(client, world, prosecutor, fund_admin, liaison):
    _many(world, prosecutor, fund_admin, liaison, 12)
    client.force_login(prosecutor)
    response = client.get(SEARCH, {"q": "Wekesa"})
    cases = next(group for group in response.context["groups"] if group.source.key == "cases")
    assert cases.has_more and len(cases.hits) == 10
    assert cases.more_url == reverse("prosecutions:case_list") + "?" + urlencode({"q": "Wekesa"})
    assert escape(cases.more_url) in response.content.decode()
    listed = client.get(cases.more_url)
    assert listed.context["result_count"] == 12


# --- The case list's own search uses the same matching ---------------------------------------------


@pytest.mark.parametrize("text", ["Mercy Atieno", "mama shiru", "29384756", "E123 of 2026", "OB 45/12", "CTIP/"])
def test_the_case_list_search_matches_like_the_search_box(client, world, prosecutor, text):
    other = make_case(prosecutor, title="Republic v. Someone Else")
    make_accused(other, prosecutor, name="Someone Else")
    client.force_login(prosecutor)
    response = client.get(reverse("prosecutions:case_list"), {"q": text})
    found = {case.pk for case in response.context["object_list"]}
    assert world.case.pk in found
    assert (other.pk in found) == (text == "CTIP/")


# --- Bad input -------------------------------------------------------------------------------------


def test_without_a_search_the_page_asks_for_one(client, prosecutor):
    client.force_login(prosecutor)
    for params in ({}, {"q": ""}, {"q": "    "}):
        response = client.get(SEARCH, params)
        assert response.status_code == 200
        assert "groups" not in response.context
        assert "Name, case number, reference or code" in response.content.decode()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("A" * 10_000, f"A search is at most {MAX_QUERY_LENGTH} characters (this one has 10000)"),
        ("x" * (MAX_QUERY_LENGTH + 1), f"A search is at most {MAX_QUERY_LENGTH} characters"),
        ("a", "Type at least 2 characters"),
        ("abc\x00def", "cannot be searched for"),
    ],
)
def test_a_search_it_cannot_run_gets_a_clear_message(client, world, prosecutor, text, words):
    client.force_login(prosecutor)
    response = client.get(SEARCH, {"q": text})
    assert response.status_code == 400
    assert words in response.content.decode()
    assert "groups" not in response.context
    assert "A" * 300 not in response.content.decode()  # the page does not echo a huge search back whole


@pytest.mark.parametrize(
    "text",
    [
        "'; DROP TABLE prosecutions_case; --",
        "' OR '1'='1",
        "%%",
        "__",
        "\\\\",
        "<script>alert('search')</script>",
        '"><img src=x onerror=alert(1)>',
        '"unclosed quote',
    ],
)
def test_sql_and_html_in_a_search_are_harmless_and_escaped(client, world, prosecutor, text):
    client.force_login(prosecutor)
    response = client.get(SEARCH, {"q": text})
    assert response.status_code == 200
    content = response.content.decode()
    assert response.context["groups"] == []
    assert "<script>alert" not in content and "<img src=x" not in content
    assert Case.objects.filter(pk=world.case.pk).exists()


def test_html_in_a_record_is_escaped_in_the_results(client, prosecutor):
    case = make_case(prosecutor, title="Republic v. <b>Bold</b> Kamau")
    client.force_login(prosecutor)
    content = client.get(SEARCH, {"q": "Kamau"}).content.decode()
    assert case.reference in content and "<b>Bold</b>" not in content and "&lt;b&gt;Bold&lt;/b&gt;" in content


# --- The box and the registry ----------------------------------------------------------------------


def test_every_signed_in_page_has_the_search_box(client, prosecutor, stranger):
    for user in (prosecutor, stranger):
        client.force_login(user)
        content = client.get(reverse("core:home")).content.decode()
        assert 'data-testid="topbar-search"' in content and f'action="{SEARCH}"' in content
    client.logout()
    assert client.get(SEARCH).status_code == 302


def test_a_source_shows_only_to_its_roles_and_may_take_them_from_a_function(client, prosecutor, fund_admin):
    def find(user, text, limit):
        return [SearchHit(f"Made-up {text}", "", "/")][:limit]

    register_search_source(SearchSource("made_up", "Made up", lambda: frozenset({Role.FUND_ADMINISTRATOR}), find))
    try:
        assert groups(client, fund_admin, "thing")["made_up"] == ["Made-up thing"]
        assert "made_up" not in groups(client, prosecutor, "thing")
    finally:
        unregister_search_source("made_up")


def test_money_in_the_results_reads_as_kes(client, world, fund_admin):
    client.force_login(fund_admin)
    response = client.get(SEARCH, {"q": world.receipt.reference})
    receipts = next(group for group in response.context["groups"] if group.source.key == "receipts")
    assert receipts.hits[0].detail.startswith("KES 250,000.00")
    assert world.receipt.amount == Decimal("250000.00")


# --- PostgreSQL: trigram indexes and ranking -------------------------------------------------------

SEARCHED_COLUMNS = {
    "prosecutions_case": ("reference", "title", "ob_number", "court_case_serial"),
    "prosecutions_accused": ("name", "aliases", "id_number"),
    "victims_victim": ("code",),  # moved from prosecutions (victims.0001 renamed the table; its index followed)
    "witnesses_witness": ("code",),
    "assets_asset": ("reference", "identifier", "description"),
    "assets_courtorder": ("order_number",),
    "trustfund_receipt": ("reference", "payer", "payer_reference"),
    "trustfund_disbursement": ("reference", "service_provider", "resolution_reference"),
}


@pytest.mark.postgres
def test_every_searched_column_has_a_trigram_index_that_the_search_uses(db):
    from django.db import connection

    from core.search import text_match
    from prosecutions.search import ACCUSED_FIELDS

    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%%_trgm'")
        indexes = {(table, name): definition for table, name, definition in cursor.fetchall()}
    for table, columns in SEARCHED_COLUMNS.items():
        for column in columns:
            definition = indexes.get((table, f"{table}_{column}_trgm"), "")
            assert "gin" in definition and "upper" in definition and "gin_trgm_ops" in definition, (table, column)
    # The index serves the very expression Django writes for icontains.
    found = Accused.objects.filter(text_match(ACCUSED_FIELDS, "Atieno")).order_by().values("pk")
    sql, params = found.query.sql_with_params()
    with connection.cursor() as cursor:  # on a near-empty table, rule out the scans the planner would prefer
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "prosecutions_accused_name_trgm" in plan and "Bitmap Index Scan" in plan, plan


@pytest.mark.postgres
def test_on_postgresql_the_closest_match_comes_first(client, prosecutor):
    closest = make_case(prosecutor, opened_days_ago=300, title="Republic v. Akinyi Atieno")
    make_case(prosecutor, opened_days_ago=10, title="Republic v. Akinyi Atienochieng Enterprises Limited")
    found = groups(client, prosecutor, "Akinyi Atieno")
    assert found["cases"][0] == closest.reference and len(found["cases"]) == 2
