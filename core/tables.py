"""Column specs: declared once per list, used by the screen table and the Excel export alike."""

from __future__ import annotations

import datetime as dt
import inspect
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partialmethod
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import dates, timezone
from django.utils.encoding import force_str
from django.utils.formats import number_format
from django.utils.hashable import make_hashable
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from core.labels import Label


class ColumnKind(models.TextChoices):
    TEXT = "text", _("Text")
    DATE = "date", _("Date")
    DATETIME = "datetime", _("Date and time")
    MONEY = "money", _("Amount (KES)")
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Number")
    BOOLEAN = "boolean", _("Yes / no")
    PERCENT = "percent", _("Percentage")  # a Decimal fraction: 0.25 is shown as 25.00 %


def resolve(row: Any, accessor: str) -> Any:
    """Follow a dotted path such as ``court.county.name``; call methods; stop at ``None``.

    Rows may also be mappings (``QuerySet.values()`` rows, report records): ``row["court"]``.
    """
    value = row
    for part in accessor.split("."):
        if value is None:
            return None
        if isinstance(value, Mapping):
            value = value[part]
        elif isinstance(value, models.Model) and (field := _display_field(type(value), part)) is not None:
            value = choice_label(value, field)
            continue
        else:
            value = getattr(value, part)
        if callable(value) and not isinstance(value, models.Manager):
            value = value()
    return value


# How a model's plain columns are read, by class and name: an attribute getter, or None where ``resolve``
# must follow the path (a dotted path, a method, a property, a related object, an annotation).
_FIELD_GETTERS: dict[tuple[type, str], Callable[[Any], Any] | None] = {}


def _field_getter(kind: type, path: str) -> Callable[[Any], Any] | None:
    """``operator.attrgetter(path)`` when ``path`` names a column of the model ``kind`` that is not a
    relation: what ``resolve`` reads there too (a stored value is never called), without its checks."""
    key = (kind, path)
    try:
        return _FIELD_GETTERS[key]
    except KeyError:
        pass
    getter: Callable[[Any], Any] | None = None
    if issubclass(kind, models.Model) and "." not in path:
        for field in kind._meta.concrete_fields:
            if field.attname == path and not field.is_relation:
                getter = operator.attrgetter(path)
                break
    _FIELD_GETTERS[key] = getter
    return getter


# Each model's Django-made ``get_<field>_display`` methods, by class and name (None: not one of them).
_DISPLAY_FIELDS: dict[tuple[type[models.Model], str], models.Field[Any, Any] | None] = {}
# A choice field's labels in one language, as text: ``{stored value: label}``.
_CHOICE_LABELS: dict[tuple[models.Field[Any, Any], str], dict[Any, Any]] = {}


def _display_field(model: type[models.Model], name: str) -> models.Field[Any, Any] | None:
    """The field behind ``name`` when it is the ``get_<field>_display`` Django made for a field with a fixed
    list of choices (not a method the model defines itself, nor choices computed at run time)."""
    key = (model, name)
    if key not in _DISPLAY_FIELDS:
        field: models.Field[Any, Any] | None = None
        if name.startswith("get_") and name.endswith("_display"):
            try:
                candidate = model._meta.get_field(name[4:-8])
            except FieldDoesNotExist:
                candidate = None
            made_by_django = isinstance(inspect.getattr_static(model, name, None), partialmethod)
            if (
                isinstance(candidate, models.Field)
                and made_by_django
                and isinstance(candidate.choices, (list, tuple))
                and candidate.choices
            ):
                field = candidate
        _DISPLAY_FIELDS[key] = field
    return _DISPLAY_FIELDS[key]


def choice_label(instance: models.Model, field: models.Field[Any, Any]) -> Any:
    """What ``instance.get_<field>_display()`` answers, from the field's labels translated once per process
    and language: Django's own method hashes (and so translates) every label of the field on every call,
    which on a page of 25 rows is some hundreds of catalogue look-ups."""
    key = (field, get_language() or "")
    labels = _CHOICE_LABELS.get(key)
    if labels is None:
        labels = {make_hashable(value): force_str(label, strings_only=True) for value, label in field.flatchoices}
        _CHOICE_LABELS[key] = labels
    value = getattr(instance, field.attname)
    return force_str(labels.get(make_hashable(value), value), strings_only=True)


