"""Rows of a register as the engine hands them to a kind: each cell read by its column (``Column.parse``),
empty cells as None, and the cells that cannot be read as errors — without a file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from imports.kinds.base import CellError, ImportKind, ParsedRow, RowError


def parsed_rows(kind: type[ImportKind], rows: Sequence[Mapping[str, Any]]) -> list[ParsedRow]:
    """``rows`` given by heading (the header is row 1, so the first row is row 2)."""
    result = []
    for number, cells in enumerate(rows, start=2):
        unknown = set(cells) - {column.header for column in kind.columns}
        assert not unknown, f"not headings of {kind.slug}: {unknown}"
        values: dict[str, object] = {}
        errors: list[RowError] = []
        for column in kind.columns:
            cell = cells.get(column.header)
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                values[column.key] = None
                if column.required:
                    errors.append(RowError(number, column.header, "required"))
                continue
            try:
                values[column.key] = column.parse(cell.strip() if isinstance(cell, str) else cell)
            except CellError as error:
                values[column.key] = None
                errors.append(RowError(number, column.header, error.message))
        result.append(ParsedRow(number, values, errors))
    return result
