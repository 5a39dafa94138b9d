"""Worked examples for the prosecution reports: a small set of cases built through the services, whose
figures were worked out by hand (below, next to each case) and are checked on screen and in the workbook.

The cases (all dates in the past, so the services accept them):

- A, opened 1 Feb 2025, transnational. Charged 1 Mar 2025. A1 (organiser, male): count 1 s.7 convicted
  after trial 1 Sep 2025, sentenced to life 15 Sep 2025; count 2 s.3(1) acquitted, no case to answer,
  1 Aug 2025 (the ruling that ends the trial: judgment from then). A2 (recruiter, female): count 1 s.7
  convicted on own plea 10 Apr 2025, 60 months on 15 Sep 2025 — below the 30-year minimum, recorded with
  an override (a child offender). Victims V1 (girl, 15, Kenyan, forced labour, identified 1 Feb 2025)
  and V2 (man, 25, Ugandan, forced labour, 10 Mar 2025). Adjourned 5 May 2025 (court not sitting), 15 Jul 2025 (witness
  absent, to 20 Jul: 4 clear days) and 20 Aug 2025 (prosecution not ready, to 20 Oct: 60 clear days,
  beyond the 30 allowed). Closed as concluded 15 Jan 2026.
- B, opened 1 Jun 2024, internal. Charged 1 Aug 2024. B1 (transporter, male): count 1 s.6 acquitted,
  no case to answer, 1 Oct 2025 (judgment that day). Closed as concluded 5 Oct 2025.
- C, opened 1 Jun 2025, internal, still under investigation. Victim V3 (adult woman, nationality not
  recorded, sexual exploitation, identified 2 Jun 2025).
- D, opened 10 Jan 2023, charged 1 Feb 2023, still at pre-trial. D1 (harbourer): count 1 s.7.
- E, opened 1 Aug 2025, internal. Charged 1 Sep 2025. E1 (facilitating official): count 1 s.7
  discharged, withdrawn s.87(a), 10 Oct 2025; count 2 s.8 pending.
- Assets: one worth KES 1,000,000 seized from A1 on 1 Aug 2025, one worth KES 250,000 from B1 on
  1 Dec 2025, and one worth KES 99,999 with no known owner on 2 Dec 2025.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assets import services as asset_services
from core.models import County, User
from prosecutions import services
from prosecutions.choices import NetworkRole, Scope, Sex
from prosecutions.models import Case
from tests.prosecutions.factories import court, offence

pytestmark = pytest.mark.django_db

D = dt.date


def _case(user: User, opened: dt.date, scope: str = Scope.INTERNAL, title: str = "Republic v. X") -> Case:
    return services.open_case(
        user,
        title=title,
        county=County.objects.get(code="047"),
        court=court(),
        court_case_serial=f"E{opened:%m%d}",  # registered in court, as pre-trial needs
        court_case_year=opened.year,
        opened_on=opened,
        scope=scope,
    )


OFFENCE_DATE = D(2025, 1, 15)


def _charge(accused: Any, user: User, count: int, section: str, on: dt.date = OFFENCE_DATE) -> Any:
    return services.add_charge(accused, user, count_number=count, offence=offence(section), offence_date=on)


def _accused(case: Case, user: User, name: str, role: str, sex: str = Sex.MALE) -> Any:
    return services.add_accused(case, user, name=name, network_role=role, sex=sex, custody_status="on_bail")


def _charge_case(case: Case, user: User, decided: dt.date, charged: dt.date) -> None:
    services.move_stage(case, user, "charging_decision", effective_on=decided)
    services.move_stage(case, user, "pre_trial", effective_on=charged)


def build_worked_example(user: User) -> dict[str, Any]:
    a = _case(user, D(2025, 2, 1), Scope.TRANSNATIONAL, "Republic v. A1 and another")
    a1 = _accused(a, user, "Organiser A1", NetworkRole.ORGANISER)
    a2 = _accused(a, user, "Recruiter A2", NetworkRole.RECRUITER, Sex.FEMALE)
    a1c1, a1c2, a2c1 = _charge(a1, user, 1, "7"), _charge(a1, user, 2, "3(1)"), _charge(a2, user, 1, "7")
    services.add_victim(
        a, user, exploitation_type="forced_labour", identified_on=D(2025, 2, 1), sex=Sex.FEMALE,
        age_at_exploitation=15, nationality="Kenyan",
    )  # fmt: skip
    services.add_victim(
        a, user, exploitation_type="forced_labour", identified_on=D(2025, 3, 10), sex=Sex.MALE,
        age_at_exploitation=25, nationality="Ugandan",
    )  # fmt: skip
    _charge_case(a, user, D(2025, 2, 10), D(2025, 3, 1))
    for charge in (a1c1, a1c2):
        services.record_plea(charge, user, plea="not_guilty", plea_date=D(2025, 3, 5))
    services.record_plea(a2c1, user, plea="guilty", plea_date=D(2025, 3, 5))
    services.move_stage(a, user, "trial", effective_on=D(2025, 4, 1))
    services.record_disposition(a2c1, user, disposition="convicted_plea", disposition_date=D(2025, 4, 10))
    for day, reason, next_day in (
        (D(2025, 5, 5), "court_not_sitting", D(2025, 5, 12)),
        (D(2025, 7, 15), "witness_absent", D(2025, 7, 20)),
        (D(2025, 8, 20), "prosecution_not_ready", D(2025, 10, 20)),
    ):
        services.record_hearing(
            a, user, date=day, purpose="hearing", outcome="adjourned", adjournment_reason=reason, next_date=next_day
        )
    services.move_stage(a, user, "judgment", effective_on=D(2025, 8, 1))  # verdicts are recorded at judgment
    services.record_disposition(a1c2, user, disposition="acquitted_s210", disposition_date=D(2025, 8, 1))
    services.record_disposition(a1c1, user, disposition="convicted_trial", disposition_date=D(2025, 9, 1))
    services.move_stage(a, user, "sentencing", effective_on=D(2025, 9, 10))
    services.record_sentence(a1c1, user, sentenced_on=D(2025, 9, 15), life_imprisonment=True)
    services.record_sentence(
        a2c1, user, sentenced_on=D(2025, 9, 15), custodial_months=60,
        override_ground="child_offender", override_reason="Aged 17 at the offence date (Children Act, 2022).",
    )  # fmt: skip

    b = _case(user, D(2024, 6, 1), Scope.INTERNAL, "Republic v. B1")
    b1 = _accused(b, user, "Transporter B1", NetworkRole.TRANSPORTER)
    b1c1 = _charge(b1, user, 1, "6", D(2024, 5, 1))
    _charge_case(b, user, D(2024, 7, 1), D(2024, 8, 1))
    services.record_plea(b1c1, user, plea="not_guilty", plea_date=D(2024, 8, 5))
    services.move_stage(b, user, "trial", effective_on=D(2024, 9, 1))
    services.move_stage(b, user, "judgment", effective_on=D(2025, 10, 1))
    services.record_disposition(b1c1, user, disposition="acquitted_s210", disposition_date=D(2025, 10, 1))

    c = _case(user, D(2025, 6, 1), Scope.INTERNAL, "Republic v. C")
    services.add_victim(
        c, user, exploitation_type="sexual_exploitation", identified_on=D(2025, 6, 2), sex=Sex.FEMALE,
        age_at_exploitation=30, nationality="",
    )  # fmt: skip

    d = _case(user, D(2023, 1, 10), Scope.INTERNAL, "Republic v. D1")
    d1 = _accused(d, user, "Harbourer D1", NetworkRole.HARBOURER)
    _charge(d1, user, 1, "7", D(2022, 12, 1))
    _charge_case(d, user, D(2023, 1, 20), D(2023, 2, 1))

    e = _case(user, D(2025, 8, 1), Scope.INTERNAL, "Republic v. E1")
    e1 = _accused(e, user, "Official E1", NetworkRole.FACILITATING_OFFICIAL)
    e1c1 = _charge(e1, user, 1, "7")
    _charge(e1, user, 2, "8")
    _charge_case(e, user, D(2025, 8, 15), D(2025, 9, 1))
    services.record_disposition(e1c1, user, disposition="discharged_s87a", disposition_date=D(2025, 10, 10))

    for case, owner, day, value in (
        (a, a1, D(2025, 8, 1), "1000000"),
        (b, b1, D(2025, 12, 1), "250000"),
        (e, None, D(2025, 12, 2), "99999"),
    ):
        asset_services.record_seizure(
            case, user, asset_type="cash", description="Cash", seized_on=day, seizing_agency="dci",
            estimated_value=Decimal(value), currency="KES", owner=owner,
        )  # fmt: skip
    # Closed last: a closed case takes no new seizure (the seizures above were recorded while a and b were open).
    services.move_stage(b, user, "closed", effective_on=D(2025, 10, 5), closure_reason="concluded")
    services.move_stage(a, user, "closed", effective_on=D(2026, 1, 15), closure_reason="concluded")
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


@pytest.fixture
def worked(unit_head: Any) -> dict[str, Any]:
    return build_worked_example(unit_head)


def page(client: Client, user: User, url_name: str, period: str) -> Any:
    client.force_login(user)
    response = client.get(reverse(url_name), {"period": period})
    assert response.status_code == 200
    return response.context["data"]


def workbook(client: Client, user: User, url_name: str, period: str) -> Any:
    client.force_login(user)
    response: Any = client.get(reverse(url_name), {"period": period, "export": "xlsx"})
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def sheet_rows(book: Any, name: str) -> list[tuple[Any, ...]]:
    return [row for row in book[name].iter_rows(values_only=True) if any(v is not None for v in row)]


def charts_in(sheet: Any) -> int:
    """Native Excel charts openpyxl read from the sheet."""
    return len(sheet._charts)


def summary(book: Any) -> dict[str, Any]:
    """The Summary sheet's figures, label → value."""
    rows = sheet_rows(book, "Summary")
    start = next(i for i, row in enumerate(rows) if row[:2] == ("Figure", "Value"))
    figures: dict[str, Any] = {}
    for row in rows[start + 1 :]:
        if row[0] == "Definitions":
            break
        figures[row[0]] = row[1]
    return figures


