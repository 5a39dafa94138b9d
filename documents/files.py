"""What an uploaded file really is, decided by its content and never by its name: its size, its SHA-256 and
its type, read in one streaming pass (memory stays flat whatever the size); and a name safe to give back.

Accepted: PDF, JPEG, PNG, TIFF, Word (.docx), Excel (.xlsx), OpenDocument text and spreadsheets (.odt,
.ods), each recognised by its signature (the pure-Python ``filetype`` package), and plain text — valid UTF-8,
no NUL byte, and no markup that a browser would run (HTML, SVG, XML, script).
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import filetype
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.labels import Label
from documents.exceptions import DocumentRefused

CHUNK = 64 * 1024
HEAD = 8192  # what ``filetype`` reads of a file to recognise it
MAX_NAME = 150
TEXT = "text/plain"


@dataclass(frozen=True)
class FileType:
    media_type: str
    label: str
    extensions: tuple[str, ...]


ACCEPTED: dict[str, FileType] = {
    t.media_type: t
    for t in (
        FileType("application/pdf", "PDF", (".pdf",)),
        FileType("image/jpeg", "JPEG image", (".jpg", ".jpeg")),
        FileType("image/png", "PNG image", (".png",)),
        FileType("image/tiff", "TIFF image", (".tif", ".tiff")),
        FileType(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word document", (".docx",)
        ),
        FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel workbook", (".xlsx",)),
        FileType("application/vnd.oasis.opendocument.text", "OpenDocument text", (".odt",)),
        FileType("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet", (".ods",)),
        FileType(TEXT, "plain text", (".txt",)),
    )
}
ACCEPTED_WORDS: Label = gettext_lazy(
    "PDF, JPEG, PNG, TIFF, Word (.docx), Excel (.xlsx), OpenDocument (.odt, .ods) or plain text"
)
# Names a refused type goes by, for the message.
KNOWN_REFUSED: dict[str, Label] = {
    "application/x-msdownload": gettext_lazy("a Windows program"),
    "application/x-executable": gettext_lazy("a program"),
    "application/x-elf": gettext_lazy("a program"),
    "application/zip": gettext_lazy("a zip archive"),
    "application/x-rar-compressed": gettext_lazy("a RAR archive"),
    "application/x-7z-compressed": gettext_lazy("a 7-Zip archive"),
    "application/msword": gettext_lazy("an old Word document (.doc)"),
    "application/vnd.ms-excel": gettext_lazy("an old Excel workbook (.xls)"),
    "image/gif": gettext_lazy("a GIF image"),
    "image/webp": gettext_lazy("a WebP image"),
}
# Markup a browser would render or run, refused even in a "text" file.
MARKUP = re.compile(
    r"<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed|meta|link|style|\?xml)\b|javascript:",
    re.IGNORECASE,
)
MARKUP_OVERLAP = 32


@dataclass(frozen=True)
class Inspected:
    """An uploaded file as the tracker found it."""

    size: int
    sha256: str
    file_type: FileType

    @property
    def media_type(self) -> str:
        return self.file_type.media_type


def _megabytes(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MB" if count % (1024 * 1024) else f"{count // (1024 * 1024)} MB"


def _recognise(head: bytes) -> FileType | None:
    """The accepted type the file's signature shows; None when it has no signature (perhaps text)."""
    guess = filetype.guess(head)
    if guess is None:
        return None
    accepted = ACCEPTED.get(guess.mime)
    if accepted is None or accepted.media_type == TEXT:
        what = KNOWN_REFUSED.get(guess.mime) or _("a %(extension)s file (%(media_type)s)") % {
            "extension": guess.extension.upper(),
            "media_type": guess.mime,
        }
        raise DocumentRefused(
            _("The file is %(what)s, whatever its name says. Upload a %(accepted)s file.")
            % {"what": what, "accepted": ACCEPTED_WORDS}
        )
    return accepted


