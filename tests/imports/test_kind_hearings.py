"""The hearings register: sittings of cases already in the tracker, by court case number."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from core.audit.chain_verify import verify_chain
from core.models import User
from imports.kinds.base import KINDS, Action, CellError, RowPlan
from imports.kinds.hearings import HearingRegister, time_of_day
from prosecutions import services
from prosecutions.choices import HearingOutcome
from prosecutions.models import Case, Hearing
from tests.imports.kind_rows import parsed_rows
from tests.prosecutions.factories import case_at_trial, make_case

pytestmark = pytest.mark.django_db

FILE = "hearings-2024.csv"
HEADINGS = {column.key: column.header for column in HearingRegister.columns}


def ago(days: int) -> str:
    return (dt.date.today() - dt.timedelta(days=days)).isoformat()


def day(days: int) -> dt.date:
    return dt.date.today() - dt.timedelta(days=days)


@pytest.fixture
def case(prosecutor: User) -> Case:
    return case_at_trial(prosecutor, court_case_serial="E501", court_case_year=2024)


def row(**cells: Any) -> dict[str, Any]:
    base = {"court_case": "E501 of 2024", "date": ago(150), "purpose": "Hearing (prosecution case)"}
    base.update(cells)
    return {HEADINGS[key]: value for key, value in base.items() if value is not None}


def plan(rows: list[dict[str, Any]], user: User) -> list[RowPlan]:
    return HearingRegister().plan(parsed_rows(HearingRegister, rows), user)


def messages(plans: list[RowPlan]) -> list[str]:
    return [str(error) for p in plans for error in p.errors]


def save(plans: list[RowPlan], user: User) -> list[int]:
    assert messages(plans) == []
    done: list[int] = []
    HearingRegister().apply(plans, user, file_name=FILE, progress=done.append)
    return done


def test_the_kind_is_registered_for_the_case_writers() -> None:
    assert KINDS["hearings"] is HearingRegister
    assert HearingRegister.allowed_roles == {"Prosecutor", "Unit head"}


def test_an_adjourned_sitting_and_the_one_it_was_adjourned_to_are_recorded_once_each(
    case: Case, prosecutor: User
) -> None:
    rows = [
        row(
            time="9:30 am",
            courtroom="Court 3",
            outcome="Adjourned",
            adjournment_reason="Witness absent",
            next_date=ago(140),
        ),
        row(date=ago(140), outcome="Part heard", notes="PW1 testified"),
        row(date=ago(100), court="Kibera Chief Magistrate's Court", purpose="Mention"),
    ]
    plans = plan(rows, prosecutor)
    assert [p.action for p in plans] == [Action.CREATE, Action.UPDATE, Action.CREATE]
    assert (
        plans[0].summary
        == f"New hearing of {case.reference} on {day(150):%d %b %Y}: Hearing (prosecution case), Adjourned"
    )
    assert save(plans, prosecutor) == [1, 2, 3]

    hearings = list(Hearing.objects.filter(case=case).order_by("date"))
    assert [(h.date, h.outcome) for h in hearings] == [
        (day(150), HearingOutcome.ADJOURNED),
        (day(140), HearingOutcome.PART_HEARD),
        (day(100), HearingOutcome.SCHEDULED),
    ]
    first, second, third = hearings
    assert first.time == dt.time(9, 30) and first.courtroom == "Court 3" and first.court == case.court
    assert second.notes == "PW1 testified" and second.courtroom == "Court 3"
    assert third.court.name == "Kibera Chief Magistrate's Court"
    reasons = list(second.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons == [
        f"Next date given on {day(150):%d %b %Y} (imported from {FILE}, row 2)",
        f"Hearing outcome recorded (imported from {FILE}, row 3)",
    ]
    assert verify_chain().ok


def test_a_sitting_already_recorded_is_reported_not_doubled_and_a_scheduled_one_gets_its_outcome(
    case: Case, prosecutor: User
) -> None:
    services.record_hearing(case, prosecutor, date=day(150), purpose="hearing", outcome="proceeded")
    services.record_hearing(case, prosecutor, date=day(120), purpose="hearing")
    plans = plan([row(outcome="Proceeded"), row(date=ago(120), outcome="Vacated (not reached)")], prosecutor)
    assert [p.action for p in plans] == [Action.DUPLICATE, Action.UPDATE]
    assert "Already in the tracker" in plans[0].summary
    save(plans, prosecutor)
    assert Hearing.objects.filter(case=case).count() == 2
    assert Hearing.objects.get(case=case, date=day(120)).outcome == HearingOutcome.VACATED


@pytest.mark.parametrize(
    ("cells", "column", "words"),
    [
        ({"court_case": "E999 of 2024"}, "Court case number", "no case in the tracker has the court number"),
        ({"purpose": "Mentoin"}, "Purpose", "did you mean Mention?"),
        ({"outcome": "Adjourned", "next_date": ago(100)}, "Adjournment reason", "give the reason"),
        ({"outcome": "Adjourned", "adjournment_reason": "Witness absent"}, "Next date", "adjourned to"),
        ({"outcome": "Proceeded", "adjournment_reason": "Witness absent"}, "Adjournment reason", "only with"),
        ({"next_date": ago(160)}, "Next date", "after the hearing date"),
        ({"date": ago(-3), "outcome": "Proceeded"}, "Date", "in the future"),
        ({"date": ago(400)}, "Date", "before the case was opened"),
        ({"time": "25:99"}, "Time", "not a time of day"),
        ({"court": "Nowhere court"}, "Court", "not a court in the list"),
    ],
)
def test_each_mistake_is_said_by_row_and_column(
    case: Case, prosecutor: User, cells: dict[str, Any], column: str, words: str
) -> None:
    plans = plan([row(**cells)], prosecutor)
    found = [error for error in plans[0].errors if error.column == column]
    assert found and words in found[0].message, messages(plans)


def test_only_the_cases_the_user_may_change_take_hearings(case: Case, other_prosecutor: User, unit_head: User) -> None:
    assert "not the lead prosecutor or on the team" in messages(plan([row()], other_prosecutor))[0]
    assert messages(plan([row()], unit_head)) == []


def test_a_case_not_yet_in_court_takes_no_hearing(prosecutor: User) -> None:
    make_case(prosecutor, court_case_serial="E777", court_case_year=2024)
    found = messages(plan([row(court_case="E777/2024", date=ago(10))], prosecutor))
    assert found == [
        "row 2, Court case number: Court hearings start once the case is charged (pre-trial); "
        "this case is at Investigation."
    ]


def test_two_rows_for_one_sitting_are_refused(case: Case, prosecutor: User) -> None:
    plans = plan([row(), row(courtroom="Court 2")], prosecutor)
    assert messages(plans) == ["row 3, Date: row 2 is a sitting of the same case on the same day"]


def test_times_are_read_as_courts_write_them() -> None:
    assert time_of_day("14:05") == dt.time(14, 5)
    assert time_of_day("2.30 pm") == dt.time(14, 30)
    assert time_of_day(0.375) == dt.time(9, 0)
    with pytest.raises(CellError):
        time_of_day("noon")
