"""How every list's filters look, decided once, and the FilterSets of core's own lists.

The apps declare their FilterSets with django-filter's plain filters; ``present_filter_form`` (applied by
``FilteredListView`` to every list's filter form) gives them the tracker's widgets:

- a yes/no filter reads "Any / Yes / No" (django-filter's default says "Unknown" for "don't filter");
- a filter that takes several choices is a list of checkboxes, never a box that needs Ctrl-click;
- a range (two inputs under one label, e.g. "Opened between") names each of its inputs for screen readers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import django_filters
from django import forms
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _rt
from django.utils.translation import gettext_lazy as _
from django.utils.translation.trans_real import catalog

from core.models import County

# How long another server process may keep reference-data choices after a change made in another process
# (the process that made it drops them at once).
REFERENCE_CHOICES_SECONDS = 300

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

    CHOICES = (("", _("Any")), ("true", _("Yes")), ("false", _("No")))

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
    return [_rt("from"), _rt("to")] if count == 2 else [str(n) for n in range(1, count + 1)]


def present_filter_form(form: forms.Form) -> forms.Form:
    """Give a list's filter form the tracker's widgets (see the module docstring). Safe to call twice, and
    after the form was validated: the new widgets read the same values from the address."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(field, forms.NullBooleanField) and not isinstance(widget, AnyYesNoSelect):
            field.widget = AnyYesNoSelect(attrs=dict(widget.attrs))
        elif isinstance(widget, forms.SelectMultiple) and not isinstance(widget, forms.CheckboxSelectMultiple):
            attrs = {key: value for key, value in widget.attrs.items() if key not in ("size", "multiple", "class")}
            field.widget = CheckboxList(attrs=attrs, choices=widget.choices)
        elif isinstance(widget, forms.MultiWidget):
            # The label is translated text: read only for the fields that name their parts with it.
            label = str(field.label or name.replace("_", " ").capitalize())
            for part, subwidget in zip(_range_part_names(widget), widget.widgets, strict=True):
                subwidget.attrs.setdefault("aria-label", _rt("%(label)s: %(part)s") % {"label": label, "part": part})
    return form


class CountyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or code"), method="filter_text")

    class Meta:
        model = County
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


_ALL_REFERENCE_CHOICES: list[ReferenceChoices] = []
# Bumped whenever a reference choice list is dropped: a rendered filter form older than it is stale.
_generation = [0]


def clear_reference_choices() -> None:
    """Drop every cached reference choice list (the tests do, between tests whose rows were rolled back)."""
    for source in _ALL_REFERENCE_CHOICES:
        source.clear()
    _FORM_HTML.clear()


class ReferenceChoices:
    """A filter's choices read from reference tables (counties, courts, offences) once per process, and the
    ``<option>`` elements they render to, instead of a query and a template per option on every page.

    The cache is dropped when a row of one of ``models`` is saved or deleted in this process, and after
    ``REFERENCE_CHOICES_SECONDS`` in any case, so a change made by another server process shows there too.
    Calling the object returns the choices (a callable, as django-filter's ``choices=`` takes)."""

    def __init__(
        self, build: Callable[[], Iterable[tuple[Any, str]]], *models: type[Model], through: Iterable[Any] = ()
    ) -> None:
        """``models``: whose saves and deletions change the choices; ``through``: many-to-many tables whose
        changes do (``User.groups.through``, say)."""
        _ALL_REFERENCE_CHOICES.append(self)
        self.build = build
        self._lock = threading.Lock()
        # Per language: the labels may be marked for translation.
        self._choices: dict[str, list[tuple[str, str]]] = {}
        self._options: dict[str, str] = {}
        self._built_at: dict[str, float] = {}
        for model in models:
            uid = f"reference-choices-{id(self)}-{model._meta.label}"
            post_save.connect(self._changed, sender=model, weak=False, dispatch_uid=uid + "-save")
            post_delete.connect(self._changed, sender=model, weak=False, dispatch_uid=uid + "-delete")
        for table in through:
            uid = f"reference-choices-{id(self)}-{table._meta.label}-m2m"
            m2m_changed.connect(self._changed, sender=table, weak=False, dispatch_uid=uid)

    def __deepcopy__(self, memo: dict[int, Any]) -> ReferenceChoices:
        return self  # one cache per process: a form's copy of its fields shares it

    def _changed(self, **kwargs: Any) -> None:
        self.clear()
        transaction.on_commit(self.clear)  # again: a page may have read the change before it was committed

    def clear(self) -> None:
        with self._lock:
            self._choices = {}
            self._options = {}
            self._built_at = {}
            _generation[0] += 1

    def __call__(self) -> list[tuple[str, str]]:
        language = get_language() or ""
        choices = self._choices.get(language)
        if choices is None or time.monotonic() - self._built_at.get(language, 0.0) > REFERENCE_CHOICES_SECONDS:
            choices = [(str(value), str(label)) for value, label in self.build()]
            with self._lock:
                if language in self._choices:
                    _generation[0] += 1  # expired: rendered forms built on the old list go too
                self._options = {key: html for key, html in self._options.items() if not key.startswith(f"{language}|")}
                self._choices[language], self._built_at[language] = choices, time.monotonic()
        return choices

    def options_html(self, empty_label: str | None) -> str:
        """Every ``<option>`` of the choices (after an empty one labelled ``empty_label``), none selected."""
        choices = self()
        key = f"{get_language() or ''}|" + ("" if empty_label is None else f"+{empty_label}")
        html = self._options.get(key)
        if html is None:
            parts = [] if empty_label is None else [format_html('<option value="">{}</option>', empty_label)]
            parts.extend(format_html('<option value="{}">{}</option>', value, label) for value, label in choices)
            html = "".join(parts)
            self._options[key] = html
        return html


