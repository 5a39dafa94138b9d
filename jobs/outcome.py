"""A scheduled job's outcome line, kept in the words of the source language and shown in the reader's.

A job runs in a worker, in the site's language, but its outcome line is read later on the Scheduled jobs
page by a unit head or an auditor in theirs. So a job does not return finished words: it returns an
``Outcome`` — the English text (the msgid) and its values — the run stores both (``JobRun.message``,
``JobRun.message_params``), and the page translates the text when it shows it::

    return Outcome.gettext("Documents intact: %(checked)s files re-hashed.", checked=12)
    return Outcome.ngettext(
        "%(count)s interrupted import marked failed.", "%(count)s interrupted imports marked failed.", "count",
        count=failed,
    )

The two constructors are named after the gettext functions, with the same arguments, so that
``makemessages`` extracts their text into the app's catalogue like any other message (a plural as a plural
entry). They translate nothing themselves.

Values are numbers, text as written (references, names: never translated) or dates; a date is stored as
ISO and written in the reader's language when shown ("02 Dec 2026" / "02 Des 2026").
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, TypeAlias

from django.utils import formats
from django.utils.translation import gettext as translate
from django.utils.translation import ngettext as translate_plural

logger = logging.getLogger(__name__)

Value: TypeAlias = str | int | float | bool | dt.date | None
DATE_FORMAT = "d M Y"


class Outcome:
    """One run's outcome line: the untranslated text, its plural when a count decides the form, and its
    values; ``str()`` writes it in the language active then."""

    __slots__ = ("message", "number", "plural", "values")

    def __init__(
        self, message: str, values: dict[str, Value] | None = None, *, plural: str = "", number: str = ""
    ) -> None:
        if plural and not number:
            raise ValueError("a plural outcome needs the name of the value that counts")
        if number and number not in (values or {}):
            raise ValueError(f"the outcome's count {number!r} is not among its values")
        self.message = message
        self.plural = plural
        self.number = number
        self.values: dict[str, Value] = dict(values or {})

    @classmethod
    def gettext(cls, message: str, /, **values: Value) -> Outcome:
        """An outcome line with named placeholders (``%(name)s``), translated when shown."""
        return cls(message, values)

    @classmethod
    def ngettext(cls, singular: str, plural: str, number: str, /, **values: Value) -> Outcome:
        """An outcome line whose form follows a count: ``number`` names the value that decides it."""
        return cls(singular, values, plural=plural, number=number)

    # --- Stored on the run ----------------------------------------------------------------------------------

    def params(self) -> dict[str, Any]:
        """What ``JobRun.message_params`` keeps: the values as JSON (dates as ISO), which of them are dates,
        and the plural form with the name of its count."""
        stored: dict[str, Any] = {
            "values": {
                name: value.isoformat() if isinstance(value, dt.date) else value for name, value in self.values.items()
            }
        }
        dates = sorted(name for name, value in self.values.items() if isinstance(value, dt.date))
        if dates:
            stored["dates"] = dates
        if self.plural:
            stored["plural"] = self.plural
            stored["number"] = self.number
        return stored

    @classmethod
    def stored(cls, message: str, params: dict[str, Any]) -> Outcome:
        """The outcome a run stored (the inverse of ``params``)."""
        values: dict[str, Value] = dict(params.get("values") or {})
        for name in params.get("dates") or ():
            text = values.get(name)
            if isinstance(text, str):
                values[name] = dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)
        return cls(message, values, plural=params.get("plural", ""), number=params.get("number", ""))

    # --- Shown ------------------------------------------------------------------------------------------------

    def shown_values(self) -> dict[str, Value]:
        """The values as the reader sees them: dates written in the active language."""
        return {
            name: formats.date_format(value, DATE_FORMAT) if isinstance(value, dt.date) else value
            for name, value in self.values.items()
        }

    def __str__(self) -> str:
        values = self.shown_values()
        if self.plural:
            count = values[self.number]
            text = translate_plural(self.message, self.plural, count if isinstance(count, int) else 0)
        else:
            text = translate(self.message)
        try:
            return text % values
        except (KeyError, ValueError, TypeError):
            # A catalogue entry whose placeholders went wrong must not hide the line: say it in English.
            logger.warning("Outcome %r: the translation %r does not take its values", self.message, text)
            english = self.plural if self.plural and values.get(self.number) != 1 else self.message
            try:
                return english % values
            except (KeyError, ValueError, TypeError):
                return english

    def __repr__(self) -> str:
        return f"Outcome({self.message!r}, {self.values!r})"


def shown(message: str, params: dict[str, Any] | None) -> str:
    """A stored outcome line in the reader's language; one stored before lines were kept untranslated (no
    params) as it was written."""
    if params is None:
        return message
    return str(Outcome.stored(message, params))
