"""Hearings of cases with protected witnesses show the court measures in force, by code only: on the
diary, its Excel download, the case's Hearings tab and its overview."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from prosecutions import services as prosecution_services
from tests.prosecutions.factories import charged_case
from tests.witnesses.factories import admitted, court_measures, days_ago, with_identity, witness_on
from witnesses import services
from witnesses.choices import MeasureKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def trial(prosecutor, liaison):
    case = charged_case(prosecutor)
    hearing = prosecution_services.record_hearing(case, prosecutor, date=days_ago(-2), purpose="hearing")
    witness = admitted(witness_on(case, number="PW1"), liaison)
    court_measures(witness, liaison, MeasureKind.SCREEN, MeasureKind.VOICE_DISTORTION)
    with_identity(witness, liaison, "HEAR")
    return case, hearing, witness


def test_the_diary_and_its_download_show_the_measures_by_code(client: Client, prosecutor, trial) -> None:
    _, _, witness = trial
    client.force_login(prosecutor)
    expected = f"{witness.code}: screen, voice distortion"
    body = client.get(reverse("prosecutions:hearing_list")).content.decode()
    assert expected in body and "CANARY" not in body
    response = client.get(reverse("prosecutions:hearing_list"), {"export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(response.getvalue()), read_only=True)
    cells = [str(v) for row in book.worksheets[0].iter_rows(values_only=True) for v in row if v is not None]
    assert expected in cells


def test_the_case_page_shows_them_on_the_hearings_tab_and_the_overview(client: Client, prosecutor, trial) -> None:
    case, _, witness = trial
    client.force_login(prosecutor)
    for tab in ("hearings", "overview"):
        body = client.get(case.get_absolute_url(), {"tab": tab}).content.decode()
        assert f"{witness.code}: screen, voice distortion" in body, tab


def test_the_prosecutors_home_page_shows_them_on_the_next_hearings_panel(client: Client, prosecutor, trial) -> None:
    _, _, witness = trial
    client.force_login(prosecutor)
    body = client.get(reverse("core:home")).content.decode()
    assert f"{witness.code}: screen, voice distortion" in body and "CANARY" not in body


def test_ended_measures_and_other_cases_show_nothing(client: Client, prosecutor, liaison, trial) -> None:
    _, _, witness = trial
    for measure in witness.measures.all():
        services.end_measure(measure, liaison, ends_on=days_ago(0), reason="Testimony done.")
    other = charged_case(prosecutor, title="Republic v. Other")
    prosecution_services.record_hearing(other, prosecutor, date=days_ago(-3), purpose="mention")
    client.force_login(prosecutor)
    body = client.get(reverse("prosecutions:hearing_list")).content.decode()
    assert witness.code not in body
