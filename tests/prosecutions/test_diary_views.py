"""The hearings diary page: any range (this week and next by default), filters by court station,
prosecutor and stage, the list and the day / week / month calendars with their navigation, the Excel
download of the filtered range, bad ranges, and a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prosecutions import diary, services
from prosecutions.models import Case, Hearing
from tests.helpers import post_refused
from tests.prosecutions.factories import case_at_trial, charged_case, court, days_ago

pytestmark = pytest.mark.django_db

URL = reverse("prosecutions:hearing_list")


def diary_page(client: Client, **params: Any) -> Any:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def shown(response: Any) -> list[int]:
    return [hearing.pk for hearing in response.context["object_list"]]


def workbook(response: Any) -> openpyxl.Workbook:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)


def hearing(case: Case, user: Any, days_ahead: int, **kwargs: Any) -> Hearing:
    kwargs.setdefault("purpose", "mention")
    return services.record_hearing(case, user, date=days_ago(-days_ahead), **kwargs)


@pytest.fixture
def signed_in(client: Client, prosecutor) -> Client:
    client.force_login(prosecutor)
    return client


# --- the range ------------------------------------------------------------------------------------


def test_by_default_it_shows_this_week_and_next(signed_in: Client, prosecutor) -> None:
    case = case_at_trial(prosecutor)
    start, end = diary.default_range(services.today())
    inside = [hearing(case, prosecutor, (day - services.today()).days) for day in (start, end)]
    hearing(case, prosecutor, (end - services.today()).days + 1)  # the Monday after
    response = diary_page(signed_in)
    assert sorted(shown(response)) == sorted(h.pk for h in inside)
    assert response.context["period"] == diary.Period("list", start, end)


def test_it_shows_any_range_asked_for(signed_in: Client, prosecutor) -> None:
    case = case_at_trial(prosecutor)
    far = hearing(case, prosecutor, 100)
    hearing(case, prosecutor, 2)
    start, end = days_ago(-90).isoformat(), days_ago(-120).isoformat()
    response = diary_page(signed_in, start=start, end=end)
    assert shown(response) == [far.pk]
    # One end given: two weeks from it.
    only_start = diary_page(signed_in, start=days_ago(-95).isoformat())
    assert only_start.context["period"].end == days_ago(-95) + dt.timedelta(days=13)
    only_end = diary_page(signed_in, end=days_ago(-95).isoformat())
    assert only_end.context["period"].start == days_ago(-95) - dt.timedelta(days=13)
    at_the_edge = diary_page(signed_in, start="2100-12-25")  # never beyond the last date the diary takes
    assert at_the_edge.context["period"] == diary.Period("list", dt.date(2100, 12, 25), diary.LATEST)
    assert at_the_edge.context["next_url"] == ""


def test_hearings_are_in_order_of_date_then_time_with_untimed_ones_last(signed_in: Client, prosecutor) -> None:
    case = case_at_trial(prosecutor)
    other = case_at_trial(prosecutor, title="Republic v. Other")
    untimed = hearing(case, prosecutor, 1)
    afternoon = hearing(other, prosecutor, 1, time=dt.time(14, 0), courtroom="Court 2")
    morning = hearing(case, prosecutor, 1, time=dt.time(9, 0), purpose="hearing")
    page = diary_page(signed_in, view="day", start=days_ago(-1).isoformat())
    assert shown(page) == [morning.pk, afternoon.pk, untimed.pk]
    body = page.content.decode()
    assert "14:00" in body and "Court 2" in body


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"start": "2026-12-10", "end": "2026-12-01"}, "The end of the range is before its start"),
        (
            {"start": "2026-01-01", "end": "2027-01-02"},
            "Choose a range of at most one year (366 days); this one is 367",
        ),
        ({"start": "not a date"}, "Enter a valid date."),
        ({"start": "9999-12-31", "end": "9999-12-31"}, "Choose a date between 01 Jan 1963 and 31 Dec 2100."),
        ({"view": "month", "start": "0001-01-01"}, "Choose a date between 01 Jan 1963 and 31 Dec 2100."),
        ({"start": "9999-12-31"}, "Choose a date between 01 Jan 1963 and 31 Dec 2100."),
        ({"end": "0001-01-01"}, "Choose a date between 01 Jan 1963 and 31 Dec 2100."),
    ],
)
def test_a_bad_range_is_refused_with_a_clear_message_and_shows_nothing(
    signed_in: Client, prosecutor, params: dict[str, str], words: str
) -> None:
    hearing(case_at_trial(prosecutor), prosecutor, 1)
    response = diary_page(signed_in, **params)
    assert shown(response) == [] and response.context["period"] is None
    body = response.content.decode()
    assert 'data-testid="diary-errors"' in body and words in body
    rows = list(workbook(signed_in.get(URL, {**params, "export": "xlsx"}))["Data"].iter_rows(values_only=True))
    assert len(rows) == 1  # the header only


def test_a_range_of_exactly_a_year_is_accepted(signed_in: Client, prosecutor) -> None:
    response = diary_page(signed_in, start="2026-01-01", end="2026-12-31")
    assert response.context["period"].days == 365 and "diary-errors" not in response.content.decode()


# --- filters --------------------------------------------------------------------------------------


def test_it_filters_by_court_station_prosecutor_and_stage(
    client: Client, unit_head, prosecutor, other_prosecutor
) -> None:
    mine = case_at_trial(prosecutor, title="Republic v. Mine")
    theirs = charged_case(other_prosecutor, title="Republic v. Theirs", court=court("Mombasa"))
    shared = charged_case(other_prosecutor, title="Republic v. Shared")
    services.assign_prosecutors(shared, unit_head, lead_prosecutor=other_prosecutor, team=[prosecutor])
    at_jkia = hearing(mine, prosecutor, 1)
    at_mombasa = hearing(theirs, other_prosecutor, 2)
    on_team = hearing(shared, other_prosecutor, 3)
    client.force_login(unit_head)
    assert set(shown(diary_page(client))) == {at_jkia.pk, at_mombasa.pk, on_team.pk}
    assert shown(diary_page(client, station="Mombasa")) == [at_mombasa.pk]
    assert shown(diary_page(client, prosecutor=prosecutor.pk)) == [at_jkia.pk, on_team.pk]
    assert shown(diary_page(client, stage="trial")) == [at_jkia.pk]
    assert set(shown(diary_page(client, stage=["trial", "pre_trial"]))) == {at_jkia.pk, at_mombasa.pk, on_team.pk}
    export = workbook(client.get(URL, {"station": "Mombasa", "export": "xlsx"}))
    assert [row[1] for row in export["Data"].iter_rows(min_row=2, values_only=True)] == [theirs.reference]
    about = list(export["About this export"].iter_rows(values_only=True))
    assert any(row[1] == "Court station: Mombasa" for row in about)


def test_a_prosecutor_sees_only_the_hearings_of_their_own_cases(
    signed_in: Client, prosecutor, other_prosecutor
) -> None:
    mine = hearing(case_at_trial(prosecutor), prosecutor, 1)
    hearing(case_at_trial(other_prosecutor, title="Republic v. Theirs"), other_prosecutor, 1)
    assert shown(diary_page(signed_in)) == [mine.pk]
    assert shown(diary_page(signed_in, prosecutor=prosecutor.pk)) == [mine.pk]


def test_outcome_not_recorded_shows_and_filters(signed_in: Client, prosecutor) -> None:
    case = case_at_trial(prosecutor)
    passed = services.record_hearing(case, prosecutor, date=days_ago(2), purpose="mention")
    held = services.record_hearing(case, prosecutor, date=days_ago(3), purpose="mention", outcome="proceeded")
    params = {"start": days_ago(6).isoformat(), "end": days_ago(0).isoformat()}
    page = diary_page(signed_in, **params)
    assert set(shown(page)) == {passed.pk, held.pk}
    assert page.content.decode().count('data-testid="outcome-not-recorded"') == 1
    assert shown(diary_page(signed_in, unrecorded="true", **params)) == [passed.pk]
    rows = workbook(signed_in.get(URL, {**params, "export": "xlsx"}))["Data"].iter_rows(values_only=True)
    header, *data = list(rows)
    outcome = header.index("Outcome")
    assert sorted(str(row[outcome]) for row in data) == ["Outcome not recorded", "Proceeded"]


# --- list and calendars ---------------------------------------------------------------------------


def test_case_references_link_to_the_case(signed_in: Client, prosecutor) -> None:
    case = case_at_trial(prosecutor)
    hearing(case, prosecutor, 1, time=dt.time(9, 30))
    for view in ("list", "day", "week", "month"):
        body = diary_page(signed_in, view=view, start=days_ago(-1).isoformat()).content.decode()
        assert f'href="/cases/{case.pk}/?tab=hearings" data-testid="case-link">{case.reference}</a>' in body, view


def test_the_week_view_is_a_table_of_seven_days_with_each_days_hearings(signed_in: Client, prosecutor) -> None:
    case = case_at_trial(prosecutor)
    thursday = diary.monday_of(days_ago(-14)) + dt.timedelta(days=3)
    timed = services.record_hearing(case, prosecutor, date=thursday, purpose="mention", time=dt.time(9, 30))
    page = diary_page(signed_in, view="week", start=thursday.isoformat())
    assert page.context["period"] == diary.Period.around("week", thursday)
    week = page.context["week"]
    assert week[0].date == diary.monday_of(thursday) and len(week) == 7
    assert [h.pk for h in week[3].hearings] == [timed.pk]
    body = page.content.decode()
    assert 'data-testid="calendar-week"' in body and "<caption" in body and body.count('scope="col"') == 7
    assert "09:30" in body and "Week of" in body


def test_the_month_view_is_a_grid_of_weeks(signed_in: Client, prosecutor) -> None:
    case = case_at_trial(prosecutor)
    day = days_ago(-40)
    for n in range(6):
        other = case if n == 0 else case_at_trial(prosecutor, title=f"Republic v. Month {n}")
        services.record_hearing(other, prosecutor, date=day, purpose="mention")
    page = diary_page(signed_in, view="month", start=day.isoformat())
    period = page.context["period"]
    assert (period.start, period.end.month) == (day.replace(day=1), day.month)
    cells = {d.date: d for week in page.context["weeks"] for d in week}
    assert len(cells[day].hearings) == 6 and cells[day].more == 6 - diary.MONTH_CELL_LIMIT
    body = page.content.decode()
    assert 'data-testid="calendar-month"' in body and 'data-testid="more-link"' in body
    assert f"{6 - diary.MONTH_CELL_LIMIT} more" in body
    assert page.context["result_count"] == 6


def test_previous_next_and_today_move_the_calendar(signed_in: Client, prosecutor) -> None:
    page = diary_page(signed_in, view="month", start="2027-01-15")
    query = {k: v[0] for k, v in parse_qs(urlsplit(page.context["previous_url"]).query).items()}
    assert (query["view"], query["start"], query["end"]) == ("month", "2026-12-01", "2026-12-31")
    query = {k: v[0] for k, v in parse_qs(urlsplit(page.context["next_url"]).query).items()}
    assert (query["start"], query["end"]) == ("2027-02-01", "2027-02-28")
    today_period = diary.Period.around("month", services.today())
    assert f"start={today_period.start.isoformat()}" in page.context["today_url"]
    day = diary_page(signed_in, view="day", start="2027-01-15")
    assert "start=2027-01-16" in day.context["next_url"] and day.context["period"].title == "Friday 15 January 2027"


def test_switching_views_keeps_the_filters_and_shows_today_when_it_is_in_the_range(signed_in: Client) -> None:
    page = diary_page(signed_in, station="JKIA", stage="trial")
    links = {kind: url for kind, _, url in page.context["views"]}
    assert set(links) == {"list", "day", "week", "month"}
    for url in links.values():
        assert "station=JKIA" in url and "stage=trial" in url
    assert f"start={services.today().isoformat()}" in links["day"]
    for view in ("day", "week", "month"):
        assert diary_page(signed_in, view=view).context["period"] == diary.Period.around(view, services.today())


def test_an_unknown_view_is_the_list(signed_in: Client) -> None:
    assert diary_page(signed_in, view="<script>").context["view_kind"] == "list"


# --- the Excel download ---------------------------------------------------------------------------


def test_the_excel_download_holds_the_filtered_range_with_time_and_courtroom(signed_in: Client, prosecutor) -> None:
    case = case_at_trial(prosecutor)
    wanted = hearing(case, prosecutor, 30, time=dt.time(11, 0), courtroom="Court 7", purpose="hearing")
    hearing(case, prosecutor, 60)
    params = {"view": "week", "start": wanted.date.isoformat()}
    book = workbook(signed_in.get(URL, {**params, "export": "xlsx"}))
    header, *rows = list(book["Data"].iter_rows(values_only=True))
    assert header[:6] == ("Date", "ODPP file number", "Case", "Time (EAT)", "Court", "Courtroom")
    assert len(rows) == 1
    row: dict[Any, Any] = dict(zip(header, rows[0], strict=True))
    assert row["Date"].date() == wanted.date and row["Time (EAT)"] == "11:00" and row["Courtroom"] == "Court 7"
    assert row["ODPP file number"] == case.reference and row["Case stage"] == "Trial"
    assert row["Lead prosecutor"] == str(prosecutor)
    about: dict[Any, Any] = {r[0]: r[1] for r in book["About this export"].iter_rows(values_only=True) if r[0]}
    assert about["Export"].startswith("Hearings diary, Week of") and about["Rows"] == 1
    # The page's own download link asks for the same range.
    page = diary_page(signed_in, **params)
    assert "start=" in page.context["export_query"] and "export=xlsx" in page.context["export_query"]


# --- forms ----------------------------------------------------------------------------------------


def test_the_hearing_form_takes_a_time_and_a_courtroom(signed_in: Client, prosecutor) -> None:
    case = case_at_trial(prosecutor)
    data = {"date": days_ago(-5).isoformat(), "time": "10:15", "court": court().pk, "courtroom": "Court 3"}
    response = signed_in.post(
        reverse("prosecutions:hearing_create", args=[case.pk]), {**data, "purpose": "mention", "outcome": "scheduled"}
    )
    assert response.status_code == 302
    saved = case.hearings.get()
    assert (saved.time, saved.courtroom) == (dt.time(10, 15), "Court 3")
    tab = signed_in.get(case.get_absolute_url(), {"tab": "hearings"}).content.decode()
    assert "10:15" in tab and "Court 3" in tab


def test_the_outcome_form_takes_the_next_time_and_courtroom(signed_in: Client, prosecutor) -> None:
    case = case_at_trial(prosecutor)
    held = services.record_hearing(case, prosecutor, date=days_ago(1), purpose="mention", courtroom="Court 1")
    response = signed_in.post(
        reverse("prosecutions:hearing_outcome", args=[case.pk, held.pk]),
        {
            "outcome": "adjourned",
            "adjournment_reason": "witness_absent",
            "next_date": days_ago(-6).isoformat(),
            "next_time": "09:00",
            "next_courtroom": "Court 2",
        },
    )
    assert response.status_code == 302
    assert case.hearings.filter(date=days_ago(-6), time=dt.time(9, 0), courtroom="Court 2").exists()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"courtroom": "C" * 41}, "courtroom", "at most 40 characters"),
        ({"time": "25:99"}, "time", "Enter a valid time."),
        ({"next_time": "09:00"}, "next_time", "Give the next date the next time goes with."),
        ({"next_courtroom": "Court 4"}, "next_courtroom", "Give the next date the next courtroom goes with."),
    ],
)
def test_a_bad_time_or_courtroom_in_the_form_is_refused(signed_in: Client, prosecutor, changes, field, words) -> None:
    case = case_at_trial(prosecutor)
    data = {"date": days_ago(-5).isoformat(), "court": court().pk, "purpose": "mention", "outcome": "scheduled"}
    post_refused(
        signed_in,
        reverse("prosecutions:hearing_create", args=[case.pk]),
        {**data, **changes},
        field,
        words,
        "prosecutions",
    )


# --- queries --------------------------------------------------------------------------------------


def count_queries(client: Client, **params: Any) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(URL, params)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return len(context)


VARIANTS: list[dict[str, str]] = [
    {},
    {"view": "day"},
    {"view": "week"},
    {"view": "month"},
    {"station": "JKIA", "stage": "trial"},
    {"export": "xlsx"},
    {"view": "month", "export": "xlsx"},
]


def add_hearings(user: Any, cases: int, per_case: int) -> None:
    for n in range(cases):
        case = case_at_trial(user, title=f"Republic v. Count {n}")
        for i in range(per_case):  # today to a week ahead: within this week and next
            services.record_hearing(
                case, user, date=days_ago(-(i % 8)), purpose="mention", time=dt.time(9 + i % 6, 0), courtroom="Court 1"
            )


def test_every_view_runs_a_fixed_number_of_queries_whatever_the_rows(client: Client, unit_head, prosecutor) -> None:
    client.force_login(unit_head)
    add_hearings(prosecutor, 1, 2)
    few = [count_queries(client, **params) for params in VARIANTS]
    add_hearings(prosecutor, 8, 8)
    many = [count_queries(client, **params) for params in VARIANTS]
    assert few == many
    page = diary_page(client)
    assert page.context["result_count"] == 66 and page.context["is_paginated"]  # more than one page of 50


@pytest.mark.django_db
def test_the_station_filter_accepts_a_station_after_its_field_was_built_once() -> None:
    """A filter's form field is cached on the filter and copied with it: a page drawn earlier must not leave
    the station filter with the class's empty list of choices (it refused every station in a full run)."""
    from prosecutions.filters import HearingFilter
    from prosecutions.models import Hearing

    assert HearingFilter.base_filters["station"].field is not None  # built once, as an earlier page may do
    data = {"station": "Mombasa", "start": "2026-12-01", "end": "2026-12-14"}
    diary_filter = HearingFilter(data, queryset=Hearing.objects.none())
    assert diary_filter.is_valid(), diary_filter.errors
