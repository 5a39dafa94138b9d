"""A prosecutor runs a case from opening to sentence in a real browser; a colleague off the team
can read it but not change it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from prosecutions.models import Case, Charge, Hearing
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-test-password"


def iso(day: dt.date) -> str:
    return day.isoformat()


def move_stage(page, stage: str) -> None:
    page.get_by_test_id("move-stage").click()
    page.select_option("#id_to_stage", stage)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/cases/\d+/\?tab=timeline"))


def count_action(page, count: int, action: str) -> None:
    page.goto(page.url.split("?")[0] + "?tab=accused")
    page.locator(f'[data-testid="count-row"][data-count="{count}"] [data-testid="{action}"]').click()


def test_a_prosecutor_runs_a_case_to_sentence(page, live_server, prosecutor, other_prosecutor):
    today = timezone.localdate()
    login(page, live_server, prosecutor.username, PASSWORD)

    # Open the case.
    page.goto(f"{live_server.url}/cases/new/")
    page.fill("#id_title", "Republic v. Jane Wanjiku and another")
    page.select_option("#id_county", label="Nairobi City")
    page.select_option("#id_court", label="JKIA Principal Magistrate's Court")
    page.fill("#id_court_case_serial", "E123")  # pre-trial needs the court and its case number
    page.fill("#id_court_case_year", str(today.year))
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    case = Case.objects.get(title="Republic v. Jane Wanjiku and another")
    case_url = f"{live_server.url}/cases/{case.pk}/"
    assert page.get_by_test_id("case-reference").inner_text() == case.reference

    # An accused with two counts.
    page.get_by_test_id("add-accused").click()
    page.fill("#id_name", "Jane Wanjiku")
    page.select_option("#id_network_role", "recruiter")
    page.select_option("#id_custody_status", "on_bail")
    page.get_by_role("button", name="Save").click()
    for count, offence in ((1, "ctip:7"), (2, "ctip:3(1)")):
        page.get_by_test_id("add-count").first.click()
        assert page.input_value("#id_count_number") == str(count)
        page.select_option("#id_offence", offence)
        page.fill("#id_offence_date", iso(today - dt.timedelta(days=40)))
        page.fill("#id_particulars", f"Count {count} particulars")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(re.compile(r"tab=accused"))
    expect(page.get_by_test_id("count-row")).to_have_count(2)

    # Charged: to pre-trial.
    page.goto(case_url)
    move_stage(page, "charging_decision")
    move_stage(page, "pre_trial")

    # Pleas on both counts.
    for count in (1, 2):
        count_action(page, count, "record-plea")
        page.select_option("#id_plea", "not_guilty")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(re.compile(r"tab=accused"))
    assert page.get_by_test_id("plea").all_inner_texts() == ["Not guilty", "Not guilty"]

    # A hearing adjourned to a date in 40 days: over the s.205 limit.
    page.goto(case_url)
    page.get_by_test_id("add-hearing").click()
    page.fill("#id_date", iso(today))
    page.select_option("#id_purpose", "mention")
    page.select_option("#id_outcome", "adjourned")
    page.select_option("#id_adjournment_reason", "witness_absent")
    next_date = today + dt.timedelta(days=40)
    page.fill("#id_next_date", iso(next_date))
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"tab=hearings"))
    assert next_date.strftime("%d %B %Y") in page.get_by_test_id("next-hearing").inner_text()
    expect(page.get_by_test_id("s205-flag")).to_have_count(1)

    # Trial, judgment, one conviction and one acquittal.
    page.goto(case_url)
    move_stage(page, "trial")
    move_stage(page, "judgment")
    for count, outcome in ((1, "convicted_trial"), (2, "acquitted_s210")):
        count_action(page, count, "record-outcome")
        page.select_option("#id_disposition", outcome)
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(re.compile(r"tab=accused"))

    # Sentence the conviction; the acquitted count offers no sentence.
    expect(page.locator('[data-count="2"] [data-testid="record-sentence"]')).to_have_count(0)
    count_action(page, 1, "record-sentence")
    page.fill("#id_custodial_months", "360")
    page.select_option("#id_fine_relation", "alternative")
    page.fill("#id_fine_amount", "30000000")
    page.fill("#id_fine_default_months", "12")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"tab=accused"))
    assert "30 yr" in page.get_by_test_id("sentence").first.inner_text()

    # Everything on the timeline.
    page.goto(case_url + "?tab=timeline")
    timeline = page.get_by_test_id("timeline").inner_text()
    for text in (
        "Case opened",
        "Charging decision → Pre-trial",
        "Not guilty",
        "Adjourned (Witness absent)",
        "exceeds CPC s.205",
        "Pre-trial → Trial",
        "Trial → Judgment",
        "Convicted after trial (s.215)",
        "Acquitted — no case to answer (s.210)",
        "sentenced: 30 yr",
    ):
        assert text in timeline, text
    assert Charge.objects.filter(accused__case=case, disposition="convicted_trial").count() == 1
    assert Hearing.objects.filter(case=case, exceeds_adjournment_limit=True).count() == 1

    # A prosecutor not on the team reads the case but cannot change it.
    page.context.clear_cookies()
    login(page, live_server, other_prosecutor.username, PASSWORD)
    page.goto(case_url)
    assert page.get_by_test_id("case-title").inner_text() == "Republic v. Jane Wanjiku and another"
    expect(page.get_by_test_id("move-stage")).to_have_count(0)
    assert page.get_by_test_id("read-only").is_visible()
    response = page.goto(case_url + "stage/")
    assert response is not None and response.status == 403
    case.refresh_from_db()
    assert case.stage == "judgment"
