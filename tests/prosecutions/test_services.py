"""The prosecution services: numbering, every allowed stage move, the guards, and every bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from prosecutions import services
from prosecutions.choices import (
    ClosureReason,
    CustodyStatus,
    Disposition,
    ExploitationType,
    HearingOutcome,
    HearingPurpose,
    Plea,
    Stage,
)
from prosecutions.exceptions import (
    CaseClosed,
    CaseNotEditable,
    DateOutOfOrder,
    DispositionNotAllowed,
    DuplicateCount,
    HearingNotAllowed,
    IllegalStageMove,
    InvalidDate,
    InvalidSentence,
    OffenceNotInForce,
    PleaNotAllowed,
    ReopenNotAllowed,
    SentenceNotAllowed,
    StageGuardFailed,
)
from prosecutions.models import Charge, Hearing, Sentence, StageChange
from tests.prosecutions.factories import (
    case_at_judgment,
    case_at_trial,
    charged_case,
    court,
    days_ago,
    make_accused,
    make_case,
    make_charge,
    offence,
)

TOMORROW = 1


def case_at(stage: Stage, user):
    """A case that has reached ``stage`` with everything the guards need."""
    if stage == Stage.INVESTIGATION:
        case = make_case(user, court_case_serial="E42", court_case_year=days_ago(200).year)
        make_charge(make_accused(case, user), user)
        return case
    if stage == Stage.CHARGING_DECISION:
        case = case_at(Stage.INVESTIGATION, user)
        services.move_stage(case, user, Stage.CHARGING_DECISION, effective_on=days_ago(190))
        return case
    if stage == Stage.PRE_TRIAL:
        return charged_case(user)
    if stage == Stage.TRIAL:
        return case_at_trial(user)
    if stage == Stage.JUDGMENT:
        return case_at_judgment(user)
    if stage == Stage.SENTENCING:
        case = case_at_judgment(user)
        services.move_stage(case, user, Stage.SENTENCING, effective_on=days_ago(90))
        return case
    if stage == Stage.APPEAL:
        case = case_at_judgment(user)
        services.move_stage(case, user, Stage.APPEAL, effective_on=days_ago(80))
        return case
    raise AssertionError(stage)


ALLOWED = [(source, target) for source, targets in services.ALLOWED_MOVES.items() for target in sorted(targets)]


class TestOpeningACase:
    def test_it_numbers_cases_per_year_and_starts_in_investigation(self, prosecutor):
        first = make_case(prosecutor)
        second = make_case(prosecutor)
        year = first.opened_on.year
        assert first.reference == f"ODPP/CTIP/{year}/0001"
        assert second.reference == f"ODPP/CTIP/{year}/0002"
        assert first.stage == Stage.INVESTIGATION
        assert first.lead_prosecutor == prosecutor
        change = first.stage_changes.get()
        assert (change.from_stage, change.to_stage) == ("", Stage.INVESTIGATION)
        assert first.history.first().history_user == prosecutor

    def test_it_refuses_an_opening_date_in_the_future(self, prosecutor):
        with pytest.raises(InvalidDate):
            make_case(prosecutor, opened_days_ago=-TOMORROW)

    def test_only_prosecutors_open_cases(self, auditor):
        with pytest.raises(CaseNotEditable):
            make_case(auditor)


class TestStageMoves:
    @pytest.mark.parametrize(("source", "target"), ALLOWED, ids=[f"{s}->{t}" for s, t in ALLOWED])
    def test_every_allowed_move(self, prosecutor, source, target):
        case = case_at(source, prosecutor)
        if (source, target) == (Stage.PRE_TRIAL, Stage.TRIAL):
            for charge in Charge.objects.filter(accused__case=case):
                services.record_plea(charge, prosecutor, plea=Plea.NOT_GUILTY, plea_date=days_ago(10))
        if (source, target) == (Stage.PRE_TRIAL, Stage.SENTENCING):
            for charge in Charge.objects.filter(accused__case=case):
                services.record_plea(charge, prosecutor, plea=Plea.GUILTY, plea_date=days_ago(10))
                services.record_disposition(
                    charge, prosecutor, disposition=Disposition.CONVICTED_OWN_PLEA, disposition_date=days_ago(10)
                )
        reason = ""
        if target == Stage.CLOSED:
            disposed = not Charge.objects.filter(accused__case=case, disposition=Disposition.PENDING).exists()
            reason = ClosureReason.CONCLUDED if disposed else ClosureReason.WITHDRAWN
        change = services.move_stage(case, prosecutor, target, effective_on=days_ago(5), closure_reason=reason)
        case.refresh_from_db()
        assert case.stage == target
        assert (change.from_stage, change.to_stage, change.changed_by) == (source, target, prosecutor)
        assert case.last_activity_on == days_ago(5)
        if target == Stage.CLOSED:
            assert case.closed_on == days_ago(5) and case.closure_reason == reason

    @pytest.mark.parametrize(
        ("source", "target"),
        [
            (Stage.INVESTIGATION, Stage.TRIAL),
            (Stage.INVESTIGATION, Stage.PRE_TRIAL),
            (Stage.PRE_TRIAL, Stage.JUDGMENT),
            (Stage.TRIAL, Stage.SENTENCING),
            (Stage.JUDGMENT, Stage.PRE_TRIAL),
            (Stage.APPEAL, Stage.JUDGMENT),
        ],
    )
    def test_illegal_moves_are_refused_and_nothing_is_written(self, prosecutor, source, target):
        case = case_at(source, prosecutor)
        moves = StageChange.objects.filter(case=case).count()
        with pytest.raises(IllegalStageMove, match="cannot go from"):
            services.move_stage(case, prosecutor, target, effective_on=days_ago(5))
        case.refresh_from_db()
        assert case.stage == source
        assert StageChange.objects.filter(case=case).count() == moves

    def test_a_closed_case_cannot_move(self, prosecutor):
        case = case_at(Stage.TRIAL, prosecutor)
        services.move_stage(case, prosecutor, Stage.CLOSED, effective_on=days_ago(5), closure_reason="withdrawn")
        with pytest.raises(CaseClosed):
            services.move_stage(case, prosecutor, Stage.TRIAL, effective_on=days_ago(1))

    def test_an_unknown_stage_is_refused(self, prosecutor):
        case = make_case(prosecutor)
        with pytest.raises(IllegalStageMove):
            services.move_stage(case, prosecutor, "heaven")

    def test_pre_trial_needs_an_accused_with_a_count(self, prosecutor):
        case = make_case(prosecutor)
        make_accused(case, prosecutor)
        services.move_stage(case, prosecutor, Stage.CHARGING_DECISION, effective_on=days_ago(10))
        with pytest.raises(StageGuardFailed, match="at least one count"):
            services.move_stage(case, prosecutor, Stage.PRE_TRIAL, effective_on=days_ago(5))
        case.refresh_from_db()
        assert case.stage == Stage.CHARGING_DECISION

    def test_sentencing_needs_a_conviction(self, prosecutor):
        case = case_at_judgment(prosecutor, convict=False)
        with pytest.raises(StageGuardFailed, match="conviction"):
            services.move_stage(case, prosecutor, Stage.SENTENCING, effective_on=days_ago(5))

    def test_closing_as_concluded_needs_every_count_disposed(self, prosecutor):
        case = case_at(Stage.TRIAL, prosecutor)
        with pytest.raises(StageGuardFailed, match="2 counts are still pending"):
            services.move_stage(case, prosecutor, Stage.CLOSED, effective_on=days_ago(5), closure_reason="concluded")

    def test_closing_needs_a_reason(self, prosecutor):
        case = case_at(Stage.TRIAL, prosecutor)
        with pytest.raises(StageGuardFailed, match="reason"):
            services.move_stage(case, prosecutor, Stage.CLOSED, effective_on=days_ago(5))

    def test_a_move_dated_in_the_future_is_refused(self, prosecutor):
        case = make_case(prosecutor)
        with pytest.raises(InvalidDate):
            services.move_stage(case, prosecutor, Stage.CHARGING_DECISION, effective_on=days_ago(-TOMORROW))

    def test_a_move_dated_before_the_last_move_is_refused(self, prosecutor):
        case = charged_case(prosecutor)  # moved to pre-trial 180 days ago
        with pytest.raises(DateOutOfOrder):
            services.move_stage(case, prosecutor, Stage.TRIAL, effective_on=days_ago(190))

    def test_a_prosecutor_not_on_the_team_cannot_move_the_case(self, prosecutor, other_prosecutor):
        case = make_case(prosecutor)
        with pytest.raises(CaseNotEditable):
            services.move_stage(case, other_prosecutor, Stage.CHARGING_DECISION, effective_on=days_ago(1))

    def test_a_team_member_and_the_unit_head_can(self, prosecutor, other_prosecutor, unit_head):
        case = make_case(prosecutor, team=[other_prosecutor])
        services.move_stage(case, other_prosecutor, Stage.CHARGING_DECISION, effective_on=days_ago(3))
        services.move_stage(case, unit_head, Stage.INVESTIGATION, effective_on=days_ago(2))
        assert case.stage_changes.count() == 3

    def test_the_legal_next_stages(self, prosecutor):
        case = make_case(prosecutor)
        assert services.allowed_next_stages(case) == [Stage.CHARGING_DECISION, Stage.CLOSED]


class TestReopening:
    def test_only_the_unit_head_reopens_and_the_reason_is_recorded(self, prosecutor, unit_head):
        case = case_at(Stage.TRIAL, prosecutor)
        services.move_stage(case, prosecutor, Stage.CLOSED, effective_on=days_ago(5), closure_reason="withdrawn")
        with pytest.raises(ReopenNotAllowed):
            services.reopen_case(case, prosecutor, reason="New evidence")
        with pytest.raises(ReopenNotAllowed):
            services.reopen_case(case, unit_head, reason="  ")
        change = services.reopen_case(case, unit_head, reason="New evidence from DCI")
        case.refresh_from_db()
        assert case.stage == Stage.TRIAL and case.closed_on is None and case.closure_reason == ""
        assert change.from_stage == Stage.CLOSED and "New evidence from DCI" in change.note
        assert case.history.first().history_change_reason == "Reopened: New evidence from DCI"

    def test_an_open_case_cannot_be_reopened(self, unit_head):
        case = make_case(unit_head)
        with pytest.raises(ReopenNotAllowed):
            services.reopen_case(case, unit_head, reason="Why not")


class TestCounts:
    def test_a_duplicate_count_number_is_refused_and_nothing_saved(self, prosecutor, case):
        accused = case.accused.get()
        with pytest.raises(DuplicateCount, match="already has a count 1"):
            make_charge(accused, prosecutor, count=1)
        assert accused.charges.count() == 2

    def test_the_penalty_version_follows_the_offence_date(self, prosecutor):
        case = make_case(prosecutor, opened_days_ago=30)
        accused = make_accused(case, prosecutor)
        old = services.add_charge(
            accused, prosecutor, count_number=1, offence=offence("3(1)"), offence_date=dt.date(2022, 5, 1)
        )
        new = services.add_charge(
            accused, prosecutor, count_number=2, offence=offence("3(1)"), offence_date=dt.date(2024, 5, 1)
        )
        assert old.offence.min_custodial_months == 180 and "UNCONFIRMED" in old.offence.notes
        assert new.offence.min_custodial_months == 360 and new.offence.min_fine == Decimal("30000000")
        assert new.penalty_section == "3(5)"

    def test_an_offence_before_the_act_commenced_is_refused(self, prosecutor):
        case = make_case(prosecutor)
        with pytest.raises(OffenceNotInForce):
            services.add_charge(
                make_accused(case, prosecutor),
                prosecutor,
                count_number=1,
                offence=offence(),
                offence_date=dt.date(2011, 1, 1),
            )

    def test_an_offence_date_in_the_future_is_refused(self, prosecutor):
        case = make_case(prosecutor)
        with pytest.raises(InvalidDate):
            make_charge(make_accused(case, prosecutor), prosecutor, days=-TOMORROW)

    def test_counts_cannot_be_added_after_the_trial(self, prosecutor):
        case = case_at_judgment(prosecutor)
        with pytest.raises(CaseNotEditable):
            make_charge(case.accused.get(), prosecutor, count=3)


class TestPleasAndDispositions:
    def test_pleas_are_taken_in_court_and_not_in_the_future(self, prosecutor, case):
        charge = Charge.objects.filter(accused__case=case).order_by("count_number")[0]
        with pytest.raises(InvalidDate):
            services.record_plea(charge, prosecutor, plea=Plea.NOT_GUILTY, plea_date=days_ago(-TOMORROW))
        services.record_plea(charge, prosecutor, plea=Plea.NOT_GUILTY, plea_date=days_ago(3))
        charge.refresh_from_db()
        assert charge.plea == Plea.NOT_GUILTY
        case.refresh_from_db()
        assert case.last_activity_on == days_ago(3)

    def test_no_plea_during_investigation(self, prosecutor):
        case = case_at(Stage.INVESTIGATION, prosecutor)
        with pytest.raises(PleaNotAllowed):
            services.record_plea(Charge.objects.get(accused__case=case), prosecutor, plea=Plea.GUILTY)

    def test_no_case_to_answer_only_after_the_prosecution_case(self, prosecutor, case):
        charge, other = Charge.objects.filter(accused__case=case).order_by("count_number")
        services.record_plea(charge, prosecutor, plea=Plea.NOT_GUILTY, plea_date=days_ago(3))
        services.record_plea(other, prosecutor, plea=Plea.NOT_GUILTY, plea_date=days_ago(3))
        with pytest.raises(DispositionNotAllowed, match=r"s\.210"):
            services.record_disposition(charge, prosecutor, disposition=Disposition.ACQUITTED_NO_CASE)
        services.move_stage(case, prosecutor, Stage.TRIAL, effective_on=days_ago(2))
        # The ruling at the close of the prosecution case ends the trial: it is recorded at judgment.
        with pytest.raises(DispositionNotAllowed, match="only at: Judgment"):
            services.record_disposition(charge, prosecutor, disposition=Disposition.ACQUITTED_NO_CASE)
        services.move_stage(case, prosecutor, Stage.JUDGMENT, effective_on=days_ago(1))
        services.record_disposition(
            charge, prosecutor, disposition=Disposition.ACQUITTED_NO_CASE, disposition_date=days_ago(1)
        )
        charge.refresh_from_db()
        assert charge.disposition == Disposition.ACQUITTED_NO_CASE and charge.disposition_date == days_ago(1)

    def test_withdrawal_before_defence_is_a_discharge_after_defence_an_acquittal(self, prosecutor):
        case = case_at_trial(prosecutor)
        first, second = Charge.objects.filter(accused__case=case).order_by("count_number")
        with pytest.raises(DispositionNotAllowed, match="only at: Judgment"):
            services.record_disposition(first, prosecutor, disposition=Disposition.ACQUITTED_WITHDRAWN)
        services.record_disposition(
            first, prosecutor, disposition=Disposition.DISCHARGED_WITHDRAWN, disposition_date=days_ago(20)
        )
        services.record_hearing(
            case,
            prosecutor,
            date=days_ago(10),
            purpose=HearingPurpose.DEFENCE_HEARING,
            outcome=HearingOutcome.PROCEEDED,
        )
        with pytest.raises(DispositionNotAllowed, match=r"s\.87\(b\)"):
            services.record_disposition(second, prosecutor, disposition=Disposition.DISCHARGED_WITHDRAWN)
        # An acquittal is recorded at judgment; before the defence it would be a discharge under s.87(a).
        services.move_stage(case, prosecutor, Stage.JUDGMENT, effective_on=days_ago(5))
        with pytest.raises(DispositionNotAllowed, match=r"s\.87\(a\)"):
            services.record_disposition(
                second, prosecutor, disposition=Disposition.ACQUITTED_WITHDRAWN, disposition_date=days_ago(15)
            )
        services.record_disposition(second, prosecutor, disposition=Disposition.ACQUITTED_WITHDRAWN)
        second.refresh_from_db()
        assert second.disposition == Disposition.ACQUITTED_WITHDRAWN

    def test_a_verdict_needs_a_plea(self, prosecutor):
        case = case_at_trial(prosecutor)
        charge = make_charge(case.accused.get(), prosecutor, count=3)  # a count added at trial (CPC s.214)
        services.move_stage(case, prosecutor, Stage.JUDGMENT, effective_on=days_ago(2))
        with pytest.raises(DispositionNotAllowed, match="plea"):
            services.record_disposition(charge, prosecutor, disposition=Disposition.CONVICTED_AFTER_TRIAL)

    def test_conviction_on_own_plea_needs_a_guilty_plea(self, prosecutor, case):
        first, second = Charge.objects.filter(accused__case=case).order_by("count_number")
        services.record_plea(first, prosecutor, plea=Plea.NOT_GUILTY, plea_date=days_ago(3))
        services.record_plea(second, prosecutor, plea=Plea.GUILTY, plea_date=days_ago(3))
        with pytest.raises(DispositionNotAllowed, match="plea of guilty"):
            services.record_disposition(first, prosecutor, disposition=Disposition.CONVICTED_OWN_PLEA)
        services.record_disposition(second, prosecutor, disposition=Disposition.CONVICTED_OWN_PLEA)

    def test_an_outcome_at_the_wrong_stage_or_twice_or_in_the_future_is_refused(self, prosecutor):
        case = case_at_judgment(prosecutor)
        charge = Charge.objects.filter(accused__case=case).order_by("count_number")[0]
        with pytest.raises(DispositionNotAllowed, match="already has an outcome"):
            services.record_disposition(charge, prosecutor, disposition=Disposition.ACQUITTED_AFTER_DEFENCE)
        trial = case_at_trial(prosecutor)
        pending = Charge.objects.filter(accused__case=trial).order_by("count_number")[0]
        with pytest.raises(InvalidDate):
            services.record_disposition(
                pending, prosecutor, disposition=Disposition.DISCHARGED_WITHDRAWN, disposition_date=days_ago(-TOMORROW)
            )
        with pytest.raises(DispositionNotAllowed):
            services.record_disposition(pending, prosecutor, disposition=Disposition.PENDING)
        pending.refresh_from_db()
        assert pending.disposition == Disposition.PENDING


class TestSentences:
    def test_a_sentence_only_on_a_conviction(self, prosecutor):
        acquitted = case_at_judgment(prosecutor, convict=False)
        with pytest.raises(SentenceNotAllowed, match="only on a conviction"):
            services.record_sentence(
                Charge.objects.filter(accused__case=acquitted).order_by("count_number")[0],
                prosecutor,
                custodial_months=12,
            )
        assert not Sentence.objects.exists()

    def test_a_convicted_count_is_sentenced_once(self, prosecutor):
        case = case_at_judgment(prosecutor)
        charge = Charge.objects.filter(accused__case=case).order_by("count_number")[0]
        sentence = services.record_sentence(
            charge,
            prosecutor,
            sentenced_on=days_ago(90),
            custodial_months=360,
            fine_amount=Decimal("30000000"),
            fine_relation="alternative",
            fine_default_months=12,
            deportation=True,
        )
        assert sentence.custodial_label == "30 yr"
        with pytest.raises(SentenceNotAllowed, match="already"):
            services.record_sentence(charge, prosecutor, custodial_months=12)

    def test_sentence_parts_must_fit(self, prosecutor):
        case = case_at_judgment(prosecutor)
        other = case_at_judgment(prosecutor)
        foreign_victim = services.add_victim(
            other, prosecutor, exploitation_type="forced_labour", identified_on=days_ago(5)
        )
        charge = Charge.objects.filter(accused__case=case).order_by("count_number")[0]
        with pytest.raises(InvalidSentence):
            services.record_sentence(charge, prosecutor, custodial_months=12, life_imprisonment=True)
        with pytest.raises(InvalidSentence):
            services.record_sentence(charge, prosecutor, custodial_months=12, fine_amount=Decimal("100"))
        with pytest.raises(InvalidSentence):
            services.record_sentence(
                charge,
                prosecutor,
                custodial_months=12,
                compensation_amount=Decimal("1000"),
                compensation_victim=foreign_victim,
            )
        with pytest.raises(InvalidDate):
            services.record_sentence(charge, prosecutor, custodial_months=12, sentenced_on=days_ago(-TOMORROW))
        assert not Sentence.objects.exists()


class TestVictims:
    def test_victims_get_yearly_codes_and_the_child_flag_from_their_age(self, prosecutor, case):
        identified = days_ago(10)
        first = services.add_victim(
            case,
            prosecutor,
            exploitation_type=ExploitationType.CHILD_LABOUR,
            identified_on=identified,
            age_at_exploitation=14,
        )
        second = services.add_victim(
            case,
            prosecutor,
            exploitation_type=ExploitationType.FORCED_LABOUR,
            identified_on=identified,
            age_at_exploitation=25,
        )
        assert first.code == f"V-{identified.year}-0001" and first.is_child
        assert second.code == f"V-{identified.year}-0002" and not second.is_child

    def test_a_victim_identified_in_the_future_is_refused(self, prosecutor, case):
        with pytest.raises(InvalidDate):
            services.add_victim(case, prosecutor, exploitation_type="forced_labour", identified_on=days_ago(-TOMORROW))


class TestHearings:
    def test_an_adjournment_beyond_fifteen_clear_days_is_flagged_when_an_accused_is_remanded(self, prosecutor):
        case = case_at_trial(prosecutor)
        services.update_accused(case.accused.get(), prosecutor, custody_status=CustodyStatus.REMANDED)
        hearing = services.record_hearing(
            case,
            prosecutor,
            date=days_ago(40),
            purpose=HearingPurpose.HEARING,
            outcome=HearingOutcome.ADJOURNED,
            adjournment_reason="witness_absent",
            next_date=days_ago(20),
        )
        assert hearing.adjournment_clear_days == 19 and hearing.exceeds_adjournment_limit
        follow_up = case.hearings.get(date=days_ago(20))
        assert follow_up.outcome == HearingOutcome.SCHEDULED and follow_up.court == court()

    def test_thirty_clear_days_allowed_on_bail(self, prosecutor):
        case = case_at_trial(prosecutor)
        within = services.record_hearing(
            case,
            prosecutor,
            date=days_ago(80),
            purpose="hearing",
            outcome="adjourned",
            adjournment_reason="witness_absent",
            next_date=days_ago(49),
        )
        beyond = services.record_hearing(
            case,
            prosecutor,
            date=days_ago(48),
            purpose="hearing",
            outcome="adjourned",
            adjournment_reason="witness_absent",
            next_date=days_ago(16),
        )
        assert (within.adjournment_clear_days, within.exceeds_adjournment_limit) == (30, False)
        assert (beyond.adjournment_clear_days, beyond.exceeds_adjournment_limit) == (31, True)

    def test_the_next_date_must_follow_the_hearing_and_nothing_is_saved(self, prosecutor):
        case = case_at_trial(prosecutor)
        with pytest.raises(HearingNotAllowed, match="after the hearing date"):
            services.record_hearing(
                case,
                prosecutor,
                date=days_ago(10),
                purpose="hearing",
                outcome="adjourned",
                adjournment_reason="witness_absent",
                next_date=days_ago(10),
            )
        assert not Hearing.objects.filter(case=case).exists()

    def test_an_outcome_cannot_be_recorded_for_a_future_hearing(self, prosecutor):
        case = case_at_trial(prosecutor)
        scheduled = services.record_hearing(case, prosecutor, date=days_ago(-7), purpose="mention")
        assert scheduled.outcome == HearingOutcome.SCHEDULED
        with pytest.raises(InvalidDate):
            services.record_hearing_outcome(scheduled, prosecutor, outcome="proceeded")
        with pytest.raises(InvalidDate):
            services.record_hearing(case, prosecutor, date=days_ago(-3), purpose="mention", outcome="proceeded")

    def test_an_adjournment_needs_a_reason_and_a_next_date(self, prosecutor):
        case = case_at_trial(prosecutor)
        with pytest.raises(HearingNotAllowed):
            services.record_hearing(
                case, prosecutor, date=days_ago(3), purpose="hearing", outcome="adjourned", next_date=days_ago(-5)
            )
        with pytest.raises(HearingNotAllowed):
            services.record_hearing(
                case, prosecutor, date=days_ago(3), purpose="hearing", outcome="adjourned", adjournment_reason="other"
            )

    def test_no_hearing_before_the_case_is_charged(self, prosecutor):
        case = make_case(prosecutor)
        with pytest.raises(HearingNotAllowed, match="charged"):
            services.record_hearing(case, prosecutor, date=days_ago(3), purpose="mention", outcome="proceeded")

    def test_a_hearing_keeps_last_activity_current(self, prosecutor):
        case = case_at_trial(prosecutor)
        services.record_hearing(case, prosecutor, date=days_ago(2), purpose="hearing", outcome="proceeded")
        case.refresh_from_db()
        assert case.last_activity_on == days_ago(2)


class TestClosedCasesAreReadOnly:
    def test_nothing_can_be_added_to_a_closed_case(self, prosecutor, unit_head):
        case = case_at(Stage.TRIAL, prosecutor)
        services.move_stage(case, prosecutor, Stage.CLOSED, effective_on=days_ago(5), closure_reason="withdrawn")
        with pytest.raises(CaseClosed):
            make_accused(case, prosecutor)
        with pytest.raises(CaseClosed):
            services.add_victim(case, unit_head, exploitation_type="forced_labour", identified_on=days_ago(1))
        with pytest.raises(CaseClosed):
            services.update_case_details(case, unit_head, title="Changed")
