"""The register, its export, each tab of the witness page, the case's Witnesses tab and the hearing lists
with their court-measure notes cost a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prosecutions import services as prosecution_services
from tests.assets.factories import CaseFactory
from tests.prosecutions.factories import charged_case
from tests.witnesses.factories import admitted, court_measures, days_ago, with_identity, witness_on
from witnesses import services

pytestmark = pytest.mark.django_db


def count(client: Client, url: str, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        response.getvalue()
    assert response.status_code == 200, url
    return len(queries)


def make_witnesses(n: int, prosecutor, liaison) -> None:
    for i in range(n):
        case = CaseFactory.create(lead_prosecutor=prosecutor)
        witness = witness_on(case, number=f"PW{i}")
        if i % 5 == 0:
            services.flag_witness(witness, liaison, applicant="witness", reason="Asked in writing.")


@pytest.mark.parametrize("persona", ["liaison", "prosecutor"])
def test_the_register_and_its_export_do_not_grow_with_rows(client: Client, prosecutor, liaison, persona) -> None:
    client.force_login(prosecutor if persona == "prosecutor" else liaison)
    url = reverse("witnesses:witness_list")
    make_witnesses(10, prosecutor, liaison)
    few = (count(client, url), count(client, url, export="xlsx"), count(client, reverse("core:home")))
    make_witnesses(190, prosecutor, liaison)
    many = (count(client, url), count(client, url, export="xlsx"), count(client, reverse("core:home")))
    assert few == many


def rich_witness(case, liaison, size: int):
    witness = admitted(witness_on(case), liaison)
    with_identity(witness, liaison, "Q")
    for i in range(size):
        court_measures(witness, liaison, "screen", starts_on=days_ago(30 + i))
        services.reveal_identity(witness, liaison, f"Reading number {i} for the file")
        services.save_identity(witness, liaison, phone=f"07{i:08d}", reason="New phone")
    for _ in range(size):
        other = CaseFactory.create(lead_prosecutor=case.lead_prosecutor)
        services.add_witness_to_case(other, liaison, role="expert", witness=witness)
    return witness


@pytest.mark.parametrize("tab", ["overview", "protection", "identity", "history"])
def test_each_tab_of_the_witness_page_does_not_grow_with_rows(client: Client, case, liaison, tab) -> None:
    client.force_login(liaison)
    small, big = rich_witness(case, liaison, 2), rich_witness(case, liaison, 15)
    assert count(client, small.get_absolute_url(), tab=tab) == count(client, big.get_absolute_url(), tab=tab)


def hearings_case(prosecutor, liaison, witnesses: int, hearings: int):
    case = charged_case(prosecutor)
    for i in range(witnesses):
        witness = admitted(witness_on(case, number=f"PW{i + 1}"), liaison)
        court_measures(witness, liaison)
    for i in range(hearings):
        prosecution_services.record_hearing(case, prosecutor, date=days_ago(-1 - (i % 5)), purpose="hearing")
    return case


def test_hearing_lists_with_measures_do_not_grow_with_rows(client: Client, prosecutor, liaison) -> None:
    client.force_login(prosecutor)
    small = hearings_case(prosecutor, liaison, 1, 2)
    url = reverse("prosecutions:hearing_list")
    few = (
        count(client, url),
        count(client, url, export="xlsx"),
        count(client, small.get_absolute_url(), tab="hearings"),
        count(client, small.get_absolute_url(), tab="witnesses"),
        count(client, small.get_absolute_url(), tab="timeline"),
    )
    big = hearings_case(prosecutor, liaison, 6, 20)
    many = (
        count(client, url),
        count(client, url, export="xlsx"),
        count(client, big.get_absolute_url(), tab="hearings"),
        count(client, big.get_absolute_url(), tab="witnesses"),
        count(client, big.get_absolute_url(), tab="timeline"),
    )
    assert few == many
