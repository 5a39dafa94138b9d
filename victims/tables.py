"""Column spec of the victims register, shared by the screen and the Excel export. Codes only: the record
holds no name, and the vault is never loaded for a list."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.tables import Column, ColumnKind


def _cases(victim: Any) -> str:
    return ", ".join(link.case.reference for link in victim.visible_links)


def _country(victim: Any) -> str:
    return str(victim.country.name) if victim.country else ""


def _child(victim: Any) -> str:
    return str({True: _("Yes"), False: _("No"), None: _("Not recorded")}[victim.child])


VICTIM_COLUMNS: tuple[Column, ...] = (
    Column("code", _("Victim code"), link=True),
    Column("identified_on", _("Identified on"), kind=ColumnKind.DATE),
    Column("identified_by", _("Identified by"), "get_identified_by_display"),
    Column("sex", _("Sex"), "get_sex_display"),
    Column("child", _("Child"), _child),
    Column("country", _("Nationality"), _country),
    Column("forms", _("Forms of exploitation"), "forms_display"),
    Column("cases", _("Cases"), _cases),
)


PROVIDER_COLUMNS: tuple[Column, ...] = (
    Column("name", _("Provider")),
    Column("kinds", _("Services offered"), "kinds_display"),
    Column("county", _("County"), "county.name"),
    Column("capacity", _("Capacity"), kind=ColumnKind.INTEGER),
    Column("active", _("Takes referrals"), kind=ColumnKind.BOOLEAN),
)
