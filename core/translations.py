"""The translation catalogues: compiled with Babel (pure Python, no gettext system package), and the
languages a person may choose.

Each app keeps its catalogue in ``<app>/locale/<language>/LC_MESSAGES/django.po``; the compiled ``.mo``
beside it is not committed: ``make setup`` runs ``manage.py compile_translations``, which calls
:func:`compile_catalogues`. Tests that render translated pages call it in a fixture.
"""

from __future__ import annotations

import ast
import datetime as dt
import os
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.template.base import BLOCK_TAG_START, COMMENT_TAG_START, VARIABLE_TAG_START, tag_re
from django.utils import formats, timezone, translation
from django.utils.functional import Promise, lazy

# Never searched for catalogues: the virtual environment, caches and the like.
_SKIPPED_DIRS = frozenset(
    {".venv", "venv", "node_modules", ".git", "staticfiles", "media", ".local", ".mypy_cache", ".ruff_cache"}
)
_lock = threading.Lock()


def catalogue_files(root: Path | None = None) -> list[Path]:
    """Every ``*/locale/*/LC_MESSAGES/django.po`` under ``root`` (the project), sorted, outside the skipped
    folders."""
    base = Path(root or settings.BASE_DIR)
    found: list[Path] = []
    for folder, subfolders, files in os.walk(base):
        subfolders[:] = [name for name in subfolders if name not in _SKIPPED_DIRS and not name.startswith(".")]
        here = Path(folder)
        if here.name == "LC_MESSAGES" and here.parent.parent.name == "locale":
            found.extend(here / name for name in files if name.endswith(".po"))
    return sorted(found)


def compile_catalogue(po_path: Path, force: bool = False) -> bool:
    """Compile one ``.po`` into the ``.mo`` beside it; fuzzy entries are left out (as ``msgfmt`` does), plural
    forms and contexts kept. Skipped (returns False) when the ``.mo`` is newer than the ``.po``."""
    mo_path = po_path.with_suffix(".mo")
    if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        return False
    with po_path.open("rb") as source:
        catalog = read_po(source, locale=po_path.parent.parent.name)
    temporary = mo_path.with_name(f".{mo_path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with temporary.open("wb") as target:
        write_mo(target, catalog, use_fuzzy=False)
    temporary.replace(mo_path)  # atomic: a process reading the catalogue never sees half a file
    return True


def compile_catalogues(root: Path | None = None, force: bool = False) -> list[Path]:
    """Compile every catalogue of the project that changed since it was last compiled; return those compiled.

    Translations already loaded in this process are dropped so the next ``gettext`` reads the new files."""
    with _lock:
        compiled = [po for po in catalogue_files(root) if compile_catalogue(po, force=force)]
        if compiled:
            reset_loaded_translations()
    return compiled


def reset_loaded_translations() -> None:
    """Forget the catalogues Django has loaded (they are cached per process), keeping the active language."""
    from asgiref.local import Local
    from django.utils.translation import trans_real

    active = translation.get_language()
    # As Django's own test signal does when LOCALE_PATHS changes (django.test.signals.language_changed).
    trans_real._translations = {}  # type: ignore[attr-defined]
    trans_real._default = None  # type: ignore[attr-defined]
    trans_real._active = Local()  # type: ignore[attr-defined]
    for cached in ("translation_catalog_exists", "check_for_language"):  # the name moved in Django 5.2.x
        cache_clear = getattr(getattr(trans_real, cached, None), "cache_clear", None)
        if cache_clear is not None:
            cache_clear()
    if active:
        translation.activate(active)


def _interpolate(text: str | Promise, params: dict[str, Any]) -> str:
    # ``text % …`` rather than ``str(text) % …``: an ``ngettext_lazy(singular, plural, "number")`` picks its
    # form from ``params["number"]`` as it is formatted.
    resolved = {key: str(value) if isinstance(value, Promise) else value for key, value in params.items()}
    return str(text % resolved)


def lazy_format(text: str | Promise, /, **params: Any) -> str:
    """``text % params``, done when the result is first read as a string — in the language active then.

    For messages made once and read in several languages (a notification for several people, each in their
    own): ``text`` is a ``gettext_lazy`` string with named placeholders, ``params`` may be lazy too
    (``lazy_date``, a choice's label). ``str()`` of the result inside ``translation.override(lang)`` gives
    the message in ``lang``. Plurals: ``lazy_format(ngettext_lazy("%(number)s day", "%(number)s days",
    "number"), number=n)``."""
    return _lazy_interpolate(text, params)


_lazy_interpolate = lazy(_interpolate, str)


def _format_date(value: dt.date | dt.datetime, format_string: str) -> str:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, format_string)


def lazy_date(value: dt.date | dt.datetime, format_string: str = "d M Y") -> str:
    """A date written (Django's date format syntax) in the language active when it is read: month and day
    names in Kiswahili or English ("05 Mar 2025" / "05 Machi 2025")."""
    return _lazy_format_date(value, format_string)