@dataclass(frozen=True)
class Column:
    """One column of a list: its label, where its value comes from, and how to show it.

    ``accessor`` is a dotted attribute path (methods are called, e.g. ``get_stage_display``) or a
    callable taking the row. ``link`` renders the cell as a link to the row's detail page.

    ``link_to`` links the cell to another record than the row (the dotted path to it, e.g. ``asset.case``)
    for the users ``link_if(user)`` admits; others see the text alone, never a link that would refuse them.
    """

    key: str
    label: Label
    accessor: str | Callable[[Any], Any] | None = None
    kind: ColumnKind = ColumnKind.TEXT
    link: bool = False
    link_to: str | None = None
    link_if: Callable[[Any], bool] | None = None
    #: For the Excel export: the ``values_list()`` paths the cell is read from (``"county__name"``), and
    #: ``convert`` (given those values) when the cell is not the one value as it is. A list whose columns
    #: all have a source exports without building a model object per row (``values_plan``).
    source: tuple[str, ...] = ()
    convert: Callable[..., Any] | None = None
    #: For a ``link`` column: the row's address made without ``row.get_absolute_url()`` (which reverses a
    #: URL per row) — e.g. a ``DetailUrl`` of the same view. None: ``get_absolute_url()``.
    href: Callable[[Any], str] | None = None

    def value(self, row: Any) -> Any:
        if callable(self.accessor):
            return self.accessor(row)
        path = self.accessor or self.key
        getter = _field_getter(type(row), path)
        return resolve(row, path) if getter is None else getter(row)

    def row_url(self, row: Any) -> str:
        """The row's own address, as its ``get_absolute_url()`` gives it."""
        url: str = row.get_absolute_url() if self.href is None else self.href(row)
        return url

    def row_urls(self) -> Callable[[Any], str]:
        """``row_url`` for the rows of one page: the URL configuration, script prefix and language stay the
        same while a page renders, so a ``DetailUrl`` looks them up once (``DetailUrl.bound``)."""
        href = self.href
        if href is None:
            return self.row_url
        bound: Callable[[], Callable[[Any], str]] | None = getattr(href, "bound", None)
        return href if bound is None else bound()

    def link_for(self, row: Any, user: Any) -> str:
        """The address the cell links to for ``user``: the row's own page (``link``), the record named by
        ``link_to`` when ``link_if`` admits the user, or "" for no link."""
        if self.link:
            return self.row_url(row)
        if self.link_to is None or (self.link_if is not None and not self.link_if(user)):
            return ""
        target = resolve(row, self.link_to)
        return str(target.get_absolute_url()) if target is not None else ""

    def display(self, row: Any) -> str:
        """The cell as text on screen."""
        return format_value(self.value(row), self.kind)


class DetailUrl:
    """A record's page address by its primary key, for a view whose URL takes the key as an integer
    (``reverse(viewname, args=[pk])``, what a model's ``get_absolute_url`` answers): the URL is reversed
    once per URL configuration, script prefix and language, and each row's address is the prefix, the key
    and the suffix joined — a page of 25 rows reverses once, not 25 times."""

    # A key no real record has, found in the reversed URL to cut it into prefix and suffix.
    _PLACEHOLDER = 987654321987

    def __init__(self, viewname: str) -> None:
        self.viewname = viewname
        self._parts: dict[tuple[Any, ...], tuple[str, str]] = {}

    def _now(self) -> tuple[str, str]:
        """The address's text before and after the key, for the URL configuration, script prefix and
        language in force."""
        key = (get_urlconf(), get_script_prefix(), get_language())
        parts = self._parts.get(key)
        if parts is None:
            url = reverse(self.viewname, args=[self._PLACEHOLDER])
            head, found, tail = url.partition(str(self._PLACEHOLDER))
            if not found:
                raise ValueError(f"{self.viewname} does not take the record's key as its one argument")
            if len(self._parts) >= 64:
                self._parts.clear()
            parts = self._parts[key] = (head, tail)
        return parts

    def bound(self) -> Callable[[Any], str]:
        """This function for the URL configuration, script prefix and language in force now (one page)."""
        head, tail = self._now()
        viewname = self.viewname

        def url(row: Any) -> str:
            pk = row.pk
            return f"{head}{pk}{tail}" if type(pk) is int else reverse(viewname, args=[pk])

        return url

    def __call__(self, row: Any) -> str:
        return self.bound()(row)


