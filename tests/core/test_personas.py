"""Each persona's home page: exactly the navigation sections and panels their roles open.

Compared with the registry, so the test keeps holding as each app registers its own sections and panels.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from core.models import User
from core.registry import nav_for, panels_for
from core.roles import Role

PERSONAS = (
    "prosecutor",
    "unit_head",
    "liaison",
    "fund_admin",
    "fund_approver",
    "auditor",
    "access_admin",
    "victim_services_officer",
    "multi_role",
)


def _sections(html: str) -> list[str]:
    return re.findall(r'data-section="([^"]+)"', html)


def _panels(html: str) -> list[str]:
    return re.findall(r'data-panel="([^"]+)"', html)


@pytest.fixture(params=PERSONAS)
def persona(request: pytest.FixtureRequest, db: None) -> User:
    user: User = request.getfixturevalue(request.param)
    return user


def test_every_persona_sees_exactly_the_sections_of_their_roles(client: Client, persona: User) -> None:
    client.force_login(persona)
    html = client.get("/").content.decode()
    assert _sections(html) == [item.key for item in nav_for(persona)]
    assert "counties" in _sections(html)


def test_every_persona_sees_exactly_the_panels_of_their_roles(client: Client, persona: User) -> None:
    client.force_login(persona)
    html = client.get("/").content.decode()
    assert _panels(html) == [panel.key for panel in panels_for(persona)]
    assert "welcome" in _panels(html)
    assert 'data-testid="no-role"' not in html


def test_the_home_page_greets_the_user_and_lists_their_roles(client: Client, multi_role: User) -> None:
    client.force_login(multi_role)
    html = client.get("/").content.decode()
    assert "Welcome, Daniel Ouma" in html
    assert str(Role.PROSECUTOR.label) in html and str(Role.WITNESS_LIAISON.label) in html  # labels are lazy


def test_the_audit_panel_is_for_the_roles_that_read_the_audit_log(
    client: Client, auditor: User, unit_head: User, fund_admin: User, prosecutor: User, liaison: User
) -> None:
    for reader in (auditor, unit_head, fund_admin):
        client.force_login(reader)
        assert "audit" in _panels(client.get("/").content.decode())
    for other in (prosecutor, liaison):
        client.force_login(other)
        assert "audit" not in _panels(client.get("/").content.decode())


def test_a_user_with_several_roles_sees_the_sections_of_each(
    client: Client, multi_role: User, prosecutor: User, liaison: User
) -> None:
    expected = {item.key for item in nav_for(prosecutor)} | {item.key for item in nav_for(liaison)}
    client.force_login(multi_role)
    assert set(_sections(client.get("/").content.decode())) == expected


def test_a_user_without_a_role_is_told_so_and_sees_no_section(client: Client, stranger: User) -> None:
    client.force_login(stranger)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="no-role"' in html
    assert "Your account has no role yet" in html
    assert _sections(html) == []
    assert _panels(html) == []


def test_the_county_list_is_open_to_every_role(client: Client, persona: User) -> None:
    client.force_login(persona)
    response = client.get("/counties/")
    assert response.status_code == 200
    assert "Nairobi City" in response.content.decode()


def test_the_county_list_and_its_download_are_closed_to_a_user_without_a_role(client: Client, stranger: User) -> None:
    client.force_login(stranger)
    for query in ("", "?export=xlsx"):
        response = client.get(f"/counties/{query}")
        assert response.status_code == 403
        html = response.content.decode()
        assert "You do not have access to this page" in html
        assert "Nairobi" not in html


def test_an_inactive_user_loses_every_role(prosecutor: User) -> None:
    prosecutor.is_active = False
    prosecutor.save()
    assert nav_for(prosecutor) == []
    assert panels_for(prosecutor) == []
