"""The case register: what each row will do (the preview) and what saving it creates through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from core.audit.chain_verify import verify_chain
from core.models import County, User
from imports.kinds.base import KINDS, Action, RowPlan
from imports.kinds.cases import CaseRegister
from imports.kinds.common import RowRefused
from prosecutions.choices import CustodyStatus, Disposition, HearingOutcome, HearingPurpose, Plea, Stage
from prosecutions.models import Accused, Case, Charge, Court, Hearing, Sentence, StageChange
from tests.imports.kind_rows import parsed_rows
from tests.prosecutions.factories import make_case
from victims.models import CaseVictim, Victim

pytestmark = pytest.mark.django_db

FILE = "register-2021.xlsx"


def ago(days: int) -> str:
    return (dt.date.today() - dt.timedelta(days=days)).strftime("%d/%m/%Y")


def row(**cells: Any) -> dict[str, Any]:
    """A row of a case at pre-trial at Mombasa, with the headings written out; ``cells`` by heading key."""
    base: dict[str, Any] = {
        "OB number": "OB 12/03/2021",
        "Court case number": "E45 of 2021",
        "Court": "Mombasa Chief Magistrate's Court",
        "Date reported": ago(900),
        "Date charged": ago(880),
        "Stage": "Pre-trial",
        "Accused name": "Juma Ali",
        "Network role": "Recruiter",
        "Offence": "CTIP s.3(1)",
        "Offence date": ago(910),
    }
    base.update({HEADINGS[key]: value for key, value in cells.items()})
    return {heading: value for heading, value in base.items() if value is not None}


HEADINGS = {column.key: column.header for column in CaseRegister.columns}


def plan(rows: list[dict[str, Any]], user: User) -> list[RowPlan]:
    return CaseRegister().plan(parsed_rows(CaseRegister, rows), user)


def save(plans: list[RowPlan], user: User) -> list[int]:
    assert not [error for p in plans for error in p.errors], [str(e) for p in plans for e in p.errors]
    done: list[int] = []
    CaseRegister().apply(plans, user, file_name=FILE, progress=done.append)
    return done


def messages(plans: list[RowPlan]) -> list[str]:
    return [str(error) for p in plans for error in p.errors]


def test_the_kind_is_registered_for_prosecutors_and_the_unit_head() -> None:
    assert KINDS["cases"] is CaseRegister
    assert CaseRegister.allowed_roles == {"Prosecutor", "Unit head"}
    assert [c.header for c in CaseRegister.columns if c.required] == ["Date reported", "Stage", "Accused name"]


def test_a_concluded_case_is_walked_through_its_stages_with_the_register_dates(prosecutor: User) -> None:
    rows = [
        row(
            stage="Closed",
            closure_reason="Concluded",
            stage_on=ago(300),
            plea="Not guilty",
            plea_date=ago(870),
            outcome="Convicted after trial (s.215)",
            outcome_date=ago(400),
            sentence_months="360",
            sentence_date=ago(390),
        ),
        row(
            stage="Closed",
            count_number="2",
            offence="CTIP s.7",
            plea="not guilty",
            plea_date=ago(860),
            outcome="acquitted_s210",
            outcome_date=ago(400),
        ),
        row(
            **{"ob_number": None},
            stage="Closed",
            accused="Mary Wanjiku",
            network_role="Organiser / financier",
            offence="CTIP s.7",
            plea="Not guilty",
            plea_date=ago(870),
            outcome="Convicted after trial (s.215)",
            outcome_date=ago(400),
            sentence_months="360",
            sentence_date=ago(390),
        ),
    ]
    plans = plan(rows, prosecutor)
    assert [p.action for p in plans] == [Action.CREATE] * 3
    assert plans[0].summary.startswith(
        "New case at Mombasa Chief Magistrate's Court (Closed), accused Juma Ali, count 1"
    )
    assert plans[2].summary == (
        "Same case as row 2: accused Mary Wanjiku, count 1 — CTIP s.7, Convicted after trial (s.215)"
    )

    assert save(plans, prosecutor) == [3]

    case = Case.objects.get(ob_number="OB 12/03/2021")
    assert case.title == "Republic v. Juma Ali and others"
    assert (case.court_case_serial, case.court_case_year, case.lead_prosecutor) == ("E45", 2021, prosecutor)
    assert case.stage == Stage.CLOSED and case.closed_on == dt.date.today() - dt.timedelta(days=300)
    moves = list(case.stage_changes.values_list("to_stage", "effective_on"))
    assert [stage for stage, _day in moves] == [
        "investigation",
        "charging_decision",
        "pre_trial",
        "trial",
        "judgment",
        "sentencing",
        "closed",
    ]
    assert moves[3][1] == dt.date.today() - dt.timedelta(days=860)  # the trial began after the last plea
    juma = Accused.objects.get(case=case, name="Juma Ali")
    assert juma.custody_status == CustodyStatus.SERVING_SENTENCE
    counts = {c.count_number: c for c in Charge.objects.filter(accused=juma)}
    assert counts[2].disposition == Disposition.ACQUITTED_NO_CASE and counts[2].plea == Plea.NOT_GUILTY
    assert Sentence.objects.get(charge=counts[1]).custodial_months == 360
    assert Accused.objects.get(case=case, name="Mary Wanjiku").network_role == "organiser"
    reasons = set(case.history.values_list("history_change_reason", flat=True))
    assert f"Case opened (imported from {FILE}, row 2)" in reasons
    sentence = Sentence.objects.get(charge__accused__name="Mary Wanjiku")
    assert sentence.history.get().history_change_reason == f"Sentence recorded (imported from {FILE}, row 4)"
    assert verify_chain().ok


def test_a_guilty_plea_goes_straight_to_sentencing(prosecutor: User) -> None:
    rows = [
        row(
            stage="Sentencing",
            plea="Guilty",
            plea_date=ago(870),
            outcome="Convicted on own plea of guilty",
            outcome_date=ago(870),
            sentence_months="360",
            sentence_date=ago(860),
        )
    ]
    save(plan(rows, prosecutor), prosecutor)
    case = Case.objects.get()
    assert list(case.stage_changes.values_list("to_stage", flat=True)) == [
        "investigation",
        "charging_decision",
        "pre_trial",
        "sentencing",
    ]


def test_rows_of_one_case_are_joined_by_ob_or_court_number_and_cases_apart_stay_apart(prosecutor: User) -> None:
    rows = [
        row(),
        row(ob_number=None, court_case="Criminal Case E 45 of 2021", accused="Omar Said"),  # joined by E45 of 2021
        row(ob_number="OB 1/1/2021", court_case="E46/2021", accused="Ann Atieno"),
    ]
    plans = plan(rows, prosecutor)
    assert messages(plans) == [], messages(plans)
    assert plans[1].summary.startswith("Same case as row 2")
    assert plans[2].summary.startswith("New case")
    save(plans, prosecutor)
    assert Case.objects.count() == 2
    assert set(Accused.objects.filter(case__ob_number="OB 12/03/2021").values_list("name", flat=True)) == {
        "Juma Ali",
        "Omar Said",
    }


def test_rows_of_one_case_that_disagree_are_refused_on_each_row(prosecutor: User) -> None:
    rows = [row(), row(court="Malindi Chief Magistrate's Court", accused="Omar Said")]
    plans = plan(rows, prosecutor)
    assert [len(p.errors) for p in plans] == [1, 1]
    assert plans[0].errors[0].column == "Court"
    assert "disagree on the Court" in plans[1].errors[0].message
    assert "Malindi" in plans[0].errors[0].message


def test_a_case_already_in_the_tracker_is_reported_not_doubled(prosecutor: User) -> None:
    existing = make_case(prosecutor, ob_number="OB 12/03/2021")
    other = make_case(prosecutor, court_case_serial="E99", court_case_year=2020)
    rows = [
        row(),
        row(ob_number="OB 2/2/2020", court_case="Criminal Case e 99 of 2020"),
        row(ob_number="OB 9", court_case="E77 of 2021"),
    ]
    plans = plan(rows, prosecutor)
    assert [p.action for p in plans] == [Action.DUPLICATE, Action.DUPLICATE, Action.CREATE]
    assert plans[0].summary == f"Already in the tracker as {existing.reference} (OB OB 12/03/2021): not imported again"
    assert other.reference in plans[1].summary
    save(plans, prosecutor)
    assert Case.objects.count() == 3
    assert Case.objects.filter(ob_number="OB 12/03/2021").count() == 1


@pytest.mark.parametrize(
    ("cells", "column", "words"),
    [
        ({"offence": "CTIP 3"}, "Offence", "'CTIP 3' is not a section of the Act; did you mean CTIP s.3(1)?"),
        ({"court": "Mombassa Chief Magistrate"}, "Court", "did you mean Mombasa Chief Magistrate's Court?"),
        ({"stage": "Pretrial hearing"}, "Stage", "is not a stage of a case"),
        ({"reported_on": "31/02/2021"}, "Date reported", "not a date in the calendar"),
        ({"charged_on": ago(-5)}, "Date charged", "is in the future"),
        ({"prosecutor": "nobody"}, "Prosecutor", "'nobody' is not the username of anyone"),
        ({"court": None}, "Court", "a case at Pre-trial has been charged in court: give the Court"),
        (
            {"plea": "Guilty", "outcome": "Convicted after trial (s.215)", "outcome_date": ago(800)},
            "Outcome",
            "Judgment",
        ),
        ({"stage": "Investigation", "plea": "Guilty"}, "Plea", "once the case is in court"),
        ({"plea": "Not guilty", "outcome": "Discharged — withdrawn (s.87(a))"}, "Outcome date", "give the date"),
        ({"sentence_months": "12", "sentence_date": ago(100)}, "Sentence (months)", "only on a conviction"),
        (
            {"plea": "Not guilty", "outcome": "convicted_plea", "outcome_date": ago(800)},
            "Plea",
            "needs the plea 'Guilty'",
        ),
        (
            {"stage": "Judgment", "plea": "Not guilty", "outcome": "acquitted_s215", "outcome_date": ago(100)},
            "Outcome",
            "defence hearing",
        ),
        ({"offence_date": "01/01/2005"}, "Offence", "CTIP s.3(1) was not in force on 01 Jan 2005"),
        ({"stage": "Closed"}, "Closure reason", "give the reason the case was closed"),
        ({"stage": "Appeal"}, "Date of current stage", "give the day the case reached Appeal"),
        ({"plea": "Guilty", "plea_date": ago(950)}, "Plea date", "before the case was reported"),
        ({"fine": "5000", "sentence_months": "12"}, "Fine relation", "alternative or cumulative"),
        ({"offence": None, "plea": "Guilty"}, "Offence", "give the offence of the count"),
    ],
)
def test_each_mistake_is_said_by_row_and_column(
    prosecutor: User, cells: dict[str, Any], column: str, words: str
) -> None:
    plans = plan([row(**cells)], prosecutor)
    found = [error for error in plans[0].errors if error.column == column]
    assert found, messages(plans)
    assert words in found[0].message, found[0].message
    assert str(found[0]).startswith(f"row 2, {column}: ")


def test_a_sentence_below_the_minimum_needs_an_override(prosecutor: User) -> None:
    cells = {
        "stage": "Sentencing",
        "plea": "Guilty",
        "outcome": "Convicted on own plea of guilty",
        "outcome_date": ago(800),
        "sentence_months": "24",
        "sentence_date": ago(790),
    }
    plans = plan([row(**cells)], prosecutor)
    assert "below the minimum for CTIP Act s.3(1)" in messages(plans)[0]
    cells |= {"override_ground": "An appellate court's order", "override_reason": "High Court on appeal"}
    plans = plan([row(**cells)], prosecutor)
    assert messages(plans) == []
    save(plans, prosecutor)
    assert Sentence.objects.get().override_ground == "appellate_order"


def test_a_prosecutor_imports_only_cases_they_lead_the_unit_head_any(
    prosecutor: User, other_prosecutor: User, unit_head: User
) -> None:
    rows = [row(prosecutor="brian")]
    assert "the unit head imports the cases of other prosecutors" in messages(plan(rows, prosecutor))[0]
    save(plan(rows, unit_head), unit_head)
    case = Case.objects.get()
    assert case.lead_prosecutor == other_prosecutor
    assert case.history.earliest("history_id").history_user == unit_head


def test_a_case_recorded_since_the_preview_is_not_doubled(prosecutor: User) -> None:
    plans = plan([row(ob_number="OB 1"), row(ob_number="OB 2", court_case="E46 of 2021")], prosecutor)
    make_case(prosecutor, ob_number="OB 2")
    save(plans, prosecutor)
    assert Case.objects.filter(ob_number="OB 2").count() == 1
    assert Case.objects.filter(ob_number="OB 1").count() == 1


def test_a_court_closed_since_the_preview_stops_the_whole_import_at_its_row(prosecutor: User) -> None:
    plans = plan([row(ob_number="OB 1", court_case="E46 of 2021"), row()], prosecutor)
    Court.objects.filter(name="Mombasa Chief Magistrate's Court").update(is_active=False)
    with pytest.raises(RowRefused, match=r"^row 2, Court: .* is not a court in the list"):
        CaseRegister().apply(plans, prosecutor, file_name=FILE, progress=lambda n: None)


def test_a_service_refusal_while_saving_names_the_row(prosecutor: User, monkeypatch: pytest.MonkeyPatch) -> None:
    plans = plan([row(plea="Guilty", plea_date=ago(870))], prosecutor)
    from prosecutions import services
    from prosecutions.exceptions import PleaNotAllowed

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise PleaNotAllowed("The court has no record of this plea.")

    monkeypatch.setattr(services, "record_plea", refuse)
    with pytest.raises(RowRefused, match=r"^row 2: The court has no record of this plea\.$"):
        CaseRegister().apply(plans, prosecutor, file_name=FILE, progress=lambda n: None)


def test_the_county_is_the_courts_unless_given(prosecutor: User) -> None:
    save(
        plan(
            [row(), row(ob_number="OB 7", court_case=None, court=None, stage="Investigation", county="Kisumu")],
            prosecutor,
        ),
        prosecutor,
    )
    assert Case.objects.get(ob_number="OB 12/03/2021").county.name == "Mombasa"
    assert Case.objects.get(ob_number="OB 7").county == County.objects.get(name="Kisumu")
    assert StageChange.objects.filter(case__ob_number="OB 7").count() == 1


# --- Outcomes after defence, compensation and deportation ---------------------------------------------------


def judged(**cells: Any) -> dict[str, Any]:
    """A row of a case tried and judged: a plea of not guilty, the defence heard 500 days ago."""
    base: dict[str, Any] = {"stage": "Judgment", "plea": "Not guilty", "plea_date": ago(870), "defence_on": ago(500)}
    return row(**(base | cells))


def test_acquittals_after_defence_record_the_defence_hearing_before_the_verdict(prosecutor: User) -> None:
    rows = [
        judged(outcome="Acquitted after defence (s.215)", outcome_date=ago(400)),
        judged(count_number="2", offence="CTIP s.7", outcome="acquitted_s87b", outcome_date=ago(450)),
    ]
    plans = plan(rows, prosecutor)
    assert messages(plans) == []
    save(plans, prosecutor)

    case = Case.objects.get()
    assert case.stage == Stage.JUDGMENT
    hearing = Hearing.objects.get(case=case)
    assert (hearing.purpose, hearing.outcome) == (HearingPurpose.DEFENCE_HEARING, HearingOutcome.PROCEEDED)
    assert hearing.date == dt.date.today() - dt.timedelta(days=500)
    assert hearing.history.get().history_change_reason == f"Hearing recorded (imported from {FILE}, row 2)"
    outcomes = dict(Charge.objects.values_list("count_number", "disposition"))
    assert outcomes == {1: Disposition.ACQUITTED_AFTER_DEFENCE, 2: Disposition.ACQUITTED_WITHDRAWN}
    judgment = case.stage_changes.get(to_stage=Stage.JUDGMENT)
    assert judgment.effective_on == dt.date.today() - dt.timedelta(days=450)  # the first verdict
    assert Accused.objects.get(case=case).custody_status == CustodyStatus.RELEASED
    assert verify_chain().ok


@pytest.mark.parametrize(
    ("cells", "column", "words"),
    [
        (
            {"outcome": "acquitted_s215", "outcome_date": ago(600)},
            "Outcome date",
            "is dated before the defence hearing",
        ),
        (
            {"stage": "Trial", "outcome": "Discharged — withdrawn (s.87(a))", "outcome_date": ago(450)},
            "Outcome",
            "a withdrawal after that is an acquittal under s.87(b)",
        ),
        (
            {"defence_on": ago(875), "outcome": "acquitted_s215", "outcome_date": ago(400)},
            "Defence hearing date",
            "before the trial began",
        ),
        (
            {"defence_on": ago(300), "outcome": "acquitted_s215", "outcome_date": ago(400)},
            "Outcome date",
            "is dated before the defence hearing",
        ),
        ({"stage": "Pre-trial"}, "Defence hearing date", "the case did not go to trial (it is at Pre-trial)"),
    ],
)
def test_a_defence_hearing_out_of_step_is_said_by_row_and_column(
    prosecutor: User, cells: dict[str, Any], column: str, words: str
) -> None:
    plans = plan([judged(**cells)], prosecutor)
    found = [error for error in plans[0].errors if error.column == column]
    assert found, messages(plans)
    assert words in found[0].message, found[0].message


def test_a_withdrawal_before_the_defence_hearing_is_still_a_discharge(prosecutor: User) -> None:
    rows = [
        judged(stage="Trial", outcome="Discharged — withdrawn (s.87(a))", outcome_date=ago(600)),
        judged(stage="Trial", count_number="2", offence="CTIP s.7"),
    ]
    save(plan(rows, prosecutor), prosecutor)
    assert Charge.objects.get(count_number=1).disposition == Disposition.DISCHARGED_WITHDRAWN
    assert Hearing.objects.get().purpose == HearingPurpose.DEFENCE_HEARING


def sentenced(**cells: Any) -> dict[str, Any]:
    """A row of a case at sentencing on a guilty plea, sentenced to 30 years."""
    base: dict[str, Any] = {
        "stage": "Sentencing",
        "plea": "Guilty",
        "plea_date": ago(870),
        "outcome": "Convicted on own plea of guilty",
        "outcome_date": ago(870),
        "sentence_months": "360",
        "sentence_date": ago(860),
    }
    return row(**(base | cells))


def test_a_compensation_order_adds_the_victim_to_the_case_once_and_deportation_is_kept(prosecutor: User) -> None:
    rows = [
        sentenced(compensation="KES 250,000", compensated_victim="Victim 1", victim_exploitation="Forced labour"),
        sentenced(
            count_number="2",
            offence="CTIP s.7",
            compensation="100000",
            compensated_victim="victim  1",  # the same victim, written differently
            deportation="Yes",
        ),
        sentenced(accused="Omar Said", compensation="5000", compensated_victim="PW2", victim_exploitation="slavery"),
    ]
    plans = plan(rows, prosecutor)
    assert messages(plans) == []
    save(plans, prosecutor)

    case = Case.objects.get()
    victims = {victim.exploitation_type: victim for victim in Victim.objects.filter(case=case)}
    assert set(victims) == {"forced_labour", "slavery"}
    first = victims["forced_labour"]
    assert first.identified_on == dt.date.today() - dt.timedelta(days=900)  # the date reported
    assert CaseVictim.objects.filter(case=case).count() == 2
    sentences = {
        (s.charge.accused.name, s.charge.count_number): s for s in Sentence.objects.select_related("charge__accused")
    }
    juma1, juma2, omar = sentences[("Juma Ali", 1)], sentences[("Juma Ali", 2)], sentences[("Omar Said", 1)]
    assert (juma1.compensation_amount, juma1.compensation_victim, juma1.deportation) == (
        Decimal("250000"),
        first,
        False,
    )
    assert (juma2.compensation_amount, juma2.compensation_victim, juma2.deportation) == (Decimal("100000"), first, True)
    assert omar.compensation_victim == victims["slavery"]
    # The register's label told victims apart in the file; the tracker keeps only its own code.
    for victim in victims.values():
        assert "Victim 1" not in str(victim.history.values()) and "PW2" not in str(victim.history.values())
    assert first.history.get().history_change_reason == f"Victim added (imported from {FILE}, row 2)"
    assert verify_chain().ok


def test_a_sentence_of_deportation_alone_is_imported(prosecutor: User) -> None:
    cells = {"sentence_months": None, "deportation": "yes", "override_ground": "An appellate court's order"}
    save(plan([sentenced(override_reason="High Court on appeal", **cells)], prosecutor), prosecutor)
    sentence = Sentence.objects.get()
    assert (sentence.custodial_months, sentence.deportation) == (None, True)


@pytest.mark.parametrize(
    ("cells", "column", "words"),
    [
        ({"compensation": "1000"}, "Compensated victim", "name the victim the compensation is ordered to"),
        ({"compensated_victim": "Victim 1"}, "Compensated victim", "give the compensation ordered to the victim"),
        ({"compensation": "1000", "compensated_victim": "V1"}, "Victim's exploitation", "give the form of"),
        (
            {"compensation": "0", "compensated_victim": "V1", "victim_exploitation": "Slavery"},
            "Compensation (KES)",
            "Compensation must be more than zero",
        ),
        (
            {"sentence_months": None, "outcome": None, "sentence_date": None, "deportation": "Yes"},
            "Sentence (months)",
            "only on a conviction",
        ),
    ],
)
def test_a_compensation_or_deportation_out_of_place_is_said_by_row_and_column(
    prosecutor: User, cells: dict[str, Any], column: str, words: str
) -> None:
    plans = plan([sentenced(**cells)], prosecutor)
    found = [error for error in plans[0].errors if error.column == column]
    assert found, messages(plans)
    assert words in found[0].message, found[0].message


def test_two_rows_that_disagree_on_a_victims_exploitation_are_refused(prosecutor: User) -> None:
    compensated = {"compensation": "1000", "compensated_victim": "V1"}
    rows = [
        sentenced(victim_exploitation="Slavery", **compensated),
        sentenced(count_number="2", offence="CTIP s.7", victim_exploitation="Forced labour", **compensated),
    ]
    assert "V1 has another form of exploitation on row 2" in messages(plan(rows, prosecutor))[0]


def test_the_leads_of_imported_cases_are_told_once_by_a_summary_not_of_every_move(
    prosecutor: User,
    other_prosecutor: User,
    unit_head: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from notifications.choices import Event
    from notifications.models import Notification

    rows = [
        row(prosecutor="brian", stage="Closed", closure_reason="Withdrawn", stage_on=ago(300)),
        row(prosecutor="brian", ob_number="OB 2", court_case="E46 of 2021"),
        row(ob_number="OB 3", court_case="E47 of 2021"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        save(plan(rows, unit_head), unit_head)
    assert StageChange.objects.filter(case__lead_prosecutor=other_prosecutor).count() >= 6  # walked, moved
    [note] = Notification.objects.filter(recipient=other_prosecutor)
    assert note.event == Event.CASE_MOVED
    assert note.title == f"2 cases you lead imported by {unit_head}"
    assert f"imported 2 cases you lead from the register {FILE}" in note.body
    assert not Notification.objects.filter(recipient__in=[unit_head, prosecutor]).exists()


def test_importing_ones_own_cases_tells_nobody_and_waits_for_nothing_per_move(
    prosecutor: User, django_capture_on_commit_callbacks: Any
) -> None:
    from notifications import events
    from notifications.models import Notification

    rows = [row(), row(ob_number="OB 2", court_case="E46 of 2021")]
    with django_capture_on_commit_callbacks(execute=True) as waiting:
        save(plan(rows, prosecutor), prosecutor)
    assert StageChange.objects.count() == 6  # opened, charged, pre-trial: twice
    moved = [c for c in waiting if getattr(c, "func", None) is events.case_moved]
    assert moved == []  # no stage move of an import waits for the commit, one by one
    assert not Notification.objects.exists()
