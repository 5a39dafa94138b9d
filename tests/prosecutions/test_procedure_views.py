"""The procedure guards through the pages: the stage form offers only the moves the case is ready for and
says why the others are not yet possible; "Convict on own plea"; the home panel of hearings held with no
outcome recorded."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prosecutions import services
from prosecutions.choices import Disposition, HearingOutcome, Plea, Stage
from prosecutions.models import Case, Charge
from prosecutions.queries import PANEL_ROWS, hearings_without_outcome_context
from tests.helpers import FormClient, post_refused
from tests.prosecutions.factories import case_at_trial, charged_case, days_ago, make_accused, make_case, make_charge

pytestmark = pytest.mark.django_db


def refused(client: FormClient, url: str, data: dict, field: str | None, words: str) -> None:
    post_refused(client, url, data, field, words, "prosecutions")


def plead(case: Case, user, plea: str) -> None:
    for charge in Charge.objects.filter(accused__case=case):
        services.record_plea(charge, user, plea=plea, plea_date=days_ago(20))


def stage_options(page: str) -> list[str]:
    select = re.search(r'<select name="to_stage".*?</select>', page, re.S)
    assert select is not None
    return re.findall(r'<option value="([a-z_]+)"', select.group(0))


class TestTheStageForm:
    def test_pre_trial_is_not_offered_until_the_court_number_is_set_and_the_reason_is_shown(self, client, prosecutor):
        case = make_case(prosecutor)
        make_charge(make_accused(case, prosecutor), prosecutor)
        services.move_stage(case, prosecutor, Stage.CHARGING_DECISION, effective_on=days_ago(5))
        client.force_login(prosecutor)
        url = reverse("prosecutions:case_stage", args=[case.pk])
        page = client.get(url).content.decode()
        assert stage_options(page) == ["investigation", "closed"]
        assert "Not yet to Pre-trial: A case goes to pre-trial (plea) only once it is registered in court" in page
        refused(
            client,
            url,
            {"to_stage": "pre_trial", "effective_on": days_ago(1).isoformat()},
            "to_stage",
            "the court case number is missing. Set it under Edit details.",
        )
        services.update_case_details(case, prosecutor, court_case_serial="E55", court_case_year=2026)
        assert stage_options(client.get(url).content.decode()) == ["investigation", "pre_trial", "closed"]

    def test_trial_is_not_offered_before_every_plea_and_a_stale_request_is_refused_in_words(self, client, prosecutor):
        case = charged_case(prosecutor)
        client.force_login(prosecutor)
        url = reverse("prosecutions:case_stage", args=[case.pk])
        page = client.get(url).content.decode()
        assert stage_options(page) == ["closed"]
        assert "Not yet to Trial: A trial starts only once every accused has pleaded" in page
        refused(
            client,
            url,
            {"to_stage": "trial", "effective_on": days_ago(1).isoformat()},
            "to_stage",
            "no plea yet on: John Mwangi count 1, count 2",
        )
        plead(case, prosecutor, Plea.NOT_GUILTY)
        assert stage_options(client.get(url).content.decode()) == ["trial", "closed"]
        assert client.post(url, {"to_stage": "trial", "effective_on": days_ago(1).isoformat()}).status_code == 302

    def test_the_reasons_under_the_field_are_escaped(self, client, prosecutor):
        case = charged_case(prosecutor)
        make_charge(make_accused(case, prosecutor, name="<b>Bold</b> Otieno"), prosecutor)
        client.force_login(prosecutor)
        page = client.get(reverse("prosecutions:case_stage", args=[case.pk])).content.decode()
        assert "&lt;b&gt;Bold&lt;/b&gt; Otieno count 1" in page
        assert "<b>Bold</b>" not in page

    @pytest.mark.parametrize("value", ["flying", "judgment", "'; DROP TABLE prosecutions_case; --", "x" * 10_000])
    def test_an_unknown_or_illegal_move_is_refused_in_words_and_saves_nothing(self, client, prosecutor, value):
        case = charged_case(prosecutor)
        client.force_login(prosecutor)
        refused(
            client,
            reverse("prosecutions:case_stage", args=[case.pk]),
            {"to_stage": value, "effective_on": days_ago(1).isoformat()},
            "to_stage",
            "A case at Pre-trial cannot make that move. From Pre-trial it can go to: Trial, Sentencing, Closed.",
        )


class TestConvictOnOwnPleaPage:
    def test_it_lists_the_counts_convicts_and_goes_to_sentencing(self, client, prosecutor):
        case = charged_case(prosecutor)
        plead(case, prosecutor, Plea.GUILTY)
        client.force_login(prosecutor)
        detail = client.get(case.get_absolute_url()).content.decode()
        assert 'data-testid="convict-own-plea"' in detail
        url = reverse("prosecutions:case_own_plea", args=[case.pk])
        page = client.get(url).content.decode()
        assert 'data-testid="own-plea-counts"' in page and page.count("<td>Guilty</td>") == 2
        response = client.post(url, {"effective_on": days_ago(2).isoformat(), "reason": "Plea taken in court 2"})
        assert response.status_code == 302
        assert response["Location"].endswith("?tab=timeline")
        case.refresh_from_db()
        assert case.stage == Stage.SENTENCING
        assert set(Charge.objects.filter(accused__case=case).values_list("disposition", flat=True)) == {
            Disposition.CONVICTED_OWN_PLEA
        }
        timeline = client.get(case.get_absolute_url() + "?tab=timeline").content.decode()
        assert "Pre-trial → Sentencing" in timeline and "→ Trial" not in timeline and "→ Judgment" not in timeline

    def test_a_date_in_the_future_is_refused_and_nothing_saved(self, client, prosecutor):
        case = charged_case(prosecutor)
        plead(case, prosecutor, Plea.GUILTY)
        client.force_login(prosecutor)
        refused(
            client,
            reverse("prosecutions:case_own_plea", args=[case.pk]),
            {"effective_on": days_ago(-2).isoformat()},
            "effective_on",
            "cannot be in the future",
        )

    def test_with_a_count_denied_it_is_not_offered_and_refused_with_the_reason(self, client, prosecutor):
        case = charged_case(prosecutor)
        first, second = Charge.objects.filter(accused__case=case).order_by("count_number")
        services.record_plea(first, prosecutor, plea=Plea.GUILTY, plea_date=days_ago(20))
        services.record_plea(second, prosecutor, plea=Plea.NOT_GUILTY, plea_date=days_ago(20))
        client.force_login(prosecutor)
        assert 'data-testid="convict-own-plea"' not in client.get(case.get_absolute_url()).content.decode()
        url = reverse("prosecutions:case_own_plea", args=[case.pk])
        assert 'data-testid="own-plea-refusal"' in client.get(url).content.decode()
        refused(
            client,
            url,
            {"effective_on": days_ago(1).isoformat()},
            None,
            "not admitted: John Mwangi count 2. With mixed pleas the case goes to trial on the counts denied.",
        )

    def test_a_prosecutor_off_the_case_is_refused(self, client, prosecutor, other_prosecutor):
        case = charged_case(prosecutor)
        plead(case, prosecutor, Plea.GUILTY)
        client.force_login(other_prosecutor)
        url = reverse("prosecutions:case_own_plea", args=[case.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"effective_on": days_ago(1).isoformat()}).status_code == 403
        case.refresh_from_db()
        assert case.stage == Stage.PRE_TRIAL


def test_no_hearing_button_before_the_case_is_charged(client, prosecutor):
    case = make_case(prosecutor)
    client.force_login(prosecutor)
    for tab in ("overview", "hearings"):
        page = client.get(case.get_absolute_url() + f"?tab={tab}").content.decode()
        assert 'data-testid="add-hearing"' not in page and 'data-testid="tab-add-hearing"' not in page
        assert 'data-testid="add-accused"' in page


# --- home: hearings held with no outcome recorded ------------------------------------------------


def overdue(case: Case, user, days: int, purpose: str = "mention"):
    """A hearing scheduled for ``days`` ago whose outcome nobody recorded."""
    return services.record_hearing(case, user, date=days_ago(days), purpose=purpose)


class TestHearingsWithoutOutcomePanel:
    def test_a_prosecutor_sees_their_own_until_the_outcome_is_recorded(self, client, prosecutor, other_prosecutor):
        mine = case_at_trial(prosecutor)
        held = overdue(mine, prosecutor, 3)
        services.record_hearing(mine, prosecutor, date=days_ago(0), purpose="hearing")  # today: not yet overdue
        services.record_hearing(mine, prosecutor, date=days_ago(-4), purpose="hearing")  # ahead
        services.record_hearing(mine, prosecutor, date=days_ago(6), purpose="hearing", outcome="proceeded")
        theirs = case_at_trial(other_prosecutor, title="Republic v. Theirs")
        overdue(theirs, other_prosecutor, 5)
        client.force_login(prosecutor)
        page = client.get("/").content.decode()
        assert 'data-panel="hearings_without_outcome"' in page and "Hearings without an outcome" in page
        record = reverse("prosecutions:hearing_outcome", args=[mine.pk, held.pk])
        assert page.count('data-testid="overdue-hearing"') == 1
        assert f'href="{record}"' in page and "Outcome not recorded" in page
        assert theirs.reference not in page

        response = client.post(record, {"outcome": HearingOutcome.PROCEEDED})
        assert response.status_code == 302
        page = client.get("/").content.decode()
        assert 'data-testid="overdue-hearing"' not in page and 'data-testid="no-overdue-outcomes"' in page

    def test_the_unit_head_sees_every_open_case_and_nobody_sees_closed_ones(self, client, prosecutor, unit_head):
        first = case_at_trial(prosecutor)
        overdue(first, prosecutor, 3)
        closed = case_at_trial(prosecutor, title="Republic v. Closed")
        overdue(closed, prosecutor, 4)
        services.move_stage(closed, prosecutor, Stage.CLOSED, effective_on=days_ago(1), closure_reason="withdrawn")
        context = hearings_without_outcome_context(unit_head)
        assert [h.case_id for h in context["hearings"]] == [first.pk]
        assert context["total"] == 1 and context["scope"] == "All cases of the unit."
        client.force_login(unit_head)
        assert first.reference in client.get("/").content.decode()

    def test_roles_without_a_diary_do_not_get_the_panel(self, client, auditor, liaison):
        for user in (auditor, liaison):
            client.force_login(user)
            assert 'data-panel="hearings_without_outcome"' not in client.get("/").content.decode()

    def test_it_runs_two_queries_for_one_hearing_or_many_and_shows_the_oldest(self, prosecutor):
        case = case_at_trial(prosecutor)
        overdue(case, prosecutor, 30)
        with CaptureQueriesContext(connection) as few:
            small = hearings_without_outcome_context(prosecutor)
        for n in range(PANEL_ROWS + 4):
            overdue(case, prosecutor, 40 + n)
        with CaptureQueriesContext(connection) as many:
            large = hearings_without_outcome_context(prosecutor)
        assert len(few) == len(many) == 2
        assert small["total"] == 1 and large["total"] == PANEL_ROWS + 5
        assert len(large["hearings"]) == PANEL_ROWS
        assert large["hearings"][0].date == days_ago(40 + PANEL_ROWS + 3)

    def test_the_home_page_costs_the_same_queries_for_one_or_many(self, client, prosecutor):
        case = case_at_trial(prosecutor)
        overdue(case, prosecutor, 30)
        client.force_login(prosecutor)
        client.get("/")
        with CaptureQueriesContext(connection) as few:
            client.get("/")
        other = charged_case(prosecutor, title="Republic v. Other")
        for n in range(PANEL_ROWS + 2):
            overdue(case if n % 2 else other, prosecutor, 40 + n)
        with CaptureQueriesContext(connection) as many:
            page = client.get("/").content.decode()
        assert len(few) == len(many)
        assert f"{PANEL_ROWS + 3} hearings held with no outcome recorded (oldest {PANEL_ROWS} shown)" in page
