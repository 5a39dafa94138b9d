"""Stale forms on a case: Achieng (the lead prosecutor) opens a form, Brian (on the team) changes the case
or the count through the service, and Achieng's form is refused with what Brian changed — nothing saved.

The issue's own case comes first: a "close case" sent while Achieng saw the case at trial, after Brian
had moved it to judgment.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from core.models import User
from core.roles import Role
from prosecutions import services
from prosecutions.choices import Disposition, Stage
from prosecutions.models import Case, Charge, Sentence, StageChange
from tests.factories import UserFactory
from tests.helpers import FormClient, post_refused
from tests.prosecutions.factories import case_at_judgment, case_at_trial, charged_case, days_ago

pytestmark = pytest.mark.django_db

APP = "prosecutions"


def refused(client: FormClient, url: str, data: dict[str, Any], words: str) -> None:
    post_refused(client, url, data, None, words, APP)


@pytest.fixture
def signed_in(client: FormClient, prosecutor: User) -> FormClient:
    client.force_login(prosecutor)
    return client


def with_brian(case: Case, unit_head: User, prosecutor: User, brian: User) -> Case:
    services.assign_prosecutors(case, unit_head, lead_prosecutor=prosecutor, team=[brian])
    return case


def first_count(case: Case) -> Charge:
    charge = Charge.objects.filter(accused__case=case).order_by("count_number").first()
    assert charge is not None
    return charge


def test_closing_a_case_someone_moved_to_judgment_meanwhile_is_refused(
    signed_in: FormClient, prosecutor: User, other_prosecutor: User, unit_head: User
) -> None:
    case = with_brian(case_at_trial(prosecutor), unit_head, prosecutor, other_prosecutor)
    url = reverse("prosecutions:case_stage", args=[case.pk])
    opened = signed_in.version_shown(url)  # Achieng sees the case at trial and opens "Move stage"
    services.move_stage(case, other_prosecutor, Stage.JUDGMENT, effective_on=days_ago(2))
    moves = StageChange.objects.filter(case=case).count()

    close = {"to_stage": Stage.CLOSED, "closure_reason": "withdrawn", "effective_on": days_ago(1).isoformat()}
    response = signed_in.post(url, {**close, "record_version": opened})
    assert response.status_code == 200
    message = " ".join(response.context["form"].non_field_errors())
    assert re.search(
        rf"Case {re.escape(case.reference)} changed since you opened the form: stage moved from Trial to Judgment "
        r"by Brian Kiprotich at \d\d:\d\d\. Nothing was saved",
        message,
    ), message
    case.refresh_from_db()
    assert case.stage == Stage.JUDGMENT
    assert StageChange.objects.filter(case=case).count() == moves

    # The page now carries the case as Achieng has been told it is: sending it again closes it.
    again = response.context["form"]["record_version"].value()
    assert again != opened
    assert signed_in.post(url, {**close, "record_version": again}).status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED


def test_nothing_at_all_is_saved_when_a_stage_move_is_refused(
    signed_in: FormClient, prosecutor: User, other_prosecutor: User, unit_head: User
) -> None:
    case = with_brian(case_at_trial(prosecutor), unit_head, prosecutor, other_prosecutor)
    url = reverse("prosecutions:case_stage", args=[case.pk])
    opened = signed_in.version_shown(url)
    services.move_stage(case, other_prosecutor, Stage.JUDGMENT, effective_on=days_ago(2))
    data = {"to_stage": Stage.CLOSED, "closure_reason": "withdrawn", "effective_on": days_ago(1).isoformat()}
    refused(signed_in, url, {**data, "record_version": opened}, "stage moved from Trial to Judgment by Brian Kiprotich")


def test_a_form_sent_on_the_version_it_opened_on_still_works(signed_in: FormClient, prosecutor: User) -> None:
    case = case_at_trial(prosecutor)
    url = reverse("prosecutions:case_stage", args=[case.pk])
    opened = signed_in.version_shown(url)
    data = {"to_stage": Stage.JUDGMENT, "effective_on": days_ago(1).isoformat(), "record_version": opened}
    assert signed_in.post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.JUDGMENT


def test_a_hearing_recorded_meanwhile_does_not_refuse_an_edit_of_the_case(
    signed_in: FormClient, prosecutor: User, other_prosecutor: User, unit_head: User
) -> None:
    """A hearing moves the case's last activity forward: bookkeeping, not a change the edit depends on."""
    case = with_brian(charged_case(prosecutor), unit_head, prosecutor, other_prosecutor)
    url = reverse("prosecutions:case_edit", args=[case.pk])
    opened = signed_in.version_shown(url)
    before = case.last_activity_on
    services.record_hearing(case, other_prosecutor, date=days_ago(1), purpose="mention", outcome="proceeded")
    case.refresh_from_db()
    assert case.last_activity_on > before
    data = {"title": "Republic v. Mwangi and another", "county": case.county_id, "court": case.court_id}
    data.update({"scope": case.scope, "court_case_type": case.court_case_type, "record_version": opened})
    data.update({"court_case_serial": case.court_case_serial, "court_case_year": case.court_case_year or ""})
    assert signed_in.post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.title == "Republic v. Mwangi and another"


