"""Guards that follow criminal procedure: pre-trial needs the case registered in court, a trial needs a plea
on every count still pending, and a plea of guilty to every count (CPC s.207) or under a plea agreement
(s.137A–O) goes from pre-trial straight to sentencing — the timeline shows no trial and no judgment."""

from __future__ import annotations

import pytest

from core.models import User
from prosecutions import services
from prosecutions.choices import Disposition, Plea, Stage
from prosecutions.exceptions import (
    CaseNotEditable,
    DateOutOfOrder,
    HearingNotAllowed,
    IllegalStageMove,
    InvalidDate,
    InvalidDetails,
    PleaNotAllowed,
    StageGuardFailed,
)
from prosecutions.models import Case, Charge, StageChange
from prosecutions.views.cases import case_timeline
from tests.helpers import table_counts
from tests.prosecutions.factories import (
    case_at_judgment,
    case_at_trial,
    charged_case,
    days_ago,
    make_accused,
    make_case,
    make_charge,
)

pytestmark = pytest.mark.django_db


def at_charging_decision(user, **kwargs) -> Case:
    """A case with one accused on two counts, at the charging decision, registered in court unless told."""
    case = make_case(user, **kwargs)
    accused = make_accused(case, user)
    make_charge(accused, user, 1)
    make_charge(accused, user, 2)
    services.move_stage(case, user, Stage.CHARGING_DECISION, effective_on=days_ago(190))
    return case


def counts_of(case: Case) -> list[Charge]:
    return list(
        Charge.objects.filter(accused__case=case).select_related("accused").order_by("accused_id", "count_number")
    )


def plead(case: Case, user, *pleas: str, on: int = 20) -> None:
    """Record ``pleas`` on the case's counts in order."""
    for charge, plea in zip(counts_of(case), pleas, strict=True):
        services.record_plea(charge, user, plea=plea, plea_date=days_ago(on))


def refused_and_nothing_saved(error: type[Exception], words: str, call, *args, **kwargs) -> None:
    before = table_counts("prosecutions")
    with pytest.raises(error) as caught:
        call(*args, **kwargs)
    assert words in str(caught.value), str(caught.value)
    assert table_counts("prosecutions") == before


class TestPreTrialNeedsTheCaseRegisteredInCourt:
    @pytest.mark.parametrize(
        ("details", "missing"),
        [
            ({"court": None, "court_case_serial": "E12"}, "the court (station) is missing"),
            ({"court_case_serial": ""}, "the court case number is missing"),
            ({"court": None}, "the court (station) and the court case number are missing"),
        ],
        ids=["no-court", "no-number", "neither"],
    )
    def test_it_names_what_is_missing_and_where_to_set_it(self, prosecutor, details, missing):
        case = at_charging_decision(prosecutor, **details)
        assert Stage.PRE_TRIAL not in services.allowed_moves(case)
        refused_and_nothing_saved(
            StageGuardFailed, missing, services.move_stage, case, prosecutor, Stage.PRE_TRIAL, effective_on=days_ago(5)
        )
        refusal = services.move_refusal(case, Stage.PRE_TRIAL)
        assert refusal is not None and "under Edit details" in refusal
        case.refresh_from_db()
        assert case.stage == Stage.CHARGING_DECISION

    def test_with_the_court_and_its_number_set_the_case_goes_to_pre_trial(self, prosecutor):
        case = at_charging_decision(prosecutor)
        services.update_case_details(case, prosecutor, court_case_serial="E123", court_case_year=2026)
        case.refresh_from_db()
        assert Stage.PRE_TRIAL in services.allowed_moves(case)
        services.move_stage(case, prosecutor, Stage.PRE_TRIAL, effective_on=days_ago(5))
        assert case.stage == Stage.PRE_TRIAL

    def test_a_blank_number_is_no_number(self, prosecutor):
        case = at_charging_decision(prosecutor, court_case_serial="   ")
        with pytest.raises(StageGuardFailed, match="court case number"):
            services.move_stage(case, prosecutor, Stage.PRE_TRIAL, effective_on=days_ago(5))


