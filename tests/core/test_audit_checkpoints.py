"""Checkpoints anchor the audit chain outside the database: every verification that finds the record
intact appends a signed line to the checkpoint file, e-mails it to the auditors and shows it on their
home page; every later verification checks the chain still contains each line kept, and an auditor can
paste one back into the Verify page."""

from __future__ import annotations

import hashlib
import hmac
import io
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from core.audit.checkpoints import FILE_NAME, make_checkpoint, parse_line, signature
from core.models import AuditChainHead, AuditCheckpoint, User
from core.roles import Role
from prosecutions.models import Case
from tests.core.audit_tampering import run_sql, table
from tests.factories import UserFactory
from tests.prosecutions.factories import make_case

pytestmark = pytest.mark.django_db

VERIFY_URL = "/audit/verify/"


@pytest.fixture(autouse=True)
def folder(settings: Any, tmp_path: Path) -> Path:
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")
    return tmp_path / "checkpoints"


@pytest.fixture
def case(prosecutor: User) -> Case:
    return make_case(prosecutor)


def verify(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def kept_lines(folder: Path) -> list[str]:
    return (folder / FILE_NAME).read_text().splitlines() if (folder / FILE_NAME).exists() else []


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --------------------------------------------------------------------------------------------------
# The command


def test_an_intact_record_gets_a_signed_checkpoint_in_the_file_the_auditors_mail_and_the_database(
    case: Case, auditor: User, folder: Path
) -> None:
    UserFactory.create(username="no-mail-auditor", email="", roles=[Role.AUDITOR])
    retired = UserFactory.create(username="retired-auditor", roles=[Role.AUDITOR])
    retired.is_active = False
    retired.save()
    mail.outbox.clear()

    code, out, _ = verify()

    head = AuditChainHead.objects.get()
    assert code == 0
    [line] = kept_lines(folder)
    checkpoint = parse_line(line)
    assert checkpoint is not None and checkpoint.signed
    assert (checkpoint.seq, checkpoint.digest) == (head.seq, head.digest)
    assert line in out and "keep this line outside the tracker" in out
    assert [message.to for message in mail.outbox] == [[auditor.email]]
    assert line in mail.outbox[0].body
    stored = AuditCheckpoint.objects.get()
    assert (stored.seq, stored.digest, stored.line, stored.written_by) == (head.seq, head.digest, line, None)


def test_each_run_appends_and_the_earlier_checkpoints_stay_part_of_a_growing_chain(
    case: Case, prosecutor: User, folder: Path
) -> None:
    assert verify()[0] == 0
    first = kept_lines(folder)
    make_case(prosecutor, title="Republic v. Later Case")
    code, out, _ = verify()
    assert code == 0 and "Checkpoints kept in" in out and ": 1, every one still part of the chain" in out
    lines = kept_lines(folder)
    assert len(lines) == 2 and lines[0] == first[0]
    assert parse_line(lines[1]).seq > parse_line(lines[0]).seq  # type: ignore[union-attr]


def test_a_record_that_fails_verification_gets_no_checkpoint(case: Case, folder: Path) -> None:
    mail.outbox.clear()
    run_sql(f"UPDATE {table(Case)} SET title = %s WHERE id = %s", ["Republic v. Nobody", case.pk])
    code, _, err = verify()
    assert code == 1 and f"prosecutions_case row {case.pk}" in err
    assert kept_lines(folder) == [] and mail.outbox == [] and not AuditCheckpoint.objects.exists()


def test_a_checkpoint_in_an_older_file_of_the_folder_counts_too(case: Case, folder: Path) -> None:
    head = AuditChainHead.objects.get()
    folder.mkdir(parents=True)
    later = make_checkpoint(head.seq + 40, "ab" * 32)
    (folder / "audit-checkpoints-2025.log").write_text(f"kept from last year\n{later.line}\n")
    code, _, err = verify()
    assert code == 1
    assert "audit-checkpoints-2025.log, line 2" in err and f"checkpoint link={head.seq + 40} " in err


def test_a_folder_that_cannot_be_written_fails_the_run_loudly(case: Case, settings: Any, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "a-file" / "checkpoints")
    code, out, err = verify()
    assert code == 2
    assert "Audit chain intact" in out and "could not append the checkpoint" in err


def test_a_line_changed_anywhere_or_signed_with_another_key_does_not_verify(settings: Any) -> None:
    checkpoint = make_checkpoint(120, "ab" * 32)
    assert checkpoint.signed
    for changed in (
        checkpoint.line.replace("link=120 ", "link=121 "),
        checkpoint.line.replace(f"at={checkpoint.at}", "at=2026-01-01T00:00:00+03:00"),
        checkpoint.line.replace("ab" * 32, "ac" * 32),
    ):
        assert not parse_line(changed).signed  # type: ignore[union-attr]
    # The signing key is derived from AUDIT_HMAC_KEY, never the key itself (which makes the link digests).
    plain = f"CTIP-AUDIT-CHECKPOINT\nlink=120\nat={checkpoint.at}\ndigest={'ab' * 32}".encode()
    assert checkpoint.sig != hmac.new(settings.AUDIT_HMAC_KEY.encode(), plain, hashlib.sha256).hexdigest()
    settings.AUDIT_HMAC_KEY = "another-installation"
    assert not checkpoint.signed
    assert signature(120, checkpoint.at, "ab" * 32) != checkpoint.sig


# --------------------------------------------------------------------------------------------------
# The auditors' home page and the Verify page


def test_the_auditors_home_page_shows_the_last_checkpoint_to_note_down(case: Case, auditor: User) -> None:
    verify()
    stored = AuditCheckpoint.objects.get()
    body = signed_in(auditor).get("/").content.decode()
    assert f"Last checkpoint: link <strong>{stored.seq}</strong>" in body and stored.digest in body
    assert "note it down" in body and VERIFY_URL in body


def test_other_roles_do_not_get_the_checkpoint_panel(case: Case, unit_head: User) -> None:
    verify()
    body = signed_in(unit_head).get("/").content.decode()
    assert "Last checkpoint" not in body and AuditCheckpoint.objects.get().digest not in body


def test_a_checkpoint_altered_in_the_database_is_flagged_on_the_home_page(case: Case, auditor: User) -> None:
    verify()
    stored = AuditCheckpoint.objects.get()
    forged_digest = "cd" * 32
    run_sql(
        f"UPDATE {table(AuditCheckpoint)} SET digest = %s, line = %s WHERE id = %s",
        [forged_digest, stored.line.replace(stored.digest, forged_digest), stored.pk],
    )
    body = signed_in(auditor).get("/").content.decode()
    assert "does not carry this tracker’s signature" in body and forged_digest not in body


def test_an_auditor_verifies_from_the_app_and_gets_a_checkpoint(case: Case, auditor: User) -> None:
    client = signed_in(auditor)
    assert client.get(VERIFY_URL).status_code == 200
    response = client.post(VERIFY_URL, {"checkpoint": ""})
    body = response.content.decode()
    assert response.status_code == 200 and 'data-ok="1"' in body
    stored = AuditCheckpoint.objects.get()
    assert stored.written_by == auditor and stored.line in body


def test_a_checkpoint_kept_from_before_is_confirmed_on_the_verify_page(
    case: Case, auditor: User, prosecutor: User
) -> None:
    _, out, _ = verify()
    kept = next(line for line in out.splitlines() if line.startswith("CTIP-AUDIT-CHECKPOINT"))
    make_case(prosecutor, title="Republic v. Later Case")
    client = signed_in(auditor)

    body = client.post(VERIFY_URL, {"checkpoint": kept}).content.decode()
    assert 'data-confirmed="1"' in body and "Checkpoint confirmed" in body

    wrapped = kept.replace(" digest=", "\n digest=")  # as an e-mail client may wrap it
    assert 'data-confirmed="1"' in client.post(VERIFY_URL, {"checkpoint": wrapped}).content.decode()

    body = client.post(VERIFY_URL, {"checkpoint": "f" * 64}).content.decode()
    assert 'data-confirmed="0"' in body and "CHECKPOINT NOT FOUND" in body

    altered = kept.replace(" link=", " link=1")
    body = client.post(VERIFY_URL, {"checkpoint": altered}).content.decode()
    assert 'data-confirmed="0"' in body and "SIGNATURE DOES NOT VERIFY" in body


def test_text_that_is_no_checkpoint_is_refused_with_a_message(case: Case, auditor: User) -> None:
    response = signed_in(auditor).post(VERIFY_URL, {"checkpoint": "my notes from March"})
    assert "That is not a checkpoint" in response.content.decode()
    assert not AuditCheckpoint.objects.exists()


def test_the_verify_page_shows_what_broke_and_writes_no_checkpoint(case: Case, auditor: User) -> None:
    run_sql(f"UPDATE {table(Case)} SET title = %s WHERE id = %s", ["Republic v. Nobody", case.pk])
    body = signed_in(auditor).post(VERIFY_URL, {"checkpoint": ""}).content.decode()
    assert 'data-ok="0"' in body and f"prosecutions_case row {case.pk}" in body and "title" in body
    assert not AuditCheckpoint.objects.exists()


def test_only_auditors_may_verify_from_the_app(case: Case, unit_head: User, prosecutor: User) -> None:
    for user in (unit_head, prosecutor):
        assert signed_in(user).post(VERIFY_URL, {"checkpoint": ""}).status_code == 403
    assert not AuditCheckpoint.objects.exists()


def test_the_audit_log_links_auditors_to_the_verify_page(case: Case, auditor: User, unit_head: User) -> None:
    assert 'data-testid="verify-link"' in signed_in(auditor).get("/audit/").content.decode()
    assert 'data-testid="verify-link"' not in signed_in(unit_head).get("/audit/").content.decode()
