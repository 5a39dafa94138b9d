"""Who sees which victims: the officer every victim; the case readers the victims on cases, by code; the
fund roles codes; anyone else nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from victims import services
from victims.models import Victim

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_case(case, prosecutor, victim_services_officer) -> Victim:
    from tests.victims.factories import identified

    victim = identified(victim_services_officer, sex="male", age=17)
    services.link_victim_to_case(victim, case, prosecutor, role="victim_witness")
    return victim


@pytest.mark.parametrize(
    ("persona", "sees_lone", "sees_on_case"),
    [
        ("victim_services_officer", 200, 200),
        ("prosecutor", 404, 200),
        ("other_prosecutor", 404, 200),
        ("auditor", 404, 200),
        ("fund_admin", 200, 200),
        ("stranger", 403, 403),
    ],
)
def test_the_victim_page_by_role(
    client: Client, request, persona: str, sees_lone: int, sees_on_case: int, lone_victim, on_case
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(lone_victim.get_absolute_url()).status_code == sees_lone
    assert client.get(on_case.get_absolute_url()).status_code == sees_on_case


def test_the_register_lists_what_each_role_may_see(
    client: Client, prosecutor, victim_services_officer, lone_victim, on_case
) -> None:
    client.force_login(prosecutor)
    page = client.get(reverse("victims:victim_list")).content.decode()
    assert on_case.code in page and lone_victim.code not in page
    client.force_login(victim_services_officer)
    page = client.get(reverse("victims:victim_list") + "?with_case=no").content.decode()
    assert lone_victim.code in page and on_case.code not in page


def test_the_register_runs_a_fixed_number_of_queries(
    client: Client, victim_services_officer, case, prosecutor, django_assert_num_queries
) -> None:
    from tests.victims.factories import identified

    client.force_login(victim_services_officer)
    url = reverse("victims:victim_list")
    client.get(url)
    identified(victim_services_officer)
    with django_assert_num_queries(QUERIES) as first:
        client.get(url)
    for _ in range(5):
        victim = identified(victim_services_officer)
        services.link_victim_to_case(victim, case, prosecutor, role="complainant")
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)


def test_the_export_holds_codes_only(client: Client, victim_services_officer, lone_victim) -> None:
    import io

    from openpyxl import load_workbook

    client.force_login(victim_services_officer)
    response = client.get(reverse("victims:victim_list") + "?export=xlsx")
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Victim code"
    assert any(row[0] == lone_victim.code for row in rows)


QUERIES = 5  # session, user (with roles and the bell's count), count, page, links (one prefetch)
