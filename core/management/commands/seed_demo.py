"""``manage.py seed_demo``: demo logins and each app's demo data, through the services. Idempotent."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.demo import DEMO_PASSWORD, DEMO_USERS
from core.registry import demo_seeds
from core.services import ensure_demo_users


class Command(BaseCommand):
    help = "Create the demo users (one per role, plus a multi-role user) and each app's demo data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even with DJANGO_DEBUG=0 (never on a live system)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates users with a known password and refuses to run with DJANGO_DEBUG=0. "
                "Use --force only on a throw-away database."
            )
        users = ensure_demo_users()
        for seed in demo_seeds():
            seed.run(users, self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Demo logins (password for all: {DEMO_PASSWORD}):"))
        for demo in DEMO_USERS:
            self.stdout.write(f"  {demo.username:<15} {', '.join(demo.roles)}")
