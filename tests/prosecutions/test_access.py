"""Every page, form and export, for every role and for a prosecutor not on the case."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from prosecutions import services
from prosecutions.models import Accused, Case, Charge, Hearing, StageChange
from tests.prosecutions.factories import days_ago
from victims.models import Victim

READERS = ["prosecutor", "other_prosecutor", "unit_head", "liaison", "auditor", "multi_role"]
NON_READERS = ["fund_admin", "fund_approver", "stranger"]
NOT_CASE_EDITORS = ["other_prosecutor", "multi_role", "liaison", "auditor", "fund_admin", "fund_approver", "stranger"]
TABS = ["overview", "accused", "victims", "hearings", "timeline", "history"]


def case_form_urls(case) -> list[str]:
    charge = Charge.objects.filter(accused__case=case).order_by("count_number")[0]
    accused = case.accused.first()
    hearing = services.record_hearing(case, case.lead_prosecutor, date=days_ago(-5), purpose="mention")
    names = [
        ("case_edit", []),
        ("case_stage", []),
        ("accused_create", []),
        ("accused_edit", [accused.pk]),
        ("charge_create", [accused.pk]),
        ("charge_plea", [charge.pk]),
        ("charge_disposition", [charge.pk]),
        ("charge_sentence", [charge.pk]),
        ("victim_create", []),
        ("hearing_create", []),
        ("hearing_outcome", [hearing.pk]),
    ]
    return [reverse(f"prosecutions:{name}", args=[case.pk, *extra]) for name, extra in names]


def login(client: Client, request, persona: str) -> None:
    client.force_login(request.getfixturevalue(persona))


@pytest.mark.parametrize("persona", READERS)
def test_case_readers_open_the_list_every_tab_and_the_export(client, request, case, persona):
    login(client, request, persona)
    assert client.get(reverse("prosecutions:case_list")).status_code == 200
    for tab in TABS:
        response = client.get(reverse("prosecutions:case_detail", args=[case.pk]) + f"?tab={tab}")
        assert response.status_code == 200, tab
        assert case.reference in response.content.decode()
    export = client.get(reverse("prosecutions:case_list") + "?export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


@pytest.mark.parametrize("persona", NON_READERS)
def test_fund_roles_and_strangers_see_no_case(client, request, case, persona):
    login(client, request, persona)
    for url in (
        reverse("prosecutions:case_list"),
        reverse("prosecutions:case_list") + "?export=xlsx",
        reverse("prosecutions:case_detail", args=[case.pk]),
        reverse("prosecutions:my_cases"),
        reverse("prosecutions:hearing_list"),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert case.title not in response.content.decode()


@pytest.mark.parametrize("persona", NOT_CASE_EDITORS)
def test_everyone_else_is_refused_every_form_and_changes_nothing(client, request, case, persona):
    urls = case_form_urls(case)
    login(client, request, persona)
    moves = StageChange.objects.filter(case=case).count()
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"to_stage": "trial", "effective_on": days_ago(1).isoformat()}).status_code == 403
    assert StageChange.objects.filter(case=case).count() == moves


def test_a_prosecutor_not_on_the_case_reads_it_but_sees_no_change_buttons(client, case, other_prosecutor):
    client.force_login(other_prosecutor)
    page = client.get(reverse("prosecutions:case_detail", args=[case.pk])).content.decode()
    assert case.title in page
    assert 'data-testid="move-stage"' not in page and 'data-testid="read-only"' in page


def test_a_team_member_may_change_the_case(client, case, other_prosecutor, unit_head):
    services.assign_prosecutors(case, unit_head, lead_prosecutor=case.lead_prosecutor, team=[other_prosecutor])
    client.force_login(other_prosecutor)
    assert client.get(reverse("prosecutions:case_stage", args=[case.pk])).status_code == 200


def test_a_missing_case_answers_404(client, prosecutor):
    client.force_login(prosecutor)
    assert client.get(reverse("prosecutions:case_detail", args=[99999])).status_code == 404
    assert client.get(reverse("prosecutions:case_stage", args=[99999])).status_code == 404


def test_a_child_record_of_another_case_answers_404(client, prosecutor, case):
    from tests.prosecutions.factories import charged_case

    other = charged_case(prosecutor)
    foreign_charge = Charge.objects.filter(accused__case=other).order_by("count_number")[0]
    client.force_login(prosecutor)
    assert client.get(reverse("prosecutions:charge_plea", args=[case.pk, foreign_charge.pk])).status_code == 404


def test_a_closed_case_is_read_only_and_only_the_unit_head_reopens(client, prosecutor, unit_head, case):
    services.move_stage(case, prosecutor, "closed", effective_on=days_ago(1), closure_reason="withdrawn")
    reopen = reverse("prosecutions:case_reopen", args=[case.pk])
    client.force_login(prosecutor)
    assert client.get(reverse("prosecutions:accused_create", args=[case.pk])).status_code == 403
    assert client.get(reopen).status_code == 403
    client.force_login(unit_head)
    response = client.post(reopen, {"reason": "Fresh evidence", "effective_on": days_ago(0).isoformat()})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == "pre_trial"


def test_fund_roles_get_numbers_and_titles_only(case, fund_admin, stranger):
    from prosecutions.access import case_labels_visible_to

    rows = list(case_labels_visible_to(fund_admin))
    assert rows == [{"id": case.pk, "reference": case.reference, "title": case.title}]
    assert list(case_labels_visible_to(stranger)) == []


@pytest.mark.parametrize("persona", READERS)
def test_case_readers_see_every_case_and_what_hangs_on_it(request, case, persona):
    services.add_victim(case, case.lead_prosecutor, exploitation_type="forced_labour", identified_on=days_ago(10))
    services.record_hearing(case, case.lead_prosecutor, date=days_ago(-5), purpose="mention")
    user = request.getfixturevalue(persona)
    for model in (Case, Accused, Charge, Victim, Hearing, StageChange):
        assert model.objects.visible_to(user).count() == model.objects.count() > 0, model.__name__


@pytest.mark.parametrize("persona", NON_READERS)
def test_fund_roles_and_strangers_see_no_case_record(request, case, persona):
    user = request.getfixturevalue(persona)
    for model in (Case, Accused, Charge, Victim, Hearing, StageChange):
        assert not model.objects.visible_to(user).exists(), model.__name__
