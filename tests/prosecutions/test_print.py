"""The printable case file: what it holds, who may open it, a fixed number of queries whatever the size of
the case, and never a protected witness's identity."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import User
from documents.choices import DocumentType
from prosecutions.models import Case
from tests.documents.factories import attach
from tests.prosecutions.full_case import build_case
from tests.witnesses.factories import markers

pytestmark = pytest.mark.django_db

PRINT = "prosecutions:case_print"


def print_url(case: Case) -> str:
    return reverse(PRINT, args=[case.pk])


def test_the_case_file_holds_the_whole_case(client: Any, prosecutor: User, liaison: User) -> None:
    case = build_case(prosecutor, liaison, "A")
    client.force_login(prosecutor)

    response = client.get(print_url(case))

    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        case.reference,
        "Republic v. Juma Said and another",
        "CONFIDENTIAL",
        "John Mwangi",
        "Mercy Atieno A0",
        "Also known as Mama A0",
        "Not guilty",  # the plea
        "Convicted after trial",  # the outcome
        "An appellate court&#x27;s order",  # the sentence's override ground
        "Criminal Appeal E44 of 2026",  # and its reason
        "10:30",
        "Court 3",
        "Toyota Probox A",
        "HCACEC Misc. Appl. E001 of 2026",  # the preservation order
        "Pre-trial → Trial",  # the stage timeline
        "Achieng Otieno",  # the lead prosecutor
    ):
        assert text in html, text
    assert 'href="/static/css/print.css' in html
    assert 'data-testid="nav-sections"' not in html  # no navigation


def test_the_case_file_lists_the_case_documents(client: Any, prosecutor: User, liaison: User) -> None:
    case = build_case(prosecutor, liaison, "D")
    attach(case, prosecutor, DocumentType.CHARGE_SHEET, title="Charge sheet as filed")
    client.force_login(prosecutor)

    html = client.get(print_url(case)).content.decode()

    assert "Charge sheet as filed" in html and "Charge sheet" in html


def test_witnesses_appear_by_code_only_even_for_the_liaison(
    client: Any, prosecutor: User, liaison: User, auditor: User
) -> None:
    case = build_case(prosecutor, liaison, "B")
    code = case.witness_appearances.get().witness.code
    for user in (prosecutor, liaison, auditor):
        client.force_login(user)
        html = client.get(print_url(case)).content.decode()
        assert code in html
        for value in markers("B").values():
            assert value not in html, (user.username, value)


def test_assets_are_printed_only_for_those_who_read_assets(
    client: Any, prosecutor: User, liaison: User, auditor: User
) -> None:
    case = build_case(prosecutor, liaison, "C")
    asset_ref = case.assets.get().reference

    client.force_login(auditor)
    assert asset_ref in client.get(print_url(case)).content.decode()

    client.force_login(liaison)  # reads the case but never its assets
    html = client.get(print_url(case)).content.decode()
    assert asset_ref not in html and "Toyota Probox" not in html
    assert 'data-testid="print-section-assets"' not in html
    assert 'data-testid="print-section-witnesses"' in html


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("prosecutor", 200),
        ("other_prosecutor", 200),  # reads every case, changes only their own
        ("unit_head", 200),
        ("liaison", 200),
        ("auditor", 200),
        ("fund_admin", 403),  # fund roles never open case pages
        ("fund_approver", 403),
        ("stranger", 403),
    ],
)
def test_whoever_may_read_the_case_may_print_it(
    client: Any, request: pytest.FixtureRequest, prosecutor: User, liaison: User, persona: str, status: int
) -> None:
    case = build_case(prosecutor, liaison, "D")
    client.force_login(request.getfixturevalue(persona))
    response = client.get(print_url(case))
    assert response.status_code == status
    if status != 200:
        assert case.reference.encode() not in response.content


def test_a_visitor_is_sent_to_sign_in(client: Any, prosecutor: User, liaison: User) -> None:
    case = build_case(prosecutor, liaison, "D")
    response = client.get(print_url(case))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_unknown_case_is_not_found(client: Any, prosecutor: User) -> None:
    client.force_login(prosecutor)
    assert client.get(reverse(PRINT, args=[999_999])).status_code == 404


def test_the_case_page_offers_the_print_view(client: Any, prosecutor: User, liaison: User) -> None:
    case = build_case(prosecutor, liaison, "D")
    client.force_login(prosecutor)
    html = client.get(reverse("prosecutions:case_detail", args=[case.pk])).content.decode()
    assert f'href="{print_url(case)}"' in html and "Print case file" in html


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["prosecutor", "liaison", "auditor"])
def test_the_case_file_costs_a_fixed_number_of_queries(
    client: Any, request: pytest.FixtureRequest, prosecutor: User, liaison: User, persona: str
) -> None:
    small = build_case(prosecutor, liaison, "S", title="Republic v. Small")
    large = build_case(prosecutor, liaison, "L", title="Republic v. Large", accused=6, hearings=8, others=4)
    client.force_login(request.getfixturevalue(persona))

    few, many = _queries(client, print_url(small)), _queries(client, print_url(large))

    assert few == many
    assert many == EXPECTED_QUERIES[persona]


# The session, the user with their roles; the case, team, accused, counts, victims, hearings, the court measures
# noted on hearings, stage moves; each section another app adds that the user reads (assets and their orders:
# 2, for those who read assets — not the liaison; witnesses and their measures: 2; the case's documents: 1).
EXPECTED_QUERIES = {"prosecutor": 15, "liaison": 13, "auditor": 15}
