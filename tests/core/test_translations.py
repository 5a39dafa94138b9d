"""The translation machinery: catalogues compiled in pure Python, the untranslated-text scan, the
completeness of the Kiswahili catalogues, the middleware order and the formats of each language."""

from __future__ import annotations

import datetime as dt
import gettext
import re
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import CommandError, call_command
from django.template import Context, Template
from django.utils import translation

from core.translations import (
    MARKED_APPS,
    Untranslated,
    catalogue_files,
    compile_catalogue,
    compile_catalogues,
    iter_languages,
    language_of,
    lazy_date,
    lazy_format,
    supported_language,
    untranslated_in_module,
    untranslated_in_template,
    untranslated_python_text,
    untranslated_template_text,
)

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")

PO = r"""msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: sw\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

msgid "Case"
msgstr "Kesi"

msgctxt "court order"
msgid "Order"
msgstr "Amri"

msgid "%(number)s witness"
msgid_plural "%(number)s witnesses"
msgstr[0] "shahidi %(number)s"
msgstr[1] "mashahidi %(number)s"

#, fuzzy
msgid "Judgment"
msgstr "Hukumu ya zamani"
"""


@pytest.fixture(scope="module", autouse=True)
def _catalogues() -> None:
    """The tests that render translated text compile the catalogues first (no compiled file is committed)."""
    compile_catalogues()


def _catalogue(tmp_path: Path) -> Path:
    po = tmp_path / "app" / "locale" / "sw" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(PO, encoding="utf-8")
    return po


def test_a_catalogue_compiles_with_babel_keeping_plurals_and_contexts_and_leaving_fuzzy_out(tmp_path: Path) -> None:
    po = _catalogue(tmp_path)
    assert compile_catalogue(po)
    with po.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    assert compiled.gettext("Case") == "Kesi"
    assert compiled.pgettext("court order", "Order") == "Amri"
    assert compiled.ngettext("%(number)s witness", "%(number)s witnesses", 1) == "shahidi %(number)s"
    assert compiled.ngettext("%(number)s witness", "%(number)s witnesses", 3) == "mashahidi %(number)s"
    assert compiled.gettext("Judgment") == "Judgment"  # fuzzy: not trusted, so the English stays


def test_only_changed_catalogues_are_compiled_again(tmp_path: Path) -> None:
    po = _catalogue(tmp_path)
    assert compile_catalogues(tmp_path) == [po]
    assert compile_catalogues(tmp_path) == []  # up to date
    assert compile_catalogues(tmp_path, force=True) == [po]


def test_catalogues_are_found_in_every_app_but_never_in_the_virtual_environment(tmp_path: Path) -> None:
    po = _catalogue(tmp_path)
    hidden = tmp_path / ".venv" / "lib" / "locale" / "sw" / "LC_MESSAGES" / "django.po"
    hidden.parent.mkdir(parents=True)
    hidden.write_text(PO, encoding="utf-8")
    assert catalogue_files(tmp_path) == [po]
    assert all(".venv" not in path.parts for path in catalogue_files())


