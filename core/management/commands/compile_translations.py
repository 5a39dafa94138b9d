"""``manage.py compile_translations``: compile every app's catalogue (``*/locale/*/LC_MESSAGES/django.po``)
into ``.mo`` with Babel — pure Python, so setting up needs no gettext package. ``make setup`` runs it."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from core.translations import catalogue_files, compile_catalogues


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po → .mo) with Babel; only those changed unless --force."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--force", action="store_true", help="Compile every catalogue, changed or not.")

    def handle(self, *args: Any, **options: Any) -> None:
        compiled = compile_catalogues(force=options["force"])
        for path in compiled:
            self.stdout.write(f"compiled {path.relative_to(settings.BASE_DIR)}")
        total = len(catalogue_files())
        self.stdout.write(self.style.SUCCESS(f"{len(compiled)} of {total} catalogues compiled, the rest up to date."))
