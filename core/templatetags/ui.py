"""Template helpers for the page furniture every page shares: the error summary at the top of a form that
was refused, and how a list's cells wrap (references never break mid-number)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from core.tables import Column, ColumnKind, format_value

register = template.Library()

NUMERIC_KINDS = frozenset({ColumnKind.MONEY, ColumnKind.INTEGER, ColumnKind.DECIMAL, ColumnKind.PERCENT})
DATE_KINDS = frozenset({ColumnKind.DATE, ColumnKind.DATETIME})
# A cell of one "word" up to this long is a reference, a code or a number ("ODPP/CTIP/2026/0007",
# "RCT/2026-27/0004", "V-2026-0044"): it is kept on one line, since a browser would break it at "/" or "-".
REFERENCE_MAX = 24
PROSE = 24  # a cell of several words longer than this (a title, a court) wraps in a column wide enough to read
EMPTY = format_value(None, ColumnKind.TEXT)  # what an empty cell shows ("—")
LONG_TEXT = 60  # longer still (a description, particulars): a wider column, up to a limit


@dataclass(frozen=True)
class FormError:
    """One line of the error summary: the message, and the field it belongs to (its label and anchor)."""

    message: str
    label: str = ""
    anchor: str = ""


def form_errors(form: forms.BaseForm) -> list[FormError]:
    """Every error of a bound form, the form's own first, then each visible field's in the form's order."""
    errors = [FormError(str(message)) for message in form.non_field_errors()]
    for field in form.hidden_fields():
        errors += [FormError(str(message)) for message in field.errors]
    for field in form.visible_fields():
        anchor = field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")
        errors += [FormError(str(message), str(field.label or ""), anchor) for message in field.errors]
    return errors


@register.inclusion_tag("core/error_summary.html")
def error_summary(form: forms.BaseForm | None) -> dict[str, Any]:
    """The list of what is wrong with a refused form, each line a link to its field; focused when the page
    loads (static/js/tracker.js), so a screen reader reads it first and a keyboard starts from it."""
    errors = form_errors(form) if form is not None and form.is_bound else []
    return {"errors": errors}


@register.simple_tag
def header_class(column: Column) -> str:
    """` class="cell-num"` for a column of numbers (right-aligned like its cells), else nothing."""
    return mark_safe(' class="cell-num"') if column.kind in NUMERIC_KINDS else ""


@register.simple_tag
def cell_class(column: Column, text: Any) -> str:
    """The classes of a list cell: numbers right-aligned, dates and references (a single "word" of up to
    ``REFERENCE_MAX`` characters) on one line, prose in a column wide enough to read."""
    classes: list[str] = []
    plain = str(text)
    plain = (strip_tags(plain) if "<" in plain else plain).strip()  # most cells hold no tag: skip the parser
    if plain == EMPTY:
        return "cell-empty"  # nothing to read: a phone's row card leaves the line out
    if column.kind in NUMERIC_KINDS:
        # "KES 1,250,000.00" may fold after "KES" on a narrow screen; the figure itself never breaks.
        classes.append("cell-num")
    elif column.kind in DATE_KINDS or (plain and len(plain) <= REFERENCE_MAX and " " not in plain):
        classes.append("text-nowrap")
    elif len(plain) > LONG_TEXT:
        classes.append("cell-long")
    elif len(plain) > PROSE:
        classes.append("cell-prose")
    return " ".join(classes)
