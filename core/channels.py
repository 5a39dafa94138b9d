"""Where a change came from when it did not come from a page: another system through the API, or a row of an
imported register. Every history row written inside ``history_note(...)`` carries the note in its reason,
so the history and the audit chain say "via API" or "imported from registers.xlsx, row 14"."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# simple-history's reason column holds 100 characters.
REASON_LENGTH = 100

_note: ContextVar[str] = ContextVar("history_note", default="")


@contextmanager
def history_note(note: str) -> Iterator[None]:
    """Within the block, every tracked save records ``note`` in its history reason."""
    token = _note.set(note)
    try:
        yield
    finally:
        _note.reset(token)


def current_note() -> str:
    """The note in force, or "" outside any ``history_note`` block."""
    return _note.get()


def noted_reason(reason: str) -> str:
    """``reason`` with the note in force added (once), cut to fit the history's reason column.

    The note is kept whole; a long reason gives way with an ellipsis.
    """
    note = _note.get()
    if not note or reason.endswith(f"({note})") or reason == note:
        return reason[:REASON_LENGTH]
    if not reason:
        return note[:REASON_LENGTH]
    suffix = f" ({note})"
    room = REASON_LENGTH - len(suffix)
    if room < 10:
        return note[:REASON_LENGTH]
    if len(reason) > room:
        reason = reason[: room - 1] + "…"
    return reason + suffix
