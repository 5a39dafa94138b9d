"""The imports app in Kiswahili: for a user who chose Kiswahili the import page, an upload's refusal and the
template's instructions read in Kiswahili, while the template's column headings — matched against the files
people upload — stay as they are. English stays the default (the rest of the suite reads English)."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.models import User
from core.translations import compile_catalogues
from imports.kinds.cases import CaseRegister
from imports.models import ImportBatch
from imports.template_workbook import REQUIRED_MARK

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _catalogues() -> None:
    compile_catalogues()


@pytest.fixture
def swahili_prosecutor(client: Client, prosecutor: User) -> User:
    prosecutor.language = "sw"  # the user's own choice, whatever the browser asks for
    prosecutor.save(update_fields=["language"])
    client.force_login(prosecutor)
    return prosecutor


def _get(client: Client, url: str) -> Any:
    with translation.override("en-gb"):  # the request alone chooses the language; the test's own is put back
        return client.get(url)


def test_the_import_page_reads_in_kiswahili(client: Client, swahili_prosecutor: User) -> None:
    response = _get(client, reverse("imports:index"))
    assert response.status_code == 200
    html = response.content.decode()
    for words in ("Ingiza rejista", "Pakia rejista", "Pakia na uhakiki", "Aina ya rejista", "Rejista ya kesi"):
        assert words in html
    assert "pakua kiolezo (.xlsx)" in html and "Bado hakuna uingizaji." in html
    for english in ("Import registers", "Upload and preview", "Kind of register", "Case register", "No imports yet."):
        assert english not in html


def test_an_upload_refused_says_why_in_kiswahili_and_saves_nothing(client: Client, swahili_prosecutor: User) -> None:
    with translation.override("en-gb"):
        response = client.post(
            reverse("imports:upload"), {"kind": "cases", "file": SimpleUploadedFile("cases.pdf", b"%PDF-1.4")}
        )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Pakia rejista kama kitabu cha kazi cha Excel (.xlsx) au faili ya CSV (.csv)." in html
    assert "Upload the register as an Excel workbook" not in html
    assert not ImportBatch.objects.exists()


def test_the_template_explains_in_kiswahili_but_keeps_its_column_headings(
    client: Client, swahili_prosecutor: User
) -> None:
    response = _get(client, reverse("imports:template", kwargs={"kind": "cases"}))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    headings = [cell.value for cell in next(book["Register"].iter_rows(max_row=1))]
    assert headings == [column.header + (REQUIRED_MARK if column.required else "") for column in CaseRegister.columns]
    # English, as the files people upload are matched against them
    assert "OB number" in {str(heading).removesuffix(REQUIRED_MARK) for heading in headings}
    instructions = [str(cell.value) for row in book["Instructions"].iter_rows() for cell in row if cell.value]
    assert {"Safu wima", "Inahitajika", "Cha kuandika", "Thamani zinazokubalika"} <= set(instructions)
    assert "Nambari ya Occurrence Book (OB) ya polisi" in " ".join(instructions)
    assert "What to write" not in instructions


def test_the_worker_keeps_the_preview_in_the_uploaders_language(swahili_prosecutor: User) -> None:
    """The preview runs in the background, where no request chose a language: its stored messages follow
    the person who uploaded (and will read and fix) the file."""
    from imports import runner
    from imports.choices import BatchState
    from imports.tasks import preview_batch

    content = b"Magistrate\nx\n"
    batch = runner.upload("cases", "cases.csv", [content], len(content), swahili_prosecutor)
    with translation.override("en-gb"):
        preview_batch.call(batch.pk)
    batch.refresh_from_db()
    assert batch.state == BatchState.FAILED
    assert batch.error_text.startswith("Safu ya vichwa hailingani na")
    assert "The header row does not match" not in batch.error_text
