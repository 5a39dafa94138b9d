"""Recompute the audit chain and say whether the history was tampered with.

manage.py verify_audit                 # every link; exit 1 naming the first broken one
manage.py verify_audit --checkpoint    # also print the head as a line to keep outside the system
manage.py verify_audit --against LINE  # confirm an earlier checkpoint is still part of the chain
"""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from core.audit.chain import find_checkpoint, verify_chain

CHECKPOINT_PREFIX = "CTIP-AUDIT-CHECKPOINT"
CHECKPOINT_PATTERN = re.compile(r"(?:link[= ](?P<seq>\d+)\D.*?)?(?P<digest>[0-9a-fA-F]{64})")


class Command(BaseCommand):
    help = "Verify the tamper-evident audit chain (exit code 1 and the first broken link when it is broken)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoint",
            action="store_true",
            help="Print the head digest as a checkpoint line to keep outside the system (annual report, "
            "Auditor-General).",
        )
        parser.add_argument(
            "--against",
            metavar="CHECKPOINT",
            help="A checkpoint line (or just its 64-character digest) printed earlier: confirm it is still "
            "part of today's chain.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain()
        if not result.ok:
            self.stderr.write(f"AUDIT CHAIN BROKEN after {result.links} good link(s): {result.problem}")
            raise CommandError("The audit history fails verification.", returncode=1)
        self.stdout.write(f"Audit chain intact: {result.links} links, head digest {result.head_digest}")

        if options["checkpoint"]:
            at = timezone.localtime(result.head_at).strftime("%Y-%m-%d %H:%M %Z") if result.head_at else "-"
            self.stdout.write(
                f"{CHECKPOINT_PREFIX} link={result.head_seq} at={at.replace(' ', 'T', 1)} digest={result.head_digest}"
            )
            self.stdout.write("Keep this line outside the tracker; `verify_audit --against` checks it later.")

        if options["against"]:
            self._check_against(options["against"], result.links)

    def _check_against(self, text: str, links: int) -> None:
        match = CHECKPOINT_PATTERN.search(text.strip())
        if not match:
            raise CommandError("That is not a checkpoint: expected a 64-character hexadecimal digest.", returncode=2)
        link = find_checkpoint(match["digest"])
        wanted_seq = int(match["seq"]) if match["seq"] else None
        if link is None or (wanted_seq is not None and link.seq != wanted_seq):
            self.stderr.write(
                "CHECKPOINT NOT FOUND: no link of today's chain has that digest"
                + (f" at link {wanted_seq}" if wanted_seq is not None else "")
                + ". The history up to that checkpoint was rewritten, or the checkpoint is from another system."
            )
            raise CommandError("The checkpoint is not part of today's chain.", returncode=1)
        self.stdout.write(
            f"Checkpoint confirmed: link {link.seq} of {links} ({timezone.localtime(link.at):%Y-%m-%d %H:%M}) "
            "is part of today's chain."
        )
