"""Signed checkpoints: the audit chain's anchor outside the database.

A checkpoint is one line of text naming the chain's length and its head digest at a moment, signed with
a key derived from ``AUDIT_HMAC_KEY`` (never the key that makes link digests, so no link digest can pass
for a signature):

    CTIP-AUDIT-CHECKPOINT link=7503 at=2026-12-03T09:15:02+03:00 digest=714a… sig=9c0e…

Every verification that finds the record intact writes one to three places a database administrator
cannot rewrite: appended to a file in ``AUDIT_CHECKPOINT_DIR`` (append mode, synced to disk), e-mailed to
every auditor, and shown on the auditors' home page (from a small table) for them to note. Each later
verification reads every line of that folder back and fails when the chain no longer contains one
(the link at its number is gone, or has another digest): so cutting off the tail, wiping the history or
rewinding the head — which leave a chain that is consistent on its own — are caught.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import AuditCheckpoint, AuditLink, User
from core.roles import Role

PREFIX = "CTIP-AUDIT-CHECKPOINT"
FILE_NAME = "audit-checkpoints.log"
GENESIS = "0" * 64
_SIGNING_CONTEXT = b"CTIP audit checkpoint signature key, version 1"
_LINE = re.compile(
    rf"^{PREFIX} link=(?P<seq>\d+) at=(?P<at>\S+) digest=(?P<digest>[0-9a-f]{{64}}) sig=(?P<sig>[0-9a-f]{{64}})$"
)
# What an auditor pastes: a whole line (signed or from before checkpoints were signed) or a bare digest.
_PASTED = re.compile(r"(?:link[= ](?P<seq>\d+)\D.*?)?(?P<digest>[0-9a-fA-F]{64})(?:\s+sig=(?P<sig>[0-9a-fA-F]{64}))?")


def _signing_key() -> bytes:
    return hmac.new(str(settings.AUDIT_HMAC_KEY).encode(), _SIGNING_CONTEXT, hashlib.sha256).digest()


def signature(seq: int, at: str, digest: str) -> str:
    message = f"{PREFIX}\nlink={seq}\nat={at}\ndigest={digest}".encode()
    return hmac.new(_signing_key(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Checkpoint:
    """The chain's length and head digest at ``at`` (the time the checkpoint was written), signed."""

    seq: int
    at: str
    digest: str
    sig: str

    @property
    def line(self) -> str:
        return f"{PREFIX} link={self.seq} at={self.at} digest={self.digest} sig={self.sig}"

    @property
    def signed(self) -> bool:
        """True when this tracker's key made the signature (so the line is as it was written)."""
        return hmac.compare_digest(self.sig, signature(self.seq, self.at, self.digest))

    @property
    def written_at(self) -> dt.datetime | None:
        try:
            return dt.datetime.fromisoformat(self.at)
        except ValueError:
            return None

    def __str__(self) -> str:
        return f"checkpoint link={self.seq} of {self.at}"


def make_checkpoint(seq: int, digest: str, now: dt.datetime | None = None) -> Checkpoint:
    at = timezone.localtime(now or timezone.now()).replace(microsecond=0).isoformat()
    return Checkpoint(seq, at, digest, signature(seq, at, digest))


def parse_line(text: str) -> Checkpoint | None:
    """A checkpoint line exactly as this tracker writes it, or None."""
    match = _LINE.match(text.strip())
    if not match:
        return None
    return Checkpoint(int(match["seq"]), match["at"], match["digest"], match["sig"])


@dataclass(frozen=True)
class Pasted:
    """What someone kept and pasted back: a digest, perhaps its link number, perhaps a signature."""

    digest: str
    seq: int | None = None
    checkpoint: Checkpoint | None = None  # when the whole signed line was pasted


def parse_pasted(text: str) -> Pasted | None:
    """Read a checkpoint line (signed or older) or a bare 64-character digest; None if neither."""
    exact = parse_line(text)
    if exact is not None:
        return Pasted(exact.digest, exact.seq, exact)
    match = _PASTED.search(text.strip())
    if not match:
        return None
    if match["sig"]:  # a line with a signature, but not in the form written: treat it as altered
        line = Checkpoint(int(match["seq"] or -1), "?", match["digest"].lower(), match["sig"].lower())
        return Pasted(line.digest, int(match["seq"]) if match["seq"] else None, line)
    return Pasted(match["digest"].lower(), int(match["seq"]) if match["seq"] else None)


# --------------------------------------------------------------------------------------------------
# The file outside the database


def checkpoint_dir() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


@dataclass(frozen=True)
class FileLine:
    """A line of a checkpoint file that claims to be a checkpoint (starts with the prefix)."""

    path: Path
    number: int
    text: str

    @property
    def checkpoint(self) -> Checkpoint | None:
        return parse_line(self.text)

    @property
    def where(self) -> str:
        return _("%(path)s, line %(number)s") % {"path": self.path, "number": self.number}


def read_file_lines(folder: Path | None = None) -> Iterator[FileLine]:
    """Every checkpoint line of every file in the folder (old files kept beside the current one count)."""
    folder = folder or checkpoint_dir()
    if not folder.is_dir():
        return
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        with path.open(encoding="utf-8", errors="replace") as lines:
            for number, text in enumerate(lines, start=1):
                if text.startswith(PREFIX):
                    yield FileLine(path, number, text.rstrip("\n"))


def append_to_file(checkpoint: Checkpoint, folder: Path | None = None) -> Path:
    """Append the line (one write, append mode) and force it to disk before returning."""
    folder = folder or checkpoint_dir()
    folder.mkdir(mode=0o750, parents=True, exist_ok=True)
    path = folder / FILE_NAME
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, (checkpoint.line + "\n").encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return path