_lazy_format_date = lazy(_format_date, str)


def language_codes() -> list[str]:
    """The codes of the languages a person may choose (``settings.LANGUAGES``), English first."""
    return [code for code, _name in settings.LANGUAGES]


def supported_language(code: str | None, default: str | None = None) -> str:
    """``code`` if it is one of ours, else ``default`` (the site's language when not given)."""
    return code if code in language_codes() else (default or settings.LANGUAGE_CODE)


def language_of(person: object) -> str:
    """The language to write to ``person`` in (an e-mail, a notification, an export prepared in the
    background): their chosen one, or the site's default when they have chosen none."""
    return supported_language(getattr(person, "language", "") or None)


def iter_languages() -> Iterable[tuple[str, str]]:
    """(code, name) of each language, the name written in that language itself ("English", "Kiswahili"), so
    a person who cannot read the current one still finds their own."""
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            yield code, str(name)


# --- Template text left untranslated -------------------------------------------------------------------

# Apps whose templates and Python text are marked completely: tests/core/test_translations.py holds them to
# it.
MARKED_APPS: tuple[str, ...] = (
    "core",
    "assets",
    "prosecutions",
    "trustfund",
    "jobs",
    "notifications",
    "documents",
    "network",
    "witnesses",
    "victims",
    "imports",
    "api",
)

# Attributes a person reads (or hears from a screen reader); any other attribute is code.
READABLE_ATTRIBUTES = frozenset({"title", "aria-label", "placeholder", "alt", "data-label"})

# Text that is the same in every language: names and codes as written (reviewed; keep it short).
ALLOWED_TEXT = frozenset({"CTIP Case Tracker", "KES", "CTIP", "ODPP", "OB", "EN", "SW", "×"})

_IDENTIFIER = re.compile(r"[^\s{}]*_[^\s{}]*")
_MASK = "\ue000"  # stands in for a template tag or variable: not text, not a letter
_VERBATIM_TAGS = frozenset({"script", "style", "pre", "code"})


@dataclass(frozen=True)
class Untranslated:
    """One piece of template text outside ``{% translate %}`` / ``{% blocktranslate %}``."""

    path: Path
    line: int
    text: str
    attribute: str = ""

    def __str__(self) -> str:
        where = f" [{self.attribute}]" if self.attribute else ""
        return f"{self.path}:{self.line}:{where} {self.text}"


def _is_text(value: str) -> bool:
    """Whether ``value`` holds words a person reads: letters, once tags, punctuation and numbers are gone."""
    stripped = " ".join(value.replace(_MASK, " ").split())
    stripped = _IDENTIFIER.sub(" ", stripped)  # snake_case names and prefixes are code, not words
    for allowed in sorted(ALLOWED_TEXT, key=len, reverse=True):
        stripped = re.sub(rf"(?<!\w){re.escape(allowed)}(?!\w)", " ", stripped)
    return any(character.isalpha() for character in stripped)


def _masked(source: str) -> str:
    """The template with every tag, variable and comment — and whatever a ``{% blocktranslate %}`` or
    ``{% comment %}`` encloses — replaced by a mask character, newlines kept so lines still count."""
    out: list[str] = []
    skipping: str | None = None  # the closing tag being waited for
    for bit in tag_re.split(source):
        if not bit:
            continue
        is_tag = bit.startswith((BLOCK_TAG_START, VARIABLE_TAG_START, COMMENT_TAG_START)) and tag_re.fullmatch(bit)
        if is_tag and bit.startswith(BLOCK_TAG_START):
            name = bit[2:-2].split(maxsplit=1)[0] if bit[2:-2].strip() else ""
            if skipping is None and name in ("blocktranslate", "blocktrans", "comment", "verbatim"):
                skipping = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans"}.get(
                    name, f"end{name}"
                )
            elif skipping is not None and name == skipping:
                skipping = None
        if is_tag or skipping is not None:
            out.append(_MASK + "\n" * bit.count("\n"))
        else:
            out.append(bit)
    return "".join(out)