class TestTrialNeedsAPleaOnEveryCountAtTrial:
    def test_it_lists_the_counts_without_a_plea_across_accused(self, prosecutor):
        case = charged_case(prosecutor)
        second = make_accused(case, prosecutor, name="Mercy Atieno")
        make_charge(second, prosecutor, 1)
        first_count = counts_of(case)[0]
        services.record_plea(first_count, prosecutor, plea=Plea.NOT_GUILTY, plea_date=days_ago(20))
        assert Stage.TRIAL not in services.allowed_moves(case)
        refused_and_nothing_saved(
            StageGuardFailed,
            "no plea yet on: John Mwangi count 2; Mercy Atieno count 1",
            services.move_stage,
            case,
            prosecutor,
            Stage.TRIAL,
            effective_on=days_ago(5),
        )

    def test_counts_withdrawn_before_trial_need_no_plea(self, prosecutor):
        case = charged_case(prosecutor)
        first, second = counts_of(case)
        services.record_disposition(
            first, prosecutor, disposition=Disposition.DISCHARGED_WITHDRAWN, disposition_date=days_ago(30)
        )
        services.record_plea(second, prosecutor, plea=Plea.NOT_GUILTY, plea_date=days_ago(20))
        assert Stage.TRIAL in services.allowed_moves(case)
        services.move_stage(case, prosecutor, Stage.TRIAL, effective_on=days_ago(5))
        assert case.stage == Stage.TRIAL

    def test_mixed_pleas_go_to_trial_on_the_counts_denied(self, prosecutor):
        case = charged_case(prosecutor)
        plead(case, prosecutor, Plea.GUILTY, Plea.NOT_GUILTY)
        assert not services.can_convict_on_own_plea(case)
        assert services.allowed_moves(case) == [Stage.TRIAL, Stage.CLOSED]
        admitted = counts_of(case)[0]
        services.record_disposition(
            admitted, prosecutor, disposition=Disposition.CONVICTED_OWN_PLEA, disposition_date=days_ago(20)
        )
        services.move_stage(case, prosecutor, Stage.TRIAL, effective_on=days_ago(5))
        assert case.stage == Stage.TRIAL
        assert [c.disposition for c in counts_of(case)] == [Disposition.CONVICTED_OWN_PLEA, Disposition.PENDING]

    def test_counts_all_admitted_are_not_tried(self, prosecutor):
        case = charged_case(prosecutor)
        plead(case, prosecutor, Plea.GUILTY, Plea.GUILTY_PLEA_AGREEMENT)
        assert Stage.TRIAL not in services.allowed_moves(case)
        with pytest.raises(StageGuardFailed, match="nothing to try: convict on own plea"):
            services.move_stage(case, prosecutor, Stage.TRIAL, effective_on=days_ago(5))

    def test_nothing_left_to_try(self, prosecutor):
        case = charged_case(prosecutor)
        for charge in counts_of(case):
            services.record_disposition(
                charge, prosecutor, disposition=Disposition.DISCHARGED_NOLLE_PROSEQUI, disposition_date=days_ago(30)
            )
        with pytest.raises(StageGuardFailed, match="nothing left to try"):
            services.move_stage(case, prosecutor, Stage.TRIAL, effective_on=days_ago(5))

    def test_a_retrial_ordered_on_appeal_needs_no_new_plea(self, prosecutor):
        case = case_at_judgment(prosecutor)
        services.move_stage(case, prosecutor, Stage.APPEAL, effective_on=days_ago(80))
        assert Stage.TRIAL in services.allowed_moves(case)
        services.move_stage(case, prosecutor, Stage.TRIAL, effective_on=days_ago(60), note="Retrial ordered")
        assert case.stage == Stage.TRIAL


