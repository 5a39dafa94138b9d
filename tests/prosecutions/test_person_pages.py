"""The index of persons through its pages: who sees what, searching, the accused form offering matching
persons, and the unit head's merges and their undoing — with reasons, and nothing saved on bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import User
from core.querysets import _rules
from prosecutions import services
from prosecutions.models import Accused, Case, Person, PersonMerge
from tests.helpers import FormClient, post_refused, table_counts
from tests.prosecutions.factories import charged_case, make_accused, make_case

pytestmark = pytest.mark.django_db

LIST = reverse("prosecutions:person_list")
DUPLICATES = reverse("prosecutions:person_duplicates")


def person_of(case: Case, name: str | None = None) -> Person:
    accused = case.accused.order_by("id")
    record = accused.get(name=name) if name else accused.first()
    assert record is not None and record.person is not None
    return record.person


def detail(person: Person) -> str:
    return reverse("prosecutions:person_detail", args=[person.pk])


def merge_url(person: Person) -> str:
    return reverse("prosecutions:person_merge", args=[person.pk])


@pytest.fixture
def baron(prosecutor: User, other_prosecutor: User) -> Person:
    """Juma Mwakideu: accused in the prosecutor's case, and again in another prosecutor's case."""
    first = make_case(prosecutor, title="Republic v. Juma Mwakideu")
    accused = make_accused(first, prosecutor, name="Juma Mwakideu", aliases="Baba Juma", id_number="12345678")
    make_accused(first, prosecutor, name="Ali Driver")
    assert accused.person is not None
    person = accused.person
    second = make_case(other_prosecutor, title="Republic v. Mwakideu and another")
    make_accused(second, other_prosecutor, name="J. Mwakidheu", person=person)
    make_accused(second, other_prosecutor, name="Peter Recruiter")
    return person


# --- who sees what ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["fund_admin", "fund_approver", "liaison", "stranger", "victim_services_officer"])
def test_fund_roles_liaisons_and_strangers_see_no_person_index(
    client: FormClient, request: pytest.FixtureRequest, baron: Person, persona: str
) -> None:
    client.force_login(request.getfixturevalue(persona))
    for url in (LIST, detail(baron), DUPLICATES, merge_url(baron)):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Mwakideu" not in response.content.decode()
    found = client.get(reverse("core:search"), {"q": "Mwakideu"})
    assert "PER/" not in found.content.decode()


def test_only_the_unit_head_opens_duplicates_and_merging(client: FormClient, prosecutor: User, baron: Person) -> None:
    client.force_login(prosecutor)
    assert client.get(DUPLICATES).status_code == 403
    assert client.get(merge_url(baron)).status_code == 403
    assert client.post(merge_url(baron), {"kept": baron.reference, "reason": "x"}).status_code == 403
    page = client.get(detail(baron)).content.decode()
    assert "Merge into another person" not in page


def test_the_person_page_shows_every_case_role_count_and_co_accused(
    client: FormClient, prosecutor: User, baron: Person
) -> None:
    client.force_login(prosecutor)
    response = client.get(detail(baron))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Republic v. Juma Mwakideu" in page and "Republic v. Mwakideu and another" in page
    assert "accused as J. Mwakidheu" in page
    assert "Ali Driver" in page and "Peter Recruiter" in page
    assert response.context["totals"]["cases"] == 2
    assert "12345678" in page  # the national ID


def test_a_case_the_prosecutor_may_not_see_leaves_no_trace(
    client: FormClient, prosecutor: User, baron: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Were a prosecutor to see only their own cases, the person page would show none of the others: not the
    case, its co-accused, nor its counts."""

    def own_cases_only(cases: QuerySet[Case], user: Any) -> QuerySet[Case]:
        return cases.filter(lead_prosecutor_id=user.pk)

    rules: dict[Any, Any] = _rules
    monkeypatch.setitem(rules, Case, own_cases_only)
    client.force_login(prosecutor)
    response = client.get(detail(baron))
    page = response.content.decode()
    assert "Republic v. Juma Mwakideu" in page
    assert "Mwakideu and another" not in page
    assert "Peter Recruiter" not in page and "J. Mwakidheu" not in page
    assert response.context["totals"]["cases"] == 1
    other = Accused.objects.get(name="Peter Recruiter").person
    assert other is not None
    assert client.get(detail(other)).status_code == 404
    assert other.reference not in client.get(LIST).content.decode()


