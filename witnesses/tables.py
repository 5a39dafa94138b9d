"""Column specs of the witness register, shared by the screen and the Excel export. Codes only: no
column can show an identity, because no identity is ever loaded for a list."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

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
    Column("code", _("Witness code"), link=True),
    Column("cases", _("Cases (witness number)"), _cases),
    Column("roles", _("Roles"), _roles),
    Column("protection_status", _("Protection status"), "get_protection_status_display"),
)

LIAISON_WITNESS_COLUMNS: tuple[Column, ...] = (
    *WITNESS_COLUMNS,
    Column("risk_level", _("Risk level"), "get_risk_level_display"),
    Column("applicant", _("Requested by"), "get_applicant_display"),
    Column("flagged_by", _("Flagged by"), _flagged_by),
    Column("flagged_on", _("Flagged on"), kind=ColumnKind.DATE),
)
