"""core in Kiswahili: the sign-in page, the home page, the audit log, a list, a report (page and workbook),
the access administrators' pages and a grant service's refusal read in Kiswahili, with none of the
English headings left; English stays the default."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core import reports as core_reports
from core.access import AnyUser
from core.exceptions import OwnGrantDecision, ReasonRequired, RoleAlreadyHeld
from core.grants import services
from core.models import User
from core.reports import Figure, Period, PeriodKind, Report, ReportData, ReportTable, register_report
from core.reports.periods import InvalidPeriod
from core.roles import Role
from core.tables import Column, ColumnKind, format_value
from core.translations import compile_catalogues
from core.versioning import refusal


@pytest.fixture(scope="module", autouse=True)
def _catalogues_compiled() -> None:
    """The .mo files are not committed: compile them (pure Python) before rendering in Kiswahili."""
    compile_catalogues()


def in_swahili(client: Client, url: str, **extra: Any) -> Any:
    """GET ``url`` as a browser asking for Kiswahili."""
    with translation.override("sw"):
        return client.get(url, HTTP_ACCEPT_LANGUAGE="sw", **extra)


def text_of(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return str(response.content.decode())


def test_the_sign_in_page_follows_the_browser_into_kiswahili(db: None) -> None:
    page = text_of(in_swahili(Client(), reverse("login")))
    assert '<h1 class="h4 mb-3">Ingia</h1>' in page
    assert "Jina la mtumiaji" in page and "Ruka hadi kwa maudhui makuu." in page
    assert ">Sign in<" not in page and "Skip to main content" not in page


def test_a_wrong_password_is_refused_in_kiswahili(db: None, prosecutor: User) -> None:
    with translation.override("sw"):
        response = Client().post(
            reverse("login"), {"username": prosecutor.username, "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="sw"
        )
    page = response.content.decode()
    assert "Jina la mtumiaji na nenosiri hilo havilingani" in page
    assert "do not match" not in page


def test_the_home_page_reads_in_kiswahili(client: Client, prosecutor: User) -> None:
    client.force_login(prosecutor)
    page = text_of(in_swahili(client, reverse("core:home")))
    assert "Karibu," in page and "Majukumu yako" in page and "Umeingia kama <strong>Mwendesha mashtaka" in page
    assert "Toka" in page and "Badilisha nenosiri" in page  # the user menu
    assert "Welcome," not in page and "Your roles" not in page and ">Sign out<" not in page


def test_english_stays_the_default(client: Client, prosecutor: User) -> None:
    client.force_login(prosecutor)
    page = text_of(client.get(reverse("core:home")))
    assert "Welcome," in page and "Your roles" in page and "Karibu," not in page


def test_the_audit_log_reads_in_kiswahili(client: Client, auditor: User) -> None:
    client.force_login(auditor)
    page = text_of(in_swahili(client, reverse("core:audit_log")))
    assert '<h1 class="h4 mb-0 me-auto">Kumbukumbu za ukaguzi</h1>' in page
    for word in ("Pakua Excel", "Vichujio", "Aina ya rekodi", "Mabadiliko", "Chuja", "ukurasa wa Thibitisha"):
        assert word in page, word
    for english in ("Audit log</h1>", "Download Excel", "Record type", ">Filter<", "Every change is chained"):
        assert english not in page, english


def test_a_list_page_reads_in_kiswahili(client: Client, prosecutor: User) -> None:
    client.force_login(prosecutor)
    page = text_of(in_swahili(client, reverse("core:county_list") + "?q=zzzz-no-such-county"))
    assert "Jina au msimbo" in page and "matokeo 0" in page and "Hakuna kinacholingana na vichujio hivi." in page
    assert '<th scope="col">Msimbo</th>' in page
    for english in ("Name or code", "0 results", "Nothing matches these filters.", "Download Excel"):
        assert english not in page, english


def test_the_access_pages_and_role_names_read_in_kiswahili(
    client: Client, access_admin: User, prosecutor: User
) -> None:
    client.force_login(access_admin)
    page = text_of(in_swahili(client, reverse("core:user_list")))
    assert "Watu na majukumu yao" in page and "Omba jukumu" in page and "Mwendesha mashtaka" in page
    assert "People and their roles" not in page and "Roles in force" not in page


# --- a report: the page and its workbook ---------------------------------------------------------


def _compute(period: Period, user: AnyUser) -> ReportData:
    rows = [{"county": "Mombasa", "cases": 3}]
    columns = (Column("county", "County"), Column("cases", "Cases", kind=ColumnKind.INTEGER))
    return ReportData(
        figures=[Figure("cases", "Cases", 3)],
        tables=[ReportTable("by_county", "By county", columns, rows)],
    )


SAMPLE = Report(
    key="sw_sample",
    title="Sample report",
    url_name="core:report_index",
    roles=frozenset({Role.AUDITOR}),
    app="core",
    period_kind=PeriodKind.CALENDAR_YEAR,
    compute=_compute,
    definitions=(("Case", "A case."),),
)


@pytest.fixture
def sample_report() -> Iterator[Report]:
    register_report(SAMPLE)
    yield SAMPLE
    core_reports.unregister_report(SAMPLE.key)


def test_a_report_page_and_its_workbook_read_in_kiswahili(client: Client, auditor: User, sample_report: Report) -> None:
    from core.views.reports import ReportView

    view = ReportView.as_view(report_key=sample_report.key)
    from django.test import RequestFactory

    request = RequestFactory().get("/", {"period": "2025"}, HTTP_ACCEPT_LANGUAGE="sw")
    request.user = auditor
    with translation.override("sw"):
        shown: Any = view(request)
    page = shown.content.decode()
    assert "Mwaka wa kalenda 2025" in page and "01 Jan 2025 – 31 Dis 2025" in page
    assert "Ufafanuzi" in page and "Ripoti hii" in page and "siku zote mbili zikiwemo" in page
    assert "Pakua Excel" in page
    for english in ("Calendar year 2025", "Definitions", "This report", "both days included", "Download Excel"):
        assert english not in page, english

    request = RequestFactory().get("/", {"period": "2025", "export": "xlsx"}, HTTP_ACCEPT_LANGUAGE="sw")
    request.user = auditor
    with translation.override("sw"):
        response: Any = view(request)
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames[0] == "Muhtasari"
    summary = workbook["Muhtasari"]
    assert summary["A2"].value == "Kipindi cha ripoti"
    assert summary["B2"].value == "Mwaka wa kalenda 2025 (01 Jan 2025 – 31 Dis 2025)"


def test_the_reports_index_reads_in_kiswahili(client: Client, auditor: User, sample_report: Report) -> None:
    client.force_login(auditor)
    page = text_of(in_swahili(client, reverse("core:report_index")))
    assert '<h1 class="h4 mb-3">Ripoti</h1>' in page and "Mwaka wa kalenda" in page
    assert "Calendar year" not in page and "Each report shows" not in page


# --- messages built in Python --------------------------------------------------------------------


def test_a_grant_service_refuses_in_kiswahili(access_admin: User, prosecutor: User) -> None:
    with translation.override("sw"), pytest.raises(ReasonRequired) as refused:
        services.request_grant(prosecutor, Role.AUDITOR, access_admin, reason="  ")
    assert refused.value.message == "Eleza kwa nini mtu huyu anahitaji jukumu hili."
    with translation.override("sw"), pytest.raises(RoleAlreadyHeld) as held:
        services.request_grant(prosecutor, Role.PROSECUTOR, access_admin, reason="again")
    assert "tayari ana jukumu la Mwendesha mashtaka" in held.value.message


def test_a_grant_decision_refused_names_the_move_in_kiswahili(
    access_admin: User, second_access_admin: User, prosecutor: User
) -> None:
    grant = services.request_grant(prosecutor, Role.FUND_APPROVER, access_admin, reason="treasury post")
    with translation.override("sw"), pytest.raises(OwnGrantDecision) as refused:
        services.approve_grant(grant, access_admin)
    assert refused.value.message == "Wewe uliomba ugawaji huu: msimamizi mwingine wa ufikiaji lazima auidhinishe."
    with translation.override("en-gb"), pytest.raises(OwnGrantDecision) as in_english:
        services.reject_grant(grant, access_admin, reason="no")
    assert in_english.value.message == "You asked for this grant: another access administrator must reject it."


def test_periods_dates_and_yes_no_read_in_kiswahili() -> None:
    with translation.override("sw"):
        assert Period.parse(PeriodKind.FINANCIAL_YEAR, "2025-26").label == "Mwaka wa fedha 2025/26"
        assert format_value(True, ColumnKind.BOOLEAN) == "Ndiyo"
        assert format_value(dt.date(2026, 8, 7), ColumnKind.DATE) == "07 Ago 2026"
        with pytest.raises(InvalidPeriod) as wrong:
            Period.parse(PeriodKind.CALENDAR_YEAR, "2026-27")
        assert wrong.value.message == "“2026-27” si mwaka wa kalenda; uandike kama 2026."
    assert format_value(dt.date(2026, 8, 7), ColumnKind.DATE) == "07 Aug 2026"


def test_a_stale_form_is_refused_in_kiswahili(access_admin: User, prosecutor: User) -> None:
    from core.versioning import Versioned

    part = Versioned.of(prosecutor)
    with translation.override("sw"):
        message = refusal([part], "")
    assert message is not None and message.startswith("Fomu hii haikueleza ilifunguliwa kwenye toleo lipi")
    assert message.endswith("Hakuna kilichohifadhiwa: linganisha fomu na maelezo haya kisha uitume tena.")


def test_role_labels_are_translated_but_role_values_are_not() -> None:
    from core.context_processors import role_labels

    with translation.override("sw"):
        assert role_labels(frozenset({Role.UNIT_HEAD, Role.AUDITOR})) == ["Mkaguzi", "Mkuu wa kitengo"]
        assert str(Role.UNIT_HEAD) == "Unit head"  # the stored group name never changes
