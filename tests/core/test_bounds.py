"""Bad numbers get a form error, never a 500 (issue 13): every filter of every list page, and every number
and id field of the apps' forms.

The list pages are found from the URL resolver (every view with a ``filterset_class``) and their filters
from the FilterSets themselves; each filter is sent 20-digit numbers (and a few other numbers no column
or date can hold), one at a time and all together, on the page and its Excel download. The forms are found
in the apps' ``forms`` modules: each number field must carry its bounds, each id field that looks several
ids up at once must be ``core.bounds.BoundedModelMultipleChoiceField``. The 500s the issue reported have
tests of their own (``tests/assets/test_bounds.py``, ``tests/prosecutions/test_bounds.py``).
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterator
from typing import Any

import django_filters
import pytest
from django import forms
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.bounds import BoundedModelMultipleChoiceField
from core.roles import Role
from tests.factories import UserFactory
from tests.trustfund.conftest import statement_csv
from trustfund import statements

APPS = ("core", "prosecutions", "assets", "trustfund", "witnesses")
BAD_NUMBERS = (
    "99999999999999999999",
    "-99999999999999999999",
    "1e400",
    "9223372036854775808",  # one past the largest 64-bit integer
    "0.000000000000000000001",
    "9999-12-31",
    "0001-01-01",
)


def _patterns(patterns: list[Any], namespace: str | None = None) -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace if pattern.namespace else namespace
            if namespace and pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}"
            yield from _patterns(pattern.url_patterns, inner)
        elif pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def list_pages() -> dict[str, tuple[URLPattern, type[django_filters.FilterSet]]]:
    """Every named URL whose view filters a list, with its FilterSet."""
    found = {}
    for name, pattern in _patterns(get_resolver().url_patterns):
        view_class = getattr(pattern.callback, "view_class", None)
        filterset = getattr(view_class, "filterset_class", None)
        if filterset is not None:
            found[name] = (pattern, filterset)
    return found


def filtersets() -> set[type[django_filters.FilterSet]]:
    """The FilterSets of the list pages and of the apps' ``filters`` modules."""
    found = {filterset for _, filterset in list_pages().values()}
    for app in APPS:
        module = importlib.import_module(f"{app}.filters")
        found |= {
            value
            for value in vars(module).values()
            if inspect.isclass(value)
            and issubclass(value, django_filters.FilterSet)
            and value.__module__ == module.__name__
        }
    return found


def _query_names(name: str, spec: django_filters.Filter) -> list[str]:
    """The query parameters a filter reads (a range filter reads two)."""
    widget = spec.field.widget
    suffixes = getattr(widget, "suffixes", None)
    if isinstance(widget, forms.MultiWidget) and suffixes:
        return [f"{name}_{suffix}" if suffix else name for suffix in suffixes]
    return [name]


@pytest.mark.django_db
def test_twenty_digit_numbers_in_any_filter_of_any_list_page_are_never_a_500(
    client: Client, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # the statement below keeps its file there
    user = UserFactory.create(username="every-role", roles=list(Role))
    fund_admin = UserFactory.create(username="bounds-fund", roles=[Role.FUND_ADMINISTRATOR])
    statement = statements.import_statement(
        fund_admin, name="bounds.csv", content=statement_csv([("2026-07-01", "RTGS", "B1", "10.00")])
    )
    arguments = {"trustfund:statement_detail": {"pk": statement.pk}}
    client.force_login(user)
    pages = list_pages()
    assert {"assets:asset_list", "prosecutions:case_list", "trustfund:receipt_list"} <= set(pages)
    tried = 0
    for url_name, (_, filterset) in pages.items():
        url = reverse(url_name, kwargs=arguments.get(url_name))
        names = [query for name, spec in filterset.base_filters.items() for query in _query_names(name, spec)]
        for bad in BAD_NUMBERS:
            for params in [{query: bad} for query in names] + [dict.fromkeys(names, bad) | {"export": "xlsx"}]:
                response = client.get(url, params)
                tried += 1
                assert response.status_code < 500, f"GET {url} {params} answered {response.status_code}"
    assert tried > 100


def _dotted(thing: Any) -> str:
    return f"{thing.__module__}.{thing.__name__}"


@pytest.mark.parametrize("filterset", sorted(filtersets(), key=_dotted), ids=_dotted)
def test_every_numeric_filter_has_bounds(filterset: Any) -> None:
    for name, spec in filterset.base_filters.items():
        if isinstance(spec, django_filters.NumberFilter | django_filters.NumericRangeFilter):
            extra = spec.extra
            assert "min_value" in extra, f"{filterset.__name__}.{name} has no min_value"
            assert "max_value" in extra or "max_digits" in extra, f"{filterset.__name__}.{name} has no upper bound"
        if isinstance(spec, django_filters.ModelMultipleChoiceFilter):
            assert issubclass(spec.field_class, BoundedModelMultipleChoiceField), f"{filterset.__name__}.{name}"


def app_forms() -> list[type[forms.BaseForm]]:
    found = []
    for module_name in (*(f"{app}.forms" for app in APPS), "core.grants.forms"):
        module = importlib.import_module(module_name)
        found += [
            value
            for value in vars(module).values()
            if inspect.isclass(value) and issubclass(value, forms.BaseForm) and value.__module__ == module.__name__
        ]
    return found


@pytest.mark.parametrize("form_class", app_forms(), ids=_dotted)
def test_every_number_and_id_field_of_the_apps_forms_has_bounds(form_class: type[forms.BaseForm]) -> None:
    for name, field in getattr(form_class, "base_fields", {}).items():
        where = f"{form_class.__name__}.{name}"
        if isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField | forms.FloatField):
            assert field.max_value is not None and field.min_value is not None, f"{where} needs min and max values"
        if isinstance(field, forms.DecimalField | forms.FloatField):
            assert getattr(field, "max_digits", None) or field.max_value is not None, f"{where} needs max_digits"
        if isinstance(field, forms.ModelMultipleChoiceField):
            assert isinstance(field, BoundedModelMultipleChoiceField), f"{where}: use BoundedModelMultipleChoiceField"
