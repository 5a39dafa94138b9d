"""What a file is, decided by its content: every accepted type recognised, every refused one named, and
names made safe — without a database."""

from __future__ import annotations

import pytest

from documents import files
from documents.exceptions import DocumentRefused
from tests.documents.factories import docx, exe, jpeg, ods, odt, sample_pdf, sample_png, tiff, xlsx

MB = 1024 * 1024


def _inspect(content: bytes, limit: int = 5 * MB, chunk: int = 1000) -> files.Inspected:
    chunks = [content[i : i + chunk] for i in range(0, len(content), chunk)]
    return files.inspect(chunks, len(content), limit)


@pytest.mark.parametrize(
    ("make", "media_type"),
    [
        (lambda: sample_pdf("Charge sheet"), "application/pdf"),
        (lambda: sample_png("seed"), "image/png"),
        (jpeg, "image/jpeg"),
        (tiff, "image/tiff"),
        (docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (odt, "application/vnd.oasis.opendocument.text"),
        (ods, "application/vnd.oasis.opendocument.spreadsheet"),
        (lambda: "Statement of PW2, recorded at Changamwe.\nŞahidi: «sawa».\n".encode(), "text/plain"),
    ],
)
def test_it_recognises_each_accepted_type_by_its_content(make, media_type) -> None:
    content = make()
    found = _inspect(content)
    assert found.media_type == media_type
    assert found.size == len(content)
    import hashlib

    assert found.sha256 == hashlib.sha256(content).hexdigest()


def test_the_hash_and_type_do_not_depend_on_how_the_file_arrives_in_chunks() -> None:
    content = ("line of a long statement\n" * 5000).encode()
    assert _inspect(content, chunk=7) == _inspect(content, chunk=65536)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (exe(), "a Windows program"),
        (b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "web markup"),
        (b"  <html><body>Pay here</body></html>", "web markup"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "web markup"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>', "web markup"),
        (b"A statement\x00with a NUL byte", "not a document the tracker keeps"),
        ("Windows-1252: café noir".encode("cp1252"), "neither a recognised document nor UTF-8 text"),
        (b"GIF89a" + b"\x00" * 40, "a GIF image"),
        (b"PK\x03\x04" + b"\x00" * 60, "a zip archive"),
    ],
)
def test_it_refuses_what_it_does_not_keep_whatever_the_name(content, words) -> None:
    with pytest.raises(DocumentRefused) as refused:
        _inspect(content)
    assert words in refused.value.message
    assert refused.value.field == "file"


def test_markup_split_across_chunks_is_still_found() -> None:
    content = b"Notes " * 2000 + b"<scr" + b"ipt>alert(1)</script>"
    boundary = content.index(b"<scr") + 4
    with pytest.raises(DocumentRefused, match="web markup"):
        files.inspect([content[:boundary], content[boundary:]], len(content), 5 * MB)


def test_it_refuses_an_empty_file_and_one_over_the_limit() -> None:
    with pytest.raises(DocumentRefused, match="The file is empty"):
        files.inspect([], 0, MB)
    big = sample_pdf("x") + b"%" * (2 * MB)
    with pytest.raises(DocumentRefused, match="the largest document accepted is 1 MB"):
        files.inspect([big], len(big), MB)


def test_a_file_larger_than_it_said_is_stopped_while_it_is_read() -> None:
    content = b"a" * (MB + 10)
    with pytest.raises(DocumentRefused, match="larger than 1 MB"):
        files.inspect([content[:1000], content[1000:]], 1000, MB)


PDF = files.ACCEPTED["application/pdf"]
PNG = files.ACCEPTED["image/png"]
TEXT = files.ACCEPTED["text/plain"]


@pytest.mark.parametrize(
    ("raw", "file_type", "expected"),
    [
        ("Charge sheet.pdf", PDF, "Charge sheet.pdf"),
        ("../../etc/passwd", TEXT, "passwd.txt"),
        ("..\\..\\Windows\\win.ini", TEXT, "win.ini.txt"),
        ("/var/www/scan.PDF", PDF, "scan.PDF"),
        ("scan\x00.pdf\r\n", PDF, "scan.pdf"),
        ("report\u202egnp.pdf", PDF, "reportgnp.pdf"),  # a right-to-left override hides the real extension
        (".htaccess", TEXT, "htaccess.txt"),
        ("photo.pdf", PNG, "photo.png"),
        ("invoice.exe", PDF, "invoice.pdf"),
        ("", PDF, "document.pdf"),
        ("...", PDF, "document.pdf"),
        ("Minutes  of   the Board.docx", PDF, "Minutes of the Board.pdf"),
    ],
)
def test_names_keep_no_folders_control_characters_or_false_extensions(raw, file_type, expected) -> None:
    assert files.safe_name(raw, file_type) == expected


def test_a_name_too_long_is_refused_with_a_message() -> None:
    with pytest.raises(DocumentRefused, match="300 characters long; the longest accepted is 150"):
        files.safe_name("a" * 296 + ".pdf", PDF)
    assert files.safe_name("a" * 146 + ".pdf", PDF) == "a" * 146 + ".pdf"
