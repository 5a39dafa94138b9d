"""Are the stored files still the files that were attached? Every document's file is read again and hashed
(in chunks: memory stays flat whatever the size), and the storage is walked for files no document names.
``manage.py verify_documents`` reports the findings; run it beside ``verify_audit``."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from documents import storage
from documents.files import CHUNK
from documents.models import Document


@dataclass(frozen=True)
class Finding:
    document_id: int | None
    name: str
    problem: str


@dataclass
class DocumentsReport:
    checked: int = 0
    changed: list[Finding] = field(default_factory=list)
    missing: list[Finding] = field(default_factory=list)
    unrecorded: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.unrecorded)

    @property
    def findings(self) -> list[Finding]:
        return [*self.changed, *self.missing, *self.unrecorded]


def file_digest(name: str) -> tuple[str, int]:
    """The SHA-256 and size of a stored file, read chunk by chunk."""
    digest = hashlib.sha256()
    size = 0
    with storage.backend().open(name, "rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def verify_documents(progress: Callable[[int], None] | None = None) -> DocumentsReport:
    """Re-hash every document's file; list those changed or missing, and the stored files with no record."""
    report = DocumentsReport()
    recorded: set[str] = set()
    documents = Document.objects.order_by("pk").values_list("pk", "file", "sha256", "size")
    for pk, name, sha256, size in documents.iterator(chunk_size=500):
        recorded.add(name)
        report.checked += 1
        try:
            found, found_size = file_digest(name)
        except (FileNotFoundError, IsADirectoryError):
            report.missing.append(Finding(pk, name, "missing: the file is not in the storage"))
            continue
        if found != sha256:
            report.changed.append(
                Finding(pk, name, f"changed: SHA-256 is now {found} ({found_size} bytes), recorded {sha256} ({size})")
            )
        if progress is not None and report.checked % 500 == 0:
            progress(report.checked)
    for name in storage.stored_names():
        if name not in recorded:
            report.unrecorded.append(Finding(None, name, "no document records this file"))
    return report
