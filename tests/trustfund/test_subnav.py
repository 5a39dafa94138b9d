"""The fund's sub-menu shows where you are: the section of the page (a list, or a page under it) is
marked active with aria-current="page", and only that one."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, resolve, reverse

from core.models import User
from trustfund.navigation import NAMESPACE, SECTIONS, section_of, subnav_items

SUBNAV = re.compile(r'<ul[^>]*data-testid="fund-subnav">(.*?)</ul>', re.S)
CURRENT = re.compile(r'<a class="nav-link py-1 active" href="([^"]+)" aria-current="page">([^<]+)</a>')


@pytest.mark.parametrize(
    ("url_name", "label"),
    [
        ("home", "Fund"),
        ("disbursement_list", "Disbursements"),
        ("disbursement_approve", "Disbursements"),
        ("receipt_detail", "Receipts"),
        ("proposal_list", "Adjustments"),
        ("proposal_detail", "Adjustments"),
        ("entry_reverse", "Journal"),
        ("statement_detail", "Bank statements"),
        ("line_match", "Bank statements"),
        ("statement", "Fund statement"),
        ("reconciliation", "Reconciliation report"),
        ("books", "Month-end"),
        ("reconciliation_statement", "Month-end"),
        ("month_sign_off", "Month-end"),
        ("year_close", "Month-end"),
    ],
)
def test_a_page_belongs_to_its_section(url_name: str, label: str) -> None:
    section = section_of(url_name)
    assert section is not None and section.label == label


def test_a_page_of_no_section_marks_nothing() -> None:
    assert section_of("not_a_fund_page") is None
    assert section_of(None) is None
    assert not any(item.active for item in subnav_items("not_a_fund_page"))


def test_every_section_is_routed() -> None:
    """The menu leaves out a section whose page is not routed; this keeps every one of them routed."""
    for section in SECTIONS:
        try:
            reverse(f"{NAMESPACE}:{section.url_name}")
        except NoReverseMatch:  # pragma: no cover - the failure this test exists for
            pytest.fail(f"The fund menu's {section.label!r} has no page {section.url_name!r}")
    assert [item.label for item in subnav_items("home")] == [section.label for section in SECTIONS]


def test_the_menu_gains_adjustments_and_month_end() -> None:
    labels = [section.label for section in SECTIONS]
    assert "Adjustments" in labels and "Month-end" in labels


def test_a_view_may_name_its_section() -> None:
    request = RequestFactory().get(reverse("trustfund:home"))
    request.resolver_match = resolve(reverse("trustfund:home"))
    html = Template('{% include "trustfund/_subnav.html" with can_read_fund=True %}').render(
        Context({"request": request, "fund_section": "reconcile"})
    )
    assert CURRENT.findall(html) == [(reverse("trustfund:reconcile"), "Reconcile")]


def current_items(client: Client, url: str) -> list[tuple[str, str]]:
    response = client.get(url)
    assert response.status_code == 200
    menu = SUBNAV.search(response.content.decode())
    assert menu is not None, "the page shows the fund menu"
    return CURRENT.findall(menu.group(1))


@pytest.mark.django_db
def test_pages_mark_their_section_and_only_it(client: Client, fund: dict[str, Any], fund_admin: User) -> None:
    client.force_login(fund_admin)
    cases = [
        (reverse("trustfund:home"), "Fund", "trustfund:home"),
        (reverse("trustfund:disbursement_list"), "Disbursements", "trustfund:disbursement_list"),
        (fund["requested"].get_absolute_url(), "Disbursements", "trustfund:disbursement_list"),
        (fund["receipt"].get_absolute_url(), "Receipts", "trustfund:receipt_list"),
        (fund["statement"].get_absolute_url(), "Bank statements", "trustfund:statement_list"),
        (reverse("trustfund:line_match", args=[fund["line"].pk]), "Bank statements", "trustfund:statement_list"),
        (reverse("trustfund:proposal_list"), "Adjustments", "trustfund:proposal_list"),
        (reverse("trustfund:books"), "Month-end", "trustfund:books"),
        (reverse("trustfund:statement"), "Fund statement", "trustfund:statement"),
        (reverse("trustfund:reconciliation"), "Reconciliation report", "trustfund:reconciliation"),
    ]
    for url, label, section_url in cases:
        assert current_items(client, url) == [(reverse(section_url), label)], url


@pytest.mark.django_db
def test_the_unit_head_gets_no_fund_menu(client: Client, unit_head: User) -> None:
    client.force_login(unit_head)
    assert 'data-testid="fund-subnav"' not in client.get(reverse("trustfund:home")).content.decode()
