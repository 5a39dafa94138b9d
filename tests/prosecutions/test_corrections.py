"""Corrections of recorded facts (services): each kind saves the record with the reason on its history row and
writes a Correction row saying what changed; no reason, nothing to correct, or a later fact that rests on the
old value — refused, with what must be undone first, and nothing saved."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from core.audit.verification import verify_record
from prosecutions import services
from prosecutions.choices import (
    CorrectionKind,
    CustodyStatus,
    Disposition,
    HearingOutcome,
    HearingPurpose,
    Plea,
    Stage,
)
from prosecutions.exceptions import (
    CaseClosed,
    CaseNotEditable,
    CorrectionNotAllowed,
    CorrectionReasonMissing,
    DateOutOfOrder,
    DispositionNotAllowed,
    HearingNotAllowed,
    SentenceOutOfRange,
)
from prosecutions.models import Accused, Case, Charge, Correction, Hearing, Sentence
from prosecutions.services.corrections import (
    correct_accused,
    correct_hearing,
    correct_outcome,
    correct_plea,
    correct_sentence,
    remove_sentence,
)
from tests.prosecutions.factories import case_at_judgment, case_at_trial, days_ago

pytestmark = pytest.mark.django_db

REASON = "Wrong count picked when the plea was entered"


def counts(case: Case) -> list[Charge]:
    return list(Charge.objects.filter(accused__case=case).select_related("accused", "offence").order_by("count_number"))


def sentenced_case(user: Any) -> Case:
    """At sentencing: both counts convicted after trial 100 days ago; count 1 sentenced to 30 years."""
    case = case_at_judgment(user)
    services.move_stage(case, user, Stage.SENTENCING, effective_on=days_ago(95))
    services.record_sentence(counts(case)[0], user, sentenced_on=days_ago(90), custodial_months=360)
    return case


def nothing_written(case: Case) -> None:
    assert not Correction.objects.filter(case=case).exists()


# --- pleas ---------------------------------------------------------------------------------------------


class TestPleaCorrections:
    def test_a_plea_is_corrected_and_the_old_value_stays_in_the_history_with_the_reason(self, prosecutor):
        case = case_at_trial(prosecutor)
        charge = counts(case)[0]
        correction = correct_plea(charge, prosecutor, plea=Plea.GUILTY, plea_date=days_ago(170), reason=REASON)
        charge.refresh_from_db()
        assert charge.plea == Plea.GUILTY
        latest, before = charge.history.all()[:2]
        assert latest.history_change_reason == f"Correction: {REASON}"
        assert latest.history_user == prosecutor
        assert before.plea == Plea.NOT_GUILTY
        assert (correction.case, correction.kind, correction.record_type, correction.record_id) == (
            case,
            CorrectionKind.PLEA,
            "prosecutions.charge",
            charge.pk,
        )
        assert correction.record_label == "Count 1 against John Mwangi (CTIP Act s.7)"
        assert correction.changes == {"Plea": {"from": "Not guilty", "to": "Guilty"}}
        assert (correction.reason, correction.corrected_by, correction.corrected_on) == (
            REASON,
            prosecutor,
            services.today(),
        )
        assert correction.history.get().history_change_reason == REASON

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_a_correction_without_a_reason_is_refused_and_saves_nothing(self, prosecutor, reason):
        case = case_at_trial(prosecutor)
        charge = counts(case)[0]
        with pytest.raises(CorrectionReasonMissing, match="Give the reason for the correction"):
            correct_plea(charge, prosecutor, plea=Plea.GUILTY, plea_date=days_ago(170), reason=reason)
        charge.refresh_from_db()
        assert charge.plea == Plea.NOT_GUILTY and charge.history.count() == 2
        nothing_written(case)

    def test_no_plea_on_record_is_recorded_not_corrected(self, prosecutor, case):
        with pytest.raises(CorrectionNotAllowed, match="record the plea instead"):
            correct_plea(counts(case)[0], prosecutor, plea=Plea.GUILTY, plea_date=days_ago(5), reason=REASON)

    def test_nothing_to_correct_is_refused(self, prosecutor):
        case = case_at_trial(prosecutor)
        with pytest.raises(CorrectionNotAllowed, match="as already recorded"):
            correct_plea(counts(case)[0], prosecutor, plea=Plea.NOT_GUILTY, plea_date=days_ago(170), reason=REASON)
        nothing_written(case)

    def test_a_plea_under_a_conviction_on_own_plea_needs_that_outcome_corrected_first(self, prosecutor, case):
        charge = counts(case)[0]
        services.record_plea(charge, prosecutor, plea=Plea.GUILTY, plea_date=days_ago(20))
        services.record_disposition(
            charge, prosecutor, disposition=Disposition.CONVICTED_OWN_PLEA, disposition_date=days_ago(20)
        )
        with pytest.raises(CorrectionNotAllowed, match="convicted on the accused's own plea of guilty: correct that"):
            correct_plea(charge, prosecutor, plea=Plea.NOT_GUILTY, plea_date=days_ago(20), reason=REASON)
        correct_plea(charge, prosecutor, plea=Plea.GUILTY, plea_date=days_ago(21), reason="Plea taken the day before")
        charge.refresh_from_db()
        assert charge.plea_date == days_ago(21)

    def test_a_plea_date_after_the_outcome_is_refused(self, prosecutor):
        case = case_at_judgment(prosecutor)
        with pytest.raises(DateOutOfOrder, match="correct the outcome's date first"):
            correct_plea(counts(case)[0], prosecutor, plea=Plea.NOT_GUILTY, plea_date=days_ago(90), reason=REASON)


# --- count outcomes ------------------------------------------------------------------------------------


class TestOutcomeCorrections:
    def test_a_conviction_with_a_sentence_says_to_remove_the_sentence_first(self, prosecutor):
        case = sentenced_case(prosecutor)
        first = counts(case)[0]
        with pytest.raises(CorrectionNotAllowed, match="remove the sentence on count 1 first"):
            correct_outcome(
                first, prosecutor, disposition=Disposition.ACQUITTED_AFTER_DEFENCE, disposition_date=days_ago(100),
                reason=REASON,
            )  # fmt: skip
        nothing_written(case)
        remove_sentence(first, prosecutor, reason="Sentence entered on the wrong count")
        correct_outcome(
            first, prosecutor, disposition=Disposition.ACQUITTED_NO_CASE, disposition_date=days_ago(100),
            reason="The magistrate acquitted on count 1",
        )  # fmt: skip
        first.refresh_from_db()
        assert first.disposition == Disposition.ACQUITTED_NO_CASE
        assert [c.kind for c in Correction.objects.filter(case=case).order_by("id")] == [
            CorrectionKind.SENTENCE,
            CorrectionKind.OUTCOME,
        ]

    def test_a_verdict_is_corrected_in_only_once_the_case_reached_judgment(self, prosecutor):
        case = case_at_trial(prosecutor)
        first = counts(case)[0]
        services.record_disposition(
            first, prosecutor, disposition=Disposition.DISCHARGED_WITHDRAWN, disposition_date=days_ago(50)
        )
        with pytest.raises(CorrectionNotAllowed, match="only once the case is at Judgment: it never reached Judgment"):
            correct_outcome(
                first, prosecutor, disposition=Disposition.ACQUITTED_NO_CASE, disposition_date=days_ago(50),
                reason=REASON,
            )  # fmt: skip
        correct_outcome(
            first, prosecutor, disposition=Disposition.DISCHARGED_NOLLE_PROSEQUI, disposition_date=days_ago(50),
            reason="The DPP entered a nolle prosequi, not a withdrawal",
        )  # fmt: skip

    def test_a_verdict_dated_before_the_case_reached_judgment_is_refused(self, prosecutor):
        case = case_at_judgment(prosecutor)
        with pytest.raises(CorrectionNotAllowed, match=r"it reached Judgment on .*, after the date given"):
            correct_outcome(
                counts(case)[0], prosecutor, disposition=Disposition.CONVICTED_AFTER_TRIAL,
                disposition_date=days_ago(120), reason=REASON,
            )  # fmt: skip

    def test_verdicts_are_corrected_at_sentencing_too(self, prosecutor):
        case = sentenced_case(prosecutor)
        second = counts(case)[1]
        correct_outcome(
            second, prosecutor, disposition=Disposition.ACQUITTED_NO_CASE, disposition_date=days_ago(100),
            reason="Count 2 was an acquittal",
        )  # fmt: skip
        second.refresh_from_db()
        assert second.disposition == Disposition.ACQUITTED_NO_CASE

    def test_the_only_conviction_of_a_case_at_sentencing_stays_a_conviction(self, prosecutor):
        case = case_at_judgment(prosecutor)
        first, second = counts(case)
        correct_outcome(
            second, prosecutor, disposition=Disposition.ACQUITTED_NO_CASE, disposition_date=days_ago(100),
            reason="Count 2 was an acquittal",
        )  # fmt: skip
        services.move_stage(case, prosecutor, Stage.SENTENCING, effective_on=days_ago(95))
        with pytest.raises(CorrectionNotAllowed, match="is its only one"):
            correct_outcome(
                first, prosecutor, disposition=Disposition.ACQUITTED_NO_CASE, disposition_date=days_ago(100),
                reason=REASON,
            )  # fmt: skip

    def test_a_conviction_on_own_plea_needs_the_plea_corrected_first(self, prosecutor):
        case = case_at_judgment(prosecutor)
        first = counts(case)[0]
        with pytest.raises(DispositionNotAllowed, match="plea of guilty"):
            correct_outcome(
                first, prosecutor, disposition=Disposition.CONVICTED_OWN_PLEA, disposition_date=days_ago(100),
                reason=REASON,
            )  # fmt: skip
        correct_plea(first, prosecutor, plea=Plea.GUILTY, plea_date=days_ago(170), reason="Pleaded guilty")
        correct_outcome(
            first, prosecutor, disposition=Disposition.CONVICTED_OWN_PLEA, disposition_date=days_ago(100),
            reason="Convicted on the plea, not after trial",
        )  # fmt: skip
        first.refresh_from_db()
        assert (first.plea, first.disposition) == (Plea.GUILTY, Disposition.CONVICTED_OWN_PLEA)

    def test_a_pending_count_has_its_outcome_recorded_not_corrected(self, prosecutor):
        case = case_at_trial(prosecutor)
        with pytest.raises(CorrectionNotAllowed, match="record the outcome instead"):
            correct_outcome(
                counts(case)[0], prosecutor, disposition=Disposition.DISCHARGED_WITHDRAWN,
                disposition_date=days_ago(5), reason=REASON,
            )  # fmt: skip

    def test_an_accused_corrected_to_acquitted_on_every_count_is_released(self, prosecutor):
        case = case_at_judgment(prosecutor)
        for charge in counts(case):
            correct_outcome(
                charge, prosecutor, disposition=Disposition.ACQUITTED_NO_CASE, disposition_date=days_ago(100),
                reason="Both counts were acquittals",
            )  # fmt: skip
        accused = Accused.objects.get(case=case)
        assert accused.custody_status == CustodyStatus.RELEASED
        assert accused.history.first().history_change_reason == "Released: acquitted or discharged on every count"


# --- sentences -----------------------------------------------------------------------------------------


class TestSentenceCorrections:
    def test_a_sentence_is_corrected_with_the_change_as_displayed(self, prosecutor):
        case = sentenced_case(prosecutor)
        first = counts(case)[0]
        correction = correct_sentence(
            first, prosecutor, reason="Term misread from the judgment", sentenced_on=days_ago(90),
            custodial_months=420,
        )  # fmt: skip
        assert Sentence.objects.get(charge=first).custodial_months == 420
        assert correction.kind == CorrectionKind.SENTENCE
        assert correction.record_type == "prosecutions.sentence"
        assert correction.changes == {"Custodial months": {"from": "360", "to": "420"}}
        history = Sentence.objects.get(charge=first).history.all()
        assert history[0].history_change_reason == "Correction: Term misread from the judgment"
        assert history[1].custodial_months == 360

    def test_a_corrected_sentence_is_held_to_the_statutory_range(self, prosecutor):
        case = sentenced_case(prosecutor)
        first = counts(case)[0]
        with pytest.raises(SentenceOutOfRange, match=r"below the minimum for CTIP Act s.7"):
            correct_sentence(first, prosecutor, reason=REASON, sentenced_on=days_ago(90), custodial_months=24)
        assert Sentence.objects.get(charge=first).custodial_months == 360
        correct_sentence(
            first, prosecutor, reason="Reduced on appeal", sentenced_on=days_ago(90), custodial_months=24,
            override_ground="appellate_order", override_reason="High Court Criminal Appeal E12 of 2026",
        )  # fmt: skip
        sentence = Sentence.objects.get(charge=first)
        assert (sentence.custodial_months, sentence.override_ground) == (24, "appellate_order")

    def test_a_sentence_recorded_in_error_is_removed_and_its_history_kept(self, prosecutor):
        case = sentenced_case(prosecutor)
        first = counts(case)[0]
        sentence_id = Sentence.objects.get(charge=first).pk
        correction = remove_sentence(first, prosecutor, reason="Entered on the wrong case")
        assert not Sentence.objects.filter(charge=first).exists()
        last = Sentence.history.filter(id=sentence_id).first()
        assert (last.history_type, last.history_change_reason) == ("-", "Correction: Entered on the wrong case")
        assert correction.changes["Sentence"]["to"] == "— (removed: recorded in error)"
        assert correction.changes["Sentence"]["from"].startswith("30 yr")
        with pytest.raises(CorrectionNotAllowed, match="has no sentence to correct"):
            remove_sentence(first, prosecutor, reason="Again")
        report = verify_record(write=False)  # the removal is in the audit chain, the table agrees with history
        assert report.ok, report.problems

    def test_a_custodial_sentence_corrected_in_puts_the_accused_in_custody(self, prosecutor):
        case = case_at_judgment(prosecutor)
        first = counts(case)[0]
        services.record_sentence(
            first, prosecutor, sentenced_on=days_ago(90), fine_amount=Decimal("30000000"), fine_relation="fine_only"
        )
        assert Accused.objects.get(case=case).custody_status == CustodyStatus.ON_BAIL
        correct_sentence(
            first, prosecutor, reason="The court passed a term, not a fine", sentenced_on=days_ago(90),
            custodial_months=360,
        )  # fmt: skip
        assert Accused.objects.get(case=case).custody_status == CustodyStatus.SERVING_SENTENCE


# --- hearings ------------------------------------------------------------------------------------------


def adjourned_hearing(case: Case, user: Any) -> Hearing:
    """A mention 10 days ago adjourned to 5 days ago (which the service scheduled)."""
    return services.record_hearing(
        case, user, date=days_ago(10), purpose=HearingPurpose.MENTION, outcome=HearingOutcome.ADJOURNED,
        adjournment_reason="witness_absent", next_date=days_ago(5),
    )  # fmt: skip


class TestHearingCorrections:
    def test_a_corrected_next_date_moves_the_hearing_scheduled_for_it(self, prosecutor, case):
        hearing = adjourned_hearing(case, prosecutor)
        correction = correct_hearing(
            hearing, prosecutor, date=days_ago(10), outcome=HearingOutcome.ADJOURNED,
            adjournment_reason="witness_absent", next_date=days_ago(3), reason="Next date misheard",
        )  # fmt: skip
        assert sorted(case.hearings.values_list("date", flat=True)) == [days_ago(10), days_ago(3)]
        assert correction.changes["Next date"] == {"from": f"{days_ago(5):%d %b %Y}", "to": f"{days_ago(3):%d %b %Y}"}
        assert correction.changes["Hearing scheduled for the next date"]["to"] == f"{days_ago(3):%d %b %Y}"

    def test_a_hearing_date_moved_past_its_next_date_is_refused(self, prosecutor, case):
        hearing = adjourned_hearing(case, prosecutor)
        with pytest.raises(HearingNotAllowed, match=r"must be after the hearing date .*correct the next date too"):
            correct_hearing(
                hearing, prosecutor, date=days_ago(4), outcome=HearingOutcome.ADJOURNED,
                adjournment_reason="witness_absent", next_date=days_ago(5), reason=REASON,
            )  # fmt: skip
        nothing_written(case)

    def test_a_next_date_whose_hearing_has_sat_cannot_move(self, prosecutor, case):
        hearing = adjourned_hearing(case, prosecutor)
        follow_up = case.hearings.get(date=days_ago(5))
        services.record_hearing_outcome(follow_up, prosecutor, outcome=HearingOutcome.PROCEEDED)
        with pytest.raises(CorrectionNotAllowed, match=r"has taken place .*correct that hearing's date first"):
            correct_hearing(
                hearing, prosecutor, date=days_ago(10), outcome=HearingOutcome.ADJOURNED,
                adjournment_reason="witness_absent", next_date=days_ago(4), reason=REASON,
            )  # fmt: skip

    def test_a_scheduled_next_date_is_moved_through_the_hearing_that_gave_it(self, prosecutor, case):
        adjourned_hearing(case, prosecutor)
        follow_up = case.hearings.get(date=days_ago(5))
        with pytest.raises(CorrectionNotAllowed, match="is the next date given at the hearing of"):
            correct_hearing(follow_up, prosecutor, date=days_ago(4), outcome=HearingOutcome.SCHEDULED, reason=REASON)

    def test_a_defence_hearing_an_acquittal_rests_on_cannot_be_corrected_away(self, prosecutor):
        case = case_at_trial(prosecutor)
        defence = services.record_hearing(
            case, prosecutor, date=days_ago(30), purpose=HearingPurpose.DEFENCE_HEARING,
            outcome=HearingOutcome.PROCEEDED,
        )  # fmt: skip
        services.move_stage(case, prosecutor, Stage.JUDGMENT, effective_on=days_ago(20))
        services.record_disposition(
            counts(case)[0], prosecutor, disposition=Disposition.ACQUITTED_AFTER_DEFENCE, disposition_date=days_ago(20)
        )
        with pytest.raises(CorrectionNotAllowed, match=r"Count 1 against John Mwangi .*correct that outcome first"):
            correct_hearing(defence, prosecutor, date=days_ago(30), outcome=HearingOutcome.VACATED, reason=REASON)
        defence.refresh_from_db()
        assert defence.outcome == HearingOutcome.PROCEEDED
        nothing_written(case)


# --- accused -------------------------------------------------------------------------------------------


class TestAccusedCorrections:
    def test_an_accused_name_and_aliases_are_corrected(self, prosecutor, case):
        accused = Accused.objects.get(case=case)
        correction = correct_accused(
            accused, prosecutor, reason="Name as on the national ID", name="John Mwangi Kamau", aliases="JM, Johnny"
        )
        accused.refresh_from_db()
        assert (accused.name, accused.aliases) == ("John Mwangi Kamau", "JM, Johnny")
        assert correction.changes == {
            "Name": {"from": "John Mwangi", "to": "John Mwangi Kamau"},
            "Aliases": {"from": "—", "to": "JM, Johnny"},
        }
        assert accused.history.first().history_change_reason == "Correction: Name as on the national ID"

    def test_serving_sentence_needs_a_custodial_sentence(self, prosecutor, case):
        accused = Accused.objects.get(case=case)
        with pytest.raises(CorrectionNotAllowed, match="no custodial sentence on record"):
            correct_accused(accused, prosecutor, reason=REASON, custody_status=CustodyStatus.SERVING_SENTENCE)


# --- who may correct -----------------------------------------------------------------------------------


class TestWhoCorrects:
    def test_a_prosecutor_not_on_the_case_may_not_correct_it(self, prosecutor, other_prosecutor):
        case = case_at_trial(prosecutor)
        with pytest.raises(CaseNotEditable, match="cannot correct it"):
            correct_plea(counts(case)[0], other_prosecutor, plea=Plea.GUILTY, plea_date=days_ago(170), reason=REASON)

    def test_on_a_closed_case_only_the_unit_head_corrects(self, prosecutor, unit_head):
        case = case_at_judgment(prosecutor, convict=False)
        services.move_stage(case, prosecutor, Stage.CLOSED, effective_on=days_ago(50), closure_reason="concluded")
        accused = Accused.objects.get(case=case)
        with pytest.raises(CaseClosed, match="only the unit head corrects a closed case"):
            correct_accused(accused, prosecutor, reason=REASON, id_number="23456789")
        correct_accused(accused, unit_head, reason="ID number from the charge sheet", id_number="23456789")
        # The unit head's corrections on a closed case are held to the same rules (no defence on record).
        with pytest.raises(DispositionNotAllowed, match="needs a defence hearing"):
            correct_outcome(
                counts(case)[0], unit_head, disposition=Disposition.ACQUITTED_AFTER_DEFENCE,
                disposition_date=days_ago(100), reason=REASON,
            )  # fmt: skip
        assert Correction.objects.filter(case=case, corrected_by=unit_head).count() == 1
