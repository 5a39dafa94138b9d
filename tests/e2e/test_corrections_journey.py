"""A prosecutor corrects a sentence in the browser: refused without a reason, refused below the minimum
without an override ground, then saved with a reason — and the correction shows on the History tab, as a
correction, with its reason and the old and new values."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from prosecutions import services
from prosecutions.choices import Stage
from prosecutions.models import Charge, Correction, Sentence
from tests.e2e.conftest import login
from tests.prosecutions.factories import case_at_judgment, days_ago

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-test-password"
REASON = "The judgment reads 35 years; 30 was typed from the draft"


def test_a_prosecutor_corrects_a_sentence_with_a_reason_and_sees_it_in_history(page, live_server, prosecutor):
    case = case_at_judgment(prosecutor)
    services.move_stage(case, prosecutor, Stage.SENTENCING, effective_on=days_ago(95))
    charge = Charge.objects.get(accused__case=case, count_number=1)
    services.record_sentence(charge, prosecutor, sentenced_on=days_ago(90), custodial_months=360)
    case_url = f"{live_server.url}/cases/{case.pk}/"

    login(page, live_server, prosecutor.username, PASSWORD)
    page.goto(case_url + "?tab=accused")
    row = page.locator('[data-testid="count-row"][data-count="1"]')
    assert "30 yr" in row.get_by_test_id("sentence").inner_text()
    row.get_by_test_id("correct-sentence").click()
    page.wait_for_url(re.compile(r"/sentence/correct/$"))
    assert page.input_value("#id_custodial_months") == "360"
    expect(page.locator("body")).to_contain_text("Statutory range for CTIP Act s.7")

    # No reason: refused, in words, nothing saved.
    page.fill("#id_custodial_months", "420")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("body")).to_contain_text("Give the reason for the correction")
    assert Sentence.objects.get(charge=charge).custodial_months == 360

    # Below the 30-year minimum without an override ground: refused, naming the range.
    page.fill("#id_custodial_months", "24")
    page.fill("#id_reason", REASON)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("body")).to_contain_text("The sentence is below the minimum for CTIP Act s.7")
    assert Sentence.objects.get(charge=charge).custodial_months == 360

    # Corrected with a reason.
    page.fill("#id_custodial_months", "420")
    page.fill("#id_reason", REASON)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"tab=accused"))
    expect(page.locator("body")).to_contain_text("Sentence corrected")
    assert "35 yr" in page.locator('[data-testid="count-row"][data-count="1"]').get_by_test_id("sentence").inner_text()

    # The History tab shows it as a correction, with its reason and the values before and after.
    page.goto(case_url + "?tab=history")
    correction = page.get_by_test_id("correction").first
    text = correction.inner_text()
    assert "Correction" in text and "Sentence on count 1 against John Mwangi" in text
    assert REASON in correction.get_by_test_id("correction-reason").inner_text()
    assert "360" in text and "420" in text
    assert Correction.objects.get(case=case).corrected_by == prosecutor

    # And on the timeline.
    page.goto(case_url + "?tab=timeline")
    assert REASON in page.locator('[data-kind="Correction"]').inner_text()
