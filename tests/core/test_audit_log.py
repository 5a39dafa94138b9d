"""The audit log: every change (and sign-in event) the user's roles may read, filtered, downloadable,
in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from core.models import AuditLink, County, User
from prosecutions import services
from prosecutions.choices import CourtLevel, Statute
from prosecutions.models import Case, Court, Offence
from tests.assets.factories import seize
from tests.prosecutions.factories import charged_case, make_case

pytestmark = pytest.mark.django_db

URL = "/audit/"
START = dt.date(2020, 1, 1)


def lines(client: Client, **params: Any) -> list[AuditLink]:
    response = client.get(URL, params)
    assert response.status_code == 200
    found: list[AuditLink] = list(response.context["object_list"])
    return found


@pytest.fixture
def edited_case(prosecutor: User) -> Case:
    case = charged_case(prosecutor, court_case_serial="E12")  # pre-trial needs a court case number
    services.update_case_details(case, prosecutor, reason="Court file number received", court_case_serial="E123")
    seize(case, prosecutor)
    return case


def test_anonymous_users_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["prosecutor", "liaison", "stranger", "multi_role"])
def test_roles_without_audit_access_are_refused(client: Client, persona: str, request: pytest.FixtureRequest) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"export": "xlsx"}).status_code == 403


def test_the_auditor_sees_every_change_and_the_sign_in_events(
    client: Client, auditor: User, prosecutor: User, edited_case: Case
) -> None:
    client.force_login(auditor)
    found = lines(client)
    types = {line.record_type for line in found}
    assert {"prosecutions.case", "prosecutions.charge", "assets.asset", "core.authevent"} <= types
    edit: Any = next(line for line in found if line.reason == "Court file number received")
    assert edit.user == prosecutor and edit.action == "changed"
    assert [(c.field, c.old, c.new) for c in edit.changes] == [("Court case serial", "E12", "E123")]
    assert edit.case_label == str(edited_case)
    html = client.get(URL).content.decode()
    assert "Court file number received" in html and "E123" in html and "Signed in" in html


def test_the_unit_head_sees_the_prosecution_side_only(
    client: Client, unit_head: User, auditor: User, edited_case: Case
) -> None:
    client.force_login(auditor)  # a sign-in event the unit head must not see
    client.force_login(unit_head)
    types = {line.record_type for line in lines(client)}
    assert {"prosecutions.case", "assets.asset"} <= types
    assert all(t.split(".")[0] in {"prosecutions", "assets"} for t in types)
    record_types = dict(client.get(URL).context["filter"].form.fields["record_type"].choices)
    assert "prosecutions.case" in record_types and "core.authevent" not in record_types
    assert lines(client, record_type="core.authevent") == []


@pytest.mark.parametrize("persona", ["fund_admin", "fund_approver"])
def test_the_fund_roles_see_the_fund_side_only(
    client: Client, persona: str, edited_case: Case, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    found = lines(client)
    assert all(line.record_type.startswith("trustfund.") for line in found)
    assert not any(line.record_type.startswith(("prosecutions.", "assets.", "core.")) for line in found)


def test_filters_by_user_record_type_case_action_and_dates(
    client: Client, auditor: User, prosecutor: User, other_prosecutor: User, edited_case: Case
) -> None:
    other = make_case(other_prosecutor, title="Republic v. Other")
    client.force_login(auditor)

    by_user = lines(client, user=other_prosecutor.pk)
    assert by_user and all(line.user == other_prosecutor for line in by_user)

    charges = lines(client, record_type="prosecutions.charge")
    assert charges and all(line.record_type == "prosecutions.charge" for line in charges)

    in_case = lines(client, case=edited_case.pk)
    assert {line.case_id for line in in_case} == {edited_case.pk}
    assert {"prosecutions.case", "prosecutions.charge", "prosecutions.accused", "assets.asset"} <= {
        line.record_type for line in in_case
    }
    assert not any(line.case_id == other.pk for line in in_case)

    created = lines(client, action="created", case=edited_case.pk)
    assert created and all(line.action == "created" for line in created)

    today = timezone.localdate()
    assert lines(client, date_from=today.isoformat(), date_to=today.isoformat())
    assert lines(client, date_to=(today - dt.timedelta(days=1)).isoformat()) == []
    assert [line.reason for line in lines(client, reason="file number")] == ["Court file number received"]


def test_the_download_holds_exactly_the_filtered_lines_with_their_differences(
    client: Client, auditor: User, edited_case: Case
) -> None:
    client.force_login(auditor)
    on_screen = lines(client, case=edited_case.pk)
    response: Any = client.get(URL, {"case": str(edited_case.pk), "export": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book["Data"].iter_rows(values_only=True))
    header, data = rows[0], rows[1:]
    assert header[:8] == ("When", "Who", "Action", "Record type", "Record", "Case", "Reason", "Changes")
    assert len(data) == AuditLink.objects.filter(case_id=edited_case.pk).count() == len(on_screen)
    edit = next(row for row in data if row[6] == "Court file number received")
    assert edit[1] == "Achieng Otieno" and edit[2] == "Changed" and edit[7] == "Court case serial: E12 → E123"
    about = " ".join(str(c.value) for row in book["About this export"].iter_rows() for c in row)
    assert "Case:" in about


def _activity(user: User, times: int, start: int = 0) -> None:
    """Courts and offences created and then changed: two record types, each with a previous row to diff."""
    county = County.objects.get(code="001")
    for n in range(start, start + times):
        court = Court(name=f"Court {n}", level=CourtLevel.RESIDENT_MAGISTRATE, station="X", county=county)
        court.save_as(user, "Court added")
        court.station = f"Station {n}"
        court.save_as(user, "Station renamed")
        offence = Offence(statute=Statute.PENAL_CODE, section=f"{900 + n}", title="Test offence", effective_from=START)
        offence.save_as(user, "Offence added")
        offence.title = "Renamed offence"
        offence.save_as(user, "Offence renamed")


def test_a_page_of_the_log_costs_the_same_queries_for_a_short_and_a_long_history(
    client: Client, auditor: User, prosecutor: User
) -> None:
    client.force_login(auditor)
    _activity(prosecutor, 13)  # 52 changes: a page of them, past the personas' accounts and role grants
    client.get(URL)
    with CaptureQueriesContext(connection) as short:
        found = lines(client)
        assert len(found) == 50 and {line.record_type for line in found} == {
            "prosecutions.court",
            "prosecutions.offence",
        }
    _activity(prosecutor, 100, start=13)
    with CaptureQueriesContext(connection) as long:
        found = lines(client)
        assert len(found) == 50 and {line.record_type for line in found} == {
            "prosecutions.court",
            "prosecutions.offence",
        }
    assert len(short) == len(long)
