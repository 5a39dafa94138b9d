"""ODPP's statistics by case and by section, worked out by hand on a small year built through the services.

The period is the financial year 2025/26 (1 Jul 2025 – 30 Jun 2026); the previous one 2024/25; the average is
over 2022/23, 2023/24 and 2024/25. Each case is counted under the section of its lead count (count 1 of its
first accused). The cases:

- P (s.7): charged 1 Aug 2025; pleads guilty; convicted on own plea 1 Sep 2025 → concluded, own plea.
- T (s.3(1)): charged 1 Aug 2025; not guilty; convicted after trial 1 Feb 2026 → concluded, after trial.
- W (s.7): charged 1 Sep 2025; closed as withdrawn 1 Nov 2025 with its count never decided → concluded,
  withdrawn (s.87(a)), by the closure reason.
- N (s.6): charged 1 Oct 2025; not guilty; still at pre-trial → pending (the only case under s.6).
- M (s.7), two accused: M1 (first added, count 1 s.7) not guilty, no case to answer (s.210) 1 Mar 2026;
  M2 convicted on a plea agreement 15 Aug 2025 → concluded 1 Mar 2026, a conviction on plea agreement
  (any conviction beats an acquittal), under s.7 (M1's count 1).
- A (s.7): charged 1 Aug 2025; not guilty; no case to answer (s.210) 1 Apr 2026 → concluded, no case.
- B (s.7): charged 1 Mar 2025 (the year before); nolle prosequi (s.82) 1 Dec 2025 → brought forward,
  concluded, nolle prosequi.
- Q (s.7): charged 1 Aug 2024; convicted on own plea 1 Oct 2024 → 2024/25 only.
- R (s.7): charged 1 Sep 2023; no case to answer 1 Mar 2024 → 2023/24 only.
- C: opened 1 Jan 2026, never charged → in no figure.

2025/26 by section (registered, brought forward, concluded, own plea, plea agreement, after trial,
acquitted, no case, s.204, withdrawn, nolle, abated, other, pending, rate by case):
- s.3(1): T → 1 0 1 · 0 0 1 · 0 0 0 0 0 0 0 · 0 · 1/1
- s.6: N → 1 0 0 · 0 … · 1 · no rate (no case concluded)
- s.7: registered P W M A, brought forward B, concluded P W M A B → 4 1 5 · 1 1 0 · 0 1 0 1 1 0 0 · 0 ·
  convictions P M of verdicts P M A = 2/3
- all: 6 1 6 · 1 1 1 · 0 1 0 1 1 0 0 · 1 · 3/4. Brought forward + registered = 7 = concluded + pending.
By count in 2025/26: convicted P, T, M2; acquitted M1, A (W was never decided; B's nolle is no verdict) → 3/5.
2024/25: registered Q B; concluded Q (own plea); pending B → case rate 1/1, count rate 1/1.
2023/24: registered and concluded R (no case) → 0/1 both. 2022/23: nothing.
Average of the three: registered 3/3 = 1.00, concluded 2/3 = 0.67, own plea 0.33, no case 0.33, pending
0.33; rates from the sums: by case 1 of 2, by count 1 of 2.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pandas as pd
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import County, User
from core.reports import Period, PeriodKind
from prosecutions import services
from prosecutions.choices import NetworkRole, Sex
from prosecutions.models import Accused, Case, Charge
from prosecutions.reports import performance
from prosecutions.reports.caseload import case_outcomes
from tests.prosecutions.factories import court, offence
from tests.prosecutions.test_reports import summary

pytestmark = pytest.mark.django_db

D = dt.date
URL = "prosecutions:performance"
S204 = 0  # the s.204 column: no complaint was withdrawn in this year (see the test below)

# The columns of the by-section table, in order.
KEYS = (
    "registered", "brought_forward", "concluded", "own_plea", "plea_agreement", "after_trial", "acquitted",
    "no_case", "complainant_withdrew", "withdrawn", "nolle", "abated", "other", "pending", "rate",
)  # fmt: skip
BY_SECTION = {
    "CTIP Act s.3(1)": (1, 0, 1, 0, 0, 1, 0, 0, S204, 0, 0, 0, 0, 0, Decimal("1.0000")),
    "CTIP Act s.6": (1, 0, 0, 0, 0, 0, 0, 0, S204, 0, 0, 0, 0, 1, None),
    "CTIP Act s.7": (4, 1, 5, 1, 1, 0, 0, 1, S204, 1, 1, 0, 0, 0, Decimal("0.6667")),
}
ALL_SECTIONS = (6, 1, 6, 1, 1, 1, 0, 1, S204, 1, 1, 0, 0, 1, Decimal("0.7500"))
# measure → (2025/26, 2024/25, average of 2022/23–2024/25)
COMPARED = {
    "Registered": (6, 2, Decimal("1.00")),
    "Brought forward": (1, 0, Decimal("0.00")),
    "Concluded": (6, 1, Decimal("0.67")),
    "Convicted on own plea": (1, 1, Decimal("0.33")),
    "Convicted on plea agreement": (1, 0, Decimal("0.00")),
    "Convicted after trial": (1, 0, Decimal("0.00")),
    "Acquitted (s.215, s.87(b))": (0, 0, Decimal("0.00")),
    "No case to answer (s.210)": (1, 0, Decimal("0.33")),
    "Complainant withdrew (s.204)": (0, 0, Decimal("0.00")),
    "Withdrawn (s.87(a))": (1, 0, Decimal("0.00")),
    "Nolle prosequi (s.82)": (1, 0, Decimal("0.00")),
    "Abated": (0, 0, Decimal("0.00")),
    "Diverted or no further action": (0, 0, Decimal("0.00")),
    "Pending at the end": (1, 1, Decimal("0.33")),
}
RATES = {
    "Conviction rate by case": (Decimal("0.7500"), Decimal("1.0000"), Decimal("0.5000")),
    "Conviction rate by count": (Decimal("0.6000"), Decimal("1.0000"), Decimal("0.5000")),
}


def _case(user: User, opened: dt.date, title: str) -> Case:
    return services.open_case(
        user, title=title, county=County.objects.get(code="047"), court=court(),
        court_case_serial=f"E{opened:%y%m%d}", court_case_year=opened.year, opened_on=opened,
    )  # fmt: skip


def _accused(case: Case, user: User, name: str) -> Accused:
    return services.add_accused(
        case, user, name=name, network_role=NetworkRole.RECRUITER, sex=Sex.MALE, custody_status="on_bail"
    )


def _count(accused: Accused, user: User, section: str, number: int = 1) -> Charge:
    return services.add_charge(accused, user, count_number=number, offence=offence(section), offence_date=D(2023, 1, 1))


def _charged(user: User, title: str, section: str, charged: dt.date) -> tuple[Case, Charge]:
    """A case with one accused and one count, charged in court on ``charged``."""
    case = _case(user, charged - dt.timedelta(days=30), title)
    count = _count(_accused(case, user, f"Accused {title}"), user, section)
    services.move_stage(case, user, "charging_decision", effective_on=charged - dt.timedelta(days=10))
    services.move_stage(case, user, "pre_trial", effective_on=charged)
    return case, count


def _convicted_on_plea(user: User, title: str, charged: dt.date, convicted: dt.date) -> Case:
    case, count = _charged(user, title, "7", charged)
    services.record_plea(count, user, plea="guilty", plea_date=charged + dt.timedelta(days=5))
    services.convict_on_own_plea(case, user, on=convicted)
    return case


def _tried(case: Case, count: Charge, user: User, charged: dt.date, decided: dt.date, outcome: str) -> None:
    """Not guilty, tried, and decided at judgment on ``decided``."""
    services.record_plea(count, user, plea="not_guilty", plea_date=charged + dt.timedelta(days=5))
    services.move_stage(case, user, "trial", effective_on=charged + dt.timedelta(days=20))
    services.move_stage(case, user, "judgment", effective_on=decided)
    services.record_disposition(count, user, disposition=outcome, disposition_date=decided)


def _two_accused(user: User) -> Case:
    """M: M1 (count 1 s.7) no case to answer; M2 convicted on a plea agreement."""
    charged = D(2025, 8, 1)
    case = _case(user, D(2025, 7, 1), "Republic v. M1 and M2")
    m1_count = _count(_accused(case, user, "M1"), user, "7")
    m2_count = _count(_accused(case, user, "M2"), user, "8")
    services.move_stage(case, user, "charging_decision", effective_on=D(2025, 7, 20))
    services.move_stage(case, user, "pre_trial", effective_on=charged)
    services.record_plea(m2_count, user, plea="guilty_plea_agreement", plea_date=D(2025, 8, 10))
    services.record_disposition(m2_count, user, disposition="convicted_agreement", disposition_date=D(2025, 8, 15))
    _tried(case, m1_count, user, charged, D(2026, 3, 1), "acquitted_s210")
    return case


def build_year(user: User) -> dict[str, Case]:
    cases = {"P": _convicted_on_plea(user, "Republic v. P", D(2025, 8, 1), D(2025, 9, 1))}
    cases["T"], t_count = _charged(user, "Republic v. T", "3(1)", D(2025, 8, 1))
    _tried(cases["T"], t_count, user, D(2025, 8, 1), D(2026, 2, 1), "convicted_trial")
    cases["W"], _ = _charged(user, "Republic v. W", "7", D(2025, 9, 1))
    services.move_stage(cases["W"], user, "closed", effective_on=D(2025, 11, 1), closure_reason="withdrawn")
    cases["N"], n_count = _charged(user, "Republic v. N", "6", D(2025, 10, 1))
    services.record_plea(n_count, user, plea="not_guilty", plea_date=D(2025, 10, 5))
    cases["M"] = _two_accused(user)
    cases["A"], a_count = _charged(user, "Republic v. A", "7", D(2025, 8, 1))
    _tried(cases["A"], a_count, user, D(2025, 8, 1), D(2026, 4, 1), "acquitted_s210")
    cases["B"], b_count = _charged(user, "Republic v. B", "7", D(2025, 3, 1))
    services.record_disposition(b_count, user, disposition="discharged_s82", disposition_date=D(2025, 12, 1))
    services.move_stage(cases["B"], user, "closed", effective_on=D(2025, 12, 1), closure_reason="nolle_prosequi")
    cases["Q"] = _convicted_on_plea(user, "Republic v. Q", D(2024, 8, 1), D(2024, 10, 1))
    cases["R"], r_count = _charged(user, "Republic v. R", "7", D(2023, 9, 1))
    _tried(cases["R"], r_count, user, D(2023, 9, 1), D(2024, 3, 1), "acquitted_s210")
    cases["C"] = _case(user, D(2026, 1, 1), "Republic v. C (under investigation)")
    return cases


@pytest.fixture
def year(unit_head: Any) -> dict[str, Case]:
    return build_year(unit_head)


def report(client: Client, user: User, **params: str) -> Any:
    client.force_login(user)
    response = client.get(reverse(URL), params)
    assert response.status_code == 200, response.content.decode()[:500]
    return response.context["data"]


def row_cells(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[key] for key in KEYS)


def test_every_cell_of_the_cases_by_section_table(client: Client, auditor: Any, year: Any) -> None:
    data = report(client, auditor, period="2025-26")
    table = data.table("cases")
    assert [row["section"] for row in table.rows] == list(BY_SECTION)  # s.6 shown though all its cases pend
    assert {row["section"]: row_cells(row) for row in table.rows} == BY_SECTION
    assert table.total is not None
    assert table.total["section"] == "All sections"
    assert row_cells(table.total) == ALL_SECTIONS
    totals: dict[str, Any] = dict(zip(KEYS, ALL_SECTIONS, strict=True))
    assert totals["brought_forward"] + totals["registered"] == totals["concluded"] + totals["pending"]


def test_the_headline_figures_give_both_rates(client: Client, auditor: Any, year: Any) -> None:
    figures = {f.key: f.value for f in report(client, auditor, period="2025-26").figures}
    assert figures == {
        "registered": 6,
        "brought_forward": 1,
        "concluded": 6,
        "pending": 1,
        "case_conviction_rate": Decimal("0.7500"),
        "conviction_rate": Decimal("0.6000"),
        # Days from charge to each conviction or acquittal: M2 14, P 31, T 184, M1 212, A 243.
        "median_days": Decimal("184.0"),
        "adjournments": 0,
    }


def test_the_previous_periods_side_by_side(client: Client, auditor: Any, year: Any) -> None:
    data = report(client, auditor, period="2025-26")
    comparison = data.table("comparison")
    assert [str(c.label) for c in comparison.columns] == ["Cases", "2025/26", "2024/25", "Average 2022/23–2024/25"]
    assert {r["measure"]: (r["current"], r["previous"], r["average"]) for r in comparison.rows} == COMPARED
    assert [r["measure"] for r in comparison.rows] == list(COMPARED)
    rates = data.table("rates")
    assert {r["measure"]: (r["current"], r["previous"], r["average"]) for r in rates.rows} == RATES


def test_the_page_shows_rates_to_two_decimals_and_defines_every_figure(client: Client, auditor: Any, year: Any) -> None:
    client.force_login(auditor)
    html = client.get(reverse(URL), {"period": "2025-26"}).content.decode()
    assert 'data-testid="figure-case_conviction_rate">75.00 %' in html
    assert 'data-testid="figure-conviction_rate">60.00 %' in html
    assert "66.67 %" in html  # s.7 by case
    footer = html[html.index('data-testid="report-definitions"') :]
    for term in (
        "Section of a case (lead count)", "lowest-numbered count on the charge sheet of the accused first added",
        "Brought forward", "Concluded", "Pending at the end", "Outcome of a case (precedence)",
        "Complainant withdrew (s.204)", "Conviction rate by case", "any accused is convicted on any count",
        "Conviction rate by count", "Previous periods",
    ):  # fmt: skip
        assert term in footer, term


def _book(client: Client, user: User, **params: str) -> Any:
    client.force_login(user)
    response: Any = client.get(reverse(URL), {**params, "export": "xlsx"})
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _as_read(values: tuple[Any, ...]) -> tuple[Any, ...]:
    """What openpyxl reads back: numbers as int/float, an empty cell as None."""
    return tuple(None if v is None else (float(v) if isinstance(v, Decimal) else v) for v in values)


def test_the_workbook_holds_every_cell_with_percentages_as_numbers(client: Client, auditor: Any, year: Any) -> None:
    book = _book(client, auditor, period="2025-26")
    sheet = book["Cases by section"]
    rows = list(sheet.iter_rows(min_row=1, max_row=5, values_only=True))
    assert rows[0][0] == "Offence section (lead count)" and rows[0][-1] == "Conviction rate by case"
    read = {row[0]: row[1:] for row in rows[1:]}
    expected = {**BY_SECTION, "All sections": ALL_SECTIONS}
    assert read == {section: _as_read(cells) for section, cells in expected.items()}
    rate_column = len(KEYS)  # the last column, after the section's
    for excel_row in (2, 4, 5):
        cell = sheet.cell(row=excel_row, column=rate_column + 1)
        assert cell.number_format == "0.00%" and isinstance(cell.value, (int, float))  # a number, not text
    rates = {row[0]: row[1:] for row in book["Rates compared"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert rates == {measure: _as_read(values) for measure, values in RATES.items()}
    assert book["Rates compared"]["B2"].number_format == "0.00%"
    compared = {row[0]: row[1:] for row in book["Cases compared"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert compared == {measure: _as_read(values) for measure, values in COMPARED.items()}
    figures = summary(book)
    assert figures["Conviction rate by case"] == 0.75 and figures["Conviction rate by count"] == 0.6
    about = [row for row in book["About this export"].iter_rows(values_only=True) if any(row)]
    about_text = " ".join(str(value) for row in about for value in row if value)
    assert "Section of a case (lead count)" in about_text and "Conviction rate by case" in about_text


def _queries(client: Client, **params: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(URL), params)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


REPORT_QUERIES = 4  # the cases' charge dates, their counts (with closing dates), adjournments, overrides
PAGE_QUERIES = 6  # the report's, the session, the user (with their roles and the bell's count)


def test_the_page_costs_a_fixed_number_of_queries(
    client: Client, unit_head: Any, auditor: Any, django_assert_num_queries: Any
) -> None:
    client.force_login(auditor)
    build_year(unit_head)
    period = Period.parse(PeriodKind.FINANCIAL_YEAR, "2025-26")
    with django_assert_num_queries(REPORT_QUERIES):
        performance(period, auditor)
    assert _queries(client, period="2025-26") == PAGE_QUERIES
    build_year(unit_head)
    build_year(unit_head)
    with django_assert_num_queries(REPORT_QUERIES):
        total = performance(period, auditor).table("cases").total
    assert total is not None and total["registered"] == 18
    assert _queries(client, period="2025-26") == PAGE_QUERIES
    assert _queries(client, period="2025-26", export="xlsx") == _queries(client, period="2024-25", export="xlsx")


def test_any_dates_count_the_same_way(client: Client, auditor: Any, year: Any) -> None:
    whole_year = report(client, auditor, **{"from": "2025-07-01", "to": "2026-06-30"})
    assert row_cells(whole_year.table("cases").total) == ALL_SECTIONS
    # 1 Oct 2025 – 31 Mar 2026: registered N; brought forward T W M B A (charged before, open on 1 Oct);
    # concluded W (Nov), B (Dec), T (Feb), M (1 Mar); pending N and A (decided 1 Apr). By case: T and M
    # convicted, no acquittal → 2/2. The previous period is the same dates a year earlier.
    data = report(client, auditor, **{"from": "2025-10-01", "to": "2026-03-31"})
    figures = {f.key: f.value for f in data.figures}
    assert (figures["registered"], figures["brought_forward"], figures["concluded"], figures["pending"]) == (
        1,
        5,
        4,
        2,
    )
    assert figures["case_conviction_rate"] == Decimal("1.0000")
    labels = [str(c.label) for c in data.table("comparison").columns]
    assert labels[1:3] == ["01 Oct 2025 – 31 Mar 2026", "01 Oct 2024 – 31 Mar 2025"]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"from": "2026-02-30", "to": "2026-03-31"}, "is not a date"),
        ({"from": "2026-03-31", "to": "2026-03-01"}, "before it starts"),
        ({"from": "2026-03-01"}, "Give both dates"),
        ({"period": "2025-27"}, "not a financial year"),
        ({"period": "soon"}, "not a period"),
    ],
)
def test_bad_dates_get_a_clear_message_not_an_error(
    client: Client, auditor: Any, params: dict[str, str], words: str
) -> None:
    client.force_login(auditor)
    page = client.get(reverse(URL), params)
    assert page.status_code == 400
    assert words in page.content.decode()
    download = client.get(reverse(URL), {**params, "export": "xlsx"})
    assert download.status_code == 400 and words in download.content.decode()


def _count_row(
    case: int, accused: int, number: int, section: str, disposition: str, on: str | None, **case_facts: Any
) -> dict[str, Any]:
    return {
        "case_id": case, "accused_id": accused, "count_number": number, "statute": "ctip", "section": section,
        "disposition": disposition, "disposition_date": on, "closed_on": case_facts.get("closed_on"),
        "closure_reason": case_facts.get("closure_reason", ""), "charged_on": "2025-08-01",
    }  # fmt: skip


def test_the_precedence_and_the_lead_count_decide_each_case() -> None:
    rows = [
        # 1: an acquittal after defence beats a withdrawal of the other accused; concluded on the later outcome.
        _count_row(1, 10, 1, "7", "acquitted_s215", "2026-01-01"),
        _count_row(1, 11, 1, "3(1)", "discharged_s87a", "2026-01-02"),
        # 2: the lead count is count 1 (s.6), though count 2 is listed first; closed as diverted with the
        #    counts pending → "diverted or no further action", concluded on the closing day.
        _count_row(2, 20, 2, "8", "pending", None, closed_on="2026-02-01", closure_reason="diverted"),
        _count_row(2, 20, 1, "6", "pending", None, closed_on="2026-02-01", closure_reason="diverted"),
        # 3: a conviction after trial beats one on own plea.
        _count_row(3, 30, 1, "10", "convicted_plea", "2025-09-01"),
        _count_row(3, 31, 1, "10", "convicted_trial", "2026-03-01"),
        # 4: a count still pending in an open case: not concluded, whatever the other count's outcome.
        _count_row(4, 40, 1, "7", "convicted_plea", "2025-09-01"),
        _count_row(4, 41, 1, "7", "pending", None),
        # 5: closed as withdrawn after one count was abated, the other pending → withdrawn beats abated.
        _count_row(5, 50, 1, "7", "abated", "2025-10-01", closed_on="2025-11-01", closure_reason="withdrawn"),
        _count_row(5, 50, 2, "7", "pending", None, closed_on="2025-11-01", closure_reason="withdrawn"),
        # 6: a complaint withdrawn with leave (s.204, an acquittal) beats the other accused's s.87(a) discharge.
        _count_row(6, 60, 1, "7", "discharged_s87a", "2025-10-01"),
        _count_row(6, 61, 1, "7", "acquitted_s204", "2025-10-15"),
    ]
    counts = pd.DataFrame(rows)
    for column in ("disposition_date", "closed_on", "charged_on"):
        counts[column] = pd.to_datetime(counts[column])
    cases = case_outcomes(counts).set_index("case_id")
    decided = {
        case_id: (
            row["section"],
            row["outcome"] if isinstance(row["outcome"], str) else None,
            None if pd.isna(row["concluded_on"]) else row["concluded_on"].date(),
        )
        for case_id, row in cases.iterrows()
    }
    assert decided == {
        1: ("7", "acquitted", D(2026, 1, 2)),
        2: ("6", "other", D(2026, 2, 1)),
        3: ("10", "after_trial", D(2026, 3, 1)),
        4: ("7", None, None),
        5: ("7", "withdrawn", D(2025, 11, 1)),
        6: ("7", "complainant_withdrew", D(2025, 10, 15)),
    }


def test_a_complaint_withdrawn_with_leave_is_an_acquittal_counted_under_s204(
    client: Client, auditor: Any, unit_head: User
) -> None:
    """Recorded through the service before trial (the court may allow it before its final order), the case is
    concluded as "complainant withdrew (s.204)" and counts as a verdict: a conviction rate of 0 of 1."""
    _, count = _charged(unit_head, "Republic v. S", "7", D(2025, 8, 1))
    services.record_plea(count, unit_head, plea="not_guilty", plea_date=D(2025, 8, 5))
    services.record_disposition(count, unit_head, disposition="acquitted_s204", disposition_date=D(2025, 10, 1))
    count.refresh_from_db()
    assert count.disposition == "acquitted_s204"
    row = next(
        r for r in report(client, auditor, period="2025-26").table("cases").rows if r["section"] == "CTIP Act s.7"
    )
    cells = dict(zip(KEYS, row_cells(row), strict=True))
    assert (cells["registered"], cells["concluded"], cells["complainant_withdrew"], cells["pending"]) == (1, 1, 1, 0)
    assert cells["rate"] == Decimal("0.0000")
