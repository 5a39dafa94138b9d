"""The TIP statistics' victims tables, worked by hand: victims by sex and age (adult women, adult men,
girls, boys, not recorded), the sex × age matrix, by form of exploitation, Kenyan and foreign, and per
nationality — on screen and in the workbook — and the period: a calendar year, or any dates.

The victims, all recorded through the services on two cases (C1 opened 1 Nov 2024, C2 opened 1 Jan 2025):

| Victim | Identified  | Sex     | Age        | Nationality as typed | Form                | Counted as            |
|--------|-------------|---------|------------|----------------------|---------------------|-----------------------|
| V9     | 10 Dec 2024 | male    | 30         | "Kenya"              | forced labour       | adult man, Kenyan     |
| V1     | 1 Feb 2025  | female  | 15         | "Kenyan"             | forced labour       | girl, Kenyan          |
| V2     | 10 Mar 2025 | male    | 25         | " Ugandan "          | forced labour       | adult man, Ugandan    |
| V3     | 2 Jun 2025  | female  | 30         | ""                   | sexual exploitation | adult woman, not rec. |
| V4     | 5 Jul 2025  | male    | —, a child | "KE"                 | child labour        | boy, Kenyan           |
| V5     | 1 Aug 2025  | female  | —          | "mkenya "            | sexual exploitation | not recorded, Kenyan  |
| V6     | 1 Sep 2025  | unknown | 20         | "ugandan"            | forced labour       | not recorded, Ugandan |
| V7     | 15 Nov 2025 | female  | 40         | "Tanzanian"          | sexual exploitation | adult woman, Tanzanian|
| V8     | 20 Dec 2025 | female  | 16         | "KEN"                | child marriage      | girl, Kenyan          |

2025: eight victims. Adult women V3, V7 (2); adult men V2 (1); girls V1, V8 (2); boys V4 (1); not recorded
V5 (age), V6 (sex) (2). Kenyan V1, V4, V5, V8 (4); foreign V2, V6, V7 (3); not recorded V3 (1).
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

from core.models import County, User
from core.reports import get_report
from prosecutions import services
from prosecutions.choices import Scope, Sex
from prosecutions.models import Case
from prosecutions.reports.tip_victims import age_band, counted_nationality, tip_group
from tests.prosecutions.factories import court

pytestmark = pytest.mark.django_db

D = dt.date
URL = "prosecutions:tip_statistics"
EIGHTH, QUARTER, HALF = Decimal("0.1250"), Decimal("0.2500"), Decimal("0.5000")

VICTIMS: tuple[tuple[str, dt.date, str, int | None, bool, str, str], ...] = (
    ("C1", D(2024, 12, 10), Sex.MALE, 30, False, "Kenya", "forced_labour"),
    ("C1", D(2025, 2, 1), Sex.FEMALE, 15, False, "Kenyan", "forced_labour"),
    ("C1", D(2025, 3, 10), Sex.MALE, 25, False, " Ugandan ", "forced_labour"),
    ("C2", D(2025, 6, 2), Sex.FEMALE, 30, False, "", "sexual_exploitation"),
    ("C2", D(2025, 7, 5), Sex.MALE, None, True, "KE", "child_labour"),
    ("C2", D(2025, 8, 1), Sex.FEMALE, None, False, "mkenya ", "sexual_exploitation"),
    ("C2", D(2025, 9, 1), Sex.UNKNOWN, 20, False, "ugandan", "forced_labour"),
    ("C2", D(2025, 11, 15), Sex.FEMALE, 40, False, "Tanzanian", "sexual_exploitation"),
    ("C2", D(2025, 12, 20), Sex.FEMALE, 16, False, "KEN", "child_marriage"),
)


def _case(user: User, opened: dt.date, serial: str) -> Case:
    return services.open_case(
        user,
        title=f"Republic v. {serial}",
        county=County.objects.get(code="047"),
        court=court(),
        court_case_serial=serial,
        court_case_year=opened.year,
        opened_on=opened,
        scope=Scope.INTERNAL,
    )


def build_victims(user: User) -> None:
    first = Case.objects.count()
    cases = {
        "C1": _case(user, D(2024, 11, 1), f"E{first + 1:04d}"),
        "C2": _case(user, D(2025, 1, 1), f"E{first + 2:04d}"),
    }
    for case, identified, sex, age, child, nationality, form in VICTIMS:
        services.add_victim(
            cases[case], user, exploitation_type=form, identified_on=identified, sex=sex,
            age_at_exploitation=age, is_child=child, nationality=nationality,
        )  # fmt: skip


@pytest.fixture
def victims(unit_head: User) -> None:
    build_victims(unit_head)


def _data(client: Client, user: User, **params: str) -> Any:
    client.force_login(user)
    response = client.get(reverse(URL), params)
    assert response.status_code == 200, response.content.decode()[:400]
    return response.context["data"]


def _rows(data: Any, key: str) -> list[tuple[Any, ...]]:
    table = data.table(key)
    rows = [*table.rows, table.total]
    return [tuple(row[column.key] for column in table.columns) for row in rows]


def test_the_rules_read_sex_age_and_nationality_as_the_definitions_say() -> None:
    assert [age_band(17, False), age_band(18, False), age_band(None, True), age_band(None, False)] == [
        "child",
        "adult",
        "child",
        "age_unknown",
    ]
    assert tip_group(Sex.FEMALE, "child") == "girls" and tip_group(Sex.MALE, "adult") == "adult_men"
    assert tip_group(Sex.UNKNOWN, "adult") == "not_recorded" and tip_group(Sex.FEMALE, "age_unknown") == "not_recorded"
    typed = ["Kenyan", " kenyan ", "KE", "ken", "Kenya", "Mkenya", "MKENYA "]
    assert {counted_nationality(text) for text in typed} == {"Kenyan"}
    assert counted_nationality("  South   Sudanese ") == "South Sudanese"
    assert counted_nationality("Kenyan-born Ugandan") == "Kenyan-born Ugandan"  # not a spelling of Kenyan
    assert counted_nationality("   ") == ""


def test_the_victims_tables_of_2025_match_the_hand_count(client: Client, auditor: User, victims: None) -> None:
    data = _data(client, auditor, period="2025")
    figures = {f.key: f.value for f in data.figures}
    assert (figures["victims"], figures["child_victims"], figures["foreign_victims"]) == (8, 3, 3)
    assert _rows(data, "victims_tip") == [
        ("Adult women", 2, QUARTER),
        ("Adult men", 1, EIGHTH),
        ("Girls", 2, QUARTER),
        ("Boys", 1, EIGHTH),
        ("Not recorded (sex or age)", 2, QUARTER),
        ("Total", 8, Decimal("1.0000")),
    ]
    assert _rows(data, "victims_sex_age") == [
        ("Female", 2, 2, 1, 5),
        ("Male", 1, 1, 0, 2),
        ("Sex not recorded", 1, 0, 0, 1),
        ("Total", 4, 3, 1, 8),
    ]
    forms = _rows(data, "victims_type")
    assert [row for row in forms if row[1]] == [
        ("Forced labour", 3, Decimal("0.3750")),
        ("Child labour", 1, EIGHTH),
        ("Sexual exploitation", 3, Decimal("0.3750")),
        ("Child marriage", 1, EIGHTH),
        ("Total", 8, Decimal("1.0000")),
    ]
    assert forms[-2] == ("Not recorded", 0, Decimal("0.0000"))  # the row is there, empty this year
    assert len(forms) == 12  # the ten forms of s.2, not recorded, total
    assert _rows(data, "victims_nationality") == [
        ("Kenyan", 4, HALF),
        ("Foreign", 3, Decimal("0.3750")),
        ("Not recorded", 1, EIGHTH),
        ("Total", 8, Decimal("1.0000")),
    ]
    assert _rows(data, "victims_country") == [
        ("Kenyan", 4, HALF),
        ("Ugandan", 2, QUARTER),
        ("Tanzanian", 1, EIGHTH),
        ("Not recorded", 1, EIGHTH),
        ("Total", 8, Decimal("1.0000")),
    ]


def test_the_workbook_holds_the_same_cells_with_shares_to_two_decimals(
    client: Client, auditor: User, victims: None
) -> None:
    client.force_login(auditor)
    response: Any = client.get(reverse(URL), {"period": "2025", "export": "xlsx"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))

    def cells(name: str) -> list[tuple[Any, ...]]:
        return [row for row in book[name].iter_rows(values_only=True) if any(v is not None for v in row)]

    assert cells("Victims by sex and age") == [
        ("Group", "Victims", "Share"),
        ("Adult women", 2, 0.25),
        ("Adult men", 1, 0.125),
        ("Girls", 2, 0.25),
        ("Boys", 1, 0.125),
        ("Not recorded (sex or age)", 2, 0.25),
        ("Total", 8, 1),
    ]
    assert cells("Victims sex x age") == [
        ("Sex", "Adults (18 and over)", "Children (under 18)", "Age not recorded", "Total"),
        ("Female", 2, 2, 1, 5),
        ("Male", 1, 1, 0, 2),
        ("Sex not recorded", 1, 0, 0, 1),
        ("Total", 4, 3, 1, 8),
    ]
    assert cells("Victims per nationality") == [
        ("Nationality", "Victims", "Share"),
        ("Kenyan", 4, 0.5),
        ("Ugandan", 2, 0.25),
        ("Tanzanian", 1, 0.125),
        ("Not recorded", 1, 0.125),
        ("Total", 8, 1),
    ]
    assert cells("Victims by nationality")[1:] == [
        ("Kenyan", 4, 0.5),
        ("Foreign", 3, 0.375),
        ("Not recorded", 1, 0.125),
        ("Total", 8, 1),
    ]
    assert book["Victims per nationality"]["C2"].number_format == "0.00%"
    assert book["Victims by exploitation"]["C2"].number_format == "0.00%"
    summary = {row[0]: row[1] for row in cells("Summary")}
    assert (summary["Victims identified"], summary["Child victims"], summary["Foreign victims"]) == (8, 3, 3)
    about = cells("About this export")
    terms = [term for term, _ in get_report("tip_statistics").definitions]
    assert [row[0] for row in about if row[0] in terms] == terms  # every definition on the About sheet
    assert any("Mkenya" in str(row[1]) for row in about)


def test_any_dates_may_be_chosen(client: Client, auditor: User, victims: None) -> None:
    # 1 Dec 2024 – 31 Jan 2025: V9 only (an adult man, "Kenya" read as Kenyan).
    data = _data(client, auditor, **{"from": "2024-12-01", "to": "2025-01-31"})
    assert _rows(data, "victims_country") == [("Kenyan", 1, Decimal("1.0000")), ("Total", 1, Decimal("1.0000"))]
    assert _rows(data, "victims_tip")[1] == ("Adult men", 1, Decimal("1.0000"))
    # 1 Feb – 31 Mar 2025: V1 (a girl) and V2 (an adult man), one Kenyan, one Ugandan.
    data = _data(client, auditor, **{"from": "2025-02-01", "to": "2025-03-31"})
    assert _rows(data, "victims_nationality")[:2] == [("Kenyan", 1, HALF), ("Foreign", 1, HALF)]
    response = client.get(reverse(URL), {"from": "2025-02-01", "to": "2025-03-31"})
    html = response.content.decode()
    assert "01 Feb 2025 – 31 Mar 2025" in html
    assert 'href="?from=2025-02-01&amp;to=2025-03-31&amp;export=xlsx"' in html
    assert 'href="?from=2024-02-01&amp;to=2024-03-31"' in html  # the same dates a year earlier
    export: Any = client.get(reverse(URL), {"from": "2025-02-01", "to": "2025-03-31", "export": "xlsx"})
    assert export.status_code == 200 and "2025-02-01_2025-03-31" in export["Content-Disposition"]


def test_the_calendar_year_is_the_default_and_a_year_still_works(client: Client, auditor: User, victims: None) -> None:
    data = _data(client, auditor, period="2024")
    assert _rows(data, "victims_tip")[-1] == ("Total", 1, Decimal("1.0000"))
    client.force_login(auditor)
    response = client.get(reverse(URL))
    assert response.context["period"].label.startswith("Calendar year")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2025-05-01", "to": "2025-04-01"}, "cannot end (01 Apr 2025) before it starts (01 May 2025)"),
        ({"from": "2025-05-01"}, "Give both dates, from and to"),
        ({"from": "2025-13-01", "to": "2025-12-31"}, "“2025-13-01” is not a date"),
        ({"from": "2009-01-01", "to": "2009-12-31"}, "Reports cover 2010 onwards"),
    ],
)
def test_bad_dates_are_refused_with_a_clear_message(
    client: Client, auditor: User, params: dict[str, str], message: str
) -> None:
    client.force_login(auditor)
    response = client.get(reverse(URL), params)
    assert response.status_code == 400
    assert message in response.content.decode()
    export = client.get(reverse(URL), {**params, "export": "xlsx"})
    assert export.status_code == 400 and message in export.content.decode()


def test_a_whole_year_report_refuses_chosen_dates(client: Client, auditor: User) -> None:
    client.force_login(auditor)
    response = client.get(reverse("assets:recovery"), {"from": "2025-01-01", "to": "2025-03-31"})
    assert response.status_code == 400
    assert "covers whole years only" in response.content.decode()


def test_the_page_states_every_victims_definition(client: Client, auditor: User) -> None:
    html = _data_html(client, auditor)
    for term in ("Adult women, adult men, girls, boys", "Form of exploitation", "Kenyan, foreign", "Share"):
        assert term in html
    assert "Mkenya" in html and "not marked a child" in html


def _data_html(client: Client, user: User) -> str:
    client.force_login(user)
    return client.get(reverse(URL), {"period": "2025"}).content.decode()


TIP_PAGE_QUERIES = 9  # the whole page (session, the user with roles and bell count, the report's), whatever the data


def _page_queries(client: Client, **params: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(URL), params)
    assert response.status_code == 200
    return len(queries)


def test_the_page_costs_a_fixed_number_of_queries(client: Client, auditor: User, unit_head: User) -> None:
    client.force_login(auditor)
    build_victims(unit_head)
    assert _page_queries(client, period="2025") == TIP_PAGE_QUERIES
    assert _page_queries(client, **{"from": "2025-02-01", "to": "2025-11-30"}) == TIP_PAGE_QUERIES
    build_victims(unit_head)  # twice the victims, two more cases
    assert _page_queries(client, period="2025") == TIP_PAGE_QUERIES
