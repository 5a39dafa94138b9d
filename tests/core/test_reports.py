"""The reports framework: periods, the registry, the generic report page, the workbook and the charts."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import openpyxl
import pandas as pd
import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from core import charts
from core import reports as core_reports
from core.access import AnyUser
from core.exporter import AboutExport
from core.reports import (
    PERCENT,
    ExcelChart,
    Figure,
    InvalidPeriod,
    Period,
    PeriodKind,
    Report,
    ReportChart,
    ReportData,
    ReportTable,
    register_report,
    reports_for,
    write_report_workbook,
)
from core.roles import Role
from core.tables import Column, ColumnKind

CAL, FIN = PeriodKind.CALENDAR_YEAR, PeriodKind.FINANCIAL_YEAR


def test_a_calendar_year_runs_january_to_december() -> None:
    period = Period.parse(CAL, "2025")
    assert (period.start, period.end, period.param) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31), "2025")
    assert period.label == "Calendar year 2025"


def test_a_financial_year_runs_july_to_june_and_is_written_like_the_reference_numbers() -> None:
    period = Period.parse(FIN, "2025-26")
    assert (period.start, period.end, period.param) == (dt.date(2025, 7, 1), dt.date(2026, 6, 30), "2025-26")
    assert Period.parse(FIN, "2025/26") == period == Period.parse(FIN, "2025")
    assert period.label == "Financial year 2025/26"
    assert Period.containing(FIN, dt.date(2026, 6, 30)) == period
    assert Period.containing(FIN, dt.date(2026, 7, 1)) == period.shifted(1)
    assert Period.parse(FIN, "2099-00").end == dt.date(2100, 6, 30)


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        (CAL, "twenty", "write it like 2026"),
        (CAL, "2025-26", "not a calendar year"),
        (FIN, "2025-27", "the second year must follow the first"),
        (FIN, "1999-00", "2010 onwards"),
        (CAL, "", "write it like 2026"),
        (FIN, "25-26", "write it like 2026-27"),
    ],
)
def test_a_period_that_makes_no_sense_is_refused_with_a_message(kind: str, text: str, message: str) -> None:
    with pytest.raises(InvalidPeriod, match=message):
        Period.parse(kind, text)


def _sample(period: Period, user: AnyUser) -> ReportData:
    """A made-up report whose figures depend on the period, with a formula-looking label."""
    rows = [
        {"name": '=HYPERLINK("http://x")', "amount": Decimal("1200.50"), "share": Decimal("0.25")},
        {"name": "Plain", "amount": Decimal(period.start_year), "share": None},
    ]
    table = ReportTable(
        "things",
        "Things by name",
        (
            Column("name", "Name"),
            Column("amount", "Amount", kind=ColumnKind.MONEY),
            Column("share", "Share", kind=PERCENT),
        ),
        rows,
        total={"name": "Total", "amount": sum(r["amount"] for r in rows), "share": Decimal("1")},
        sheet="Things",
    )
    chart = ReportChart(
        "things",
        "Amount by name",
        charts.bar(pd.DataFrame(rows), "name", "amount", money=True),
        excel=ExcelChart("things", "name", ("amount",)),
    )
    return ReportData(
        figures=[Figure("count", "How many", 2), Figure("year", "Year", period.start_year)],
        tables=[table],
        charts=[chart],
        notes=["A note for the reader."],
    )


SAMPLE = Report(
    key="sample_for_tests",
    title="Sample report",
    url_name="core:report_index",
    roles=frozenset({Role.FUND_APPROVER}),
    app="core",
    period_kind=FIN,
    compute=_sample,
    definitions=(("Thing", "Something counted </script> with care."),),
    order=999,
)


@pytest.fixture
def sample_report() -> Iterator[Report]:
    register_report(SAMPLE)
    yield SAMPLE
    core_reports.unregister_report(SAMPLE.key)


def test_the_workbook_has_a_summary_a_sheet_per_table_with_its_chart_and_the_about_sheet(tmp_path: Any) -> None:
    period = Period.parse(FIN, "2025-26")
    target = tmp_path / "report.xlsx"
    write_report_workbook(
        str(target), SAMPLE, period, _sample(period, AnonymousUser()), AboutExport("Sample report", "Tester (tester)")
    )
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Summary", "Things", "About this export"]
    summary = book["Summary"]
    assert summary["A1"].value == "Sample report"
    assert summary["B2"].value == "Financial year 2025/26 (01 Jul 2025 – 30 Jun 2026)"
    assert (summary["A5"].value, summary["B5"].value) == ("How many", 2)
    values = [cell.value for row in summary.iter_rows() for cell in row]
    assert "A note for the reader." in values and "Thing" in values
    things: Any = book["Things"]
    assert [c.value for c in things[1]] == ["Name", "Amount", "Share"]
    assert things["A2"].value == '=HYPERLINK("http://x")' and things["A2"].data_type == "s"  # text, not a formula
    assert things["A2"].quotePrefix
    assert (things["B2"].value, things["B2"].number_format) == (1200.5, '"KES" #,##0.00')
    assert (things["C2"].value, things["C2"].number_format) == (0.25, "0.00%")
    assert things["C3"].value is None
    assert (things["A4"].value, things["B4"].value, things["A4"].font.b) == ("Total", 3225.5, True)
    assert things.freeze_panes == "A2"
    assert things.auto_filter.ref == "A1:C3"
    assert len(things._charts) == 1
    assert book["About this export"]["B2"].value == "Tester (tester)"


def test_the_report_page_takes_its_period_and_refuses_a_bad_one(
    client: Client, fund_approver: Any, sample_report: Report
) -> None:
    from core.views.reports import ReportView

    view = ReportView.as_view(report_key=SAMPLE.key)
    from django.test import RequestFactory

    factory = RequestFactory()
    request = factory.get("/x", {"period": "2024-25"})
    request.user = fund_approver
    response: Any = view(request)
    assert response.status_code == 200
    html = response.rendered_content if hasattr(response, "rendered_content") else response.content.decode()
    assert 'data-testid="figure-year">2,024<' in html
    assert "Financial year 2024/25" in html
    assert 'data-chart="things"' in html and "js_lib_vega_embed/vega-lite5.js" in html
    assert "Something counted &lt;/script&gt; with care." in html

    request = factory.get("/x", {"period": "2024-99"})
    request.user = fund_approver
    refused: Any = view(request)
    assert refused.status_code == 400
    assert "the second year must follow the first" in refused.content.decode()

    request = factory.get("/x", {"period": "nonsense", "export": "xlsx"})
    request.user = fund_approver
    assert view(request).status_code == 400


def test_the_download_holds_the_figures_of_the_period_asked_for(fund_approver: Any, sample_report: Report) -> None:
    from django.test import RequestFactory

    from core.views.reports import ReportView

    request = RequestFactory().get("/x", {"period": "2023-24", "export": "xlsx"})
    request.user = fund_approver
    response: Any = ReportView.as_view(report_key=SAMPLE.key)(request)
    assert response["Content-Disposition"].startswith('attachment; filename="sample-for-tests-2023-24-')
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book["Summary"]["B6"].value == 2023


def test_a_user_without_the_reports_role_gets_403(client: Client, auditor: Any, sample_report: Report) -> None:
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory

    from core.views.reports import ReportView

    request = RequestFactory().get("/x")
    request.user = auditor
    with pytest.raises(PermissionDenied):
        ReportView.as_view(report_key=SAMPLE.key)(request)


def test_the_index_lists_only_the_reports_a_user_may_read(
    client: Client, fund_approver: Any, prosecutor: Any, sample_report: Report
) -> None:
    assert SAMPLE in reports_for(fund_approver)
    assert SAMPLE not in reports_for(prosecutor)
    client.force_login(fund_approver)
    html = client.get(reverse("core:report_index")).content.decode()
    assert "Sample report" in html and 'data-section="reports"' in html


def test_the_chart_tag_embeds_the_spec_as_inert_json() -> None:
    spec = charts.bar(pd.DataFrame([{"a": "</script><b>", "b": 1}]), "a", "b")
    html = Template('{% load charts %}{% vega_chart "x" spec "A chart" %}').render(Context({"spec": spec}))
    assert 'id="chart-x" data-chart="x" data-vega-spec="chart-x-spec"' in html
    assert '<script id="chart-x-spec" type="application/json">' in html
    assert "</script><b>" not in html and "\\u003C/script\\u003E\\u003Cb\\u003E" in html


def test_the_chart_tag_draws_nothing_for_a_missing_spec() -> None:
    """A misspelt context variable renders as "", which vega-embed would otherwise fetch as a URL."""
    html = Template('{% load charts %}{% vega_chart "x" missing "A chart" %}').render(Context({}))
    assert html == ""


def test_bar_specs_keep_the_order_of_the_rows_and_plot_decimals_as_numbers() -> None:
    frame = pd.DataFrame([{"stage": "Seized", "value": Decimal("10.50")}, {"stage": "Forfeited", "value": None}])
    spec = charts.bar(frame, "stage", "value", money=True, horizontal=True)
    assert spec["data"]["values"] == [{"stage": "Seized", "value": 10.5}, {"stage": "Forfeited", "value": None}]
    assert spec["encoding"]["y"]["sort"] is None and spec["mark"]["type"] == "bar"
    grouped = charts.grouped_bar(pd.DataFrame([{"k": "a", "x": 1, "y": 2}]), "k", {"x": "X", "y": "Y"}, stacked=True)
    assert {(v["_series"], v["_value"]) for v in grouped["data"]["values"]} == {("X", 1), ("Y", 2)}


def test_weekly_counts_bucket_dates_from_today() -> None:
    today = dt.date(2026, 11, 28)
    frame = charts.weekly_counts(
        [(dt.date(2026, 11, 20), 2), (today, 1), (dt.date(2026, 12, 4), 3), (dt.date(2026, 12, 5), 1)],
        today,
        2,
        overdue="Expired",
    )
    assert frame.to_dict("records") == [
        {"week": "Expired", "count": 2},
        {"week": "28 Nov", "count": 4},
        {"week": "05 Dec", "count": 1},
    ]


def test_a_chart_with_nothing_to_show_says_so_instead_of_drawing_empty_axes() -> None:
    nothing = pd.DataFrame(columns=["k", "x", "y"])
    for spec in (
        charts.bar(nothing, "k", "x"),
        charts.grouped_bar(nothing, "k", {"x": "X", "y": "Y"}),
        charts.donut(pd.DataFrame([{"k": "a", "x": 0}]), "k", "x"),
        charts.line(nothing, "k", {"x": "X"}),
    ):
        assert spec["mark"]["type"] == "text"
        assert spec["data"]["values"] == [{"text": "Nothing to show for this period."}]
