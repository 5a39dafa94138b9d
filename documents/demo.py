"""Demo documents for ``manage.py seed_demo``, attached through the service like any upload: a charge sheet
and an OB extract on the first cases, the order and its gazette notice on the first court orders, a
quotation on each disbursement request. The files are generated here — small valid PDFs and PNG
images — so no binary file sits in the repository. Idempotent: a record already holding the same file (by
its SHA-256) is left alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import struct
import zlib
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.models import User
from documents import services
from documents.access import can_attach
from documents.choices import DocumentType
from documents.models import Document
from documents.registry import RecordKind, kind_by_slug, kind_for_model

# --- Small valid files, made in code ---------------------------------------------------------------------


def _pdf_text(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace("(", "\\(")
        .replace(")", "\\)")
        .encode("latin-1", "replace")
        .decode("latin-1")
    )


def sample_pdf(*lines: str) -> bytes:
    """A one-page A4 PDF showing ``lines`` in Helvetica, with a correct cross-reference table."""
    text = " ".join(f"({_pdf_text(line)}) Tj 0 -18 Td" for line in lines)
    content = f"BT /F1 12 Tf 72 770 Td {text} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def sample_png(seed: str, width: int = 160, height: int = 100) -> bytes:
    """A small greyscale PNG whose stripes depend on ``seed`` (so each record's image is its own file)."""
    shade = hashlib.sha256(seed.encode()).digest()
    rows = b"".join(
        b"\x00" + bytes(shade[(x // 8 + y // 10) % len(shade)] for x in range(width)) for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows)) + _chunk(b"IEND", b"")


# --- Attaching them ---------------------------------------------------------------------------------------


def attach_demo_file(
    record: Any,
    user: User,
    document_type: str,
    title: str,
    content: bytes,
    name: str,
    document_date: dt.date | None = None,
) -> Document | None:
    """Attach ``content`` to ``record`` as ``user`` unless the record already holds that very file (or the user
    may not attach to it)."""
    kind = kind_for_model(type(record))
    if kind is None or not can_attach(user, kind, record):
        return None
    if Document.objects.filter(
        content_type=kind.content_type(), object_id=record.pk, sha256=hashlib.sha256(content).hexdigest()
    ).exists():
        return None
    upload = SimpleUploadedFile(name, content)
    return services.upload_document(
        record,
        user,
        document_type=document_type,
        title=title,
        document_date=document_date or timezone.localdate(),
        upload=upload,
    )


def attach_demo_pdf(record: Any, user: User, document_type: str, title: str, *lines: str) -> Document | None:
    """A generated one-page PDF, titled and worded for its record."""
    content = sample_pdf(title, *lines)
    name = "-".join("".join(ch if ch.isalnum() else " " for ch in title.lower()).split())[:60] + ".pdf"
    return attach_demo_file(record, user, document_type, title, content, name)


def _attacher(kind: RecordKind, record: Any, users: dict[str, User]) -> User | None:
    return next((user for user in users.values() if can_attach(user, kind, record)), None)


# (kind, how many records, what to attach to each: (type, title, "pdf" | "png"))
PLAN: tuple[tuple[str, int, tuple[tuple[str, str, str], ...]], ...] = (
    ("case", 3, ((DocumentType.CHARGE_SHEET, "Charge sheet", "pdf"), (DocumentType.OB_EXTRACT, "OB extract", "png"))),
    (
        "order",
        3,
        ((DocumentType.COURT_ORDER, "Court order", "pdf"), (DocumentType.GAZETTE_NOTICE, "Gazette notice", "pdf")),
    ),
    ("disbursement", 10, ((DocumentType.QUOTATION, "Quotation", "pdf"),)),
)


def _records(kind: RecordKind, count: int) -> list[Any]:
    return list(kind.records().order_by("pk")[:count])


def seed_documents(users: dict[str, User], out: Callable[[str], None]) -> int:
    """Attach the demo papers; returns how many were attached this time."""
    attached = 0
    for slug, count, papers in PLAN:
        kind = kind_by_slug(slug)
        if kind is None:
            continue
        for record in _records(kind, count):
            user = _attacher(kind, record, users)
            if user is None:
                continue
            label = kind.describe(record)
            for document_type, title, form in papers:
                full_title = f"{title} — {label}"
                if form == "png":
                    name = f"{title.lower().replace(' ', '-')}-{record.pk}.png"
                    content = sample_png(full_title)
                    found = attach_demo_file(record, user, document_type, full_title, content, name)
                else:
                    found = attach_demo_pdf(
                        record, user, document_type, full_title, f"{kind.noun.capitalize()}: {label}"
                    )
                attached += found is not None
    out(f"Documents: {attached} demo papers attached (charge sheets, OB extracts, court orders, quotations).")
    return attached
