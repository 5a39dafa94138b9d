"""The auditors' Verify page names what broke in the auditor's language: the chain's problems, the live-table
check's, the names of the checks. The command line stays in the server's language (English)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from core.models import User
from core.translations import compile_catalogues
from prosecutions.models import Case
from tests.core.audit_tampering import run_sql, table
from tests.prosecutions.factories import make_case

pytestmark = pytest.mark.django_db

VERIFY_URL = "/audit/verify/"


@pytest.fixture(scope="module", autouse=True)
def _catalogues() -> None:
    compile_catalogues()


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    """A page read as a Kiswahili reader leaves Kiswahili active in this thread: restore the language after."""
    with translation.override(translation.get_language()):
        yield


@pytest.fixture(autouse=True)
def _checkpoints_in_a_temporary_folder(settings: Any, tmp_path: Path) -> None:
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")


def verify_from_the_page(auditor: User, language: str) -> str:
    client = Client()
    client.force_login(auditor)
    response = client.post(VERIFY_URL, {"checkpoint": ""}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_a_rewritten_history_row_is_named_in_kiswahili_for_a_kiswahili_reader(prosecutor: User, auditor: User) -> None:
    case = make_case(prosecutor)
    history = Case.history.model
    run_sql(f"UPDATE {table(history)} SET title = %s WHERE id = %s", ["Republic v. Nobody", case.pk])

    body = verify_from_the_page(auditor, "sw")
    assert 'data-ok="0"' in body
    assert "<strong>Mnyororo:</strong>" in body
    assert "safu au kiungo kilibadilishwa, au mpangilio wa viungo ulibadilishwa" in body
    assert "ya prosecutions.historicalcase" in body  # the table is named as stored, never translated
    for english in ("the row or the link was altered", "<strong>Chain:</strong>", " row "):
        assert english not in body, english

    in_english = verify_from_the_page(auditor, "en")
    assert "<strong>Chain:</strong>" in in_english and "the row or the link was altered" in in_english


def test_a_live_row_changed_by_hand_is_named_in_kiswahili_with_the_checks_name(prosecutor: User, auditor: User) -> None:
    case = make_case(prosecutor)
    run_sql(f"UPDATE {table(Case)} SET title = %s WHERE id = %s", ["Republic v. Nobody", case.pk])

    body = verify_from_the_page(auditor, "sw")
    assert "<strong>Majedwali hai yanalingana na historia yao:</strong>" in body
    assert f"safu {case.pk} ya prosecutions_case (prosecutions.case) inatofautiana na historia yake" in body
    assert "title ni &#x27;Republic v. Nobody&#x27; kwenye jedwali lakini" in body  # the value, as stored
    assert "ilibadilishwa nje ya mfumo" in body
    for english in ("live tables match their history", "differs from its latest history", "outside the tracker"):
        assert english not in body, english


def test_an_intact_record_lists_the_checks_run_in_the_readers_language(prosecutor: User, auditor: User) -> None:
    make_case(prosecutor)
    body = verify_from_the_page(auditor, "sw")
    assert 'data-ok="1"' in body
    assert "majedwali hai yanalingana na historia yao" in body
    assert "uanachama wa makundi ya majukumu unalingana na ugawaji wa majukumu unaotumika" in body
    assert "live tables match their history" not in body


def test_the_command_line_stays_in_english_after_a_kiswahili_verification(
    prosecutor: User, auditor: User, settings: Any
) -> None:
    case = make_case(prosecutor)
    run_sql(f"UPDATE {table(Case)} SET title = %s WHERE id = %s", ["Republic v. Nobody", case.pk])
    verify_from_the_page(auditor, "sw")
    err = io.StringIO()
    with translation.override(settings.LANGUAGE_CODE), pytest.raises(CommandError):  # as a command starts
        call_command("verify_audit", stdout=io.StringIO(), stderr=err)
    text = err.getvalue()
    assert "INTEGRITY CHECK FAILED (live tables match their history)" in text
    assert f"prosecutions_case row {case.pk} (prosecutions.case) differs from its latest history" in text