class _TextCheck:
    """Follows the bytes of a file without a signature: it must be UTF-8 text with no NUL and no markup."""

    def __init__(self) -> None:
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.tail = ""

    def feed(self, chunk: bytes, final: bool = False) -> None:
        if b"\x00" in chunk:
            raise DocumentRefused(
                _("The file is not a document the tracker keeps. Upload a %(accepted)s file.")
                % {"accepted": ACCEPTED_WORDS}
            )
        try:
            text = self.decoder.decode(chunk, final)
        except UnicodeDecodeError as error:
            raise DocumentRefused(
                _("The file is neither a recognised document nor UTF-8 text. Upload a %(accepted)s file.")
                % {"accepted": ACCEPTED_WORDS}
            ) from error
        window = self.tail + text
        if MARKUP.search(window):
            raise DocumentRefused(
                _(
                    "The file holds web markup (HTML, SVG, XML or script), which the tracker does not keep: "
                    "save it as PDF and upload that."
                )
            )
        self.tail = window[-MARKUP_OVERLAP:]


def inspect(chunks: Iterable[bytes], declared_size: int, max_bytes: int) -> Inspected:
    """Read the file once, chunk by chunk: refuse it (``DocumentRefused``) if it is empty, larger than
    ``max_bytes`` or not of an accepted type; otherwise its size, SHA-256 and type."""
    if declared_size == 0:
        raise DocumentRefused(_("The file is empty."))
    if declared_size > max_bytes:
        raise DocumentRefused(
            _("The file is %(size)s; the largest document accepted is %(limit)s.")
            % {"size": _megabytes(declared_size), "limit": _megabytes(max_bytes)}
        )
    digest = hashlib.sha256()
    size = 0
    head = b""
    found: FileType | None = None
    text: _TextCheck | None = None
    for chunk in chunks:
        size += len(chunk)
        if size > max_bytes:
            raise DocumentRefused(
                _("The file is larger than %(limit)s, the largest accepted.") % {"limit": _megabytes(max_bytes)}
            )
        digest.update(chunk)
        if found is None and text is None:
            head += chunk
            if len(head) < HEAD:
                continue
            found = _recognise(head[:HEAD])
            pending, head = head, b""
            if found is None:
                text = _TextCheck()
                text.feed(pending)
        elif text is not None:
            text.feed(chunk)
    if size == 0:
        raise DocumentRefused(_("The file is empty."))
    if found is None and text is None:  # smaller than the head: recognise it now
        found = _recognise(head)
        if found is None:
            text = _TextCheck()
            text.feed(head)
    if text is not None:
        text.feed(b"", final=True)
        found = ACCEPTED[TEXT]
    assert found is not None
    return Inspected(size=size, sha256=digest.hexdigest(), file_type=found)


_ALL_EXTENSIONS = frozenset(ext for file_type in ACCEPTED.values() for ext in file_type.extensions) | {
    ".exe",
    ".html",
    ".htm",
    ".svg",
    ".js",
    ".doc",
    ".xls",
    ".zip",
    ".bat",
    ".cmd",
    ".sh",
}


def safe_name(raw: str, file_type: FileType) -> str:
    """The name the file is given back under: no folders, no control or invisible characters, no leading
    dots, and the extension of what the file really is. A name longer than ``MAX_NAME`` is refused."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = " ".join(name.split()).strip(". ")
    if len(name) > MAX_NAME:
        raise DocumentRefused(
            _(
                "The file name is %(length)s characters long; the longest accepted is %(limit)s. "
                "Rename the file and upload it again."
            )
            % {"length": len(name), "limit": MAX_NAME}
        )
    stem, extension = os.path.splitext(name)
    if extension.lower() in file_type.extensions:
        return name
    if extension.lower() in _ALL_EXTENSIONS:
        name = stem.strip(". ")
    return f"{name or 'document'}{file_type.extensions[0]}"
