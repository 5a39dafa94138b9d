"""History tabs of every detail page, per record type: each change of the record and of its child
records, with readable labels, who, when and why; protected fields show "changed", never values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.text import capfirst

from assets import services as asset_services
from assets.models import Asset, AssetStatusChange, CourtOrder, Realisation, Valuation
from core.history import MASKED_TEXT, HistoryEntry
from core.models import User
from prosecutions import services
from prosecutions.models import Accused, Case, Charge, Hearing, Sentence, StageChange
from tests.assets.factories import days_ago as asset_days_ago
from tests.assets.factories import forfeit, preserve, seize
from tests.prosecutions.factories import case_at_judgment, charged_case, days_ago, make_accused
from victims.models import Victim

pytestmark = pytest.mark.django_db


def history_of(client: Client, url: str) -> list[HistoryEntry]:
    response = client.get(url, {"tab": "history"})
    assert response.status_code == 200
    assert 'data-testid="history"' in response.content.decode()
    entries: list[HistoryEntry] = response.context["history"]
    return entries


def label_of(model: Any) -> str:
    return capfirst(str(model._meta.verbose_name))


@pytest.fixture
def full_case(prosecutor: User) -> Case:
    """A case at sentencing: stage moves, an accused with counts, pleas, verdicts, a sentence, a victim,
    a hearing, and an edit of the case made with a reason."""
    case = case_at_judgment(prosecutor)
    charge = Charge.objects.filter(accused__case=case).order_by("count_number").first()
    assert charge is not None
    services.record_sentence(charge, prosecutor, sentenced_on=days_ago(90), custodial_months=360)
    services.add_victim(case, prosecutor, exploitation_type="servitude", identified_on=days_ago(190))
    services.record_hearing(case, prosecutor, date=days_ago(95), purpose="judgment", outcome="proceeded")
    services.update_case_details(case, prosecutor, reason="OB number was mistyped", ob_number="OB 44/2/2026")
    return case


CASE_RECORDS = [Case, StageChange, Accused, Charge, Sentence, Victim, Hearing]


@pytest.mark.parametrize("model", CASE_RECORDS, ids=lambda m: m.__name__)
def test_the_case_history_tab_shows_each_record_type_with_who_when_and_why(
    client: Client, prosecutor: User, full_case: Case, model: Any
) -> None:
    client.force_login(prosecutor)
    entries = history_of(client, full_case.get_absolute_url())
    mine = [entry for entry in entries if entry.record.startswith(label_of(model) + ":")]
    assert mine, f"no {model.__name__} changes on the case History tab"
    for entry in mine:
        assert entry.who == "Achieng Otieno"
        assert entry.when is not None
        assert entry.reason, f"{entry.record} ({entry.kind}) has no reason"


def test_the_case_history_shows_differences_in_words(client: Client, prosecutor: User, full_case: Case) -> None:
    client.force_login(prosecutor)
    entries = history_of(client, full_case.get_absolute_url())
    edit = next(e for e in entries if e.reason == "OB number was mistyped")
    assert [(c.field, c.new) for c in edit.changes] == [("OB number", "OB 44/2/2026")]
    verdicts = [c for e in entries if e.record.startswith("Charge:") for c in e.changes if c.field == "Disposition"]
    assert verdicts and verdicts[0].old == "Pending" and "convicted" in verdicts[0].new.lower()
    stages = [c for e in entries if e.record.startswith("Case:") for c in e.changes if c.field == "Stage"]
    assert ("Pre-trial", "Trial") in [(c.old, c.new) for c in stages]


def test_the_case_history_tab_costs_the_same_queries_for_a_small_and_a_large_case(
    client: Client, prosecutor: User
) -> None:
    small = charged_case(prosecutor, counts=1)
    large = charged_case(prosecutor, counts=6, title="Republic v. Many Counts")
    for n in range(4):
        make_accused(large, prosecutor, name=f"Co-accused {n}")
    client.force_login(prosecutor)
    history_of(client, small.get_absolute_url())
    counts = []
    for case in (small, large):
        with CaptureQueriesContext(connection) as queries:
            history_of(client, case.get_absolute_url())
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.fixture
def sold_asset(prosecutor: User) -> Asset:
    case = charged_case(prosecutor)
    asset = seize(case, prosecutor, seized_on=asset_days_ago(120))
    asset_services.add_valuation(
        asset, prosecutor, valued_on=asset_days_ago(100), amount=Decimal("900000"), valuer="Regent Valuers"
    )
    preserve(asset, prosecutor, granted_days_ago=60)
    forfeit(asset, prosecutor, granted_days_ago=10)
    asset_services.record_realisation(
        asset, prosecutor, realised_on=asset_days_ago(2), method="auction", gross_proceeds=Decimal("850000")
    )
    return asset


ASSET_RECORDS = [Asset, Valuation, CourtOrder, Realisation, AssetStatusChange]


@pytest.mark.parametrize("model", ASSET_RECORDS, ids=lambda m: m.__name__)
def test_the_asset_history_tab_shows_each_record_type_with_who_when_and_why(
    client: Client, prosecutor: User, auditor: User, sold_asset: Asset, model: Any
) -> None:
    for reader in (prosecutor, auditor):
        client.force_login(reader)
        entries = history_of(client, sold_asset.get_absolute_url())
        mine = [entry for entry in entries if entry.record.startswith(label_of(model) + ":")]
        assert mine, f"no {model.__name__} changes on the asset History tab"
        for entry in mine:
            assert entry.who == "Achieng Otieno"
            assert entry.reason, f"{entry.record} ({entry.kind}) has no reason"


def test_the_asset_history_names_related_records_and_choices(
    client: Client, prosecutor: User, sold_asset: Asset
) -> None:
    client.force_login(prosecutor)
    entries = history_of(client, sold_asset.get_absolute_url())
    statuses = [
        (c.old, c.new) for e in entries if e.record.startswith("Asset:") for c in e.changes if c.field == "Status"
    ]
    assert ("Seized", "Preserved") in statuses and ("Forfeited", "Realised (sold or converted)") in statuses


def test_a_protected_field_shows_changed_never_its_values(
    client: Client, prosecutor: User, auditor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The witnesses' encrypted fields carry ``masked_in_history``; any field that does is masked."""
    monkeypatch.setattr(Accused._meta.get_field("id_number"), "masked_in_history", True, raising=False)
    case = charged_case(prosecutor)
    accused = case.accused.get()
    services.update_accused(accused, prosecutor, reason="Passport seen", id_number="AK1234567")
    services.update_accused(accused, prosecutor, reason="Passport renewed", id_number="BK7654321", nationality="Kenyan")

    client.force_login(prosecutor)
    response = client.get(case.get_absolute_url(), {"tab": "history"})
    html = response.content.decode()
    renewed = next(e for e in response.context["history"] if e.reason == "Passport renewed")
    changes = {c.field: c for c in renewed.changes}
    assert changes["ID or passport number"].masked and changes["ID or passport number"].new == MASKED_TEXT
    assert changes["Nationality"].new == "Kenyan"
    assert "AK1234567" not in html and "BK7654321" not in html
    assert 'data-testid="masked-change"' in html

    client.force_login(auditor)
    log = client.get("/audit/", {"reason": "Passport"}).content.decode()
    assert "AK1234567" not in log and "BK7654321" not in log
    assert MASKED_TEXT in log
    export: Any = client.get("/audit/", {"reason": "Passport", "export": "xlsx"})
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    cells = " ".join(str(c.value) for row in book["Data"].iter_rows() for c in row)
    assert "AK1234567" not in cells and "BK7654321" not in cells and f"ID or passport number: {MASKED_TEXT}" in cells


def _detail_views() -> list[tuple[str, type[Any]]]:
    from django.urls import URLPattern, URLResolver, get_resolver

    from core.views.generic import TabbedDetailView

    found: list[tuple[str, type[Any]]] = []

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                view = getattr(pattern.callback, "view_class", None)
                if view is not None and issubclass(view, TabbedDetailView):
                    found.append((f"{namespace}:{pattern.name}", view))

    walk(get_resolver().url_patterns, "")
    return found


def test_every_detail_page_in_the_product_has_a_history_tab(auditor: User, rf: Any) -> None:
    """Every tabbed detail page of every app (trust fund and witnesses included, as they land)."""
    views = _detail_views()
    assert {"prosecutions:case_detail", "assets:asset_detail"} <= {name for name, _ in views}
    for name, view_class in views:
        view = view_class()
        view.request = rf.get("/")
        view.request.user = auditor
        view.kwargs = {}
        assert "history" in [tab.slug for tab in view.get_tabs()], f"{name} has no History tab"
