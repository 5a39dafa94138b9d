"""Worked example for the asset recovery report, figures worked out by hand next to the data.

Case X: asset 1, a KES 1,000,000 vehicle seized 1 Aug 2025, preserved 10 Aug 2025, forfeited to the
fund 1 Nov 2025, sold 1 Feb 2026 for 900,000 less 100,000 costs (net 800,000); asset 2, KES 500,000
seized 15 Apr 2025, preserved 1 May 2025 (expires 30 Jul 2025), lapsed 31 Jul 2025.
Case Y: asset 3, USD 1,000 at 130 (KES 130,000) seized 1 Sep 2025, forfeited on conviction 1 Mar 2026.

Financial year 2025/26 (1 Jul 2025 – 30 Jun 2026): seized 1,130,000 (assets 1, 3); preserved 1,000,000
(asset 1; asset 2's order was the year before); forfeited 1,130,000; realised 800,000; recovery rate
800,000 / 1,130,000 = 70.80 %; one order lapsed (500,000). Financial year 2024/25: seized and
preserved 500,000, nothing else. With the fund's receipt of 750,000 on 15 Mar 2026 registered through
the report source, received by the fund is 750,000.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assets import services
from assets.models import Asset, Realisation
from core import reports as core_reports
from core.models import User
from core.reports import registry as report_registry
from tests.assets.factories import CaseFactory, forfeit, preserve, seize

pytestmark = pytest.mark.django_db

D = dt.date
URL = "assets:recovery"


def build_worked_example(user: User) -> dict[str, Any]:
    x = CaseFactory.create(lead_prosecutor=user, title="Republic v. X", opened_on=D(2025, 1, 10))
    y = CaseFactory.create(lead_prosecutor=user, title="Republic v. Y", opened_on=D(2025, 1, 10))
    vehicle = seize(x, seized_on=D(2025, 8, 1), estimated_value=Decimal("1000000"))
    preserve(vehicle, granted_on=D(2025, 8, 10))
    forfeit(vehicle, granted_on=D(2025, 11, 1))
    sale = services.record_realisation(
        vehicle,
        user,
        realised_on=D(2026, 2, 1),
        method="auction",
        gross_proceeds=Decimal("900000"),
        costs=Decimal("100000"),
    )
    land = seize(x, seized_on=D(2025, 4, 15), estimated_value=Decimal("500000"), description="Plot")
    preserve(land, granted_on=D(2025, 5, 1))
    services.record_lapse(land, user, lapsed_on=D(2025, 7, 31))
    dollars = seize(
        y,
        seized_on=D(2025, 9, 1),
        asset_type="cash",
        description="Dollars",
        currency="USD",
        estimated_value=Decimal("1000"),
        exchange_rate=Decimal("130"),
    )
    forfeit(dollars, granted_on=D(2026, 3, 1))
    return {"x": x, "y": y, "sale": sale}


@pytest.fixture
def worked(unit_head: Any) -> dict[str, Any]:
    return build_worked_example(unit_head)


@pytest.fixture
def fund_receipts(worked: Any) -> Iterator[None]:
    """The trust fund's receipts source, as the trust fund registers it: one receipt of 750,000."""
    sale: Realisation = worked["sale"]
    previous = core_reports.get_source(core_reports.RECOVERY_RECEIPTS)

    def receipts(start: dt.date, end: dt.date) -> list[tuple[int, dt.date, Decimal]]:
        day = D(2026, 3, 15)
        return [(sale.pk, day, Decimal("750000.00"))] if start <= day <= end else []

    core_reports.register_source(core_reports.RECOVERY_RECEIPTS, receipts)
    yield
    if previous is None:
        report_registry._sources.pop(core_reports.RECOVERY_RECEIPTS, None)
    else:
        core_reports.register_source(core_reports.RECOVERY_RECEIPTS, previous)


@pytest.fixture
def no_fund_receipts() -> Iterator[None]:
    previous = report_registry._sources.pop(core_reports.RECOVERY_RECEIPTS, None)
    yield
    if previous is not None:
        core_reports.register_source(core_reports.RECOVERY_RECEIPTS, previous)


def charts_in(sheet: Any) -> int:
    """Native Excel charts openpyxl read from the sheet."""
    return len(sheet._charts)


def show(client: Client, user: User, period: str) -> Any:
    client.force_login(user)
    response = client.get(reverse(URL), {"period": period})
    assert response.status_code == 200
    return response


