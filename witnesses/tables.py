"""Column specs of the witness register, shared by the screen and the Excel export. Codes only: no
column can show an identity, because no identity is ever loaded for a list."""

from __future__ import annotations

from typing import Any

from core.tables import Column, ColumnKind


def _cases(witness: Any) -> str:
    return ", ".join(
        f"{a.case.reference} ({a.witness_number})" if a.witness_number else a.case.reference
        for a in witness.visible_appearances
    )


def _roles(witness: Any) -> str:
    return ", ".join(sorted({a.get_role_display() for a in witness.visible_appearances}))


def _flagged_by(witness: Any) -> str:
    return str(witness.flagged_by) if witness.flagged_by_id else ""


WITNESS_COLUMNS: tuple[Column, ...] = (
    Column("code", "Witness code", link=True),
    Column("cases", "Cases (witness number)", _cases),
    Column("roles", "Roles", _roles),
    Column("protection_status", "Protection status", "get_protection_status_display"),
)

LIAISON_WITNESS_COLUMNS: tuple[Column, ...] = (
    *WITNESS_COLUMNS,
    Column("risk_level", "Risk level", "get_risk_level_display"),
    Column("applicant", "Requested by", "get_applicant_display"),
    Column("flagged_by", "Flagged by", _flagged_by),
    Column("flagged_on", "Flagged on", kind=ColumnKind.DATE),
)
