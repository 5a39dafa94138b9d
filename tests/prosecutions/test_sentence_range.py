"""Sentences held to the statutory range of the offence version in force on the offence date; overrides with
their ground and reason; custody following sentence and acquittal; outcomes recorded only where criminal
procedure puts them; and the performance report recomputed from corrected data, listing the overrides."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from core.reports import Period, PeriodKind
from prosecutions import services
from prosecutions.choices import CustodyStatus, Disposition, Plea, SentenceOverrideGround, Stage, Statute
from prosecutions.exceptions import DispositionNotAllowed, InvalidSentence, SentenceOutOfRange
from prosecutions.models import Accused, Case, Charge, Sentence
from prosecutions.reports import performance
from prosecutions.services.corrections import correct_outcome
from tests.prosecutions.factories import (
    case_at_judgment,
    case_at_trial,
    charged_case,
    days_ago,
    make_accused,
    make_case,
    offence,
)

pytestmark = pytest.mark.django_db

MINIMUM_FINE = Decimal("30000000")


def counts(case: Case) -> list[Charge]:
    return list(Charge.objects.filter(accused__case=case).select_related("accused", "offence").order_by("count_number"))


def first_count(case: Case) -> Charge:
    return counts(case)[0]


def judged(user: Any, section: str = "7", days: int = 250, statute: str = Statute.CTIP) -> Charge:
    """A count under ``section`` (offence ``days`` ago) convicted after trial, the case at judgment."""
    case = make_case(user, court_case_serial="E900", court_case_year=days_ago(200).year)
    charge = services.add_charge(
        make_accused(case, user), user, count_number=1, offence=offence(section, statute), offence_date=days_ago(days)
    )
    services.move_stage(case, user, Stage.CHARGING_DECISION, effective_on=days_ago(190))
    services.move_stage(case, user, Stage.PRE_TRIAL, effective_on=days_ago(180))
    services.record_plea(charge, user, plea=Plea.NOT_GUILTY, plea_date=days_ago(170))
    services.move_stage(case, user, Stage.TRIAL, effective_on=days_ago(160))
    services.move_stage(case, user, Stage.JUDGMENT, effective_on=days_ago(100))
    services.record_disposition(
        charge, user, disposition=Disposition.CONVICTED_AFTER_TRIAL, disposition_date=days_ago(100)
    )
    return charge


def sentence(charge: Charge, user: Any, **parts: Any) -> Sentence:
    return services.record_sentence(charge, user, sentenced_on=days_ago(90), **parts)


class TestTheStatutoryRange:
    def test_a_term_below_the_minimum_is_refused_naming_the_range(self, prosecutor):
        charge = judged(prosecutor)
        with pytest.raises(SentenceOutOfRange) as refused:
            sentence(charge, prosecutor, custodial_months=24)
        assert (
            "below the minimum for CTIP Act s.7: at least 360 months (30 years) imprisonment" in refused.value.message
        )
        assert refused.value.field == "override_ground"
        assert not Sentence.objects.exists()

    def test_an_override_ground_and_reason_let_it_through_and_stay_with_the_sentence(self, prosecutor):
        charge = judged(prosecutor)
        with pytest.raises(InvalidSentence, match="Give the reason for the override") as missing:
            sentence(charge, prosecutor, custodial_months=24, override_ground=SentenceOverrideGround.CHILD_OFFENDER)
        assert missing.value.field == "override_reason"
        passed = sentence(
            charge, prosecutor, custodial_months=24, override_ground=SentenceOverrideGround.CHILD_OFFENDER,
            override_reason="Aged 16 at the offence",
        )  # fmt: skip
        assert (passed.override_ground, passed.override_reason) == ("child_offender", "Aged 16 at the offence")
        assert passed.history.get().history_change_reason.endswith("(outside the statutory range: override)")

    def test_an_override_on_a_sentence_within_the_range_is_refused(self, prosecutor):
        charge = judged(prosecutor)
        with pytest.raises(InvalidSentence, match="lies within the statutory range"):
            sentence(charge, prosecutor, custodial_months=360, override_ground="other", override_reason="None needed")

    def test_a_fine_reaches_the_minimum_where_the_section_allows_one(self, prosecutor):
        # CTIP s.3(1) since 11 Dec 2023: at least 30 years or a fine of at least KSh 30M, or both.
        charge = judged(prosecutor, "3(1)")
        assert sentence(charge, prosecutor, fine_amount=MINIMUM_FINE, fine_relation="fine_only").pk

    def test_a_fine_in_the_alternative_must_reach_the_minimum_fine(self, prosecutor):
        charge = judged(prosecutor, "3(1)")
        with pytest.raises(SentenceOutOfRange, match="A fine in the alternative lets the accused pay"):
            sentence(
                charge, prosecutor, custodial_months=360, fine_amount=Decimal("100000"), fine_relation="alternative"
            )

    def test_a_life_only_offence_takes_life(self, prosecutor):
        charge = judged(prosecutor, "10")
        with pytest.raises(SentenceOutOfRange, match=r"CTIP Act s.10 carries imprisonment for life"):
            sentence(charge, prosecutor, custodial_months=600)
        assert sentence(charge, prosecutor, life_imprisonment=True).life_imprisonment

    def test_above_the_maximum_term_or_fine_is_refused(self, prosecutor, unit_head):
        charge = judged(prosecutor, "7")
        version = charge.offence
        version.max_custodial_months, version.max_fine = 480, Decimal("50000000")
        version.save_as(unit_head, "Maximum recorded for the test")
        with pytest.raises(SentenceOutOfRange, match=r"above the maximum for CTIP Act s.7: at most 480 months"):
            sentence(charge, prosecutor, custodial_months=500)
        with pytest.raises(SentenceOutOfRange, match=r"a fine of at most KES 50,000,000.00"):
            sentence(
                charge, prosecutor, custodial_months=360, fine_amount=Decimal("60000000"), fine_relation="cumulative"
            )
        with pytest.raises(SentenceOutOfRange, match="above the maximum"):
            sentence(charge, prosecutor, life_imprisonment=True)

    def test_the_penalty_in_force_on_the_offence_date_applies(self, prosecutor):
        # CTIP s.3(1) before 11 Dec 2023: at least 15 years (the seeded, unconfirmed minimum).
        before = judged(prosecutor, "3(1)", days=(services.today() - dt.date(2023, 6, 1)).days)
        assert before.offence.min_custodial_months == 180
        assert sentence(before, prosecutor, custodial_months=200).custodial_months == 200
        after = judged(prosecutor, "3(1)")
        with pytest.raises(SentenceOutOfRange, match="at least 360 months"):
            sentence(after, prosecutor, custodial_months=200)

    def test_offences_without_a_minimum_take_any_term(self, prosecutor):
        charge = judged(prosecutor, "53(1)", statute=Statute.IMMIGRATION)
        assert charge.offence.statute == Statute.IMMIGRATION and charge.offence.min_custodial_months is None
        assert sentence(charge, prosecutor, custodial_months=6).custodial_months == 6


class TestCustody:
    def test_a_custodial_sentence_puts_the_accused_in_custody_serving_it(self, prosecutor):
        charge = judged(prosecutor)
        assert charge.accused.custody_status == CustodyStatus.ON_BAIL
        sentence(charge, prosecutor, custodial_months=360)
        accused = Accused.objects.get(pk=charge.accused_id)
        assert accused.custody_status == CustodyStatus.SERVING_SENTENCE
        assert accused.history.first().history_change_reason == "Serving sentence: custodial sentence on count 1"

    def test_a_fine_only_sentence_leaves_custody_as_it_was(self, prosecutor):
        charge = judged(prosecutor, "3(1)")
        sentence(charge, prosecutor, fine_amount=MINIMUM_FINE, fine_relation="fine_only")
        assert Accused.objects.get(pk=charge.accused_id).custody_status == CustodyStatus.ON_BAIL

    def test_acquitted_or_discharged_on_every_count_the_accused_is_released(self, prosecutor):
        case = case_at_trial(prosecutor)
        first, second = counts(case)
        services.record_disposition(
            first, prosecutor, disposition=Disposition.DISCHARGED_WITHDRAWN, disposition_date=days_ago(50)
        )
        assert Accused.objects.get(case=case).custody_status == CustodyStatus.ON_BAIL  # count 2 still pending
        services.move_stage(case, prosecutor, Stage.JUDGMENT, effective_on=days_ago(40))
        services.record_disposition(
            second, prosecutor, disposition=Disposition.ACQUITTED_NO_CASE, disposition_date=days_ago(40)
        )
        assert Accused.objects.get(case=case).custody_status == CustodyStatus.RELEASED

    def test_a_conviction_on_one_count_keeps_the_accused(self, prosecutor):
        case = case_at_trial(prosecutor)
        services.move_stage(case, prosecutor, Stage.JUDGMENT, effective_on=days_ago(40))
        first, second = counts(case)
        services.record_disposition(first, prosecutor, disposition=Disposition.CONVICTED_AFTER_TRIAL)
        services.record_disposition(second, prosecutor, disposition=Disposition.ACQUITTED_NO_CASE)
        assert Accused.objects.get(case=case).custody_status == CustodyStatus.ON_BAIL


class TestOutcomesFollowProcedure:
    @pytest.mark.parametrize(
        "outcome",
        [
            Disposition.CONVICTED_AFTER_TRIAL,
            Disposition.ACQUITTED_NO_CASE,
            Disposition.ACQUITTED_AFTER_DEFENCE,
            Disposition.ACQUITTED_WITHDRAWN,
        ],
    )
    def test_a_verdict_waits_for_judgment(self, prosecutor, outcome):
        case = case_at_trial(prosecutor)
        with pytest.raises(DispositionNotAllowed, match=r"while the case is at Trial .*only at: Judgment"):
            services.record_disposition(first_count(case), prosecutor, disposition=outcome)

    def test_a_conviction_on_own_plea_from_pre_trial(self, prosecutor):
        case = charged_case(prosecutor)
        charge = first_count(case)
        services.record_plea(charge, prosecutor, plea=Plea.GUILTY, plea_date=days_ago(20))
        services.record_disposition(charge, prosecutor, disposition=Disposition.CONVICTED_OWN_PLEA)
        with pytest.raises(DispositionNotAllowed, match="plea agreement"):
            services.record_disposition(counts(case)[1], prosecutor, disposition=Disposition.CONVICTED_PLEA_AGREEMENT)


class TestReports:
    def test_a_corrected_outcome_changes_the_performance_figures(self, prosecutor, unit_head):
        case = case_at_judgment(prosecutor)
        period = Period.containing(PeriodKind.FINANCIAL_YEAR, days_ago(100))
        before = {f.key: f.value for f in performance(period, unit_head).figures}
        assert before["conviction_rate"] == Decimal("1")
        correct_outcome(
            first_count(case), prosecutor, disposition=Disposition.ACQUITTED_NO_CASE, disposition_date=days_ago(100),
            reason="The count was an acquittal",
        )  # fmt: skip
        after = {f.key: f.value for f in performance(period, unit_head).figures}
        assert after["conviction_rate"] == Decimal("0.5000")

    def test_the_performance_report_lists_sentences_with_an_override(self, client, prosecutor, auditor):
        charge = judged(prosecutor)
        sentence(
            charge, prosecutor, custodial_months=24, override_ground="appellate_order",
            override_reason="Court of Appeal substituted 2 years",
        )  # fmt: skip
        sentence(judged(prosecutor), prosecutor, custodial_months=360)  # within the range: not listed
        period = Period.containing(PeriodKind.FINANCIAL_YEAR, days_ago(90))
        rows = performance(period, auditor).table("overrides").rows
        assert rows == [
            {
                "case": charge.accused.case.reference,
                "count": "Count 1",
                "section": "CTIP Act s.7",
                "sentence": "2 yr",
                "sentenced_on": days_ago(90),
                "ground": "An appellate court's order",
                "reason": "Court of Appeal substituted 2 years",
            }
        ]
        client.force_login(auditor)
        page = client.get(reverse("prosecutions:performance"), {"period": period.param})
        assert "Sentences outside the statutory range" in page.content.decode()
        assert "Court of Appeal substituted 2 years" in page.content.decode()
        assert charge.accused.name not in page.content.decode()
