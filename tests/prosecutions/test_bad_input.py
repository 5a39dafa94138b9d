"""Every bad input named in the prosecutions issue, submitted through the real form pages: the form comes
back with the error in words, and nothing is saved — no row and no history row in the app changes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from core.models import County
from prosecutions import services
from prosecutions.models import Case, Charge
from tests.helpers import post_refused as refused
from tests.prosecutions.factories import (
    case_at_judgment,
    case_at_trial,
    charged_case,
    court,
    days_ago,
    make_accused,
    make_case,
)

pytestmark = pytest.mark.django_db


def post_refused(client: Client, url: str, data: dict[str, Any], field: str | None, words: str) -> None:
    """POST ``data`` to a prosecutions form: refused with ``words`` on ``field``, nothing saved."""
    refused(client, url, data, field, words, "prosecutions")


@pytest.fixture
def signed_in(client: Client, prosecutor) -> Client:
    client.force_login(prosecutor)
    return client


def future() -> str:
    return days_ago(-2).isoformat()


# --- stage moves ---------------------------------------------------------------------------------


def stage_url(case: Case) -> str:
    return reverse("prosecutions:case_stage", args=[case.pk])


def test_an_illegal_move_is_refused_in_words(signed_in: Client, prosecutor) -> None:
    case = make_case(prosecutor)
    post_refused(
        signed_in,
        stage_url(case),
        {"to_stage": "trial", "effective_on": days_ago(1).isoformat()},
        "to_stage",
        "A case at Investigation cannot make that move. From Investigation it can go to: Charging decision, Closed.",
    )
    case.refresh_from_db()
    assert case.stage == "investigation"


def test_a_stale_page_asking_for_a_move_no_longer_legal_is_refused(signed_in: Client, prosecutor) -> None:
    case = case_at_trial(prosecutor)
    services.move_stage(case, prosecutor, "judgment", effective_on=days_ago(5))
    post_refused(
        signed_in,
        stage_url(case),
        {"to_stage": "judgment", "effective_on": days_ago(1).isoformat()},
        "to_stage",
        "A case at Judgment cannot make that move.",
    )


@pytest.mark.parametrize(
    ("build", "data", "field", "words"),
    [
        pytest.param(
            "charging_decision",
            {"to_stage": "pre_trial"},
            "to_stage",
            "add at least one accused with at least one count",
            id="pre_trial-needs-a-count",
        ),
        pytest.param(
            "judgment_acquitted",
            {"to_stage": "sentencing"},
            "to_stage",
            "Sentencing needs a conviction",
            id="sentencing-needs-a-conviction",
        ),
        pytest.param(
            "trial",
            {"to_stage": "closed", "closure_reason": "concluded"},
            "closure_reason",
            "every count has an outcome: 2 counts are still pending",
            id="concluded-needs-every-count-disposed",
        ),
        pytest.param(
            "trial", {"to_stage": "closed"}, "closure_reason", "Give the reason for closing the case.", id="no-reason"
        ),
    ],
)
def test_a_failed_guard_is_refused_in_words(signed_in: Client, prosecutor, build, data, field, words) -> None:
    if build == "charging_decision":
        case = make_case(prosecutor)
        services.move_stage(case, prosecutor, "charging_decision", effective_on=days_ago(5))
    elif build == "judgment_acquitted":
        case = case_at_judgment(prosecutor, convict=False)
    else:
        case = case_at_trial(prosecutor)
    stage = case.stage
    post_refused(signed_in, stage_url(case), {**data, "effective_on": days_ago(1).isoformat()}, field, words)
    case.refresh_from_db()
    assert case.stage == stage


def test_a_move_dated_in_the_future_is_refused(signed_in: Client, prosecutor) -> None:
    case = make_case(prosecutor)
    post_refused(
        signed_in,
        stage_url(case),
        {"to_stage": "charging_decision", "effective_on": future()},
        "effective_on",
        "cannot be in the future",
    )


# --- counts, outcomes and sentences --------------------------------------------------------------


def test_a_duplicate_count_number_for_the_same_accused_is_refused(signed_in: Client, prosecutor) -> None:
    case = charged_case(prosecutor)
    accused = case.accused.get()
    post_refused(
        signed_in,
        reverse("prosecutions:charge_create", args=[case.pk, accused.pk]),
        {"count_number": 2, "offence": "ctip:3(1)", "offence_date": days_ago(300).isoformat()},
        "count_number",
        "John Mwangi already has a count 2. Use the next free count number.",
    )


def test_the_same_count_number_for_another_accused_is_fine(signed_in: Client, prosecutor) -> None:
    case = charged_case(prosecutor)
    other = make_accused(case, prosecutor, name="Mary Njeri")
    response = signed_in.post(
        reverse("prosecutions:charge_create", args=[case.pk, other.pk]),
        {"count_number": 1, "offence": "ctip:7", "offence_date": days_ago(300).isoformat()},
    )
    assert response.status_code == 302
    assert Charge.objects.filter(accused=other, count_number=1).exists()


def test_an_offence_dated_in_the_future_is_refused(signed_in: Client, prosecutor) -> None:
    case = charged_case(prosecutor)
    accused = case.accused.get()
    post_refused(
        signed_in,
        reverse("prosecutions:charge_create", args=[case.pk, accused.pk]),
        {"count_number": 3, "offence": "ctip:7", "offence_date": future()},
        "offence_date",
        "cannot be in the future",
    )


def test_a_plea_dated_in_the_future_is_refused(signed_in: Client, prosecutor) -> None:
    case = charged_case(prosecutor)
    charge = Charge.objects.filter(accused__case=case).first()
    assert charge is not None
    post_refused(
        signed_in,
        reverse("prosecutions:charge_plea", args=[case.pk, charge.pk]),
        {"plea": "not_guilty", "plea_date": future()},
        "plea_date",
        "cannot be in the future",
    )


def disposition_url(case: Case) -> str:
    charge = Charge.objects.filter(accused__case=case).order_by("count_number").first()
    assert charge is not None
    return reverse("prosecutions:charge_disposition", args=[case.pk, charge.pk])


@pytest.mark.parametrize(
    ("at", "disposition", "words"),
    [
        pytest.param(
            "pre_trial",
            "acquitted_s210",
            "No case to answer (s.210) is ruled only at the close of the prosecution case",
            id="s210-before-trial",
        ),
        pytest.param("pre_trial", "convicted_trial", "cannot be recorded while the case is at Pre-trial", id="verdict"),
        pytest.param(
            "pre_trial", "acquitted_s87b", "cannot be recorded while the case is at Pre-trial", id="s87b-pretrial"
        ),
        pytest.param(
            "trial", "convicted_trial", "cannot be recorded while the case is at Trial", id="verdict-at-trial"
        ),
        pytest.param("trial", "acquitted_s215", "move the case to Judgment first", id="acquittal-at-trial"),
        pytest.param(
            "judgment",
            "acquitted_s87b",
            "a withdrawal now is a discharge under s.87(a), not an acquittal under s.87(b)",
            id="s87b-before-defence",
        ),
        pytest.param(
            "judgment",
            "acquitted_s215",
            "An acquittal after defence (s.215) needs a defence hearing on record",
            id="s215-before-defence",
        ),
    ],
)
def test_a_disposition_at_the_wrong_stage_is_refused(signed_in: Client, prosecutor, at, disposition, words) -> None:
    case = charged_case(prosecutor) if at == "pre_trial" else case_at_trial(prosecutor)
    if at == "judgment":
        services.move_stage(case, prosecutor, "judgment", effective_on=days_ago(5))
    post_refused(
        signed_in,
        disposition_url(case),
        {"disposition": disposition, "disposition_date": days_ago(1).isoformat()},
        "disposition",
        words,
    )
    assert not Charge.objects.filter(accused__case=case).exclude(disposition="pending").exists()


def test_a_disposition_dated_in_the_future_is_refused(signed_in: Client, prosecutor) -> None:
    case = case_at_trial(prosecutor)
    services.move_stage(case, prosecutor, "judgment", effective_on=days_ago(5))
    post_refused(
        signed_in,
        disposition_url(case),
        {"disposition": "convicted_trial", "disposition_date": future()},
        "disposition_date",
        "cannot be in the future",
    )


def sentence_url(case: Case) -> str:
    charge = Charge.objects.filter(accused__case=case).order_by("count_number").first()
    assert charge is not None
    return reverse("prosecutions:charge_sentence", args=[case.pk, charge.pk])


SENTENCE = {"custodial_months": 360, "fine_relation": "none"}


@pytest.mark.parametrize("verdict", ["acquitted", "pending"])
def test_a_sentence_on_a_count_that_is_not_a_conviction_is_refused(signed_in: Client, prosecutor, verdict) -> None:
    if verdict == "acquitted":
        case = case_at_judgment(prosecutor, convict=False)
        words = "is acquitted — no case to answer (s.210): a sentence is passed only on a conviction."
    else:
        case = case_at_trial(prosecutor)
        services.move_stage(case, prosecutor, "judgment", effective_on=days_ago(5))
        words = "is pending: a sentence is passed only on a conviction."
    post_refused(signed_in, sentence_url(case), {**SENTENCE, "sentenced_on": days_ago(1).isoformat()}, None, words)


def test_a_sentence_dated_in_the_future_is_refused(signed_in: Client, prosecutor) -> None:
    case = case_at_judgment(prosecutor)
    post_refused(
        signed_in, sentence_url(case), {**SENTENCE, "sentenced_on": future()}, "sentenced_on", "cannot be in the future"
    )


# --- victims, cases, hearings --------------------------------------------------------------------


def test_a_victim_identified_in_the_future_is_refused(signed_in: Client, prosecutor) -> None:
    case = charged_case(prosecutor)
    post_refused(
        signed_in,
        reverse("prosecutions:victim_create", args=[case.pk]),
        {"exploitation_type": "forced_labour", "identified_on": future(), "sex": "female"},
        "identified_on",
        "cannot be in the future",
    )


def test_a_case_opened_in_the_future_is_refused(signed_in: Client, prosecutor) -> None:
    post_refused(
        signed_in,
        reverse("prosecutions:case_create"),
        {
            "title": "Republic v. X",
            "county": County.objects.get(code="047").pk,
            "opened_on": future(),
            "scope": "internal",
        },
        "opened_on",
        "cannot be in the future",
    )


def hearing_data(**changes: Any) -> dict[str, Any]:
    return {
        "date": days_ago(3).isoformat(),
        "court": court().pk,
        "purpose": "hearing",
        "outcome": "adjourned",
        "adjournment_reason": "witness_absent",
        "next_date": days_ago(-10).isoformat(),
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        pytest.param(
            {"next_date": days_ago(4).isoformat()},
            "next_date",
            "The next date must be after the hearing date.",
            id="next-before",
        ),
        pytest.param(
            {"next_date": days_ago(3).isoformat()},
            "next_date",
            "The next date must be after the hearing date.",
            id="next-same-day",
        ),
        pytest.param(
            {"date": future(), "next_date": days_ago(-20).isoformat()},
            "date",
            "cannot be in the future: record events once they have happened.",
            id="held-in-future",
        ),
        pytest.param({"next_date": ""}, "next_date", "Give the date the hearing was adjourned to.", id="no-next"),
    ],
)
def test_a_bad_hearing_is_refused(signed_in: Client, prosecutor, changes, field, words) -> None:
    case = case_at_trial(prosecutor)
    post_refused(
        signed_in, reverse("prosecutions:hearing_create", args=[case.pk]), hearing_data(**changes), field, words
    )


def test_a_hearing_outcome_with_the_next_date_before_the_hearing_is_refused(signed_in: Client, prosecutor) -> None:
    case = case_at_trial(prosecutor)
    hearing = services.record_hearing(case, prosecutor, date=days_ago(2), purpose="hearing")
    post_refused(
        signed_in,
        reverse("prosecutions:hearing_outcome", args=[case.pk, hearing.pk]),
        {"outcome": "adjourned", "adjournment_reason": "witness_absent", "next_date": days_ago(5).isoformat()},
        "next_date",
        "The next date must be after the hearing date.",
    )
    hearing.refresh_from_db()
    assert hearing.outcome == "scheduled" and hearing.next_date is None


def test_an_outcome_for_a_hearing_not_yet_held_is_refused(signed_in: Client, prosecutor) -> None:
    case = case_at_trial(prosecutor)
    hearing = services.record_hearing(case, prosecutor, date=days_ago(-3), purpose="mention")
    post_refused(
        signed_in,
        reverse("prosecutions:hearing_outcome", args=[case.pk, hearing.pk]),
        {"outcome": "proceeded"},
        None,
        "cannot be in the future",
    )