class _TextFinder(HTMLParser):
    def __init__(self, path: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.found: list[Untranslated] = []
        self._verbatim = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VERBATIM_TAGS:
            self._verbatim += 1
        line = self.getpos()[0]
        for name, value in attrs:
            if name in READABLE_ATTRIBUTES and value and _is_text(value):
                self.found.append(Untranslated(self.path, line, " ".join(value.split()), name))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _VERBATIM_TAGS:
            self._verbatim -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _VERBATIM_TAGS and self._verbatim:
            self._verbatim -= 1

    def handle_data(self, data: str) -> None:
        if self._verbatim or not _is_text(data):
            return
        line = self.getpos()[0] + data[: len(data) - len(data.lstrip())].count("\n")
        self.found.append(Untranslated(self.path, line, " ".join(data.replace(_MASK, " {…} ").split())))


def untranslated_in_template(path: Path) -> list[Untranslated]:
    """The text and readable attributes of one template (``.html`` or ``.txt``) outside the translation
    tags. HTML comments, ``<script>``/``<style>``/``<pre>``/``<code>`` and template comments are skipped."""
    finder = _TextFinder(path)
    finder.feed(_masked(path.read_text(encoding="utf-8")))
    finder.close()
    return finder.found


def untranslated_template_text(app_labels: Iterable[str]) -> list[Untranslated]:
    """Every untranslated piece of template text in the given apps' ``templates/`` folders, by file and line."""
    found: list[Untranslated] = []
    for label in app_labels:
        folder = Path(apps.get_app_config(label).path) / "templates"
        for template in sorted(folder.rglob("*")):
            if template.suffix in (".html", ".txt") and template.is_file():
                found.extend(untranslated_in_template(template))
    return found


# --- Python text left untranslated ---------------------------------------------------------------------

# Keyword arguments whose value a person reads.
READABLE_KEYWORDS = frozenset({"label", "help_text", "verbose_name", "verbose_name_plural", "title", "empty_label"})
# Calls whose first text argument a person reads: Django's messages, and the errors services raise.
MESSAGE_FUNCTIONS = frozenset({"success", "error", "warning", "info", "debug", "add_message"})
# Exceptions that never reach a person as such (programming errors, the command line).
DEVELOPER_ERRORS = frozenset(
    {
        "ValueError",
        "TypeError",
        "KeyError",
        "RuntimeError",
        "AssertionError",
        "NotImplementedError",
        "ImproperlyConfigured",
        "CommandError",
        "AttributeError",
        "LookupError",
        "PermissionError",
        "OSError",
        "Http404",  # its text shows only with DEBUG on; the 404 page says it in the reader's language
        "SuspiciousOperation",
        "RequestDataTooBig",
    }
)
# Names of statutes stay as enacted ("Counter-Trafficking in Persons Act, 2010", "Penal Code (Cap. 63)").
ENACTED_NAME = re.compile(r"(\bAct, \d{4}|\(Cap\. \d+\))$")


def _is_plain_text(node: ast.AST | None) -> bool:
    """A string literal or an f-string with words in it: text no ``gettext`` has touched."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _is_text(node.value) and not ENACTED_NAME.search(node.value.strip())
    if isinstance(node, ast.JoinedStr):
        literal = "".join(
            part.value for part in node.values if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
        return _is_text(literal)
    return False


def _text_of(node: ast.AST) -> str:
    return " ".join(ast.unparse(node).split())[:120]


def untranslated_in_module(path: Path) -> list[Untranslated]:
    """Text a person reads, in one Python module, not passed through ``gettext``: form and model labels and
    help texts, titles, choices' labels, messages to the user and the errors services raise."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[Untranslated] = []

    def add(node: ast.AST, what: str) -> None:
        found.append(Untranslated(path, getattr(node, "lineno", 0), _text_of(node), what))

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg in READABLE_KEYWORDS and _is_plain_text(keyword.value):
                    add(keyword.value, keyword.arg or "")
            function = node.func
            name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
            receiver = function.value if isinstance(function, ast.Attribute) else None
            if (
                name in MESSAGE_FUNCTIONS
                and isinstance(receiver, ast.Name)
                and receiver.id == "messages"
                and len(node.args) >= 2
                and _is_plain_text(node.args[1])
            ):
                add(node.args[1], "message")
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            function = node.exc.func
            name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
            if name not in DEVELOPER_ERRORS and node.exc.args and _is_plain_text(node.exc.args[0]):
                add(node.exc.args[0], "error")
        elif isinstance(node, ast.ClassDef) and any(
            getattr(base, "attr", getattr(base, "id", "")) in {"TextChoices", "IntegerChoices"} for base in node.bases
        ):
            for statement in node.body:
                value = statement.value if isinstance(statement, ast.Assign) else None
                if isinstance(value, ast.Tuple) and len(value.elts) >= 2 and _is_plain_text(value.elts[-1]):
                    add(value.elts[-1], "choice")
    return sorted(found, key=lambda item: item.line)


def untranslated_python_text(app_labels: Iterable[str]) -> list[Untranslated]:
    """Every untranslated piece of Python text in the given apps (migrations and management commands
    aside: the command line and the schema history are not translated)."""
    found: list[Untranslated] = []
    for label in app_labels:
        folder = Path(apps.get_app_config(label).path)
        for module in sorted(folder.rglob("*.py")):
            parts = module.relative_to(folder).parts
            if "migrations" in parts or "management" in parts or "locale" in parts:
                continue
            found.extend(untranslated_in_module(module))
    return found