# --- searching -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["Mwakideu", "Baba Juma", "12 345 678", "0712 345 678"])
def test_the_list_and_the_search_box_find_a_person_by_name_alias_id_or_phone(
    client: FormClient, prosecutor: User, unit_head: User, baron: Person, text: str
) -> None:
    loner = services.create_person(unit_head, name="Juma Mwakideu", phones=["+254712345678"])
    case = make_case(prosecutor, title="Republic v. Loner")
    make_accused(case, prosecutor, name="Juma M.", person=loner)
    client.force_login(prosecutor)
    rows = list(client.get(LIST, {"q": text}).context["object_list"])
    found = client.get(reverse("core:search"), {"q": text}).content.decode()
    if text.startswith("07"):
        assert rows == [loner]
        assert loner.reference in found and baron.reference not in found
    else:
        assert baron in rows
        assert baron.reference in found
    assert "Peter Recruiter" not in [row.name for row in rows]


def test_the_person_list_runs_a_fixed_number_of_queries(
    client: FormClient, prosecutor: User, django_assert_max_num_queries: Any, django_assert_num_queries: Any
) -> None:
    charged_case(prosecutor)
    client.force_login(prosecutor)
    client.get(LIST)  # warm the session and the role cache
    with django_assert_max_num_queries(20) as first:
        client.get(LIST)
    for n in range(5):
        make_accused(make_case(prosecutor, title=f"Republic v. {n}"), prosecutor, name=f"Person Number {n}")
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(LIST)
    assert response.context["result_count"] == 6


def test_the_person_page_runs_a_fixed_number_of_queries(
    client: FormClient, prosecutor: User, baron: Person, django_assert_num_queries: Any
) -> None:
    client.force_login(prosecutor)
    client.get(detail(baron))
    with CaptureQueriesContext(connection) as two_cases:
        client.get(detail(baron))
    for n in range(3):
        case = charged_case(prosecutor, title=f"Republic v. Baron {n}")
        make_accused(case, prosecutor, name="Juma Mwakideu", person=baron)
    with django_assert_num_queries(len(two_cases.captured_queries)):
        response = client.get(detail(baron))
    assert response.context["totals"]["cases"] == 5


# --- the accused form offers matching persons -------------------------------------------------------


def accused_data(**changes: Any) -> dict[str, Any]:
    data = {
        "name": "Juma Mwakidheu",
        "sex": "male",
        "nationality": "Kenyan",
        "network_role": "organiser",
        "custody_status": "remanded",
    }
    return {**data, **changes}


def test_the_accused_form_offers_a_matching_person_and_links_to_the_one_chosen(
    client: FormClient, prosecutor: User, baron: Person
) -> None:
    case = make_case(prosecutor, title="Republic v. Busia")
    url = reverse("prosecutions:accused_create", args=[case.pk])
    client.force_login(prosecutor)
    before = table_counts("prosecutions")
    offered = client.post(url, accused_data())
    assert offered.status_code == 200
    assert table_counts("prosecutions") == before
    page = offered.content.decode()
    assert baron.reference in page and "A new person" in page
    assert "may be a person already in the index" in page
    chosen = client.post(url, accused_data(person=str(baron.pk)))
    assert chosen.status_code == 302
    accused = case.accused.get()
    assert accused.person == baron
    assert "Republic v. Busia" in client.get(detail(baron)).content.decode()


def test_the_accused_form_makes_a_new_person_when_asked(client: FormClient, prosecutor: User, baron: Person) -> None:
    case = make_case(prosecutor, title="Republic v. Busia")
    url = reverse("prosecutions:accused_create", args=[case.pk])
    client.force_login(prosecutor)
    assert client.post(url, accused_data(person="new")).status_code == 302
    accused = case.accused.get()
    assert accused.person is not None and accused.person != baron


