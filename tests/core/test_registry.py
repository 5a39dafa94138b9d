"""The registries apps fill at start-up: a section or panel shows only to the roles it names."""

from __future__ import annotations

import pytest
from django.test import Client

from core import registry
from core.models import User
from core.registry import NavItem, Panel, nav_for, panels_for
from core.roles import Role


@pytest.fixture
def fund_only_section(monkeypatch: pytest.MonkeyPatch) -> NavItem:
    item = NavItem("test_fund", "Fund (test)", "core:county_list", frozenset({Role.FUND_APPROVER}), order=1)
    monkeypatch.setitem(registry._nav, item.key, item)
    return item


@pytest.fixture
def fund_only_panel(monkeypatch: pytest.MonkeyPatch) -> Panel:
    panel = Panel(
        "test_fund_panel",
        "Awaiting approval (test)",
        "core/panels/placeholder.html",
        frozenset({Role.FUND_APPROVER}),
        lambda user: {"message": f"Three requests wait for {getattr(user, 'first_name', '')}."},
        order=2,
    )
    monkeypatch.setitem(registry._panels, panel.key, panel)
    return panel


def test_a_registered_section_shows_only_to_its_roles(
    client: Client, fund_only_section: NavItem, fund_approver: User, fund_admin: User
) -> None:
    assert fund_only_section in nav_for(fund_approver)
    assert fund_only_section not in nav_for(fund_admin)
    client.force_login(fund_approver)
    assert 'data-section="test_fund" href="/counties/"' in client.get("/").content.decode()
    client.force_login(fund_admin)
    assert 'data-section="test_fund"' not in client.get("/").content.decode()


def test_sections_are_ordered_by_their_order_then_label(fund_only_section: NavItem, fund_approver: User) -> None:
    keys = [item.key for item in nav_for(fund_approver)]
    assert keys[0] == "test_fund"
    assert keys.index("test_fund") < keys.index("counties")


def test_a_registered_panel_renders_with_its_own_context(
    client: Client, fund_only_panel: Panel, fund_approver: User, fund_admin: User
) -> None:
    client.force_login(fund_approver)
    html = client.get("/").content.decode()
    assert 'data-panel="test_fund_panel"' in html
    assert "Three requests wait for Peter." in html
    assert fund_only_panel not in panels_for(fund_admin)


def test_registering_the_same_key_again_replaces_the_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_nav", {})
    registry.register_nav(NavItem("x", "First", "core:home", frozenset({Role.AUDITOR})))
    registry.register_nav(NavItem("x", "Second", "core:home", frozenset({Role.AUDITOR})))
    assert [item.label for item in registry._nav.values()] == ["Second"]
