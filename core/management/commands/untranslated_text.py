"""``manage.py untranslated_text [app ...]``: template text and readable attributes (title, aria-label,
placeholder, alt, data-label) left outside ``{% translate %}`` / ``{% blocktranslate %}``, and Python text a
person reads (labels, help texts, titles, choices' labels, messages, errors raised) not passed through
``gettext``, by file:line. ``--templates`` or ``--python`` limits it to one kind.

With no app named, every app of the project is scanned. Exits with status 1 when it finds anything, so
a check can run it; ``core.translations.MARKED_APPS`` are held to it by the test suite."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.translations import untranslated_python_text, untranslated_template_text


def project_apps() -> list[str]:
    """The labels of the apps that live in this repository (not Django's, not third parties')."""
    base = Path(settings.BASE_DIR).resolve()
    labels = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and ".venv" not in path.parts:
            labels.append(config.label)
    return labels


class Command(BaseCommand):
    help = "List template text not marked for translation, by file:line (all of the project's apps by default)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("apps", nargs="*", help="App labels to scan (default: every app of the project).")
        only = parser.add_mutually_exclusive_group()
        only.add_argument("--templates", action="store_true", help="Scan the templates only.")
        only.add_argument("--python", action="store_true", help="Scan the Python modules only.")

    def handle(self, *args: Any, **options: Any) -> None:
        labels = options["apps"] or project_apps()
        unknown = [label for label in labels if label not in {config.label for config in apps.get_app_configs()}]
        if unknown:
            raise CommandError(f"No such app: {', '.join(unknown)}")
        found = []
        if not options["python"]:
            found += untranslated_template_text(labels)
        if not options["templates"]:
            found += untranslated_python_text(labels)
        base = Path(settings.BASE_DIR)
        for item in found:
            where = item.path.relative_to(base) if item.path.is_relative_to(base) else item.path
            attribute = f" [{item.attribute}]" if item.attribute else ""
            self.stdout.write(f"{where}:{item.line}:{attribute} {item.text}")
        if found:
            self.stderr.write(f"{len(found)} untranslated piece(s) of text in {', '.join(labels)}.")
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(f"Nothing untranslated in {', '.join(labels)}."))
