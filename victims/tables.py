"""Column spec of the victims register, shared by the screen and the Excel export. Codes only: the record
holds no name, and the vault is never loaded for a list."""

from __future__ import annotations

from typing import Any

from core.tables import Column, ColumnKind


def _cases(victim: Any) -> str:
    return ", ".join(link.case.reference for link in victim.visible_links)


def _country(victim: Any) -> str:
    return str(victim.country.name) if victim.country else ""


def _child(victim: Any) -> str:
    return {True: "Yes", False: "No", None: "Not recorded"}[victim.child]


VICTIM_COLUMNS: tuple[Column, ...] = (
    Column("code", "Victim code", link=True),
    Column("identified_on", "Identified on", kind=ColumnKind.DATE),
    Column("identified_by", "Identified by", "get_identified_by_display"),
    Column("sex", "Sex", "get_sex_display"),
    Column("child", "Child", _child),
    Column("country", "Nationality", _country),
    Column("forms", "Forms of exploitation", "forms_display"),
    Column("cases", "Cases", _cases),
)


PROVIDER_COLUMNS: tuple[Column, ...] = (
    Column("name", "Provider"),
    Column("kinds", "Services offered", "kinds_display"),
    Column("county", "County", "county.name"),
    Column("capacity", "Capacity", kind=ColumnKind.INTEGER),
    Column("active", "Takes referrals", kind=ColumnKind.BOOLEAN),
)
