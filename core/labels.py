"""The type of a user-facing label: a plain string, or a string marked with ``gettext_lazy`` (translated
when shown, in the language of whoever reads it).

Module constants, column headers, menu entries, report titles and definitions are declared at import
time, so they are lazy; annotate them ``Label`` and turn them into text with ``str()`` where a plain
string is needed (a sort key, an Excel cell, a join).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    Label: TypeAlias = str | StrPromise
else:
    Label = str

__all__ = ["Label"]
