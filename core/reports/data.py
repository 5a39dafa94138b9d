"""What a report computes for one period: headline figures, tables and charts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from core.labels import Label
from core.paging import PagedList, paged
from core.tables import Column, ColumnKind, format_value

PERCENT_FORMAT = "0.00%"  # two decimals, as ODPP publishes its rates (97.33%)


@dataclass(frozen=True)
class Figure:
    """A headline number of a report ("Convictions: 21")."""

    key: str
    label: Label
    value: Any
    kind: str = ColumnKind.INTEGER
    note: Label = ""

    @property
    def display(self) -> str:
        return format_cell(self.value, self.kind)


# A percentage is a ``Decimal`` fraction (0.25 = 25 %).
PERCENT = ColumnKind.PERCENT
_NUMERIC = frozenset({ColumnKind.MONEY, ColumnKind.INTEGER, ColumnKind.DECIMAL, ColumnKind.PERCENT})


def format_cell(value: Any, kind: str) -> str:
    return format_value(value, kind)


@dataclass(frozen=True)
class ReportTable:
    """A table of a report: rows are mappings keyed by the columns' keys; ``total`` is an optional
    last row shown in bold (same keys)."""

    key: str
    title: Label
    columns: Sequence[Column]
    rows: Sequence[Mapping[str, Any]]
    total: Mapping[str, Any] | None = None
    note: Label = ""
    sheet: Label = ""  # a short worksheet name (Excel allows 31 characters); the title when blank
    page_size: int = 0  # on screen, this many rows a page (0: every row); the workbook always holds them all

    def cells(self, row: Mapping[str, Any]) -> list[tuple[str, bool]]:
        """The row as (text, is a number) pairs, for the screen."""
        return [(format_cell(column.value(row), column.kind), column.kind in _NUMERIC) for column in self.columns]

    @property
    def header(self) -> list[tuple[str, bool]]:
        return [(str(column.label), column.kind in _NUMERIC) for column in self.columns]

    @property
    def display_rows(self) -> list[list[tuple[str, bool]]]:
        return [self.cells(row) for row in self.rows]

    @property
    def display_total(self) -> list[tuple[str, bool]] | None:
        return self.cells(self.total) if self.total is not None else None


@dataclass(frozen=True)
class ScreenTable:
    """What the report page shows of a table: every row, or — for a table with a ``page_size`` — one page
    of them (``?<key>_page=N``, ``core.paging``), with the links to the pages either side. Totals stay whole."""

    table: ReportTable
    paged: PagedList | None = None

    @classmethod
    def of(cls, table: ReportTable, query: QueryDict) -> ScreenTable:
        if not table.page_size or len(table.rows) <= table.page_size:
            return cls(table)
        return cls(table, paged(query, table.key, table.rows, table.page_size))

    @property
    def display_rows(self) -> list[list[tuple[str, bool]]]:
        rows = self.paged.rows if self.paged is not None else self.table.rows
        return [self.table.cells(row) for row in rows]


@dataclass(frozen=True)
class ExcelChart:
    """A native Excel chart drawn from a table of the workbook: ``categories`` is the key of the
    column holding the labels, ``values`` the keys of the columns plotted (one series each)."""

    table: str
    categories: str
    values: Sequence[str]
    chart_type: str = "column"  # xlsxwriter chart types: column, bar, line, pie
    subtype: str | None = None  # e.g. "stacked"


@dataclass(frozen=True)
class ReportChart:
    """A chart on screen (a Vega-Lite specification, see ``core.charts``) and, optionally, in Excel."""

    key: str
    title: Label
    spec: Mapping[str, Any]
    excel: ExcelChart | None = None


@dataclass
class ReportData:
    """What a report's ``compute`` returns for one period."""

    figures: list[Figure] = field(default_factory=list)
    tables: list[ReportTable] = field(default_factory=list)
    charts: list[ReportChart] = field(default_factory=list)
    notes: list[Label] = field(default_factory=list)

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)

    def table(self, key: str) -> ReportTable:
        return next(t for t in self.tables if t.key == key)
