"""Cell readers shared by every kind of register: text, whole numbers, money, dates, yes/no and choices.

Each reader takes one cell as ``imports.reading`` hands it over (never ``None`` — an empty cell never
reaches a reader) and returns the value, or raises ``CellError`` with a plain message for the person who
filled the register. Use them directly as ``Column.parse`` (``values.money``) or build one
(``values.text_up_to(40)``, ``values.choice({...}, _("a section of the Act"))``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from imports.kinds.base import CellError, CellValue

Parser = Callable[[CellValue], object]

# The text formats a date may be written in; day before month, as in Kenya. Excel date cells need none.
DATE_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d-%b-%Y",
    "%d %b %Y",
    "%d %B %Y",
    "%d-%B-%Y",
    "%d %b, %Y",
    "%d %B, %Y",
    "%Y/%m/%d",
)
YES_WORDS = frozenset({"yes", "y", "true", "1", "x", "ndiyo"})
NO_WORDS = frozenset({"no", "n", "false", "0", "hapana"})
# A suggestion is offered when the typed word is at least this alike (rapidfuzz WRatio, 0–100) to one option.
SUGGEST_SCORE = 70
# At most this many options are listed when nothing typed is close to any of them.
LISTED_OPTIONS = 12
CURRENCY = re.compile(r"(?i)^\s*(?:kes|kshs?|shs?)\.?\s*|\s*(?:kes|kshs?|/=|/-)\s*$")


def shown(value: CellValue, limit: int = 40) -> str:
    """A cell quoted back in a message: control characters as �, long text cut."""
    text = "".join("\ufffd" if unicodedata.category(ch) == "Cc" else ch for ch in _as_text(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _as_text(value: CellValue) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def text(value: CellValue) -> str:
    """Any cell as text: whole numbers without ``.0`` (a court number typed as a number), dates as ISO
    dates; control characters (a NUL byte) refused."""
    result = _as_text(value)
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in result):
        raise CellError(_("the text holds a control character (such as a NUL byte) that cannot be stored"))
    return result


def text_up_to(max_length: int) -> Parser:
    """A text reader that refuses more than ``max_length`` characters (the database column's length)."""

    def parse(value: CellValue) -> str:
        result = text(value)
        if len(result) > max_length:
            raise CellError(
                _("the text is %(length)s characters long; at most %(limit)s are kept")
                % {"length": f"{len(result):,}", "limit": f"{max_length:,}"}
            )
        return result

    return parse


def integer(value: CellValue) -> int:
    """A whole number: ``12``, ``1,200``, or a number cell with no fraction."""
    if isinstance(value, bool):
        raise CellError(_("'%(value)s' is not a whole number") % {"value": shown(value)})
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        if value == int(value):
            return int(value)
        raise CellError(_("'%(value)s' is not a whole number") % {"value": shown(value)})
    cleaned = str(value).replace(",", "").replace(" ", "").strip()
    if re.fullmatch(r"[-+]?\d{1,15}", cleaned):
        return int(cleaned)
    raise CellError(_("'%(value)s' is not a whole number") % {"value": shown(value)})


def money(value: CellValue) -> Decimal:
    """An amount in shillings, not negative, to the cent: ``1200000.50``, ``1,200,000.50``, ``KES 1,200``,
    ``KSh 1,200/=``, or a number cell."""
    if isinstance(value, bool | dt.date):
        raise CellError(_("'%(value)s' is not an amount in shillings") % {"value": shown(value)})
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    else:
        cleaned = CURRENCY.sub("", str(value)).replace(",", "").replace(" ", "").strip()
        if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", cleaned):
            raise CellError(_("'%(value)s' is not an amount in shillings") % {"value": shown(value)})
        try:
            amount = Decimal(cleaned)
        except InvalidOperation as error:  # pragma: no cover - the pattern above admits only numbers
            raise CellError(_("'%(value)s' is not an amount in shillings") % {"value": shown(value)}) from error
    if not amount.is_finite():
        raise CellError(_("'%(value)s' is not an amount in shillings") % {"value": shown(value)})
    if amount < 0:
        raise CellError(_("'%(value)s' is negative; write the amount without a minus sign") % {"value": shown(value)})
    places = settings.MONEY_DECIMAL_PLACES
    if amount != amount.quantize(Decimal(1).scaleb(-places)):
        raise CellError(_("'%(value)s' has fractions of a cent; round it to cents") % {"value": shown(value)})
    if amount and amount.adjusted() >= settings.MONEY_MAX_DIGITS - places:
        raise CellError(_("'%(value)s' is too large an amount") % {"value": shown(value)})
    return amount.quantize(Decimal(1).scaleb(-places))


def date(value: CellValue) -> dt.date:
    """A date: an Excel date cell, or text as 2024-03-01, 01/03/2024 (day first), 1-Mar-2024, 1 March 2024."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    accepted = _("write it as 01/03/2024 (day first), 2024-03-01, 1-Mar-2024 or 1 March 2024")
    if not isinstance(value, str):
        raise CellError(
            _("'%(value)s' is a number, not a date; %(accepted)s") % {"value": shown(value), "accepted": accepted}
        )
    written = re.sub(r"\s+", " ", value).strip()
    written = re.sub(r"(?i)(\d)(st|nd|rd|th)\b", r"\1", written)  # 1st March 2024
    try:
        moment = dt.datetime.fromisoformat(written)  # also Excel's "2024-03-01 00:00:00" in a CSV
    except ValueError:
        pass
    else:
        return moment.date()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(written, fmt).date()
        except ValueError:
            continue
    if re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}", written):
        day, month = (int(part) for part in re.split(r"[/.-]", written)[:2])
        if month > 12 >= day:
            raise CellError(
                _("'%(value)s' has no month %(month)s: dates are read day first; %(accepted)s")
                % {"value": shown(value), "month": month, "accepted": accepted}
            )
        raise CellError(
            _("'%(value)s' is not a date in the calendar; %(accepted)s") % {"value": shown(value), "accepted": accepted}
        )
    raise CellError(_("'%(value)s' is not a date; %(accepted)s") % {"value": shown(value), "accepted": accepted})


def yes_no(value: CellValue) -> bool:
    """Yes or no: ``yes``/``no``, ``y``/``n``, ``true``/``false``, ``1``/``0`` or an Excel TRUE/FALSE cell."""
    if isinstance(value, bool):
        return value
    word = _as_text(value).strip().lower()
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise CellError(_("'%(value)s' is not yes or no") % {"value": shown(value)})


def normalised(word: str) -> str:
    """A word as choices are compared: lower case, letters and digits only (``CTIP s.3(1)`` → ``ctips31``)."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", word).casefold() if ch.isalnum())