def by_first(rows: list[tuple[Any, ...]]) -> dict[Any, tuple[Any, ...]]:
    return {row[0]: row[1:] for row in rows[1:]}


def test_tip_statistics_for_2025_match_the_hand_count(client: Client, auditor: Any, worked: Any) -> None:
    data = page(client, auditor, "prosecutions:tip_statistics", "2025")
    figures = {f.key: f.value for f in data.figures}
    # Investigations A, C, E; prosecutions A1, A2, E1; convicted A1, A2; acquitted B1 only (A1 was also
    # convicted); counts convicted A1c1, A2c1; victims V1, V2, V3.
    assert figures == {
        "investigations": 3,
        "prosecuted": 3,
        "convicted": 2,
        "acquitted": 1,
        "convicted_counts": 2,
        "victims": 3,
        "child_victims": 1,
        "foreign_victims": 1,
    }
    outcomes = {row["measure"]: (row["accused"], row["counts"]) for row in data.table("prosecutions").rows}
    assert outcomes == {
        "Prosecuted (charged)": (3, 5),
        "Convicted": (2, 2),
        "Acquitted": (1, 2),
        "Discharged (withdrawn s.87(a), nolle prosequi s.82)": (None, 1),
    }
    assert {r["group"]: r["cases"] for r in data.table("investigations").rows} == {
        "Internal (within Kenya)": 2,
        "Transnational (cross-border)": 1,
    }
    bands = {r["band"]: r["sentences"] for r in data.table("sentences").rows}
    assert bands["Life imprisonment"] == 1 and bands["5 to under 15 years"] == 1 and sum(bands.values()) == 2
    groups = {r["group"]: r["victims"] for r in data.table("victims_tip").rows}
    assert groups == {"Adult women": 1, "Adult men": 1, "Girls": 1, "Boys": 0, "Not recorded (sex or age)": 0}
    forms = {r["group"]: r["victims"] for r in data.table("victims_type").rows if r["victims"]}
    assert forms == {"Forced labour": 2, "Sexual exploitation": 1}
    nationalities = {r["group"]: r["victims"] for r in data.table("victims_nationality").rows}
    assert nationalities == {"Kenyan": 1, "Foreign": 1, "Not recorded": 1}

    book = workbook(client, auditor, "prosecutions:tip_statistics", "2025")
    assert summary(book) == {
        "Investigations opened": 3,
        "Accused prosecuted": 3,
        "Accused convicted": 2,
        "Accused acquitted": 1,
        "Counts convicted": 2,
        "Victims identified": 3,
        "Child victims": 1,
        "Foreign victims": 1,
    }
    prosecutions = by_first(sheet_rows(book, "Prosecutions"))
    assert prosecutions["Prosecuted (charged)"] == (3, 5)
    assert prosecutions["Acquitted"] == (1, 2)
    assert by_first(sheet_rows(book, "Victims by nationality"))["Not recorded"] == (1, 0.3333)
    assert by_first(sheet_rows(book, "Victims by sex and age"))["Total"] == (3, 1)
    assert charts_in(book["Victims by sex and age"]) == 1  # a native Excel chart below the table