def test_the_accused_form_refuses_an_id_number_that_is_neither(client: FormClient, prosecutor: User) -> None:
    case = make_case(prosecutor, title="Republic v. Busia")
    url = reverse("prosecutions:accused_create", args=[case.pk])
    client.force_login(prosecutor)
    post_refused(client, url, accused_data(id_number="12-AB"), "id_number", "is neither", "prosecutions")


# --- merging and undoing -----------------------------------------------------------------------------


def test_the_unit_head_merges_two_persons_and_undoes_it_with_reasons(
    client: FormClient, unit_head: User, prosecutor: User, baron: Person
) -> None:
    case = make_case(prosecutor, title="Republic v. Kisumu")
    double = make_accused(case, prosecutor, name="Juma Mwakidheu").person
    assert double is not None and double != baron
    client.force_login(unit_head)
    listed = client.get(DUPLICATES)
    assert listed.status_code == 200
    opened = client.get(merge_url(double), {"into": baron.pk})
    assert baron.reference in opened.content.decode()
    response = client.post(merge_url(double), {"kept": baron.reference, "reason": "Same ID card photo"})
    assert response.status_code == 302 and response["Location"] == detail(baron)
    double.refresh_from_db()
    assert double.merged_into == baron
    assert case.accused.get().person == baron
    merge = PersonMerge.objects.get(merged=double)
    assert merge.reason == "Same ID card photo"
    page = client.get(detail(baron)).content.decode()
    assert "Same ID card photo" in page and "Republic v. Kisumu" in page
    undo = reverse("prosecutions:merge_undo", args=[merge.pk])
    post_refused(client, undo, {"reason": ""}, "reason", "Give the reason for undoing the merge", "prosecutions")
    assert client.post(undo, {"reason": "Different fathers' names"}).status_code == 302
    double.refresh_from_db()
    assert double.merged_into is None
    assert case.accused.get().person == double
    assert PersonMerge.objects.filter(undoes=merge, reason="Different fathers' names").exists()


def test_a_merge_with_bad_input_shows_the_services_message_and_saves_nothing(
    client: FormClient, unit_head: User, prosecutor: User, baron: Person
) -> None:
    client.force_login(unit_head)
    url = merge_url(baron)
    post_refused(
        client, url, {"kept": baron.reference, "reason": "x"}, None, "cannot be merged into themselves", "prosecutions"
    )
    post_refused(
        client, url, {"kept": "PER/1999/99999", "reason": "x"}, "kept", "No person has the reference", "prosecutions"
    )
    co_accused = Accused.objects.get(name="Ali Driver").person
    assert co_accused is not None
    post_refused(
        client,
        merge_url(co_accused),
        {"kept": baron.reference, "reason": ""},
        "reason",
        "Give the reason",
        "prosecutions",
    )
    post_refused(
        client,
        merge_url(co_accused),
        {"kept": baron.reference, "reason": "Same man"},
        None,
        "cannot be merged",
        "prosecutions",
    )


@pytest.mark.parametrize(("persona", "shown"), [("prosecutor", True), ("unit_head", True), ("fund_admin", False)])
def test_the_navigation_offers_persons_to_those_who_may_read_them(
    client: FormClient, request: pytest.FixtureRequest, persona: str, shown: bool
) -> None:
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("core:home")).content.decode()
    assert (f'href="{LIST}"' in page) is shown


def test_the_case_page_links_each_accused_to_their_person_page(client, prosecutor) -> None:
    """From a case's Accused tab a prosecutor reaches the person behind each accused record (the link uses the
    record's own column: no query per accused)."""
    from django.urls import reverse

    from prosecutions import services
    from tests.prosecutions.factories import make_case

    case = make_case(prosecutor)
    accused = services.add_accused(case, prosecutor, name="Juma Mwakideu", id_number="12345678")
    assert accused.person_id is not None
    client.force_login(prosecutor)
    page = client.get(reverse("prosecutions:case_detail", args=[case.pk]) + "?tab=accused").content.decode()
    assert reverse("prosecutions:person_detail", args=[accused.person_id]) in page
    assert 'aria-label="Juma Mwakideu across cases"' in page
