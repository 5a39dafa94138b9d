"""Documents for tests: small real files of every accepted type (made in code), and uploads through the
service, so every document is as the app would make it."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.models import User
from documents import services
from documents.choices import DocumentType
from documents.demo import sample_pdf, sample_png
from documents.models import Document

__all__ = ["sample_pdf", "sample_png"]


def jpeg() -> bytes:
    """A tiny JPEG: the signature and an empty frame are all a content sniffer reads."""
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"


def tiff() -> bytes:
    return b"II*\x00\x08\x00\x00\x00" + b"\x00" * 64


def docx() -> bytes:
    """A minimal Word document: the parts Word writes first."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()


def xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["Exhibit", "Value"])  # type: ignore[union-attr]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def opendocument(mime: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mime)  # stored first and uncompressed, as the format wants
        archive.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>')
    return buffer.getvalue()


def odt() -> bytes:
    return opendocument("application/vnd.oasis.opendocument.text")


def ods() -> bytes:
    return opendocument("application/vnd.oasis.opendocument.spreadsheet")


def exe() -> bytes:
    """The start of a Windows program (an MZ header and its PE signature)."""
    body = bytearray(b"MZ" + b"\x90\x00" * 30)
    body[0x3C:0x40] = (0x80).to_bytes(4, "little")
    body += b"\x00" * (0x80 - len(body)) + b"PE\x00\x00" + b"\x00" * 200
    return bytes(body)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def attach(
    record: Any,
    user: User,
    document_type: str = DocumentType.OTHER,
    *,
    title: str = "A paper",
    content: bytes | None = None,
    name: str = "paper.pdf",
) -> Document:
    """Attach a document through the service (a fresh PDF unless ``content`` is given)."""
    return services.upload_document(
        record,
        user,
        document_type=document_type,
        title=title,
        document_date=timezone.localdate(),
        upload=upload(name, content if content is not None else sample_pdf(title, str(record.pk), str(record))),
    )


def stored_files(settings: Any) -> list[str]:
    """Every file in the test's documents folder."""
    root = settings.DOCUMENT_ROOT
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()) if root.exists() else []