def test_tip_statistics_change_with_the_year(client: Client, auditor: Any, worked: Any) -> None:
    data = page(client, auditor, "prosecutions:tip_statistics", "2024")
    figures = {f.key: f.value for f in data.figures}
    # 2024: B opened and charged (B1, one count); nothing decided, no victims.
    assert figures == {
        "investigations": 1,
        "prosecuted": 1,
        "convicted": 0,
        "acquitted": 0,
        "convicted_counts": 0,
        "victims": 0,
        "child_victims": 0,
        "foreign_victims": 0,
    }


def test_performance_for_2025_26_matches_the_hand_count(client: Client, auditor: Any, worked: Any) -> None:
    data = page(client, auditor, "prosecutions:performance", "2025-26")
    figures = {f.key: f.value for f in data.figures}
    # Registered: E. Brought forward: A, B and D (charged before 1 Jul 2025, not concluded by then).
    # Concluded: A (its last count decided 1 Sep 2025) and B (1 Oct 2025). Pending on 30 Jun 2026: D and E.
    # By case: A convicted (A1 after trial), B no case to answer → 1 of 2. Verdicts on counts in the year:
    # A1c1 convicted (184 days after charge), A1c2 acquitted (153), B1c1 acquitted (426) → 1 of 3, median
    # 184. Adjournments dated in the year: 15 Jul and 20 Aug 2025 (5 May 2025 is the year before).
    assert figures == {
        "registered": 1,
        "brought_forward": 3,
        "concluded": 2,
        "pending": 2,
        "case_conviction_rate": Decimal("0.5000"),
        "conviction_rate": Decimal("0.3333"),
        "median_days": Decimal("184.0"),
        "adjournments": 2,
    }
    sections = [
        (r["section"], r["convicted"], r["acquitted"], r["other"], r["rate"], r["median_days"])
        for r in data.table("sections").rows
    ]
    assert sections == [
        ("CTIP Act s.3(1)", 0, 1, 0, Decimal("0"), Decimal("153.0")),
        ("CTIP Act s.6", 0, 1, 0, Decimal("0"), Decimal("426.0")),
        ("CTIP Act s.7", 1, 0, 1, Decimal("1"), Decimal("184.0")),
    ]
    reasons = {r["reason"]: (r["adjournments"], r["late"]) for r in data.table("adjournments").rows}
    assert reasons["Witness absent"] == (1, 0)
    assert reasons["Prosecution not ready"] == (1, 1)
    assert reasons["Court not sitting"] == (0, 0)
    # Cases by the section of their lead count: A, D and E under s.7 (A1's count 1), B under s.6.
    cases = {
        r["section"]: (r["registered"], r["concluded"], r["after_trial"], r["no_case"], r["pending"])
        for r in data.table("cases").rows
    }
    assert cases == {"CTIP Act s.6": (0, 1, 0, 1, 0), "CTIP Act s.7": (1, 1, 1, 0, 2)}
    # Sentences outside the statutory range: A2's 60 months on s.7 (minimum 30 years), a child offender.
    overrides = [(r["case"], r["count"], r["sentence"], r["ground"]) for r in data.table("overrides").rows]
    assert overrides == [
        (worked["a"].reference, "Count 1", "5 yr", "The offender was a child (Children Act, 2022)"),
    ]

    book = workbook(client, auditor, "prosecutions:performance", "2025-26")
    figures_xlsx = summary(book)
    assert figures_xlsx["Cases registered"] == 1
    assert figures_xlsx["Cases pending at the end"] == 2
    assert figures_xlsx["Conviction rate by count"] == pytest.approx(0.3333)
    assert figures_xlsx["Conviction rate by case"] == pytest.approx(0.5)
    assert figures_xlsx["Median days, charge to judgment"] == 184
    rows = by_first(sheet_rows(book, "Counts by section"))
    assert rows["CTIP Act s.7"] == (1, 0, 1, 1, 184)
    assert rows["All sections"][:3] == (1, 2, 1)
    assert rows["All sections"][3] == pytest.approx(0.3333)
    assert book["Counts by section"]["E2"].number_format == "0.00%"


