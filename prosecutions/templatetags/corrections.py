"""Corrections on the case page: ``{% can_correct case as may_correct %}`` (whether the signed-in user may
correct facts recorded on the case, the rule the correction pages apply) and ``{% case_corrections case as
corrections %}`` / ``{% case_corrections case 3 as latest %}`` (the case's corrections, newest first)."""

from __future__ import annotations

from typing import Any

from django import template

from prosecutions.access import can_correct_case
from prosecutions.correction_log import case_corrections as corrections_of
from prosecutions.correction_log import changes_text, shown_text
from prosecutions.models import Case, Correction

register = template.Library()


@register.simple_tag(takes_context=True)
def can_correct(context: template.Context, case: Case) -> bool:
    user = context.get("user")
    return user is not None and can_correct_case(user, case)


@register.simple_tag
def case_corrections(case: Case, limit: int | None = None) -> list[Correction]:
    return corrections_of(case, limit)


@register.filter
def correction_changes(correction: Correction) -> list[dict[str, Any]]:
    """The changes as rows of ``label``, ``before``, ``after`` for a table."""
    rows = []
    for label, change in (correction.changes or {}).items():
        if isinstance(change, dict):
            rows.append(
                {
                    "label": shown_text(label),
                    "before": shown_text(change.get("from", "—")),
                    "after": shown_text(change.get("to", "—")),
                }
            )
    return rows


@register.filter
def correction_summary(correction: Correction) -> str:
    return changes_text(correction)
