"""The fund's sub-menu: its sections in order, and which section a page belongs to.

A page belongs to a section by its URL name (namespace ``trustfund``): the section's own list, or one of
the pages under it — named exactly, or by a prefix ending in ``_`` (``disbursement_`` covers a
disbursement's detail, approve, pay … pages). A view may say otherwise by putting ``fund_section`` (the
section's URL name) in its context. Declared once here; ``templates/trustfund/_subnav.html`` draws it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy

from core.labels import Label

NAMESPACE = "trustfund"


@dataclass(frozen=True)
class FundSection:
    """One item of the fund's sub-menu: its label, its page, and the pages under it."""

    label: Label
    url_name: str
    pages: tuple[str, ...] = ()

    def holds_exactly(self, url_name: str) -> bool:
        return url_name == self.url_name or url_name in self.pages

    def holds_by_prefix(self, url_name: str) -> bool:
        return any(page.endswith("_") and url_name.startswith(page) for page in self.pages)


SECTIONS: tuple[FundSection, ...] = (
    FundSection(gettext_lazy("Fund"), "home"),
    FundSection(gettext_lazy("Receipts"), "receipt_list", ("receipt_",)),
    FundSection(gettext_lazy("Disbursements"), "disbursement_list", ("disbursement_",)),
    FundSection(gettext_lazy("Adjustments"), "proposal_list", ("proposal_",)),
    FundSection(gettext_lazy("Journal"), "entry_list", ("entry_",)),
    FundSection(gettext_lazy("Balances"), "balances"),
    FundSection(gettext_lazy("Bank statements"), "statement_list", ("statement_import", "statement_detail", "line_")),
    FundSection(gettext_lazy("Reconcile"), "reconcile"),
    FundSection(gettext_lazy("Month-end"), "books", ("reconciliation_statement", "month_", "year_")),
    FundSection(gettext_lazy("Proceeds due"), "proceeds"),
    FundSection(gettext_lazy("Fund statement"), "statement"),
    FundSection(gettext_lazy("Reconciliation report"), "reconciliation"),
)


def section_of(url_name: str | None) -> FundSection | None:
    """The section a fund page belongs to (an exact name first, then a prefix), or None."""
    if not url_name:
        return None
    for section in SECTIONS:
        if section.holds_exactly(url_name):
            return section
    return next((section for section in SECTIONS if section.holds_by_prefix(url_name)), None)


@dataclass(frozen=True)
class SubnavItem:
    label: Label
    url: str
    active: bool


def subnav_items(current: str | None) -> list[SubnavItem]:
    """The sub-menu for the page named ``current``, its section marked active. A section whose page is
    not routed (yet) is left out rather than breaking every fund page; a test keeps them all routed."""
    active = section_of(current)
    items = []
    for section in SECTIONS:
        try:
            url = reverse(f"{NAMESPACE}:{section.url_name}")
        except NoReverseMatch:
            continue
        items.append(SubnavItem(section.label, url, section == active))
    return items
