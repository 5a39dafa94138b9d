"""The prosecutions pages, workbooks and refusals in Kiswahili: with ``sw`` active, the case list, the case
page's tabs, the hearing form, a report and its workbook, the diary and a service's refusal come out in the
words of the catalogue (prosecutions/locale/sw), and the English headings they replace are gone. The
default language stays English (the other tests read English)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from core.translations import compile_catalogues
from prosecutions import services
from prosecutions.exceptions import PleaNotAllowed, StageGuardFailed
from prosecutions.models import Charge
from tests.prosecutions.factories import charged_case, days_ago, make_case

pytestmark = pytest.mark.django_db

SW = {"HTTP_ACCEPT_LANGUAGE": "sw"}


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues() -> None:
    """The .mo files are not committed: compile them (pure Python) once for the session."""
    compile_catalogues()


@pytest.fixture
def sw() -> Iterator[None]:
    with translation.override("sw"):
        yield


def page(client: Any, user: Any, url: str, **params: Any) -> str:
    client.force_login(user)
    response = client.get(url, params, **SW)
    assert response.status_code == 200
    return response.content.decode()


def test_the_default_language_is_still_english(client, prosecutor):
    make_case(prosecutor)
    client.force_login(prosecutor)
    html = client.get(reverse("prosecutions:case_list")).content.decode()
    assert "ODPP file number" in html
    assert "Nambari ya jalada la ODPP" not in html


def test_the_case_list_in_kiswahili(client, prosecutor, sw):
    make_case(prosecutor)
    html = page(client, prosecutor, reverse("prosecutions:case_list"))
    for word in ("Nambari ya jalada la ODPP", "Mwendesha mashtaka kiongozi", "Fungua kesi", "Uchunguzi"):
        assert word in html, word
    for english in ("ODPP file number", "Lead prosecutor", "Open a case", "Last activity"):
        assert english not in html, english


@pytest.mark.parametrize(
    ("tab", "kiswahili", "english"),
    [
        (
            "overview",
            ["Nambari ya kesi mahakamani", "Usikilizaji ujao", "Kwa idadi"],
            ["Court case number", "In numbers"],
        ),
        (
            "accused",
            ["Nafasi katika mtandao", "Jibu la shtaka", "Ongeza shtaka dhidi ya"],
            ["Network role", "Offence date"],
        ),
        ("victims", ["Waathiriwa hujulikana kwa msimbo pekee", "Bado hakuna waathiriwa"], ["No victims recorded yet."]),
        (
            "hearings",
            ["Sababu ya kuahirishwa", "Shahidi hakuwepo", "Hakuna usikilizaji uliopangwa."],
            ["Adjournment reason", "Witness absent", "No hearing scheduled."],
        ),
        ("timeline", ["Kesi ilifunguliwa na", "Hatua"], ["Case opened by"]),
        ("history", ["Historia"], ["Every change"]),
    ],
)
def test_the_case_page_tabs_in_kiswahili(client, prosecutor, sw, tab, kiswahili, english):
    case = charged_case(prosecutor)
    hearing: dict[str, Any] = {"court": case.court, "purpose": "mention", "date": days_ago(3), "outcome": "adjourned"}
    services.record_hearing(case, prosecutor, **hearing, adjournment_reason="witness_absent", next_date=days_ago(1))
    html = page(client, prosecutor, reverse("prosecutions:case_detail", args=[case.pk]), tab=tab)
    assert "Kabla ya usikilizaji" in html  # the stage badge: Pre-trial
    assert "Hamisha hatua" in html  # the Move stage button
    for word in kiswahili:
        assert word in html, word
    for word in english:
        assert word not in html, word


def test_the_hearing_form_in_kiswahili(client, prosecutor, sw):
    case = charged_case(prosecutor)
    html = page(client, prosecutor, reverse("prosecutions:hearing_create", args=[case.pk]))
    for word in (
        "Rekodi au panga usikilizaji",
        "Chumba cha mahakama",
        "Madhumuni",
        "Sababu ya kuahirishwa",
        "Kutajwa kwa kesi",
    ):
        assert word in html, word
    for english in ("Courtroom", "Adjournment reason", "Record or schedule a hearing", "Mention"):
        assert english not in html, english


def test_a_form_error_from_the_service_in_kiswahili(client, prosecutor, sw):
    """A stage move the case is not ready for (no pleas yet) is refused with the service's message."""
    case = charged_case(prosecutor)
    client.force_login(prosecutor)
    url = reverse("prosecutions:case_stage", args=[case.pk])
    response = client.post(url, {"to_stage": "trial", "effective_on": days_ago(1).isoformat()}, **SW)
    html = response.content.decode()
    assert "Usikilizaji wa kesi huanza pale tu kila mshtakiwa amejibu kila shtaka" in html
    assert "A trial starts only once" not in html
    case.refresh_from_db()
    assert case.stage == "pre_trial"


def test_a_plea_refused_at_the_wrong_stage_says_why_in_kiswahili(prosecutor, sw):
    case = make_case(prosecutor, court_case_serial="E9", court_case_year=days_ago(0).year)
    from tests.prosecutions.factories import make_accused, make_charge

    charge = make_charge(make_accused(case, prosecutor), prosecutor)
    with pytest.raises(PleaNotAllowed) as refused:
        services.record_plea(charge, prosecutor, plea="guilty", plea_date=days_ago(1))
    message = str(refused.value.message)
    assert message.startswith("Majibu ya mashtaka huchukuliwa pale mshtakiwa anaposhtakiwa mahakamani")
    assert "Uchunguzi" in message  # the stage's label, translated too
    assert Charge.objects.get(pk=charge.pk).plea == "not_taken"


def test_a_refused_stage_move_in_english_by_default(prosecutor):
    case = make_case(prosecutor)
    with pytest.raises(StageGuardFailed) as refused:
        services.move_stage(case, prosecutor, "closed", effective_on=days_ago(1))
    assert str(refused.value.message) == "Give the reason for closing the case."


def test_the_diary_in_kiswahili(client, prosecutor, sw):
    case = charged_case(prosecutor)
    services.record_hearing(
        case, prosecutor, court=case.court, purpose="mention", date=days_ago(1), outcome="scheduled"
    )
    html = page(client, prosecutor, reverse("prosecutions:hearing_list"), view="month")
    for word in ("Shajara ya usikilizaji", "Pakua Excel", "Jtt", "Jumatatu", "Matokeo hayajarekodiwa"):
        assert word in html, word
    assert "Download Excel" not in html
    assert ">Mon<" not in html


def test_the_tip_report_and_its_workbook_in_kiswahili(client, unit_head, sw):
    case = charged_case(unit_head)
    period = str(case.opened_on.year)
    html = page(client, unit_head, reverse("prosecutions:tip_statistics"), period=period)
    for word in ("Takwimu za TIP", "Uchunguzi uliofunguliwa", "Waathiriwa waliotambuliwa", "Kipindi"):
        assert word in html, word
    for english in ("Investigations opened", "Victims identified"):
        assert english not in html, english
    response: Any = client.get(reverse("prosecutions:tip_statistics"), {"period": period, "export": "xlsx"}, **SW)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert "Uchunguzi" in book.sheetnames
    assert "Mashtaka" in book.sheetnames
    headers = [cell.value for cell in next(book["Mashtaka"].iter_rows(max_row=6)) if cell.value]
    texts = [c.value for row in book["Mashtaka"].iter_rows() for c in row if isinstance(c.value, str)]
    assert "Kipimo" in texts + headers
    assert "Walioshtakiwa" in texts
    assert "Investigations" not in book.sheetnames