class TestConvictionOnOwnPlea:
    def test_a_plea_of_guilty_to_every_count_goes_straight_to_sentencing(self, prosecutor):
        case = charged_case(prosecutor)
        plead(case, prosecutor, Plea.GUILTY, Plea.GUILTY)
        assert services.can_convict_on_own_plea(case)
        change = services.convict_on_own_plea(case, prosecutor, on=days_ago(15), reason="Pleaded guilty on arraignment")

        case.refresh_from_db()
        assert case.stage == Stage.SENTENCING and case.last_activity_on == days_ago(15)
        assert (change.from_stage, change.to_stage, change.effective_on) == (
            Stage.PRE_TRIAL,
            Stage.SENTENCING,
            days_ago(15),
        )
        assert change.note == "Pleaded guilty on arraignment"
        for charge in counts_of(case):
            assert (charge.disposition, charge.disposition_date) == (Disposition.CONVICTED_OWN_PLEA, days_ago(15))
            assert charge.history.first().history_change_reason.startswith("Convicted on own plea of guilty")
        moves = list(case.stage_changes.order_by("effective_on", "id").values_list("from_stage", "to_stage"))
        assert moves == [
            ("", Stage.INVESTIGATION),
            (Stage.INVESTIGATION, Stage.CHARGING_DECISION),
            (Stage.CHARGING_DECISION, Stage.PRE_TRIAL),
            (Stage.PRE_TRIAL, Stage.SENTENCING),
        ]
        # The sentence follows at sentencing, as after any conviction.
        services.record_sentence(counts_of(case)[0], prosecutor, sentenced_on=days_ago(10), custodial_months=360)

    def test_the_timeline_shows_pre_trial_to_sentencing_and_no_trial_or_judgment(self, prosecutor):
        case = charged_case(prosecutor)
        plead(case, prosecutor, Plea.GUILTY, Plea.GUILTY)
        services.convict_on_own_plea(case, prosecutor, on=days_ago(15))
        events = case_timeline(case)
        stages = [event.text for event in events if event.kind == "Stage"]
        assert any(text.startswith("Pre-trial → Sentencing") for text in stages), stages
        assert not any("Trial" in text or "Judgment" in text for text in stages), stages
        outcomes = [event.text for event in events if event.kind == "Disposition"]
        offence = counts_of(case)[0].offence
        assert outcomes == [
            f"John Mwangi, count {n} ({offence.short_statute} s.7): Convicted on own plea of guilty" for n in (1, 2)
        ]

    def test_a_plea_agreement_convicts_on_the_agreement(self, prosecutor):
        case = charged_case(prosecutor)
        plead(case, prosecutor, Plea.GUILTY_PLEA_AGREEMENT, Plea.GUILTY)
        services.convict_on_own_plea(case, prosecutor, on=days_ago(15))
        assert [c.disposition for c in counts_of(case)] == [
            Disposition.CONVICTED_PLEA_AGREEMENT,
            Disposition.CONVICTED_OWN_PLEA,
        ]
        assert case.stage == Stage.SENTENCING

    def test_counts_already_withdrawn_keep_their_outcome(self, prosecutor):
        case = charged_case(prosecutor)
        first, second = counts_of(case)
        services.record_disposition(
            first, prosecutor, disposition=Disposition.DISCHARGED_WITHDRAWN, disposition_date=days_ago(30)
        )
        services.record_plea(second, prosecutor, plea=Plea.GUILTY, plea_date=days_ago(20))
        services.convict_on_own_plea(case, prosecutor, on=days_ago(15))
        assert [c.disposition for c in counts_of(case)] == [
            Disposition.DISCHARGED_WITHDRAWN,
            Disposition.CONVICTED_OWN_PLEA,
        ]

    @pytest.mark.parametrize(
        ("pleas", "words"),
        [
            ((Plea.GUILTY, Plea.NOT_GUILTY), "not admitted: John Mwangi count 2"),
            ((Plea.GUILTY,), "not admitted: John Mwangi count 2"),
            ((Plea.REFUSED, Plea.GUILTY), "not admitted: John Mwangi count 1"),
        ],
        ids=["mixed", "one-not-taken", "refused"],
    )
    def test_every_pending_count_must_be_admitted(self, prosecutor, pleas, words):
        case = charged_case(prosecutor)
        for charge, plea in zip(counts_of(case), pleas, strict=False):
            services.record_plea(charge, prosecutor, plea=plea, plea_date=days_ago(20))
        assert not services.can_convict_on_own_plea(case)
        refused_and_nothing_saved(PleaNotAllowed, words, services.convict_on_own_plea, case, prosecutor)
        assert [c.disposition for c in counts_of(case)] == [Disposition.PENDING, Disposition.PENDING]

    @pytest.mark.parametrize("stage", [Stage.INVESTIGATION, Stage.TRIAL, Stage.JUDGMENT])
    def test_only_from_pre_trial(self, prosecutor, stage):
        if stage == Stage.INVESTIGATION:
            case = make_case(prosecutor)
            make_charge(make_accused(case, prosecutor), prosecutor)
        else:
            case = case_at_trial(prosecutor) if stage == Stage.TRIAL else case_at_judgment(prosecutor)
        assert not services.can_convict_on_own_plea(case)
        refused_and_nothing_saved(
            PleaNotAllowed, "straight to sentencing from pre-trial", services.convict_on_own_plea, case, prosecutor
        )

    @pytest.mark.parametrize(
        ("day", "error", "words"),
        [
            (-1, InvalidDate, "cannot be in the future"),
            (25, DateOutOfOrder, "before the last plea was taken"),
            (185, DateOutOfOrder, "before the case came to pre-trial"),
        ],
        ids=["future", "before-the-plea", "before-pre-trial"],
    )
    def test_a_date_out_of_order_saves_nothing(self, prosecutor, day, error, words):
        case = charged_case(prosecutor)  # at pre-trial 180 days ago
        plead(case, prosecutor, Plea.GUILTY, Plea.GUILTY, on=20)
        refused_and_nothing_saved(error, words, services.convict_on_own_plea, case, prosecutor, on=days_ago(day))
        case.refresh_from_db()
        assert case.stage == Stage.PRE_TRIAL

    def test_a_prosecutor_off_the_case_cannot(self, prosecutor, other_prosecutor):
        case = charged_case(prosecutor)
        plead(case, prosecutor, Plea.GUILTY, Plea.GUILTY)
        refused_and_nothing_saved(
            CaseNotEditable, "not the lead prosecutor", services.convict_on_own_plea, case, other_prosecutor
        )


