"""Pages: forms that show domain errors in words, the Excel export, panels, and fixed query counts."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import County
from core.views.generic import Tab
from prosecutions import services
from prosecutions.models import Case, Charge, Hearing
from prosecutions.registry import (
    CaseTab,
    TimelineEvent,
    _case_tabs,
    _timeline_sources,
    register_case_tab,
    register_timeline_source,
)
from tests.prosecutions.factories import case_at_trial, charged_case, court, days_ago, make_case


def workbook_rows(response) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(book["Data"].iter_rows(values_only=True))


def test_the_export_holds_exactly_the_filtered_cases(client, prosecutor):
    mombasa = County.objects.get(code="001")
    wanted = [
        make_case(prosecutor, county=mombasa, court=court("Mombasa"), title=f"Republic v. Mombasa {n}")
        for n in range(3)
    ]
    for n in range(4):
        make_case(prosecutor, title=f"Republic v. Nairobi {n}")
    client.force_login(prosecutor)
    response = client.get(reverse("prosecutions:case_list"), {"county": mombasa.pk, "export": "xlsx"})
    rows = workbook_rows(response)
    assert rows[0][0] == "ODPP file number"
    assert sorted(row[0] for row in rows[1:]) == sorted(case.reference for case in wanted)
    screen = client.get(reverse("prosecutions:case_list"), {"county": mombasa.pk})
    assert screen.context["result_count"] == 3


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"stage": "pre_trial"}, {"charged"}),
        ({"network_role": "organiser"}, {"charged"}),
        ({"offence": "ctip:7"}, {"charged"}),
        ({"exploitation_type": "forced_labour"}, {"plain"}),
        ({"q": "OB 12/"}, {"plain"}),
        ({"q": "Charged"}, {"charged"}),
    ],
)
def test_the_case_filters(client, prosecutor, params, expected):
    charged = charged_case(prosecutor, title="Republic v. Charged")
    accused = charged.accused.get()
    services.update_accused(accused, prosecutor, network_role="organiser")
    plain = make_case(
        prosecutor, title="Republic v. Plain", ob_number="OB 12/01/2025", exploitation_types=["forced_labour"]
    )
    names = {charged.pk: "charged", plain.pk: "plain"}
    client.force_login(prosecutor)
    response = client.get(reverse("prosecutions:case_list"), params)
    assert {names[c.pk] for c in response.context["object_list"]} == expected


def test_opened_between_and_my_cases(client, prosecutor, other_prosecutor):
    old = make_case(prosecutor, opened_days_ago=400)
    new = make_case(other_prosecutor, opened_days_ago=10)
    client.force_login(prosecutor)
    response = client.get(reverse("prosecutions:case_list"), {"opened_after": days_ago(30).isoformat()})
    assert [c.pk for c in response.context["object_list"]] == [new.pk]
    mine = client.get(reverse("prosecutions:my_cases"))
    assert [c.pk for c in mine.context["object_list"]] == [old.pk]


def test_opening_a_case_through_the_form(client, prosecutor):
    client.force_login(prosecutor)
    response = client.post(
        reverse("prosecutions:case_create"),
        {
            "title": "Republic v. Jane Doe",
            "county": County.objects.get(code="047").pk,
            "opened_on": days_ago(1).isoformat(),
            "scope": "transnational",
            "exploitation_types": ["forced_labour", "sexual_exploitation"],
            "court_case_type": "Criminal Case",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.exploitation_types == ["forced_labour", "sexual_exploitation"]


def test_the_stage_form_offers_only_legal_moves_and_shows_a_failed_guard_in_words(client, prosecutor):
    case = make_case(prosecutor)
    services.move_stage(case, prosecutor, "charging_decision", effective_on=days_ago(5))
    client.force_login(prosecutor)
    url = reverse("prosecutions:case_stage", args=[case.pk])
    form = client.get(url).context["form"]
    assert [value for value, _ in form.fields["to_stage"].choices] == ["investigation", "pre_trial", "closed"]
    response = client.post(url, {"to_stage": "pre_trial", "effective_on": days_ago(1).isoformat()})
    assert response.status_code == 200
    assert "add at least one accused with at least one count" in response.content.decode()
    illegal = client.post(url, {"to_stage": "trial", "effective_on": days_ago(1).isoformat()})
    assert "A case at Charging decision cannot make that move." in illegal.content.decode()
    case.refresh_from_db()
    assert case.stage == "charging_decision"


def test_a_duplicate_count_and_a_bad_next_date_are_form_errors(client, prosecutor):
    case = case_at_trial(prosecutor)
    accused = case.accused.get()
    client.force_login(prosecutor)
    response = client.post(
        reverse("prosecutions:charge_create", args=[case.pk, accused.pk]),
        {"count_number": 1, "offence": "ctip:7", "offence_date": days_ago(300).isoformat()},
    )
    assert "already has a count 1" in response.content.decode()
    response = client.post(
        reverse("prosecutions:hearing_create", args=[case.pk]),
        {
            "date": days_ago(3).isoformat(),
            "court": court().pk,
            "purpose": "hearing",
            "outcome": "adjourned",
            "adjournment_reason": "witness_absent",
            "next_date": days_ago(4).isoformat(),
        },
    )
    assert "The next date must be after the hearing date." in response.content.decode()
    future = client.post(
        reverse("prosecutions:hearing_create", args=[case.pk]),
        {"date": days_ago(-3).isoformat(), "court": court().pk, "purpose": "hearing", "outcome": "proceeded"},
    )
    assert "cannot be in the future" in future.content.decode()
    assert Charge.objects.filter(accused=accused).count() == 2 and not Hearing.objects.filter(case=case).exists()


def test_registered_tabs_and_timeline_sources_appear_on_the_case_page(client, prosecutor, case):
    tab = CaseTab(Tab("extra", "Extra", "prosecutions/tabs/victims.html"), lambda c, u: {"victims": []})
    register_case_tab(tab)
    register_timeline_source("test", lambda c: [TimelineEvent(days_ago(1), "Asset", "Vehicle KDA 123A seized")])
    try:
        client.force_login(prosecutor)
        page = client.get(reverse("prosecutions:case_detail", args=[case.pk]) + "?tab=extra")
        assert page.status_code == 200 and 'data-tab="extra"' in page.content.decode()
        timeline = client.get(reverse("prosecutions:case_detail", args=[case.pk]) + "?tab=timeline").content.decode()
        assert "Vehicle KDA 123A seized" in timeline
    finally:
        _case_tabs.pop("extra", None)
        _timeline_sources.pop("test", None)


def test_home_panels_for_a_prosecutor(client, prosecutor):
    idle = make_case(prosecutor, opened_days_ago=200)
    case = case_at_trial(prosecutor)
    services.record_hearing(case, prosecutor, date=days_ago(-3), purpose="mention")
    client.force_login(prosecutor)
    page = client.get("/").content.decode()
    assert 'data-panel="cases_by_stage"' in page and 'data-panel="next_hearings"' in page
    assert idle.reference in page  # idle for more than 90 days
    assert f"{case.reference}</a> · Mention" in page


def test_the_hearings_diary_shows_this_and_next_week_only(client, prosecutor, other_prosecutor):
    case = case_at_trial(prosecutor)
    services.record_hearing(case, prosecutor, date=days_ago(-2), purpose="mention")
    services.record_hearing(case, prosecutor, date=days_ago(-40), purpose="hearing")
    theirs = case_at_trial(other_prosecutor)
    services.record_hearing(theirs, other_prosecutor, date=days_ago(-2), purpose="mention")
    client.force_login(prosecutor)
    response = client.get(reverse("prosecutions:hearing_list"))
    assert [h.case_id for h in response.context["object_list"]] == [case.pk]
    rows = workbook_rows(client.get(reverse("prosecutions:hearing_list"), {"export": "xlsx"}))
    assert len(rows) == 2 and rows[1][1] == case.reference


# --- fixed query counts -------------------------------------------------------------------------


def build_cases(user, n: int) -> Case:
    """``n`` cases; the last one gets n // 10 + 1 accused, counts, victims and hearings."""
    for _ in range(n - 1):
        make_case(user)
    case = case_at_trial(user)
    for i in range(n // 10):
        accused = services.add_accused(case, user, name=f"Accused {i}", network_role="transporter")
        services.add_charge(
            accused, user, count_number=1, offence=Charge.objects.order_by("id")[0].offence, offence_date=days_ago(300)
        )
        services.add_victim(case, user, exploitation_type="forced_labour", identified_on=days_ago(100))
        services.record_hearing(case, user, date=days_ago(150 - i), purpose="hearing", outcome="proceeded")
    return case


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


PAGES = [
    "prosecutions:case_list",
    "prosecutions:my_cases",
    "prosecutions:hearing_list",
    *[f"tab:{tab}" for tab in ("overview", "accused", "victims", "hearings", "timeline", "history")],
]


def page_url(name: str, case: Case) -> str:
    if name.startswith("tab:"):
        return reverse("prosecutions:case_detail", args=[case.pk]) + f"?tab={name[4:]}"
    return reverse(name)


def test_pages_run_a_fixed_number_of_queries_for_10_and_200_cases(client, prosecutor):
    small_case = build_cases(prosecutor, 10)
    services.record_hearing(small_case, prosecutor, date=days_ago(-1), purpose="mention")
    client.force_login(prosecutor)
    client.get(reverse("prosecutions:case_list"))  # the filters' reference data are read once per process
    small = {name: count_queries(client, page_url(name, small_case)) for name in PAGES}
    small_export = count_queries(client, reverse("prosecutions:case_list") + "?export=xlsx")
    big_case = build_cases(prosecutor, 200)
    for day in range(1, 13):
        services.record_hearing(big_case, prosecutor, date=days_ago(-day), purpose="mention")
    big = {name: count_queries(client, page_url(name, big_case)) for name in PAGES}
    assert big == small
    assert count_queries(client, reverse("prosecutions:case_list") + "?export=xlsx") == small_export


@pytest.mark.django_db  # marked, so pytest-django runs it before the transactional tests that empty the tables
@pytest.mark.parametrize(
    ("persona", "sees_button"),
    [("prosecutor", True), ("unit_head", True), ("auditor", False), ("liaison", False)],
)
def test_only_those_who_may_open_a_case_see_the_open_a_case_button(
    client: Client, request: pytest.FixtureRequest, persona: str, sees_button: bool
) -> None:
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("prosecutions:case_list")).content.decode()
    assert ('data-testid="open-case"' in page) is sees_button