def test_the_command_compiles_the_projects_catalogues(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("compile_translations", "--force")
    out = capsys.readouterr().out
    assert "jobs/locale/sw/LC_MESSAGES/django.po" in out and "notifications/locale/sw/LC_MESSAGES/django.po" in out
    for po in catalogue_files():
        assert po.with_suffix(".mo").exists()


# --- The Kiswahili catalogues are complete ---------------------------------------------------------------


def _sw_catalogues() -> list[Path]:
    return [po for po in catalogue_files() if po.parent.parent.name == "sw"]


def test_every_app_marked_complete_has_a_kiswahili_catalogue() -> None:
    apps_with_catalogue = {po.relative_to(settings.BASE_DIR).parts[0] for po in _sw_catalogues()}
    assert set(MARKED_APPS) <= apps_with_catalogue


@pytest.mark.parametrize("po", _sw_catalogues(), ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_every_kiswahili_entry_is_translated_with_the_same_placeholders(po: Path) -> None:
    with po.open("rb") as source:
        catalogue = read_po(source)
    assert not catalogue.fuzzy, f"{po}: the header is fuzzy"
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        sources = [str(text) for text in message.id] if isinstance(message.id, (list, tuple)) else [str(message.id)]
        strings = message.string
        targets = [str(text or "") for text in strings] if isinstance(strings, (list, tuple)) else [strings or ""]
        if message.fuzzy:
            problems.append(f"fuzzy: {sources[0]!r}")
        if not all(targets):
            problems.append(f"untranslated: {sources[0]!r}")
            continue
        # The plural form (and a singular) carries the English plural's placeholders; the form for one may
        # leave the number out ("one problem"), but never bring in a placeholder of its own.
        wanted = sorted(PLACEHOLDER.findall(sources[-1]))
        known = set(PLACEHOLDER.findall(" ".join(sources)))
        for index, target in enumerate(targets):
            found = sorted(PLACEHOLDER.findall(target))
            if found != wanted and not (index == 0 and len(targets) > 1 and set(found) <= known):
                problems.append(f"placeholders differ: {sources[0]!r} → {target!r}")
    assert not problems, f"{po}:\n" + "\n".join(problems)


# Reviewed: English the apps still translate differently, left to their catalogues' owners to align (or to
# tell apart with pgettext where the meanings differ). Shrink it; never grow it without a reason here.
KNOWN_DIFFERING = frozenset(
    {
        "After",  # core (history: the value after a change) / prosecutions
        "Before",  # core (history: the value before a change) / prosecutions
        "When",  # core "Wakati" / trustfund "Lini"
        "Reference",  # prosecutions "Kumbukumbu" / the others "Marejeleo" (the glossary's)
    }
)


def test_the_same_english_is_translated_the_same_way_in_every_catalogue() -> None:
    """Django merges the apps' catalogues, the first app's entry winning: two apps translating the same
    English differently would make one page's words depend on the order of INSTALLED_APPS."""
    seen: dict[tuple[str | None, str], dict[str, str]] = {}
    for po in _sw_catalogues():
        with po.open("rb") as source:
            catalogue = read_po(source)
        app = po.relative_to(settings.BASE_DIR).parts[0]
        for message in catalogue:
            if not message.id or not message.string or message.fuzzy:
                continue
            key = (message.context, str(message.id if isinstance(message.id, str) else message.id[0]))
            text = message.string if isinstance(message.string, str) else " | ".join(map(str, message.string))
            seen.setdefault(key, {})[app] = text
    differing = {
        key: by_app for key, by_app in seen.items() if len(set(by_app.values())) > 1 and key[1] not in KNOWN_DIFFERING
    }
    assert not differing, "\n".join(f"{key[1]!r}: {by_app}" for key, by_app in sorted(differing.items(), key=str))


# --- Template text outside the translation tags ----------------------------------------------------------


def test_the_apps_marked_complete_have_no_untranslated_template_or_python_text() -> None:
    found = untranslated_template_text(MARKED_APPS) + untranslated_python_text(MARKED_APPS)
    assert not found, "\n".join(str(item) for item in found)


def test_the_python_scan_finds_labels_choices_messages_and_errors_left_unmarked(tmp_path: Path) -> None:
    module = tmp_path / "views.py"
    module.write_text(
        """from django.contrib import messages
from django.db import models
from django.utils.translation import gettext as _


class Outcome(models.TextChoices):
    DONE = "done", "Done"
    FAILED = "failed", _("Failed")


class Statute(models.TextChoices):
    CTIP = "ctip", "Counter-Trafficking in Persons Act, 2010"


name = models.CharField(max_length=10, help_text="The name.", verbose_name=_("name"))


def view(request, count):
    messages.success(request, f"{count} cases moved.")
    messages.error(request, _("Refused."))
    if count > 3:
        raise CaseError("Too many cases.")
    if count > 4:
        raise ValueError("count must be small")
    return {"title": "Cases", "heading": _("Cases")}
""",
        encoding="utf-8",
    )
    found = [(item.line, item.attribute, item.text) for item in untranslated_in_module(module)]
    assert found == [
        (7, "choice", "'Done'"),
        (15, "help_text", "'The name.'"),
        (19, "message", "f'{count} cases moved.'"),
        (22, "error", "'Too many cases.'"),
    ]


def test_the_scan_finds_text_and_readable_attributes_and_ignores_what_is_marked_or_code(tmp_path: Path) -> None:
    template = tmp_path / "page.html"
    template.write_text(
        """{% load i18n %}<h1>{% translate "Cases" %}</h1>
<p>Open cases: {{ count }}</p>
<input placeholder="Search cases" aria-label="{% translate 'Search' %}" class="form-control" data-testid="q">
<p>{% blocktranslate with n=count %}Untouched {{ n }} text{% endblocktranslate %}</p>
{# A comment for developers #}{% comment %}Not shown{% endcomment %}
<!-- An HTML comment -->
<script src="x.js"></script><code>manage.py run_worker</code>
<td data-label="Date">{{ when }}</td>
<p>{{ a }} · {{ b }} — 42, KES</p>
<img alt="">
""",
        encoding="utf-8",
    )
    found = [(item.line, item.attribute, item.text) for item in untranslated_in_template(template)]
    assert found == [
        (2, "", "Open cases: {…}"),
        (3, "placeholder", "Search cases"),
        (8, "data-label", "Date"),
    ]


def test_the_command_lists_untranslated_text_by_file_and_line_and_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("untranslated_text", *MARKED_APPS)
    assert f"Nothing untranslated in {', '.join(MARKED_APPS)}." in capsys.readouterr().out
    page = Path(settings.BASE_DIR) / "jobs" / "templates" / "jobs" / "schedule.html"
    left = [Untranslated(page, 7, "Scheduled jobs"), Untranslated(page, 9, "Search", "aria-label")]
    monkeypatch.setattr("core.management.commands.untranslated_text.untranslated_template_text", lambda apps: left)
    with pytest.raises(SystemExit) as failed:
        call_command("untranslated_text", "jobs", "--templates")
    assert failed.value.code == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "jobs/templates/jobs/schedule.html:7: Scheduled jobs",
        "jobs/templates/jobs/schedule.html:9: [aria-label] Search",
    ]
    with pytest.raises(CommandError):
        call_command("untranslated_text", "no_such_app")


# --- Settings, middleware and formats -------------------------------------------------------------------


def test_english_is_the_default_and_kiswahili_is_offered() -> None:
    assert settings.LANGUAGE_CODE == "en-gb"
    assert [code for code, _name in settings.LANGUAGES] == ["en-gb", "sw"]
    assert dict(iter_languages()) == {"en-gb": "English", "sw": "Kiswahili"}


def test_the_locale_middleware_sits_between_sessions_and_common_and_the_users_choice_after_authentication() -> None:
    order = settings.MIDDLEWARE.index
    assert order("django.contrib.sessions.middleware.SessionMiddleware") < order(
        "django.middleware.locale.LocaleMiddleware"
    )
    assert order("django.middleware.locale.LocaleMiddleware") < order("django.middleware.common.CommonMiddleware")
    assert order("django.contrib.auth.middleware.AuthenticationMiddleware") < order(
        "core.middleware.UserLanguageMiddleware"
    )


def test_a_persons_language_is_their_choice_or_the_sites() -> None:
    class Person:
        language = ""

    person = Person()
    assert language_of(person) == "en-gb"
    person.language = "sw"
    assert language_of(person) == "sw"
    person.language = "fr"
    assert language_of(person) == "en-gb"
    assert supported_language("sw") == "sw" and supported_language("xx") == "en-gb"


@pytest.mark.parametrize(
    ("language", "amount", "date"),
    [("en-gb", "1,234,567.50", "5 March 2025"), ("sw", "1,234,567.50", "5 Machi 2025")],
)
def test_kes_amounts_keep_their_thousands_separators_and_dates_name_the_month_in_the_language(
    language: str, amount: str, date: str
) -> None:
    page = Template('{{ money|floatformat:"2g" }}|{{ day|date:"j F Y" }}|{{ day }}')
    with translation.override(language):
        rendered = page.render(Context({"money": Decimal("1234567.5"), "day": dt.date(2025, 3, 5)}))
    shown_amount, shown_date, default_date = rendered.split("|")
    assert shown_amount == amount
    assert shown_date == date
    if language == "sw":
        assert default_date == "5 Machi 2025"  # our DATE_FORMAT for Kiswahili: j F Y


def test_lazy_texts_are_written_in_the_language_active_when_read() -> None:
    with translation.override("sw"):
        heading = str(translation.gettext_lazy("Notifications"))
    assert heading == "Arifa"
    message = lazy_format(
        translation.gettext_lazy("Daily digest for %(date)s (%(count)s)"), date=lazy_date(dt.date(2026, 12, 2)), count=2
    )
    with translation.override("en-gb"):
        assert str(message) == "Daily digest for 02 Dec 2026 (2)"
    with translation.override("sw"):
        written = str(message)
    month = written.removeprefix("Muhtasari wa kila siku wa 02 ").removesuffix(" 2026 (2)")
    assert month != written and month.startswith("D") and month != "Dec"  # December in Kiswahili