def test_an_outcome_recorded_by_someone_else_refuses_the_outcome_form(
    signed_in: FormClient, prosecutor: User, other_prosecutor: User, unit_head: User
) -> None:
    case = with_brian(case_at_trial(prosecutor), unit_head, prosecutor, other_prosecutor)
    services.move_stage(case, prosecutor, Stage.JUDGMENT, effective_on=days_ago(5))
    charge = first_count(case)
    url = reverse("prosecutions:charge_disposition", args=[case.pk, charge.pk])
    opened = signed_in.version_shown(url)
    services.record_disposition(
        charge, other_prosecutor, disposition=Disposition.CONVICTED_AFTER_TRIAL, disposition_date=days_ago(2)
    )
    data = {"disposition": Disposition.ACQUITTED_AFTER_DEFENCE, "disposition_date": days_ago(1).isoformat()}
    refused(
        signed_in,
        url,
        {**data, "record_version": opened},
        "Count 1 against John Mwangi changed since you opened the form: disposition changed from Pending to "
        "Convicted after trial (s.215)",
    )
    charge.refresh_from_db()
    assert charge.disposition == Disposition.CONVICTED_AFTER_TRIAL


def test_a_sentence_passed_by_someone_else_refuses_the_sentence_form(
    signed_in: FormClient, prosecutor: User, other_prosecutor: User, unit_head: User
) -> None:
    case = with_brian(case_at_judgment(prosecutor), unit_head, prosecutor, other_prosecutor)
    services.move_stage(case, prosecutor, Stage.SENTENCING, effective_on=days_ago(50))
    charge = first_count(case)
    url = reverse("prosecutions:charge_sentence", args=[case.pk, charge.pk])
    opened = signed_in.version_shown(url)
    assert opened.endswith(".0")  # no sentence on the count yet
    services.record_sentence(charge, other_prosecutor, sentenced_on=days_ago(20), custodial_months=360)
    data = {"sentenced_on": days_ago(10).isoformat(), "custodial_months": "60", "fine_relation": "none"}
    refused(
        signed_in,
        url,
        {**data, "record_version": opened},
        "The sentence on count 1 against John Mwangi changed since you opened the form: recorded by Brian Kiprotich",
    )
    assert Sentence.objects.get(charge=charge).custodial_months == 360


def test_adding_to_a_case_depends_on_its_stage_not_on_its_details(
    signed_in: FormClient, prosecutor: User, other_prosecutor: User, unit_head: User
) -> None:
    """An accused is added to the case at the stage the prosecutor saw: a new title does not matter, the
    trial having started since does. (Closed since, the case is read-only: the page answers 403.)"""
    case = with_brian(charged_case(prosecutor), unit_head, prosecutor, other_prosecutor)
    url = reverse("prosecutions:accused_create", args=[case.pk])
    accused = {"name": "Peter Otieno", "sex": "male", "network_role": "recruiter", "custody_status": "remanded"}

    opened = signed_in.version_shown(url)
    services.update_case_details(case, other_prosecutor, title="Republic v. John Mwangi and another")
    assert signed_in.post(url, {**accused, "record_version": opened}).status_code == 302

    for charge in Charge.objects.filter(accused__case=case):  # the pleas a trial needs
        services.record_plea(charge, other_prosecutor, plea="not_guilty", plea_date=days_ago(2))
    opened = signed_in.version_shown(url)
    services.move_stage(case, other_prosecutor, Stage.TRIAL, effective_on=days_ago(1))
    refused(
        signed_in,
        url,
        {**accused, "name": "Mary Achieng", "record_version": opened},
        f"Case {case.reference} changed since you opened the form: stage moved from Pre-trial to Trial by Brian "
        "Kiprotich",
    )

    opened = signed_in.version_shown(url)
    services.move_stage(case, other_prosecutor, Stage.CLOSED, closure_reason="withdrawn", effective_on=days_ago(1))
    response = signed_in.post(url, {**accused, "name": "Mary Achieng", "record_version": opened})
    assert response.status_code == 403
    assert not case.accused.filter(name="Mary Achieng").exists()


def test_a_team_changed_by_another_unit_head_refuses_the_team_form(
    client: FormClient, prosecutor: User, other_prosecutor: User, unit_head: User
) -> None:
    """The team is not a column of the case, yet changing it is a change the team form depends on."""
    deputy = UserFactory.create(first_name="Joyce", last_name="Wekesa", roles=[Role.UNIT_HEAD])
    case = charged_case(prosecutor)
    client.force_login(unit_head)
    url = reverse("prosecutions:case_team", args=[case.pk])
    opened = client.version_shown(url)
    services.assign_prosecutors(case, deputy, lead_prosecutor=prosecutor, team=[other_prosecutor])
    refused(
        client,
        url,
        {"lead_prosecutor": prosecutor.pk, "record_version": opened},
        "changed since you opened the form: saved by Joyce Wekesa at ",
    )
    assert list(case.team.all()) == [other_prosecutor]