def test_recovery_for_2025_26_matches_the_hand_count(
    client: Client, auditor: Any, worked: Any, no_fund_receipts: None
) -> None:
    response = show(client, auditor, "2025-26")
    data = response.context["data"]
    figures = {f.key: f.value for f in data.figures}
    assert figures == {
        "seized": Decimal("1130000.00"),
        "forfeited": Decimal("1130000.00"),
        "realised": Decimal("800000.00"),
        "received": None,
        "rate": Decimal("0.7080"),
        "lapsed": 1,
    }
    assert "Received by the fund: not available" in response.content.decode()
    years = {r["year"]: r for r in data.table("years").rows}
    assert list(years) == ["FY 2021/22", "FY 2022/23", "FY 2023/24", "FY 2024/25", "FY 2025/26"]
    assert years["FY 2024/25"]["seized"] == Decimal("500000.00")
    assert years["FY 2024/25"]["preserved"] == Decimal("500000.00")
    assert years["FY 2024/25"]["forfeited"] == Decimal("0")
    assert years["FY 2024/25"]["rate"] is None
    assert years["FY 2025/26"]["preserved"] == Decimal("1000000.00")
    assert years["FY 2025/26"]["lapsed_value"] == Decimal("500000.00")
    cases = {r["reference"]: r for r in data.table("cases").rows}
    x, y = worked["x"].reference, worked["y"].reference
    assert set(cases) == {x, y}
    assert (cases[x]["seized"], cases[x]["forfeited"], cases[x]["realised"], cases[x]["lapsed"]) == (
        Decimal("1000000.00"),
        Decimal("1000000.00"),
        Decimal("800000.00"),
        1,
    )
    assert cases[x]["rate"] == Decimal("0.8000")
    assert (cases[y]["seized"], cases[y]["forfeited"], cases[y]["realised"]) == (
        Decimal("130000.00"),
        Decimal("130000.00"),
        Decimal("0"),
    )

    client.force_login(auditor)
    download: Any = client.get(reverse(URL), {"period": "2025-26", "export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    rows = [r for r in book["By case"].iter_rows(values_only=True) if any(v is not None for v in r)]
    assert rows[0][:8] == (
        "Case",
        "Title",
        "Seized (KES)",
        "Preserved (KES)",
        "Forfeited (KES)",
        "Realised (net) (KES)",
        "Received by the fund (KES)",
        "Recovery rate",
    )
    by_case = {r[0]: r for r in rows[1:]}
    assert by_case[x][2:6] == (1000000, 1000000, 1000000, 800000)
    assert by_case[x][6] is None  # not available, not zero
    assert by_case["All cases"][2:6] == (1130000, 1000000, 1130000, 800000)
    assert by_case["All cases"][7] == pytest.approx(0.708)
    assert book["By case"]["C2"].number_format == '"KES" #,##0.00'
    years_sheet = {r[0]: r for r in book["By year"].iter_rows(values_only=True)}
    assert years_sheet["FY 2024/25"][1:3] == (500000, 500000)
    assert charts_in(book["By year"]) == 2


def test_received_by_the_fund_comes_from_the_fund_source(
    client: Client, fund_admin: Any, worked: Any, fund_receipts: None
) -> None:
    data = show(client, fund_admin, "2025-26").context["data"]
    figures = {f.key: f.value for f in data.figures}
    assert figures["received"] == Decimal("750000.00")
    cases = {r["reference"]: r for r in data.table("cases").rows}
    assert cases[worked["x"].reference]["received"] == Decimal("750000.00")
    assert cases[worked["y"].reference]["received"] == Decimal("0")
    assert not data.notes


def test_the_year_before_shows_its_own_figures(client: Client, auditor: Any, worked: Any) -> None:
    data = show(client, auditor, "2024-25").context["data"]
    figures = {f.key: f.value for f in data.figures}
    assert figures["seized"] == Decimal("500000.00")
    assert figures["forfeited"] == Decimal("0")
    assert figures["lapsed"] == 0
    assert figures["rate"] is None


def test_the_home_page_shows_this_years_recovery_chart(client: Client, unit_head: Any) -> None:
    client.force_login(unit_head)
    html = client.get(reverse("core:home")).content.decode()
    assert 'data-panel="asset_recovery"' in html
    assert 'data-chart="recovery-funnel"' in html
    assert "js_lib_vega_embed/vega-embed6.js" in html


def _queries(client: Client, **params: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(URL), params)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


def test_the_report_costs_the_same_queries_however_many_assets(
    client: Client, unit_head: Any, fund_receipts: None
) -> None:
    client.force_login(unit_head)
    few = (_queries(client, period="2025-26"), _queries(client, period="2025-26", export="xlsx"))
    for _ in range(4):
        build_worked_example(unit_head)
    assert Asset.objects.count() == 15
    many = (_queries(client, period="2025-26"), _queries(client, period="2025-26", export="xlsx"))
    assert few == many


def test_the_deadline_panel_charts_orders_by_week_of_expiry(client: Client, unit_head: Any) -> None:
    from django.utils import timezone

    today = timezone.localdate()
    case = CaseFactory.create(lead_prosecutor=unit_head)
    preserve(seize(case, seized_on=today - dt.timedelta(days=120)), granted_days_ago=100)  # expired 10 days ago
    preserve(seize(case, seized_on=today - dt.timedelta(days=120)), granted_days_ago=80)  # expires in 10 days
    client.force_login(unit_head)
    panels = {panel.key: context for panel, context in client.get(reverse("core:home")).context["panels"]}
    counts = {row["week"]: row["count"] for row in panels["asset_deadlines"]["chart"]["data"]["values"]}
    second_week = f"{today + dt.timedelta(weeks=1):%d %b}"
    assert counts["Expired"] == 1 and counts[second_week] == 1 and sum(counts.values()) == 2
    assert len(panels["asset_deadlines"]["orders"]) == 2


def _recovery_panel(client: Client) -> str:
    html = client.get(reverse("core:home")).content.decode()
    panel = html[html.index('data-panel="asset_recovery"') :]
    return panel[: panel.find("data-panel=", 1)] if "data-panel=" in panel[1:] else panel


def test_the_recovery_panel_says_when_the_funds_receipts_are_not_available(
    client: Client, unit_head: Any, no_fund_receipts: None
) -> None:
    client.force_login(unit_head)
    assert '<td>Received by the fund</td><td class="text-end">not available</td>' in _recovery_panel(client)


def test_the_recovery_panel_shows_the_funds_receipts_once_registered(
    client: Client, unit_head: Any, fund_receipts: None
) -> None:
    client.force_login(unit_head)
    panel = _recovery_panel(client)
    assert '<td>Received by the fund</td><td class="text-end">KES ' in panel
    assert "not available" not in panel
