"""Times in the audit log, the History tabs and the audit verification read in Nairobi time, whatever the
database stores (UTC). A new user once saw one event read "02:37" beside "05:37": the record's name carried
the stored UTC time next to the log's local one."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.test import Client

from core.audit.chain_verify import local_stamp
from core.models import AuditCheckpoint, AuditLink, User
from tests.prosecutions.factories import charged_case
from tests.witnesses.factories import with_identity, witness_on
from witnesses.models import IdentityAccess, Witness
from witnesses.services import record_identity_access

pytestmark = pytest.mark.django_db

# 02:37 UTC is 05:37 in Nairobi (EAT, UTC+3, no daylight saving).
INSTANT = dt.datetime(2026, 11, 5, 2, 37, tzinfo=dt.UTC)
LOCAL = "05 Nov 2026 05:37"
UTC_TEXT = "02:37"


@pytest.fixture
def read_at_instant(prosecutor: User, liaison: User) -> Witness:
    """A liaison read a witness's identity at ``INSTANT``."""
    witness = witness_on(charged_case(prosecutor), prosecutor)
    with_identity(witness, liaison, "TZ")
    with mock.patch("django.utils.timezone.now", return_value=INSTANT):
        record_identity_access(witness, liaison, "Arranging transport to the hearing")
    return witness


def test_the_audit_log_shows_an_identity_reading_in_nairobi_time(
    client: Client, auditor: User, read_at_instant: Witness
) -> None:
    link = AuditLink.objects.get(record_type="witnesses.identityaccess")
    assert link.at == INSTANT  # stored as the moment it was, in UTC
    client.force_login(auditor)

    html = client.get("/audit/", {"record_type": "witnesses.identityaccess"}).content.decode()

    assert html.count(LOCAL) == 2  # the time of the line and the record's name ("Identity read on …")
    assert f"Identity read on {LOCAL}" in html
    assert UTC_TEXT not in html


def test_the_history_tab_shows_the_same_time(client: Client, auditor: User, read_at_instant: Witness) -> None:
    client.force_login(auditor)

    html = client.get(f"/witnesses/{read_at_instant.pk}/", {"tab": "history"}).content.decode()

    assert f"Identity read on {LOCAL}" in html
    assert f"{LOCAL} by Hassan Abdi" in html
    assert UTC_TEXT not in html


def test_an_identity_reading_is_named_by_its_nairobi_time(read_at_instant: Witness) -> None:
    assert str(IdentityAccess.objects.get(witness=read_at_instant)) == f"Identity read on {LOCAL}"


def test_verification_messages_and_checkpoints_give_nairobi_time() -> None:
    assert local_stamp(INSTANT) == "2026-11-05 05:37:00"
    checkpoint = AuditCheckpoint(seq=7, digest="0" * 64, written_at=INSTANT, line="")
    assert str(checkpoint) == "Checkpoint at link 7 (2026-11-05 05:37)"
