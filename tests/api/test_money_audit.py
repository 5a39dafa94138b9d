"""The audit log through the API: auditors only, the page's lines and filters, protected identities masked."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core.history import MASKED_TEXT
from core.models import AuditLink, User
from prosecutions.models import Case
from tests.assets.factories import CaseFactory, preserve, seize
from tests.trustfund.factories import victim
from victims import services as victim_services

pytestmark = pytest.mark.django_db

AUDIT = "/api/v1/audit-log/"


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def case(prosecutor: User) -> Case:
    return CaseFactory.create(lead_prosecutor=prosecutor)


def test_an_auditor_reads_the_log_newest_first_with_who_what_and_why(auditor, prosecutor, case) -> None:
    asset = seize(case, description="Isuzu lorry")
    preserve(asset)
    rows = api(auditor).get(AUDIT).json()["results"]
    newest = list(AuditLink.objects.order_by("-seq").values_list("seq", flat=True)[:50])
    assert [row["seq"] for row in rows] == newest
    created = next(r for r in rows if r["record_type"] == "assets.asset" and r["action"] == "created")
    assert asset.reference in created["object_repr"] and created["user"] == str(prosecutor)
    assert created["user_id"] == prosecutor.pk and created["action_label"] == "Created"
    assert created["case"] == case.pk and created["case_label"] == str(case)
    changed = next(r for r in rows if r["record_type"] == "assets.asset" and r["action"] == "changed")
    assert {"field": "Status", "old": "Seized", "new": "Preserved", "masked": False} in changed["changes"]


def test_the_log_filters_as_the_page_does(auditor, case) -> None:
    preserve(seize(case))
    client = api(auditor)
    orders = client.get(AUDIT, {"record_type": "assets.courtorder"}).json()["results"]
    assert orders and {row["record_type"] for row in orders} == {"assets.courtorder"}
    changed = client.get(AUDIT, {"action": "changed"}).json()["results"]
    assert changed and {row["action"] for row in changed} == {"changed"}
    refused = client.get(AUDIT, {"action": "burned"})
    assert refused.status_code == 400 and refused.json()["error"]["field"] == "action"


@pytest.mark.parametrize("persona", ["unit_head", "fund_admin", "fund_approver", "prosecutor", "liaison", "stranger"])
def test_only_auditors_read_the_log_through_the_api(request, persona, case) -> None:
    seize(case)
    response = api(request.getfixturevalue(persona)).get(AUDIT)
    assert response.status_code == 403
    assert "results" not in response.json()


def test_a_protected_identity_never_appears_only_that_it_changed(auditor, victim_services_officer) -> None:
    named = victim()
    victim_services.save_victim_identity(
        named, victim_services_officer, full_name="Zawadi Wanjiku Secretname", phone="0722999111"
    )
    victim_services.save_victim_identity(
        named, victim_services_officer, full_name="Zawadi Wanjiku Newsecret", reason="Spelling corrected"
    )
    response = api(auditor).get(AUDIT, {"record_type": "victims.victimidentity"})
    text = response.content.decode()
    for secret in ("Secretname", "Newsecret", "0722999111", "gAAAA"):
        assert secret not in text
    corrected, entered = response.json()["results"]
    assert corrected["action"] == "changed" and corrected["reason"] == "Spelling corrected"
    assert entered["object_repr"] == AuditLink.objects.get(seq=entered["seq"]).object_repr
    (masked,) = [change for change in corrected["changes"] if change["masked"]]  # the name only
    assert masked["old"] == "" and masked["new"] == str(MASKED_TEXT)


def test_a_page_of_the_log_costs_the_same_queries_however_many_lines(
    auditor, case, django_assert_max_num_queries
) -> None:
    client = api(auditor)
    preserve(seize(case))
    with CaptureQueriesContext(connection) as few:
        client.get(AUDIT, {"page_size": 200})
    for n in range(6):
        preserve(seize(case, description=f"Asset {n}"))
    with django_assert_max_num_queries(len(few)):
        response = client.get(AUDIT, {"page_size": 200})
    assert len(response.json()["results"]) == AuditLink.objects.count() > 60