class TestStraightToSentencingByTheStageForm:
    def test_after_each_count_was_convicted_on_plea(self, prosecutor):
        case = charged_case(prosecutor)
        plead(case, prosecutor, Plea.GUILTY, Plea.GUILTY)
        first, second = counts_of(case)
        services.record_disposition(
            first, prosecutor, disposition=Disposition.CONVICTED_OWN_PLEA, disposition_date=days_ago(15)
        )
        assert Stage.SENTENCING not in services.allowed_moves(case)
        with pytest.raises(StageGuardFailed, match="still pending: John Mwangi count 2"):
            services.move_stage(case, prosecutor, Stage.SENTENCING, effective_on=days_ago(10))
        services.record_disposition(
            second, prosecutor, disposition=Disposition.CONVICTED_OWN_PLEA, disposition_date=days_ago(15)
        )
        assert services.allowed_moves(case) == [Stage.SENTENCING, Stage.CLOSED]
        services.move_stage(case, prosecutor, Stage.SENTENCING, effective_on=days_ago(10))
        assert case.stage == Stage.SENTENCING

    def test_not_without_a_conviction_on_plea(self, prosecutor):
        case = charged_case(prosecutor)
        for charge in counts_of(case):
            services.record_disposition(
                charge, prosecutor, disposition=Disposition.DISCHARGED_WITHDRAWN, disposition_date=days_ago(30)
            )
        with pytest.raises(StageGuardFailed, match="only on a conviction on own plea"):
            services.move_stage(case, prosecutor, Stage.SENTENCING, effective_on=days_ago(10))