class ValuesPlan:
    """How to export a list from ``.values_list()``: the fields to fetch once, and for each column the
    function that turns a fetched tuple into its cell — built once per export, not per row."""

    def __init__(self, columns: Sequence[Column]) -> None:
        fields: list[str] = []
        getters: list[Callable[[Sequence[Any]], Any]] = []
        direct: list[int] = []  # the fetched position of each column read as it is
        for column in columns:
            start = len(fields)
            fields.extend(column.source)
            getters.append(_getter(start, len(column.source), column.convert))
            if column.convert is None:
                direct.append(start)
        self.fields = tuple(fields)
        self.getters = tuple(getters)
        # Every column read as it is: one C-level pick per row.
        self.pick = operator.itemgetter(*direct) if len(direct) == len(columns) and len(direct) > 1 else None

    def cells(self, values: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
        """Each fetched tuple as the row of cell values, in the columns' order."""
        if self.pick is not None:
            yield from map(self.pick, values)
            return
        getters = self.getters
        for value in values:
            yield [getter(value) for getter in getters]

    def rows(self, queryset: QuerySet[Any], chunk_size: int = 2000) -> Iterator[Sequence[Any]]:
        """The queryset's rows as cells, read in chunks of ``chunk_size`` (memory stays flat)."""
        return self.cells(queryset.values_list(*self.fields).iterator(chunk_size=chunk_size))


def _getter(start: int, count: int, convert: Callable[..., Any] | None) -> Callable[[Sequence[Any]], Any]:
    if convert is None:
        if count != 1:
            raise ValueError("a column with several sources needs convert")
        return operator.itemgetter(start)
    if count == 1:
        return lambda values: convert(values[start])
    end = start + count
    return lambda values: convert(*values[start:end])


def values_plan(columns: Sequence[Column]) -> ValuesPlan | None:
    """The plan to export ``columns`` from ``values_list()``, or None when a column has no ``source``."""
    if not columns or any(not column.source for column in columns):
        return None
    return ValuesPlan(columns)


def choice_labels(choices: type[models.Choices]) -> Callable[[Any], str]:
    """A converter from a stored choice to its label, as ``get_FOO_display`` shows it ("" stays "")."""
    labels = {value: str(label) for value, label in choices.choices}
    return lambda value: labels.get(value, value)


# Per language: the months' short names as dateformat's "M" writes them ("Jan", "Feb" …).
_SHORT_MONTHS: dict[str, tuple[str, ...]] = {}


def _short_month(month: int) -> str:
    """The month's short name in the active language, as ``dateformat.format(day, "M")`` gives it."""
    language = get_language() or ""
    names = _SHORT_MONTHS.get(language)
    if names is None:
        names = ("", *(str(dates.MONTHS_3[number]).title() for number in range(1, 13)))
        _SHORT_MONTHS[language] = names
    return names[month]


def format_value(value: Any, kind: str) -> str:
    if type(value) is str and kind == ColumnKind.TEXT:
        return value or "—"  # most cells: plain text, shown as it is
    if value is None or value == "":
        return "—"
    if kind == ColumnKind.MONEY:
        return "KES " + number_format(Decimal(value), decimal_pos=2, force_grouping=True)
    if kind == ColumnKind.BOOLEAN:
        return gettext("Yes") if value else gettext("No")
    if kind == ColumnKind.PERCENT:
        return f"{Decimal(value) * 100:.2f} %"  # two decimals, as ODPP publishes its rates (97.33 %)
    if isinstance(value, dt.datetime):
        # Month names in the reader's language (Django's own catalogue), the same layout in every language:
        # dateformat's "d M Y H:i", with the month's name looked up once per language.
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{moment.day:02d} {_short_month(moment.month)} {moment.year:04d} {moment.hour:02d}:{moment.minute:02d}"
    if isinstance(value, dt.date):
        return f"{value.day:02d} {_short_month(value.month)} {value.year:04d}"  # dateformat's "d M Y"
    if kind in (ColumnKind.INTEGER, ColumnKind.DECIMAL):
        if type(value) is int and -1000 < value < 1000:
            return str(value)  # three digits or fewer: no separator to place, in any language
        return number_format(value, force_grouping=True)
    return str(value)


COUNTY_COLUMNS: tuple[Column, ...] = (
    Column("code", _("Code")),
    Column("name", _("County")),
)
