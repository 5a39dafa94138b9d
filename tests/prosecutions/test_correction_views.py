"""Correction pages: offered where a correction can be made, opened by the case's prosecutors (the unit head
also on a closed case), refused to everyone else; bad input refused in words with nothing saved; and the
correction shown as a correction, with its reason, on the History tab, the timeline and the overview."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from core.models import User
from prosecutions import services
from prosecutions.choices import Disposition, HearingOutcome, HearingPurpose, Plea, Stage
from prosecutions.models import Accused, Case, Charge, Correction, Sentence
from prosecutions.services.correcting import REASON_MISSING
from prosecutions.services.corrections import correct_plea
from tests.helpers import FormClient, post_refused
from tests.prosecutions.factories import case_at_judgment, case_at_trial, days_ago

pytestmark = pytest.mark.django_db

REASON = "The clerk entered the plea on the wrong count"


def refused(client: Client, url: str, data: dict[str, Any], field: str | None, words: str) -> None:
    post_refused(client, url, data, field, words, "prosecutions")


def first_count(case: Case) -> Charge:
    charge = Charge.objects.filter(accused__case=case).select_related("accused").order_by("count_number").first()
    assert charge is not None
    return charge


def url(name: str, case: Case, **kwargs: int) -> str:
    return reverse(f"prosecutions:{name}", kwargs={"pk": case.pk, **kwargs})


def tab(client: Client, case: Case, slug: str) -> str:
    response = client.get(reverse("prosecutions:case_detail", args=[case.pk]) + f"?tab={slug}")
    assert response.status_code == 200
    return response.content.decode()


def sentenced(user: User) -> Case:
    case = case_at_judgment(user)
    services.move_stage(case, user, Stage.SENTENCING, effective_on=days_ago(95))
    services.record_sentence(first_count(case), user, sentenced_on=days_ago(90), custodial_months=360)
    return case


class TestTheCasePageOffersCorrections:
    def test_the_case_prosecutor_gets_a_correction_link_for_each_recorded_fact(self, client, prosecutor):
        case = sentenced(prosecutor)
        client.force_login(prosecutor)
        page = tab(client, case, "accused")
        charge = first_count(case)
        for name in ("correct_plea", "correct_outcome", "correct_sentence"):
            assert url(name, case, charge_pk=charge.pk) in page, name
        assert url("correct_accused", case, accused_pk=charge.accused_id) in page
        second = Charge.objects.get(accused__case=case, count_number=2)
        assert url("correct_sentence", case, charge_pk=second.pk) not in page  # no sentence on count 2 yet
        hearing = services.record_hearing(
            case, prosecutor, date=days_ago(94), purpose="sentencing", outcome="proceeded"
        )
        assert url("correct_hearing", case, hearing_pk=hearing.pk) in tab(client, case, "hearings")

    def test_nothing_to_correct_offers_no_correction(self, client, prosecutor, case):
        client.force_login(prosecutor)
        page = tab(client, case, "accused")
        assert 'data-testid="correct-plea"' not in page and 'data-testid="correct-outcome"' not in page

    @pytest.mark.parametrize("persona", ["other_prosecutor", "auditor", "liaison"])
    def test_others_get_no_correction_link(self, client, prosecutor, persona, request):
        case = sentenced(prosecutor)
        client.force_login(request.getfixturevalue(persona))
        page = tab(client, case, "accused")
        assert "/correct/" not in page


class TestWhoOpensTheCorrectionPages:
    def test_a_prosecutor_not_on_the_case_is_refused(self, client, prosecutor, other_prosecutor):
        case = case_at_trial(prosecutor)
        target = url("correct_plea", case, charge_pk=first_count(case).pk)
        client.force_login(other_prosecutor)
        assert client.get(target).status_code == 403
        data = {"plea": Plea.GUILTY, "plea_date": days_ago(170).isoformat(), "reason": REASON}
        assert client.post(target, data).status_code == 403
        assert not Correction.objects.exists()

    def test_on_a_closed_case_the_prosecutor_is_refused_and_the_unit_head_corrects(
        self, client: FormClient, prosecutor, unit_head
    ):
        case = case_at_judgment(prosecutor, convict=False)
        services.move_stage(case, prosecutor, Stage.CLOSED, effective_on=days_ago(50), closure_reason="concluded")
        accused = Accused.objects.get(case=case)
        target = url("correct_accused", case, accused_pk=accused.pk)
        client.force_login(prosecutor)
        assert client.get(target).status_code == 403
        client.force_login(unit_head)
        assert client.get(target).status_code == 200
        data = {
            "name": "John Mwangi Kamau", "sex": "male", "nationality": "Kenyan", "network_role": "recruiter",
            "custody_status": "released", "reason": "Full name from the judgment",
        }  # fmt: skip
        response = client.post(target, data)
        assert response.status_code == 302
        accused.refresh_from_db()
        assert accused.name == "John Mwangi Kamau"
        correction = Correction.objects.get(case=case)
        assert correction.corrected_by == unit_head and correction.changes["Name"]["to"] == "John Mwangi Kamau"


class TestCorrectingThroughThePages:
    def test_the_plea_form_opens_with_the_recorded_plea_and_saves_a_correction(self, client, prosecutor):
        case = case_at_trial(prosecutor)
        charge = first_count(case)
        target = url("correct_plea", case, charge_pk=charge.pk)
        client.force_login(prosecutor)
        form = client.get(target).context["form"]
        assert form["plea"].value() == Plea.NOT_GUILTY and form["plea_date"].value() == days_ago(170)
        response = client.post(target, {"plea": Plea.GUILTY, "plea_date": days_ago(170).isoformat(), "reason": REASON})
        assert response.status_code == 302 and response["Location"].endswith("?tab=accused")
        charge.refresh_from_db()
        assert charge.plea == Plea.GUILTY
        assert Correction.objects.get(case=case).reason == REASON

    def test_the_correction_shows_on_history_timeline_and_overview_with_its_reason(self, client, prosecutor):
        case = case_at_trial(prosecutor)
        correct_plea(first_count(case), prosecutor, plea=Plea.GUILTY, plea_date=days_ago(170), reason=REASON)
        client.force_login(prosecutor)
        history = tab(client, case, "history")
        block = re.search(r'data-testid="corrections".*?</section>', history, re.S)
        assert block is not None
        for text in ("Correction", "Count 1 against John Mwangi (CTIP Act s.7)", "Not guilty", "Guilty", REASON):
            assert text in block.group(0), text
        assert f"reason: Correction: {REASON}" in history  # the count's own history row, with the old value
        timeline = tab(client, case, "timeline")
        assert 'data-kind="Correction"' in timeline and f"reason: {REASON}" in timeline
        assert REASON in tab(client, case, "overview")

    def test_a_sentence_corrected_with_an_override_shows_the_override(self, client, prosecutor):
        case = sentenced(prosecutor)
        charge = first_count(case)
        target = url("correct_sentence", case, charge_pk=charge.pk)
        client.force_login(prosecutor)
        page = client.get(target).content.decode()
        assert "Statutory range for CTIP Act s.7: at least 360 months (30 years) imprisonment" in page
        assert "The offender was a child (Children Act, 2022)" in page  # the form names the grounds
        data = {
            "sentenced_on": days_ago(90).isoformat(), "custodial_months": "60", "fine_relation": "none",
            "override_ground": "child_offender", "override_reason": "Aged 17 at the offence date",
            "reason": "The judgment reads 5 years",
        }  # fmt: skip
        assert client.post(target, data).status_code == 302
        assert Sentence.objects.get(charge=charge).custodial_months == 60
        page = tab(client, case, "accused")
        assert "Outside the statutory range — The offender was a child (Children Act, 2022): Aged 17" in page

    def test_a_sentence_recorded_in_error_is_removed(self, client, prosecutor):
        case = sentenced(prosecutor)
        charge = first_count(case)
        client.force_login(prosecutor)
        response = client.post(url("correct_sentence", case, charge_pk=charge.pk), {
            "remove": "on", "fine_relation": "none", "reason": "Sentence belongs to the co-accused",
        })  # fmt: skip
        assert response.status_code == 302
        assert not Sentence.objects.filter(charge=charge).exists()

    def test_a_hearing_outcome_is_corrected(self, client, prosecutor):
        case = case_at_trial(prosecutor)
        hearing = services.record_hearing(
            case, prosecutor, date=days_ago(20), purpose=HearingPurpose.HEARING, outcome=HearingOutcome.PROCEEDED
        )
        client.force_login(prosecutor)
        data = {
            "date": days_ago(20).isoformat(), "outcome": "adjourned", "adjournment_reason": "witness_absent",
            "next_date": days_ago(10).isoformat(), "reason": "It was adjourned, not heard",
        }  # fmt: skip
        assert client.post(url("correct_hearing", case, hearing_pk=hearing.pk), data).status_code == 302
        hearing.refresh_from_db()
        assert (hearing.outcome, hearing.next_date) == (HearingOutcome.ADJOURNED, days_ago(10))
        assert case.hearings.filter(date=days_ago(10), outcome=HearingOutcome.SCHEDULED).exists()

    def test_a_form_opened_before_someone_else_corrected_is_refused(self, client: FormClient, prosecutor, unit_head):
        case = case_at_trial(prosecutor)
        charge = first_count(case)
        target = url("correct_plea", case, charge_pk=charge.pk)
        client.force_login(prosecutor)
        opened = client.version_shown(target)
        correct_plea(charge, unit_head, plea=Plea.REFUSED, plea_date=days_ago(170), reason="Refused to plead")
        data = {"plea": Plea.GUILTY, "plea_date": days_ago(170).isoformat(), "reason": REASON, "record_version": opened}
        refused(client, target, data, None, "changed since you opened the form")


class TestBadInput:
    def test_a_correction_without_a_reason(self, client, prosecutor):
        case = case_at_trial(prosecutor)
        client.force_login(prosecutor)
        target = url("correct_plea", case, charge_pk=first_count(case).pk)
        for reason in ("", "   "):
            data = {"plea": Plea.GUILTY, "plea_date": days_ago(170).isoformat(), "reason": reason}
            refused(client, target, data, "reason", REASON_MISSING)

    def test_a_sentence_out_of_range_without_an_override(self, client, prosecutor):
        case = case_at_judgment(prosecutor)
        client.force_login(prosecutor)
        target = url("charge_sentence", case, charge_pk=first_count(case).pk)
        data = {"sentenced_on": days_ago(90).isoformat(), "custodial_months": "24", "fine_relation": "none"}
        refused(client, target, data, "override_ground", "The sentence is below the minimum for CTIP Act s.7")
        sentenced_case = sentenced(prosecutor)
        target = url("correct_sentence", sentenced_case, charge_pk=first_count(sentenced_case).pk)
        refused(client, target, {**data, "reason": "Term misread"}, "override_ground", "below the minimum")

    def test_an_override_ground_without_its_reason(self, client, prosecutor):
        case = case_at_judgment(prosecutor)
        client.force_login(prosecutor)
        data = {
            "sentenced_on": days_ago(90).isoformat(), "custodial_months": "24", "fine_relation": "none",
            "override_ground": "other",
        }  # fmt: skip
        refused(
            client, url("charge_sentence", case, charge_pk=first_count(case).pk), data, "override_reason",
            "Give the reason for the override",
        )  # fmt: skip

    def test_a_conviction_with_a_sentence_corrected_to_an_acquittal(self, client, prosecutor):
        case = sentenced(prosecutor)
        client.force_login(prosecutor)
        data = {"disposition": Disposition.ACQUITTED_NO_CASE, "disposition_date": days_ago(100).isoformat()}
        refused(
            client, url("correct_outcome", case, charge_pk=first_count(case).pk), {**data, "reason": REASON},
            "disposition", "remove the sentence on count 1 first",
        )  # fmt: skip

    def test_a_hearing_moved_after_its_next_date(self, client, prosecutor):
        case = case_at_trial(prosecutor)
        hearing = services.record_hearing(
            case, prosecutor, date=days_ago(20), purpose="hearing", outcome="adjourned",
            adjournment_reason="witness_absent", next_date=days_ago(10),
        )  # fmt: skip
        client.force_login(prosecutor)
        data = {
            "date": days_ago(12).isoformat(), "outcome": "adjourned", "adjournment_reason": "witness_absent",
            "next_date": days_ago(12).isoformat(), "reason": REASON,
        }  # fmt: skip
        refused(
            client, url("correct_hearing", case, hearing_pk=hearing.pk), data, "next_date", "correct the next date too"
        )