class TestBadInput:
    def test_an_unknown_stage_move_is_refused_in_words_and_saves_nothing(self, prosecutor):
        case = charged_case(prosecutor)
        refused_and_nothing_saved(
            IllegalStageMove, "“flying” is not a stage.", services.move_stage, case, prosecutor, "flying"
        )
        refused_and_nothing_saved(
            IllegalStageMove,
            "A case cannot go from Pre-trial to Judgment. From Pre-trial it can go to: Trial, Sentencing, Closed.",
            services.move_stage,
            case,
            prosecutor,
            Stage.JUDGMENT,
        )


class TestHearingsStartOnceCharged:
    @pytest.mark.parametrize("stage", [Stage.INVESTIGATION, Stage.CHARGING_DECISION])
    def test_before_pre_trial_no_hearing_is_offered_or_accepted(self, prosecutor, stage):
        case = make_case(prosecutor)
        if stage == Stage.CHARGING_DECISION:
            services.move_stage(case, prosecutor, stage, effective_on=days_ago(5))
        assert not services.can_schedule_hearing(case)
        refused_and_nothing_saved(
            HearingNotAllowed,
            services.hearing_refusal(case) or "?",
            services.record_hearing,
            case,
            prosecutor,
            date=days_ago(-3),
            purpose="mention",
        )

    def test_from_pre_trial_it_is(self, prosecutor):
        case = charged_case(prosecutor)
        assert services.can_schedule_hearing(case) and services.hearing_refusal(case) is None
        services.record_hearing(case, prosecutor, date=days_ago(-3), purpose="mention")
        assert case.hearings.count() == 1


def test_the_stage_moves_on_record_are_the_ones_the_table_allows(prosecutor):
    """Every StageChange the own-plea path writes is a move in the table (nothing bypasses it)."""
    case = charged_case(prosecutor)
    plead(case, prosecutor, Plea.GUILTY, Plea.GUILTY)
    services.convict_on_own_plea(case, prosecutor, on=days_ago(15))
    for change in StageChange.objects.filter(case=case).exclude(from_stage=""):
        assert Stage(change.to_stage) in services.ALLOWED_MOVES[Stage(change.from_stage)]


def test_a_long_note_is_kept_whole_on_the_move_and_shortened_in_the_history(prosecutor, unit_head):
    """The history row's reason holds 100 characters (on PostgreSQL a longer one would fail the save)."""
    note = "The accused pleaded guilty to both counts after the charge was read and explained. " * 4
    case = charged_case(prosecutor)
    plead(case, prosecutor, Plea.GUILTY, Plea.GUILTY)
    change = services.convict_on_own_plea(case, prosecutor, on=days_ago(15), reason=note)
    change.refresh_from_db()
    assert change.note == note.strip()
    reason = case.history.first().history_change_reason
    assert len(reason) == 100 and reason.endswith("…")
    services.move_stage(case, prosecutor, Stage.CLOSED, effective_on=days_ago(1), closure_reason="withdrawn", note=note)
    reopened = services.reopen_case(case, unit_head, reason=note)
    assert reopened.note == f"Reopened: {note}"
    assert len(case.history.first().history_change_reason) == 100


def test_a_case_before_the_court_keeps_its_court_and_number(prosecutor: User) -> None:
    case = charged_case(prosecutor)
    assert case.stage == Stage.PRE_TRIAL
    for field in ("court", "court_case_serial"):
        with pytest.raises(InvalidDetails) as refused:
            services.update_case_details(case, prosecutor, reason="Tidy", **{field: None if field == "court" else ""})
        assert refused.value.field == field
    case.refresh_from_db()
    assert case.court_id and case.court_case_serial
