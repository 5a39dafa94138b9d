"""English left on a Kiswahili page, found by what a reader sees.

The English phrases to look for are those of the project's own Kiswahili catalogues
(``<app>/locale/sw/LC_MESSAGES/django.po``) whose Kiswahili differs: a reader of a Kiswahili page should
meet none of them. A phrase counts when it has two words or more, or is one word of eight letters or more
(shorter ones — "Case", "Date" — are too often part of something else). A message with placeholders
(``%(stage)s``, ``{name}``, markup) is cut at them and its literal pieces of two words or more are searched
for. A piece that the Kiswahili keeps as it is (a statute's name, "CTIP s.3(1)") is not searched for, nor is
one that any Kiswahili message contains: it may stand in Kiswahili text as it is.

What the tracker stores is shown as it was typed (a case title, a reason for a change, a court's name):
it is not a leftover. :func:`stored_text` reads it from the database so that :meth:`EnglishPhrases.left_in`
takes it out of the page before looking, rather than allow-listing words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.db import models

from core.translations import catalogue_files

# A python-format or str.format placeholder, or a markup tag: what cuts a message into literal pieces.
PLACEHOLDER = re.compile(r"%\([^)]*\)[#0 +\-]*\d*(?:\.\d+)?[sdifr]|%[sdifr]|\{[^{}]*\}|<[^>]+>")
EDGES = " \t\n:;,.·–—-/“”\"'()[]"
LETTER = re.compile(r"[^\W\d_]")
SPACES = re.compile(r"[^\S\n]+")


@cache
def enacted_names() -> frozenset[str]:
    """Names of statutes as enacted, in full and as cited ("Immigration Act"): never translated, though a word
    of them may be ("Immigration", an identifying agency, is "Uhamiaji")."""
    from prosecutions.choices import Statute
    from prosecutions.models import Offence

    return frozenset({str(label) for label in Statute.labels} | {Offence(statute=s).short_statute for s in Statute})


def normalised(text: str) -> str:
    """Runs of spaces (non-breaking ones too) made one space; line breaks kept, as they separate phrases."""
    return "\n".join(line.strip() for line in SPACES.sub(" ", text.replace("\u00a0", " ")).split("\n"))


def _letters(text: str) -> int:
    return len(LETTER.findall(text))


def _words(text: str) -> int:
    return sum(1 for word in text.split() if LETTER.search(word))


def _boundary_pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")


def _pieces(msgid: str) -> Iterator[str]:
    """The phrases of one English message worth searching for."""
    if PLACEHOLDER.search(msgid) is None:
        whole = normalised(msgid.replace("%%", "%")).strip()
        if _words(whole) >= 2 or _letters(whole) >= 8:
            yield whole
        return
    for piece in PLACEHOLDER.split(msgid.replace("%%", "%")):
        piece = normalised(piece).strip(EDGES)
        if _words(piece) >= 2:
            yield piece


def _messages(po: Path) -> Iterator[tuple[str, str]]:
    """(English, Kiswahili) of each translated entry of a catalogue, each plural form on its own."""
    with po.open("rb") as source:
        catalogue = read_po(source, locale="sw")
    for message in catalogue:
        if not message.id or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        kiswahili = " ".join(s for s in strings if s)
        if not kiswahili:
            continue
        for english in ids:
            yield english, kiswahili


@dataclass(frozen=True)
class EnglishPhrases:
    """The English phrases of our catalogues that a Kiswahili page must not show, each with its pattern."""

    patterns: dict[str, re.Pattern[str]]

    def __len__(self) -> int:
        return len(self.patterns)

    def found_in(self, text: str) -> list[str]:
        """The phrases standing in ``text`` as whole words (case-sensitive), longest first."""
        hits = [p for p, pattern in self.patterns.items() if p in text and pattern.search(text)]
        return sorted(hits, key=lambda p: (-len(p), p))

    def left_in(
        self, text: str, stored: Callable[[], Iterable[str]] = tuple, verbatim: Iterable[str] = ()
    ) -> list[str]:
        """The phrases in ``text`` once what stands in it as written is taken out: ``verbatim`` (codes shown as
        code, names of statutes) always, and the stored values it shows (``stored()``, read only when a phrase
        is found)."""
        text = normalised(text)
        for value in sorted({*verbatim, *enacted_names()}, key=len, reverse=True):
            if value and value in text:
                text = text.replace(value, "\n")
        hits = self.found_in(text)
        if not hits:
            return hits
        for value in sorted(stored(), key=len, reverse=True):
            if value in text and any(hit in value for hit in hits):
                text = text.replace(value, "\n")
        return self.found_in(text)


@cache
def english_phrases() -> EnglishPhrases:
    """Built once from every Kiswahili catalogue of the project."""
    pairs = [pair for po in catalogue_files() if po.parent.parent.name == "sw" for pair in _messages(po)]
    kiswahili = "\n".join(normalised(sw) for _en, sw in pairs)
    patterns: dict[str, re.Pattern[str]] = {}
    for english, sw in pairs:
        for phrase in _pieces(english):
            if phrase in patterns:
                continue
            pattern = _boundary_pattern(phrase)
            if pattern.search(normalised(sw)) or (phrase in kiswahili and pattern.search(kiswahili)):
                continue
            patterns[phrase] = pattern
    # Django's own English calendar words (charts' date axes, dates written out): never ours to translate,
    # so not in our catalogues, but English all the same on a Kiswahili page.
    for name in ENGLISH_CALENDAR:
        patterns.setdefault(name, _boundary_pattern(name))
    return EnglishPhrases(patterns)


ENGLISH_CALENDAR = (
    *("January", "February", "March", "April", "June", "July", "August", "September", "October", "November"),
    *("December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
)


def _project_models() -> Iterator[type[models.Model]]:
    base, venv = Path(settings.BASE_DIR).resolve(), Path(settings.BASE_DIR).resolve() / ".venv"
    for model in apps.get_models():
        path = Path(apps.get_app_config(model._meta.app_label).path).resolve()
        if path.is_relative_to(base) and not path.is_relative_to(venv):
            yield model


def _strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings_in(item)


def stored_text() -> set[str]:
    """Every free-text value stored in the project's tables (history tables too): what people typed and the
    reference data's names, each as a page would show it (spaces made one). Stored codes (fields with
    choices) are left out: pages show their labels, which must be translated."""
    found: set[str] = set()
    for model in _project_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField) and not f.choices
        ]
        if not fields:
            continue
        try:
            rows = list(model._default_manager.values_list(*fields))
        except Exception:  # noqa: BLE001 - an encrypted column the test keys cannot read holds no English
            continue
        for row in rows:
            for value in row:
                for text in _strings_in(value):
                    text = normalised(text).strip()
                    if len(text) >= 4 and _letters(text):
                        found.add(text)
    return found


# What a reader meets besides the visible text: the tab's title, the words read out or shown on hovering,
# and the entries of menus and lists not open yet. Not read out: what is inside an image (a chart is one
# image, named by its container; Vega's own labels of its parts are never read) or hidden from assistive
# technology. Identifiers set as code ("notifications.send_digest") are returned apart: they are not words.
READABLE_TEXT_JS = """() => {
  const parts = [document.title, document.body.innerText];
  const attributes = ['title', 'aria-label', 'placeholder', 'alt', 'data-label'];
  const unread = (el) => el.closest('[aria-hidden="true"]')
    || (el.parentElement && el.parentElement.closest('[role="img"]'));
  for (const el of document.querySelectorAll(attributes.map(a => `[${a}]`).join(','))) {
    if (unread(el)) continue;
    for (const a of attributes) { const v = el.getAttribute(a); if (v) parts.push(v); }
  }
  for (const el of document.querySelectorAll('.dropdown-menu, select option')) parts.push(el.textContent);
  const codes = [...document.querySelectorAll('code')].map(el => el.textContent);
  return {text: parts.join('\\n'), codes: codes};
}"""


@dataclass(frozen=True)
class PageText:
    """What a reader may read on a page, and the identifiers shown on it as code."""

    text: str
    codes: list[str]


def readable_text(page: Any) -> PageText:
    """Everything a reader of ``page`` (a Playwright page) may read."""
    found = page.evaluate(READABLE_TEXT_JS)
    return PageText(str(found["text"]), [normalised(str(code)).strip() for code in found["codes"]])


def workbook_text(book: Any) -> str:
    """The sheet names and every text cell of an openpyxl workbook, one per line."""
    lines = list(book.sheetnames)
    for sheet in book.worksheets:
        lines.extend(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str))
    return "\n".join(lines)
