"""Notifications in the recipient's language: one event written to each person in their own (a Kiswahili
reader and an English one told of the same thing), their e-mail and daily digest too, and the notification
pages in Kiswahili."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from core.models import User
from core.translations import compile_catalogues
from notifications import events, schedule, services
from notifications.choices import EmailMode, Event
from notifications.services import send_outbox
from prosecutions import services as prosecution_services
from prosecutions.choices import HearingPurpose, Stage
from tests.notifications.conftest import Committed, told
from tests.prosecutions.factories import charged_case

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def _catalogues() -> None:
    compile_catalogues()


def _speaks(user: User, language: str) -> User:
    user.language = language
    user.save()
    return user


def _sw(text: object) -> str:
    with translation.override("sw"):
        return str(text)


def test_a_case_moved_tells_its_lead_in_kiswahili_by_notification_and_email(
    prosecutor: User, unit_head: User, committed: Committed
) -> None:
    _speaks(prosecutor, "sw")
    case = charged_case(prosecutor)
    with committed():
        prosecution_services.move_stage(case, unit_head, "closed", closure_reason="withdrawn")
    [note] = told(prosecutor)
    closed = _sw(Stage.CLOSED.label)
    assert note.title == f"{case.reference} imehamishiwa hatua ya {closed} na {unit_head}"
    assert "aliihamisha kesi kutoka hatua ya" in note.body and "moved" not in note.body
    send_outbox()
    [email] = mail.outbox
    assert email.subject == f"CTIP: {note.title}"
    greeting = _sw(gettext_lazy("Dear %(name)s,")) % {"name": prosecutor.get_full_name()}
    assert greeting.startswith("Mpendwa ") and email.body.startswith(greeting)
    assert f"Marejeleo: {case.reference}" in email.body and "Ifungue: https://ctip.example.go.ke/" in email.body
    for english in ("Dear", "Reference:", "Open it:", "How you are told"):
        assert english not in email.body, english


def test_one_event_is_written_to_each_person_in_their_own_language(auditor: User, unit_head: User) -> None:
    _speaks(auditor, "sw")
    day = dt.date(2026, 3, 5)
    events.audit_failed([], on=day)
    [swahili] = told(auditor)
    [english] = told(unit_head)
    assert swahili.event == english.event == Event.AUDIT_FAILED
    assert swahili.title.startswith("Uhakiki wa ukaguzi ulishindwa tarehe 05 ") and "Mar" not in swahili.title
    assert swahili.body == "historia ya ukaguzi haipiti uhakiki"
    assert english.title == "Audit verification failed on 05 Mar 2026"
    assert english.body == "the audit history fails verification"


def test_a_hearing_reminder_names_the_purpose_and_day_in_kiswahili(prosecutor: User) -> None:
    _speaks(prosecutor, "sw")
    case = charged_case(prosecutor)
    today = timezone.localdate()
    prosecution_services.record_hearing(case, prosecutor, date=today + dt.timedelta(days=1), purpose="mention")
    prosecution_services.record_hearing(case, prosecutor, date=today + dt.timedelta(days=7), purpose="mention")
    schedule.hearing_reminders(today)
    titles = sorted(note.title for note in told(prosecutor))
    mention = _sw(HearingPurpose.MENTION.label).lower()
    assert any(title.startswith(f"{case.reference}: {mention} kesho (") for title in titles), titles
    assert any(f"{mention} baada ya siku 7 (" in title for title in titles), titles
    assert not any("tomorrow" in title or "in 7 days" in title for title in titles)


def test_the_daily_digest_is_in_the_recipients_language(auditor: User) -> None:
    _speaks(auditor, "sw")
    services.set_email_mode(auditor, EmailMode.DIGEST)
    events.audit_failed(["chain: a link is missing"], on=dt.date(2026, 12, 1))
    day = dt.date(2026, 12, 2)
    outcome = services.send_daily_digests(day)
    assert str(outcome) == "Queued 1 daily digest for 02 Dec 2026."  # the worker's line, in the site's language
    send_outbox()
    [email] = mail.outbox
    assert email.subject.startswith("CTIP: Muhtasari wa kila siku wa 02 ") and email.subject.endswith(" 2026 (1)")
    assert "Ulichoarifiwa na CTIP Case Tracker tangu muhtasari wako uliopita (1):" in email.body
    assert "Arifa zako zote: https://ctip.example.go.ke/" in email.body
    assert "Daily digest" not in email.subject and "What the CTIP Case Tracker told you" not in email.body


def test_the_notification_pages_read_in_kiswahili(client: Client, auditor: User) -> None:
    _speaks(auditor, "sw")
    events.audit_failed([], on=dt.date(2026, 3, 5))
    client.force_login(auditor)
    listing = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Weka zote kuwa zimesomwa" in listing and "Mipangilio ya arifa" in listing
    assert "Uhakiki wa ukaguzi umeshindwa" in listing  # the event's label
    assert 'aria-label="Arifa: 1 hazijasomwa"' in listing  # the bell
    for english in ("Mark all read", "Mark read", "Audit verification failed", "Notifications: 1 unread"):
        assert english not in listing, english

    settings_page = client.get("/notifications/preferences/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Nitumie arifa zangu kwa barua pepe" in settings_page and "Mara moja" in settings_page
    assert "Rudi kwenye arifa" in settings_page
    for english in ("E-mail me my notifications", "Immediately", "In a daily digest", "Back to notifications"):
        assert english not in settings_page, english

    saved = client.post("/notifications/preferences/", {"email_mode": EmailMode.DIGEST}, follow=True)
    assert "Barua pepe: katika muhtasari wa kila siku saa 07:00." in saved.content.decode()