class ReferenceSelect(forms.Select):
    """A select whose options come pre-rendered from a ``ReferenceChoices`` (see there): the page marks the
    chosen option, the rest is one cached string. It renders what Django's ``Select`` renders."""

    def __init__(self, source: ReferenceChoices, empty_label: str | None = "---------", attrs: Any = None) -> None:
        super().__init__(attrs)
        self.source = source
        self.empty_label = empty_label

    def __deepcopy__(self, memo: dict[int, Any]) -> ReferenceSelect:
        copy = super().__deepcopy__(memo)
        copy.source = self.source  # shared: the cache is per process, not per form
        return copy

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        attributes = f' name="{escape(name)}"' + "".join(
            f" {escape(key)}" if value_ is True else f' {escape(key)}="{escape(value_)}"'
            for key, value_ in final.items()
            if value_ is not None and value_ is not False
        )
        options = self.source.options_html(self.empty_label)
        chosen = "" if value is None else str(value[0] if isinstance(value, (list, tuple)) and value else value)
        if chosen:
            marker = f'<option value="{escape(chosen)}">'
            options = options.replace(marker, f'<option value="{escape(chosen)}" selected>', 1)
        elif self.empty_label is not None:
            options = options.replace('<option value="">', '<option value="" selected>', 1)
        return mark_safe(f"<select{attributes}>{options}</select>")


class FixedChoices:
    """A filter's fixed choices (a ``models.Choices`` class) as a callable, as django-filter's ``choices=``
    takes: the labels translated once per language and the list shared by every form. Given the class
    itself, each FilterSet and each form deep-copies the list and every lazily translated label in it (and
    translates each label again when it is shown)."""

    def __init__(self, choices: type[Any]) -> None:
        self.choices = choices
        # Per language: the catalogue the labels were translated with, and the labels. Catalogues reloaded
        # (``compile_translations``) are new objects: the labels are translated again.
        self._by_language: dict[str, tuple[object, list[tuple[Any, str]]]] = {}

    def __deepcopy__(self, memo: dict[int, Any]) -> FixedChoices:
        return self  # fixed: every copy of a filter or a field may share it

    def __call__(self) -> list[tuple[Any, str]]:
        language = get_language() or ""
        active = catalog()
        known = self._by_language.get(language)
        if known is None or known[0] is not active:
            known = self._by_language[language] = (
                active,
                [(value, str(label)) for value, label in self.choices.choices],
            )
        return known[1]


# The form class of each FilterSet class that builds it once (``FormClassOnce``).
_FORM_CLASSES: dict[type[Any], type[forms.Form]] = {}


class FormClassOnce:
    """A FilterSet mix-in: the form class is built once per FilterSet class, not for every FilterSet (which is
    what django-filter does: a new class, and a new field made for each filter, on every page). Each form
    still gets its own copies of the fields (``Form.__init__`` copies them), so nothing a page does to its
    form reaches the next. For a FilterSet whose fields do not depend on the request or the data: every
    label, help text and choice static (lazy translations are translated when shown) or a
    ``ReferenceChoices``."""

    def get_form_class(self) -> type[forms.Form]:
        kind = type(self)
        form_class = _FORM_CLASSES.get(kind)
        if form_class is None:
            form_class = _FORM_CLASSES[kind] = super().get_form_class()  # type: ignore[misc]
        return form_class


class ReferenceChoiceFilter(django_filters.ChoiceFilter):
    """A filter on a foreign key to reference data (``county``, ``court``) whose choices and options are
    cached per process (``ReferenceChoices``): the page runs no query for them and renders no template per
    option. It filters on the key's column (``county_id``), so no join."""

    def __init__(self, *args: Any, source: ReferenceChoices, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", "---------")
        kwargs["choices"] = source
        kwargs["widget"] = ReferenceSelect(source, empty_label=kwargs["empty_label"])
        super().__init__(*args, **kwargs)
        self.source = source

    def filter(self, qs: Any, value: Any) -> Any:
        if value in ("", None):
            return qs
        return qs.filter(**{f"{self.field_name}_id": value})


# Rendered filter forms, by list and the values in its fields (see ``render_filter_form``).
_FORM_HTML: dict[tuple[Any, ...], tuple[int, float, SafeString]] = {}
FORM_HTML_ENTRIES = 256


def render_filter_form(form: forms.Form, render: Callable[[forms.Form], SafeString], owner: Any) -> SafeString:
    """``render(form)``, remembered per process for a form whose choices are all static or
    ``ReferenceChoices``: the same list with the same filters in its fields renders the same HTML until a
    reference choice list changes (or ``REFERENCE_CHOICES_SECONDS`` pass). A form with errors is rendered
    afresh. ``owner`` names the form's kind (its FilterSet class: django-filter builds a new form class for
    every FilterSet instance). Crispy's templates cost a few milliseconds a form; this costs a dictionary look-up."""
    if form.is_bound and form.errors:
        return render(form)
    values = tuple(
        (name, tuple(form.data.getlist(name)) if hasattr(form.data, "getlist") else form.data.get(name))
        for name in sorted(form.data)
        if name != "page"  # the page number is not in the form; anything else may be
    )
    key = (owner, get_language(), form.prefix, form.is_bound, values)
    now = time.monotonic()
    cached = _FORM_HTML.get(key)
    if cached is not None and cached[0] == _generation[0] and now - cached[1] <= REFERENCE_CHOICES_SECONDS:
        return cached[2]
    generation = _generation[0]
    html = render(form)
    if len(_FORM_HTML) >= FORM_HTML_ENTRIES:
        _FORM_HTML.clear()
    _FORM_HTML[key] = (generation, now, html)
    return html