def test_performance_of_the_year_before(client: Client, auditor: Any, worked: Any) -> None:
    data = page(client, auditor, "prosecutions:performance", "2024-25")
    figures = {f.key: f.value for f in data.figures}
    # 2024/25: B charged (Aug 2024) and A charged (Mar 2025); D brought forward (charged Feb 2023); A2c1
    # convicted on own plea (not a verdict after trial, but a conviction: 1 of 1 counts); 40 days from charge;
    # one adjournment (5 May 2025). No case concluded (A1's counts still pending), so no rate by case. D, A, B
    # pending on 30 Jun 2025.
    assert figures == {
        "registered": 2,
        "brought_forward": 1,
        "concluded": 0,
        "pending": 3,
        "case_conviction_rate": None,
        "conviction_rate": Decimal("1"),
        "median_days": Decimal("40.0"),
        "adjournments": 1,
    }


def test_network_roles_for_2025_26_match_the_hand_count(client: Client, unit_head: Any, worked: Any) -> None:
    data = page(client, unit_head, "prosecutions:network_roles", "2025-26")
    rows = {r["role"]: r for r in data.table("roles").rows}
    # Charged in the year: E1 (official). Convicted: A1 (organiser). Acquitted: B1 (A1 was convicted).
    # Sentences: A1 life, A2 60 months. Assets: A1 KES 1,000,000 (1 Aug 2025), B1 KES 250,000.
    assert rows["Facilitating official"]["charged"] == 1
    assert rows["Organiser / financier"]["convicted"] == 1
    assert rows["Organiser / financier"]["acquitted"] == 0
    assert rows["Organiser / financier"]["life"] == 1
    assert rows["Organiser / financier"]["median_months"] is None
    assert rows["Recruiter"]["median_months"] == Decimal("60.0")
    assert rows["Transporter"]["acquitted"] == 1
    assert (rows["Organiser / financier"]["assets"], rows["Organiser / financier"]["assets_value"]) == (
        1,
        Decimal("1000000.00"),
    )
    assert rows["Transporter"]["assets_value"] == Decimal("250000.00")
    assert rows["Harbourer / exploiter"]["charged"] == 0
    figures = {f.key: f.value for f in data.figures}
    assert figures["organiser_share"] == Decimal("1")
    assert figures["assets_value"] == Decimal("1250000.00")  # the asset with no known owner is not counted

    book = workbook(client, unit_head, "prosecutions:network_roles", "2025-26")
    sheet = by_first(sheet_rows(book, "By network role"))
    assert sheet["Organiser / financier"] == (0, 1, 0, None, 1, 1, 1000000)
    assert sheet["Recruiter"][3] == 60
    assert sheet["All roles"] == (1, 1, 1, 60, 1, 2, 1250000)
    assert summary(book)["Organisers' share of convictions"] == 1
    assert charts_in(book["By network role"]) == 3


