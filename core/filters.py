"""How every list's filters look, decided once, and the FilterSets of core's own lists.

The apps declare their FilterSets with django-filter's plain filters; ``present_filter_form`` (applied by
``FilteredListView`` to every list's filter form) gives them the tracker's widgets:

- a yes/no filter reads "Any / Yes / No" (django-filter's default says "Unknown" for "don't filter");
- a filter that takes several choices is a list of checkboxes, never a box that needs Ctrl-click;
- a range (two inputs under one label, e.g. "Opened between") names each of its inputs for screen readers.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from core.models import County

# What a yes/no filter may receive in the address: ours ("true"/"false"), Django's NullBooleanSelect's older
# values ("2"/"3", "unknown") and django-filter's ("1"/"0"), so bookmarked lists keep working.
_TRUTH: dict[str, bool] = {
    "true": True,
    "1": True,
    "2": True,
    "yes": True,
    "false": False,
    "0": False,
    "3": False,
    "no": False,
}


def yes_no_value(value: Any) -> bool | None:
    """True, False, or None ("Any") from what a yes/no filter received."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _TRUTH.get(value.strip().lower())
    return None


class AnyYesNoSelect(forms.Select):
    """A yes/no filter: "Any" (the list is not narrowed), "Yes" or "No"."""

    CHOICES = (("", "Any"), ("true", "Yes"), ("false", "No"))

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, choices=self.CHOICES)

    def format_value(self, value: Any) -> list[str]:  # type: ignore[override]  # Select's are lists
        answer = yes_no_value(value)
        return [""] if answer is None else ["true" if answer else "false"]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> bool | None:
        return yes_no_value(data.get(name))

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False  # like NullBooleanSelect: an absent value means "Any", not "keep the initial"


class CheckboxList(forms.CheckboxSelectMultiple):
    """Several choices as a list of checkboxes (styled as a scrolling list when long, css/tracker.css)."""


def _range_part_names(widget: forms.MultiWidget) -> list[str]:
    count = len(widget.widgets)
    return ["from", "to"] if count == 2 else [str(n) for n in range(1, count + 1)]


def present_filter_form(form: forms.Form) -> forms.Form:
    """Give a list's filter form the tracker's widgets (see the module docstring). Safe to call twice, and
    after the form was validated: the new widgets read the same values from the address."""
    for name, field in form.fields.items():
        widget = field.widget
        label = str(field.label or name.replace("_", " ").capitalize())
        if isinstance(field, forms.NullBooleanField) and not isinstance(widget, AnyYesNoSelect):
            field.widget = AnyYesNoSelect(attrs=dict(widget.attrs))
        elif isinstance(widget, forms.SelectMultiple) and not isinstance(widget, forms.CheckboxSelectMultiple):
            attrs = {key: value for key, value in widget.attrs.items() if key not in ("size", "multiple", "class")}
            field.widget = CheckboxList(attrs=attrs, choices=widget.choices)
        elif isinstance(widget, forms.MultiWidget):
            for part, subwidget in zip(_range_part_names(widget), widget.widgets, strict=True):
                subwidget.attrs.setdefault("aria-label", f"{label}: {part}")
    return form


class CountyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name or code", method="filter_text")

    class Meta:
        model = County
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))
