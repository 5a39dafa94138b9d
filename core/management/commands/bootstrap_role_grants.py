"""Role grants at the console, for the two moments no access administrator can act.

manage.py bootstrap_role_grants --first-access-administrator USERNAME --reason TEXT
    Name the first access administrator (refused once anyone holds the role).
manage.py bootstrap_role_grants --carry-over --reason TEXT [--dry-run]
    Give a grant to each role-group membership made before grants were recorded: roles that are not
    sensitive are granted; sensitive ones become requests an access administrator must approve.

Both are recorded as grants with their chained history ("asked for at the console").
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.exceptions import DomainError
from core.grants import services
from core.models import User


class Command(BaseCommand):
    help = "Name the first access administrator, or carry over role memberships older than grants."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--first-access-administrator", metavar="USERNAME")
        parser.add_argument("--carry-over", action="store_true")
        parser.add_argument("--reason", required=True, help="Why (kept on each grant and in its history).")
        parser.add_argument("--dry-run", action="store_true", help="With --carry-over: say what would be done.")

    def handle(self, *args: Any, **options: Any) -> None:
        username, carry_over = options["first_access_administrator"], options["carry_over"]
        if bool(username) == bool(carry_over):
            raise CommandError("Give either --first-access-administrator USERNAME or --carry-over.")
        try:
            if username:
                self._first_admin(username, options["reason"])
            else:
                self._carry_over(options["reason"], options["dry_run"])
        except DomainError as error:
            raise CommandError(error.message) from error

    def _first_admin(self, username: str, reason: str) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no account {username!r}.")
        services.grant_first_access_administrator(user, reason=reason)
        self.stdout.write(f"{username} is now an access administrator.")

    def _carry_over(self, reason: str, dry_run: bool) -> None:
        done = services.carry_over_memberships(reason=reason, dry_run=dry_run)
        verb = "would be" if dry_run else "was"
        for username, role in done.granted:
            self.stdout.write(f"{username}: {role} {verb} granted (carried over).")
        for username, role in done.awaiting_approval:
            self.stdout.write(
                f"{username}: {role} {verb} asked for; it counts once an access administrator approves it."
            )
        if done.history_started:
            self.stdout.write(f"{len(done.history_started)} account(s) {verb} given their first history row.")
        if not (done.granted or done.awaiting_approval or done.history_started):
            self.stdout.write("Every account has its history and every role membership its grant.")
