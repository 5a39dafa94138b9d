"""What one kind of register is — cases, assets, hearings: its columns, how a cell is read, what each row
will do, and how the rows are saved through the services. The engine (``imports.reading``,
``imports.runner``) is the same for every kind; a kind only knows its own records."""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from core.models import User

# What a cell may hold once read from .xlsx or .csv: text (stripped, never empty — an empty cell is None),
# a whole or decimal number, a date or a date and time (an Excel date cell).
CellValue = str | int | float | Decimal | dt.date | dt.datetime | None


class CellError(ValueError):
    """A cell that cannot be read; the message is plain words for the person who filled the register,
    e.g. "'CTIP 3' is not a section of the Act; did you mean CTIP s.3(1)?"."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Column:
    """One column of a register: its heading, whether it must be filled, and how its cells are read."""

    key: str  # the name the kind's code uses
    header: str  # the heading in the template and the file (matched ignoring case and surrounding space)
    parse: Callable[[CellValue], object]  # the cell (never None) → its value; raises CellError
    required: bool = False
    help: str = ""  # what to write, shown on the template's Instructions sheet
    choices: tuple[str, ...] = ()  # the template's drop-down list: the words a user may type


@dataclass(frozen=True)
class RowError:
    """What is wrong with one row: its spreadsheet row number (the header is row 1), the column's heading
    ("" for the whole row) and a plain message."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}, {self.column}" if self.column else f"row {self.row}"
        return f"{where}: {self.message}"


@dataclass
class ParsedRow:
    """One row once every cell is read: the values by column key (a missing or empty optional cell is
    None) and the cells that could not be read."""

    row: int
    values: dict[str, object]
    errors: list[RowError] = field(default_factory=list)


class Action(StrEnum):
    """What a row will do when the import is confirmed."""

    CREATE = "create"
    UPDATE = "update"
    DUPLICATE = "duplicate"  # already in the tracker (same OB / court case number): reported, not doubled


@dataclass
class RowPlan:
    """What one row will do, said for the preview before anything is saved."""

    row: int
    values: dict[str, object]
    action: Action
    summary: str  # e.g. "New case at Mombasa Law Courts, accused Juma Ali, count 1 — CTIP s.3(1)"
    errors: list[RowError] = field(default_factory=list)


# The rows of a file, read again from its first row each time it is called (a file is read in passes).
RowSource = Callable[[], Iterable[ParsedRow]]


class ImportKind(ABC):
    """A kind of register the tracker can import. Subclasses are registered with ``@register``."""

    slug: ClassVar[str]  # in URLs and file names: "cases", "assets", "hearings"
    title: ClassVar[str]  # "Case register"
    columns: ClassVar[tuple[Column, ...]]
    allowed_roles: ClassVar[frozenset[str]]  # who may import this kind (core.roles)

    @abstractmethod
    def plan(self, rows: Sequence[ParsedRow], user: User) -> list[RowPlan]:
        """Decide, reading only, what each row will create or update: duplicates of records already in the
        tracker, rows that disagree with each other (one case, two courts), references that do not exist
        or that ``user`` may not see. One plan per row, in order; a row with cell errors keeps them."""

    @abstractmethod
    def apply(self, plans: Sequence[RowPlan], user: User, *, file_name: str, progress: Callable[[int], None]) -> None:
        """Save the planned rows through the services, as ``user``. The runner calls this inside one
        transaction (all or nothing) and only when no plan has an error. Each row's writes happen inside
        ``core.channels.history_note(f"imported from {file_name}, row {plan.row}")`` so its history says
        where it came from; ``progress(n)`` is called with the number of rows done so far."""

    # Optional (added for the result page): the URL name of the list where the imported records show, e.g.
    # "prosecutions:case_list"; the result page links to it.
    list_url_name: ClassVar[str] = ""

    def links(self, plans: Sequence[RowPlan], user: User) -> list[tuple[str, str]]:
        """Optional: after a successful import, (label, URL) of records it made or changed, for the result
        page (the runner calls it inside the import's transaction; a kind that ``streams`` is given no plans).
        None by default."""
        return []

    # Optional: a kind that plans and saves a file without holding all its rows says so (``streams``) and may
    # override ``plan_rows`` / ``apply_rows``. The runner's import then reads the file once more for each pass
    # instead of keeping every row's plan in memory through the import's long transaction.
    streams: ClassVar[bool] = False

    def plan_rows(self, rows: RowSource, user: User) -> Iterator[RowPlan]:
        """``plan``, reading the rows from ``rows()`` (each call reads the file again, from its first row) and
        handing on each row's plan as soon as it is known, in any order. By default: ``plan`` of every row."""
        yield from self.plan(list(rows()), user)

    def apply_rows(self, rows: RowSource, user: User, *, file_name: str, progress: Callable[[int], None]) -> None:
        """``apply``, reading the rows from ``rows()`` instead of holding their plans. By default: ``apply`` of
        every row's plan."""
        self.apply(list(self.plan_rows(rows, user)), user, file_name=file_name, progress=progress)


KINDS: dict[str, type[ImportKind]] = {}


def register(kind: type[ImportKind]) -> type[ImportKind]:
    """Class decorator: make ``kind`` importable (by its slug)."""
    KINDS[kind.slug] = kind
    return kind
