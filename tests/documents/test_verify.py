"""``manage.py verify_documents``: every stored file re-hashed against the SHA-256 recorded when it was
attached; a file changed, missing or not recorded is reported and the command exits 1."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from documents.verification import verify_documents
from tests.documents.factories import attach, sample_pdf

pytestmark = pytest.mark.django_db


def _run() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_documents", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _refused() -> str:
    err = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("verify_documents", stdout=io.StringIO(), stderr=err)
    assert failure.value.returncode == 1
    return f"{failure.value}\n{err.getvalue()}"


def test_intact_documents_pass(case, prosecutor) -> None:
    attach(case, prosecutor, content=sample_pdf("one"))
    attach(case, prosecutor, content=sample_pdf("two"))
    out, err = _run()
    assert "Documents intact: 2 files re-hashed" in out and not err


def test_an_empty_store_passes(db) -> None:
    assert "Documents intact: 0 files" in _run()[0]


def test_a_changed_file_is_caught(case, prosecutor, settings) -> None:
    document = attach(case, prosecutor, content=sample_pdf("Judgment: convicted"))
    (settings.DOCUMENT_ROOT / document.file.name).write_bytes(sample_pdf("Judgment: acquitted"))
    report = _refused()
    assert f"Document #{document.pk} {document.file.name}: changed" in report
    assert "1 changed, 0 missing, 0 with no record" in report


def test_a_missing_file_is_caught(case, prosecutor, settings) -> None:
    document = attach(case, prosecutor)
    (settings.DOCUMENT_ROOT / document.file.name).unlink()
    assert f"Document #{document.pk} {document.file.name}: missing" in _refused()


def test_a_file_with_no_record_is_caught(case, prosecutor, settings) -> None:
    attach(case, prosecutor)
    stray = settings.DOCUMENT_ROOT / "2026" / "01" / "planted"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"slipped in behind the tracker's back")
    report = _refused()
    assert "2026/01/planted: no document records this file" in report


def test_it_hashes_in_chunks_so_a_large_file_costs_no_more_memory(case, prosecutor, settings, monkeypatch) -> None:
    settings.DOCUMENT_MAX_BYTES = 8 * 1024 * 1024
    attach(case, prosecutor, content=sample_pdf("big") + b"%" * (3 * 1024 * 1024))
    from documents import storage

    reads: list[int] = []
    real_backend = storage.backend

    class Spy:
        def __init__(self, stream) -> None:
            self.stream = stream

        def read(self, size: int = -1) -> bytes:
            reads.append(size)
            return self.stream.read(size)

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            self.stream.close()

    class Watched:
        def open(self, name: str, mode: str = "rb") -> Spy:
            return Spy(real_backend().open(name, mode))

        def __getattr__(self, name: str):
            return getattr(real_backend(), name)

    monkeypatch.setattr(storage, "backend", Watched)
    assert verify_documents().ok
    assert reads and all(0 < size <= 64 * 1024 for size in reads)
    assert len(reads) > 3 * 1024 * 1024 // (64 * 1024)
