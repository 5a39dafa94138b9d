"""One verification of the audit record, as ``manage.py verify_audit`` and the auditors' Verify page run it.

1. the chain: the queue linked first (``linking.link_pending``), then every link recomputed in order and every
   row without a link nor a sealed queue entry named (``chain_verify.verify_chain``);
2. the checkpoints kept outside the database: every line of the checkpoint folder is genuine and still
   part of the chain (``checkpoints.checkpoint_problem``);
3. the registered integrity checks: the live tables against their history, and whatever other parts of
   the system registered (``integrity``);
4. when all of that holds, a new checkpoint is written (file, auditors' e-mail, home page).

On PostgreSQL steps 1–3 read one snapshot (a read-only repeatable-read transaction), so writes made while
the verification runs cannot look like tampering. SQLite has no such snapshot without blocking every
writer for the duration; there, verify when the tracker is quiet (the nightly run).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.audit.chain_verify import Verification, verify_chain
from core.audit.checkpoints import (
    GENESIS,
    Pasted,
    Written,
    checkpoint_dir,
    checkpoint_problem,
    parse_pasted,
    read_file_lines,
    write_checkpoint,
)
from core.audit.integrity import integrity_checks
from core.audit.linking import link_pending
from core.models import AuditLink, User

# The names of the checks (keys, and English marked for translation): each is shown in the reader's language.
CHAIN = gettext_noop("chain")
CHECKPOINTS = gettext_noop("checkpoints")


@dataclass(frozen=True)
class Problem:
    """Something that fails verification: which check found it, and a sentence naming what broke (written in
    the language active when the verification ran: the auditor's on the Verify page)."""

    check: str
    message: str

    @property
    def check_title(self) -> str:
        """The check's name in the reader's language."""
        return _(self.check)


@dataclass
class AuditReport:
    chain: Verification
    problems: list[Problem]
    checkpoints_read: int
    checks_run: list[str]
    written: Written | None = None
    read_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def checks_run_titles(self) -> list[str]:
        """The names of the integrity checks that ran, in the reader's language."""
        return [_(name) for name in self.checks_run]


@contextmanager
def _snapshot() -> Iterator[None]:
    """A read-only repeatable-read transaction on PostgreSQL (unless one is already open); nothing else."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def verify_record(
    *, write: bool = True, written_by: User | None = None, progress: Callable[[int], None] | None = None
) -> AuditReport:
    """Verify everything; write a checkpoint if it all holds and ``write`` is set."""
    try:
        lines = list(read_file_lines())
    except OSError as error:
        lines = []
        unreadable = [
            _("could not read the checkpoints in %(folder)s: %(error)s") % {"folder": checkpoint_dir(), "error": error}
        ]
    else:
        unreadable = []
    problems = [Problem(CHECKPOINTS, message) for message in unreadable]
    checks_run = []
    link_pending()  # what writers queued and no linker took yet (a crash, a linker that failed)
    with _snapshot():
        chain = verify_chain(progress)
        if not chain.ok:
            problems.append(Problem(CHAIN, chain.problem))
        else:
            found = checkpoint_problem(lines, chain.links)
            if found:
                problems.append(Problem(CHECKPOINTS, found))
        for name, check in integrity_checks():
            checks_run.append(name)
            found = check() or ""
            if found:
                problems.append(Problem(name, found))
    report = AuditReport(chain, problems, len(lines), checks_run, read_errors=unreadable)
    if report.ok and write:
        report.written = write_checkpoint(chain.head_seq, chain.head_digest, written_by)
    return report


@dataclass(frozen=True)
class Confirmation:
    """Whether a checkpoint someone kept is still part of the chain, in a sentence."""

    confirmed: bool
    message: str


def confirm_checkpoint(text: str, links: int) -> Confirmation:
    """Is the checkpoint (a whole line or just its digest) part of today's chain of ``links`` links?

    Call it after a verification that found the chain intact.
    """
    pasted: Pasted | None = parse_pasted(text)
    if pasted is None:
        return Confirmation(False, _("That is not a checkpoint: expected a 64-character hexadecimal digest."))
    if pasted.checkpoint is not None and not pasted.checkpoint.signed:
        return Confirmation(
            False,
            _(
                "THE CHECKPOINT'S SIGNATURE DOES NOT VERIFY: the line was altered (or comes from another "
                "installation). Compare it with the copy in the auditors' e-mail or the checkpoint file."
            ),
        )
    if pasted.digest == GENESIS and pasted.seq in (0, None):
        return Confirmation(
            True, _("Checkpoint confirmed: the start of the chain (link 0 of %(links)s).") % {"links": links}
        )
    link = AuditLink.objects.filter(digest=pasted.digest).order_by("seq").first()
    if link is None or (pasted.seq is not None and link.seq != pasted.seq):
        if pasted.seq is not None:
            missing = _("CHECKPOINT NOT FOUND: no link of today's chain has that digest at link %(seq)s.") % {
                "seq": pasted.seq
            }
        else:
            missing = _("CHECKPOINT NOT FOUND: no link of today's chain has that digest.")
        return Confirmation(
            False,
            missing
            + " "
            + _(
                "The history up to that checkpoint was rewritten, cut short or wiped, or the checkpoint is from "
                "another system."
            ),
        )
    return Confirmation(
        True,
        _("Checkpoint confirmed: link %(seq)s of %(links)s (%(at)s) is part of today's chain.")
        % {"seq": link.seq, "links": links, "at": f"{timezone.localtime(link.at):%Y-%m-%d %H:%M}"},
    )