def choice(options: Mapping[str, object], what: str) -> Parser:
    """A reader for one of ``options`` (stored code → label shown to people): it accepts the code or the
    label, ignoring case, spaces and punctuation, and returns the code. ``what`` completes the sentence
    "'CTIP 3' is not …", e.g. ``_("a section of the Act")``; a misspelling gets the closest option::

        'CTIP 3' is not a section of the Act; did you mean CTIP s.3(1)?
    """
    lookup: dict[str, str] = {}
    for code in options:
        lookup.setdefault(normalised(str(code)), code)
    for code, label in options.items():
        lookup.setdefault(normalised(str(label)), code)
    lookup.pop("", None)
    # The words offered, each option once: its label (what people read), matched on its code as well.
    candidates = {normalised(str(label)) or normalised(str(code)): str(label) for code, label in options.items()}
    for code, label in options.items():
        candidates.setdefault(normalised(str(code)), str(label))

    def parse(value: CellValue) -> str:
        typed = _as_text(value)
        code = lookup.get(normalised(typed))
        if code is not None:
            return code
        best = process.extractOne(normalised(typed), list(candidates), scorer=fuzz.WRatio, score_cutoff=SUGGEST_SCORE)
        if best is not None and normalised(typed):
            raise CellError(
                _("'%(value)s' is not %(what)s; did you mean %(suggestion)s?")
                % {"value": shown(value), "what": what, "suggestion": candidates[best[0]]}
            )
        labels = list(dict.fromkeys(str(label) for label in options.values()))
        listed = ", ".join(labels[:LISTED_OPTIONS]) + (", …" if len(labels) > LISTED_OPTIONS else "")
        raise CellError(
            _("'%(value)s' is not %(what)s; write one of: %(options)s")
            % {"value": shown(value), "what": what, "options": listed}
        )

    return parse
