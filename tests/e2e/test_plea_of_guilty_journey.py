"""A plea of guilty to every count, in a real browser: the case is registered in court, goes to pre-trial,
the accused pleads guilty to both counts, the prosecutor records the conviction on own plea (CPC s.207) and
the case goes straight to sentencing — the timeline shows no trial and no judgment."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from prosecutions import services
from prosecutions.choices import Disposition, Stage
from prosecutions.models import Charge
from tests.e2e.conftest import login
from tests.prosecutions.factories import days_ago, make_accused, make_case, make_charge

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-test-password"


def stage_options(page) -> list[str]:
    page.locator("#id_to_stage").wait_for()
    return page.locator("#id_to_stage option").evaluate_all("options => options.map(o => o.value)")


def test_guilty_pleas_lead_to_conviction_and_sentencing_without_a_trial(page, live_server, prosecutor):
    case = make_case(prosecutor, title="Republic v. Esther Nyambura", opened_days_ago=60)
    accused = make_accused(case, prosecutor, name="Esther Nyambura")
    make_charge(accused, prosecutor, 1, days=90)
    make_charge(accused, prosecutor, 2, days=90)
    services.move_stage(case, prosecutor, Stage.CHARGING_DECISION, effective_on=days_ago(30))
    case_url = f"{live_server.url}/cases/{case.pk}/"
    login(page, live_server, prosecutor.username, PASSWORD)

    # No court case number yet: pre-trial is not offered, and the form says what is missing and where.
    page.goto(case_url)
    expect(page.get_by_test_id("add-hearing")).to_have_count(0)  # no hearings before the case is charged
    page.get_by_test_id("move-stage").click()
    assert stage_options(page) == ["investigation", "closed"]
    assert (
        "the court case number is missing. Set it under Edit details."
        in page.get_by_test_id("blocked-move").inner_text()
    )

    # Register the case in court, then move to pre-trial.
    page.goto(case_url)
    page.get_by_test_id("edit-case").click()
    page.fill("#id_court_case_serial", "E77")
    page.fill("#id_court_case_year", str(days_ago(0).year))
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/"))
    page.get_by_test_id("move-stage").click()
    assert "pre_trial" in stage_options(page)
    page.select_option("#id_to_stage", "pre_trial")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"tab=timeline"))
    assert page.get_by_test_id("case-stage").inner_text() == "Pre-trial"

    # Guilty pleas to both counts.
    for count in (1, 2):
        page.goto(case_url + "?tab=accused")
        page.locator(f'[data-testid="count-row"][data-count="{count}"] [data-testid="record-plea"]').click()
        page.select_option("#id_plea", "guilty")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(re.compile(r"tab=accused"))
    assert page.get_by_test_id("plea").all_inner_texts() == ["Guilty", "Guilty"]

    # Nothing to try: trial is not offered; the conviction on own plea is.
    page.goto(case_url)
    page.get_by_test_id("move-stage").click()
    assert "trial" not in stage_options(page)
    page.goto(case_url)
    page.get_by_test_id("convict-own-plea").click()
    expect(page.get_by_test_id("own-plea-counts").locator("tbody tr")).to_have_count(2)
    page.fill("#id_reason", "Pleaded guilty to both counts")
    page.get_by_role("button", name="Convict and go to sentencing").click()
    page.wait_for_url(re.compile(r"tab=timeline"))
    assert page.get_by_test_id("case-stage").inner_text() == "Sentencing"
    assert set(Charge.objects.filter(accused__case=case).values_list("disposition", flat=True)) == {
        Disposition.CONVICTED_OWN_PLEA
    }

    # The timeline: pre-trial straight to sentencing; no trial, no judgment.
    timeline = page.get_by_test_id("timeline").inner_text()
    assert "Pre-trial → Sentencing" in timeline
    assert "Pleaded guilty to both counts" in timeline
    assert "Convicted on own plea of guilty" in timeline
    assert "→ Trial" not in timeline and "Judgment" not in timeline

    # Sentence at sentencing, as after any conviction.
    charge = Charge.objects.filter(accused__case=case, count_number=1).select_related("offence").get()
    months = charge.offence.min_custodial_months or 120
    page.goto(case_url + "?tab=accused")
    page.locator('[data-testid="count-row"][data-count="1"] [data-testid="record-sentence"]').click()
    page.fill("#id_custodial_months", str(months))
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"tab=accused"))
    assert page.get_by_test_id("sentence").first.inner_text() != "—"
