"""A prosecutor plans with the hearings diary in a real browser: the list, the day, week and month
calendars and their navigation, a filter, the Excel download, and a personal calendar feed fetched as a
calendar app would (without a session)."""

from __future__ import annotations

import datetime as dt
import re

import openpyxl
import pytest

from prosecutions import services
from tests.e2e.conftest import login
from tests.prosecutions.factories import case_at_trial, charged_case, court

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-test-password"


def follow(page, test_id: str) -> None:
    """Click a link and wait for the page it leads to (the address may already match a pattern)."""
    with page.expect_navigation():
        page.get_by_test_id(test_id).click()


def test_a_prosecutor_plans_with_the_diary_and_subscribes_a_calendar(
    page, live_server, browser, browser_log, prosecutor, tmp_path
):
    today = services.today()
    jkia = case_at_trial(prosecutor, title="Republic v. Diary Journey")
    mombasa = charged_case(prosecutor, title="Republic v. Coast Journey", court=court("Mombasa"))
    services.record_hearing(jkia, prosecutor, date=today, purpose="hearing", time=dt.time(9, 30), courtroom="Court 3")
    services.record_hearing(mombasa, prosecutor, date=today + dt.timedelta(days=1), purpose="mention")
    login(page, live_server, prosecutor.username, PASSWORD)

    # The diary: this week and next, as a list; file numbers link to the case.
    page.goto(f"{live_server.url}/cases/hearings/")
    table = page.get_by_test_id("list-table")
    assert jkia.reference in table.inner_text() and mombasa.reference in table.inner_text()
    assert "09:30" in table.inner_text() and "Court 3" in table.inner_text()

    # Day, week and month calendars, each moving back and forth.
    follow(page, "view-day")
    assert page.get_by_test_id("period-title").inner_text() == f"{today:%A} {today.day} {today:%B %Y}"
    assert jkia.reference in page.get_by_test_id("list-table").inner_text()
    follow(page, "period-next")
    assert mombasa.reference in page.get_by_test_id("list-table").inner_text()

    follow(page, "view-week")
    assert page.get_by_test_id("period-title").inner_text().startswith("Week of")
    week = page.get_by_test_id("calendar-week")
    assert week.locator("th[scope=col]").count() == 7
    follow(page, "period-today")
    assert jkia.reference in page.get_by_test_id("calendar-week").inner_text()

    follow(page, "view-month")
    assert page.get_by_test_id("period-title").inner_text() == f"{today:%B %Y}"
    month = page.get_by_test_id("calendar-month")
    assert jkia.reference in month.inner_text()
    follow(page, "period-previous")
    assert page.get_by_test_id("period-title").inner_text() != f"{today:%B %Y}"
    follow(page, "period-today")
    month = page.get_by_test_id("calendar-month")
    month.get_by_test_id("case-link").filter(has_text=jkia.reference).first.click()
    page.wait_for_url(re.compile(rf"/cases/{jkia.pk}/\?tab=hearings"))
    page.go_back()

    # Filter by court station, as a list.
    follow(page, "view-list")
    page.get_by_test_id("filters-toggle").click()  # the dates and filters fold away until wanted
    page.select_option("#id_station", "Mombasa")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"station=Mombasa"))
    rows = page.get_by_test_id("list-table").inner_text()
    assert mombasa.reference in rows and jkia.reference not in rows

    # The Excel download holds what is on screen.
    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    saved = tmp_path / "diary.xlsx"
    download.value.save_as(saved)
    data = list(openpyxl.load_workbook(saved, read_only=True)["Data"].iter_rows(values_only=True))
    assert [row[1] for row in data[1:]] == [mombasa.reference]

    # A personal calendar feed: created, shown once, fetched without signing in.
    follow(page, "calendar-feed-link")
    follow(page, "create-feed")
    feed_url = page.get_by_test_id("feed-url").input_value()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/calendar/[A-Za-z0-9_-]{{43}}\.ics", feed_url)
    calendar_app = browser.new_context()
    try:
        answer = calendar_app.request.get(feed_url)
        assert answer.status == 200 and answer.headers["content-type"].startswith("text/calendar")
        text = answer.text()
        assert text.startswith("BEGIN:VCALENDAR\r\n") and jkia.reference in text and mombasa.reference in text
        assert "Republic v." not in text
    finally:
        calendar_app.close()
    page.goto(f"{live_server.url}/cases/hearings/calendar-feed/")
    assert "A calendar app last fetched it" in page.get_by_test_id("feed-status").inner_text()
    assert feed_url not in page.content()

    assert browser_log.failed == [] and browser_log.off_site == [] and browser_log.page_errors == []