# --------------------------------------------------------------------------------------------------
# Checking the chain against the checkpoints


def _link_digests(seqs: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(seqs))
    found = {0: GENESIS}
    for start in range(0, len(wanted), 500):
        chunk = [seq for seq in wanted[start : start + 500] if seq > 0]
        found.update(AuditLink.objects.filter(seq__in=chunk).values_list("seq", "digest"))
    return found


def checkpoint_problem(lines: Iterable[FileLine], links: int) -> str:
    """The first checkpoint line that is forged or no longer part of a chain of ``links`` links; "" if none.

    Call it once the chain itself has verified: its links are then the ones the digests were made from.
    """
    seen: dict[tuple[int, str], FileLine] = {}
    for line in lines:
        checkpoint = line.checkpoint
        if checkpoint is None or not checkpoint.signed:
            return _(
                "the checkpoint at %(where)s is not one this tracker wrote: its signature does not verify (the line "
                "was forged or altered, or comes from another installation): %(line)s"
            ) % {"where": line.where, "line": line.text[:200]}
        seen.setdefault((checkpoint.seq, checkpoint.digest), line)
    shrunk = [(seq, line) for (seq, _), line in seen.items() if seq > links]
    if shrunk:
        seq, line = max(shrunk, key=lambda pair: pair[0])
        return (
            _(
                "%(checkpoint)s (%(where)s) is no longer part of the chain: the chain now ends at link %(links)s, so "
                "links %(first)s–%(last)s were cut off (history truncated, wiped, or its head rewound)"
            )
            % {"checkpoint": line.checkpoint, "where": line.where, "links": links, "first": links + 1, "last": seq}
            + _development_hint()
        )
    digests = _link_digests(seq for seq, _ in seen)
    for (seq, digest), line in sorted(seen.items()):
        if digests.get(seq) != digest:
            return (
                _(
                    "%(checkpoint)s (%(where)s) is no longer part of the chain: link %(seq)s now has another digest, "
                    "so the history up to it was rewritten"
                )
                % {"checkpoint": line.checkpoint, "where": line.where, "seq": seq}
                + _development_hint()
            )
    return ""


def _development_hint() -> str:
    # For developers only (DEBUG), and so in English like the command line.
    if not settings.DEBUG:
        return ""
    return (
        f". (Development: if you recreated this database on purpose, move the old checkpoint files out of "
        f"{checkpoint_dir()}.)"
    )


# --------------------------------------------------------------------------------------------------
# Writing a checkpoint: the file, the auditors' e-mail, the home page


@dataclass
class Written:
    """A checkpoint just written, where it went, and what could not be done."""

    checkpoint: Checkpoint
    path: Path | None
    emailed: int
    problems: list[str]


def auditors_to_tell() -> list[User]:
    """Active auditors (holding the role in force) with an e-mail address."""
    return list(User.objects.holding([Role.AUDITOR]).exclude(email="").order_by("username"))


def _message(checkpoint: Checkpoint) -> tuple[str, str]:
    subject = _("CTIP audit checkpoint: link %(seq)s") % {"seq": checkpoint.seq}
    body = _(
        "The tracker's audit record was verified intact at %(at)s: %(seq)s links.\n\n"
        "Keep this line outside the tracker (this e-mail will do). Paste it later into the audit log's "
        "Verify page, or give it to `manage.py verify_audit --against`, to prove that the history up to "
        "it has not been rewritten, cut short or wiped since:\n\n"
        "%(line)s\n"
    ) % {"at": checkpoint.at, "seq": checkpoint.seq, "line": checkpoint.line}
    return subject, body


def write_checkpoint(seq: int, digest: str, written_by: User | None = None) -> Written:
    """Anchor the chain's current head outside the database (file, e-mail) and show it on the home page.

    The file comes first: it is the anchor the next verification reads. A failure of one place is
    reported and does not stop the others.
    """
    checkpoint = make_checkpoint(seq, digest)
    problems: list[str] = []
    path: Path | None = None
    try:
        path = append_to_file(checkpoint)
    except OSError as error:
        problems.append(
            _("could not append the checkpoint to %(folder)s: %(error)s") % {"folder": checkpoint_dir(), "error": error}
        )
    emailed = 0
    recipients = auditors_to_tell()
    if recipients:
        subject, body = _message(checkpoint)
        messages = [(subject, body, None, [user.email]) for user in recipients]
        try:
            emailed = send_mass_mail(messages, fail_silently=False)
        except Exception as error:  # noqa: BLE001 - any mail failure is reported, never fatal
            problems.append(_("could not e-mail the checkpoint to the auditors: %(error)s") % {"error": error})
    AuditCheckpoint.objects.create(
        seq=seq,
        digest=digest,
        written_at=checkpoint.written_at or timezone.now(),
        line=checkpoint.line,
        written_by=written_by if written_by is not None and written_by.pk else None,
    )
    return Written(checkpoint, path, emailed, problems)


@dataclass(frozen=True)
class LastCheckpoint:
    """The latest checkpoint, as the auditors' home page shows it."""

    checkpoint: Checkpoint | None  # None when the stored line no longer reads as a checkpoint
    stored: AuditCheckpoint

    @property
    def genuine(self) -> bool:
        return self.checkpoint is not None and self.checkpoint.signed and self.checkpoint.seq == self.stored.seq


def last_checkpoint() -> LastCheckpoint | None:
    stored = AuditCheckpoint.objects.select_related("written_by").order_by("-id").first()
    if stored is None:
        return None
    return LastCheckpoint(parse_line(stored.line), stored)