def test_reports_never_show_a_victims_code_or_an_accused_name(client: Client, auditor: Any, worked: Any) -> None:
    from victims.models import Victim

    client.force_login(auditor)
    codes = list(Victim.objects.values_list("code", flat=True))
    for name, period in (("tip_statistics", "2025"), ("performance", "2025-26"), ("network_roles", "2025-26")):
        html = client.get(reverse(f"prosecutions:{name}"), {"period": period}).content.decode()
        for secret in [*codes, "Organiser A1", "Transporter B1", "Official E1"]:
            assert secret not in html


def test_the_page_states_its_definitions(client: Client, auditor: Any) -> None:
    client.force_login(auditor)
    html = client.get(reverse("prosecutions:performance"), {"period": "2025-26"}).content.decode()
    assert "Section of a case (lead count)" in html and "Conviction rate by case" in html
    assert "01 Jul 2025 – 30 Jun 2026" in html


def _queries(client: Client, url: str, **params: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url_name", "period"),
    [
        ("prosecutions:tip_statistics", "2025"),
        ("prosecutions:performance", "2025-26"),
        ("prosecutions:network_roles", "2025-26"),
    ],
)
def test_each_report_costs_the_same_queries_however_many_cases(
    client: Client, unit_head: Any, url_name: str, period: str
) -> None:
    client.force_login(unit_head)
    url = reverse(url_name)
    build_worked_example(unit_head)
    few = (_queries(client, url, period=period), _queries(client, url, period=period, export="xlsx"))
    for _ in range(3):
        build_worked_example(unit_head)
    many = (_queries(client, url, period=period), _queries(client, url, period=period, export="xlsx"))
    assert few == many


def test_the_home_page_charts_the_stage_pipeline_and_the_hearings_ahead(client: Client, prosecutor: Any) -> None:
    from tests.prosecutions.factories import case_at_trial, charged_case

    charged_case(prosecutor)
    trial = case_at_trial(prosecutor)
    soon = services.today() + dt.timedelta(days=3)
    services.record_hearing(trial, prosecutor, date=soon, purpose="hearing")
    client.force_login(prosecutor)
    response = client.get(reverse("core:home"))
    panels = {panel.key: context for panel, context in response.context["panels"]}
    pipeline = {row["label"]: row["count"] for row in panels["cases_by_stage"]["chart"]["data"]["values"]}
    assert pipeline["Pre-trial"] == 1 and pipeline["Trial"] == 1 and "Closed" not in pipeline
    weeks = [row["count"] for row in panels["next_hearings"]["chart"]["data"]["values"]]
    assert weeks[0] == 1 and sum(weeks) == 1
    html = response.content.decode()
    assert 'data-chart="stage-pipeline"' in html and 'data-chart="hearings-ahead"' in html
