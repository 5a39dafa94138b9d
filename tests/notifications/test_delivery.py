"""Delivery: preferences (immediately, daily digest, off), people with no address, the mail server down
(nothing lost, retried with back-off, the page says so) and never anything twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from core.models import User
from notifications import services
from notifications.choices import Delivery, EmailMode, Event, OutboxStatus
from notifications.models import Notification, OutboxEmail
from notifications.services import Message, notify
from tests.factories import UserFactory
from tests.notifications.conftest import told

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("[Errno 111] Connection refused")


def _message(key: str = "case_moved:1", event: str = Event.CASE_MOVED) -> Message:
    return Message(
        event=Event(event),
        key=key,
        title="ODPP/CTIP/2026/0001 moved to Trial",
        reference="ODPP/CTIP/2026/0001",
        url="/cases/1/",
    )


def test_immediately_queues_one_email_and_sends_it_once(prosecutor: User) -> None:
    notify([prosecutor], _message())
    assert str(services.send_outbox()) == "Sent 1 e-mail(s); 0 waiting."
    assert str(services.send_outbox()) == "Sent 0 e-mail(s); 0 waiting."
    [email] = mail.outbox
    assert email.to == [prosecutor.email]
    assert "Open it: https://ctip.example.go.ke/cases/1/" in email.body


def test_the_same_event_for_the_same_person_is_never_notified_twice(prosecutor: User, other_prosecutor: User) -> None:
    assert len(notify([prosecutor, other_prosecutor, prosecutor], _message())) == 2
    assert notify([prosecutor, other_prosecutor], _message()) == []
    assert Notification.objects.count() == 2
    assert OutboxEmail.objects.count() == 2


def test_off_means_in_the_tracker_only(prosecutor: User) -> None:
    services.set_email_mode(prosecutor, EmailMode.OFF)
    [note] = notify([prosecutor], _message())
    assert note.delivery == Delivery.IN_APP
    assert OutboxEmail.objects.count() == 0


def test_the_daily_digest_gathers_the_day_into_one_email_once(prosecutor: User) -> None:
    services.set_email_mode(prosecutor, EmailMode.DIGEST)
    notify([prosecutor], _message("a"))
    notify([prosecutor], _message("b"))
    assert OutboxEmail.objects.count() == 0
    day = dt.date(2026, 12, 2)
    assert str(services.send_daily_digests(day)) == "Queued 1 daily digest for 02 Dec 2026."
    assert str(services.send_daily_digests(day)) == "Queued 0 daily digests for 02 Dec 2026."
    notify([prosecutor], _message("c"))  # after today's digest: waits for tomorrow's
    assert str(services.send_daily_digests(day)) == "Queued 0 daily digests for 02 Dec 2026."
    services.send_outbox()
    [email] = mail.outbox
    assert email.subject == "CTIP: Daily digest for 02 Dec 2026 (2)"
    assert email.body.count("ODPP/CTIP/2026/0001 moved to Trial") == 2
    assert sorted(n.delivery for n in told(prosecutor)) == [Delivery.DIGEST, Delivery.DIGESTED, Delivery.DIGESTED]
    assert str(services.send_daily_digests(day + dt.timedelta(days=1))).startswith("Queued 1")


def test_no_address_means_in_the_tracker_only_and_the_unit_head_sees_who(
    client: Any, unit_head: User, prosecutor: User
) -> None:
    nameless = UserFactory.create(
        username="no-mail", first_name="Otieno", last_name="Nomail", email="", roles=["Prosecutor"]
    )
    [note] = notify([nameless], _message())
    assert note.delivery == Delivery.NO_ADDRESS
    assert OutboxEmail.objects.count() == 0
    client.force_login(unit_head)
    page = client.get(reverse("notifications:delivery")).content.decode()
    assert "Otieno Nomail" in page
    assert str(prosecutor) not in page
    client.force_login(nameless)
    assert "has no e-mail address" in client.get(reverse("notifications:notification_list")).content.decode()


def test_mail_server_down_keeps_everything_queued_retries_with_backoff_and_says_so(
    client: Any, settings: Any, prosecutor: User
) -> None:
    notify([prosecutor], _message())
    settings.EMAIL_BACKEND = "tests.notifications.test_delivery.RefusingBackend"
    start = timezone.now()
    outcome = str(services.send_outbox(now=start))
    assert outcome == "Sent 0 e-mail(s); 1 refused by the mail server, to be retried; 1 waiting."
    email = OutboxEmail.objects.get()
    assert (email.status, email.attempts) == (OutboxStatus.QUEUED, 1)
    assert email.next_attempt_at == start + dt.timedelta(minutes=1)
    assert "Connection refused" in email.last_error
    assert str(services.send_outbox(now=start + dt.timedelta(seconds=30))).startswith("Sent 0 e-mail(s); 1 waiting")
    services.send_outbox(now=start + dt.timedelta(minutes=1))
    email.refresh_from_db()
    assert email.attempts == 2 and email.next_attempt_at == start + dt.timedelta(minutes=3)
    client.force_login(prosecutor)
    page = client.get(reverse("notifications:notification_list")).content.decode()
    assert "E-mail delivery is delayed" in page
    assert "ODPP/CTIP/2026/0001 moved to Trial" in page

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert str(services.send_outbox(now=start + dt.timedelta(minutes=3))) == "Sent 1 e-mail(s); 0 waiting."
    assert len(mail.outbox) == 1
    assert "E-mail delivery is delayed" not in client.get(reverse("notifications:notification_list")).content.decode()


def test_backoff_doubles_up_to_an_hour() -> None:
    assert [services.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4, 7, 8, 20)] == [1, 2, 4, 8, 60, 60, 60]


def test_an_inactive_person_is_not_told(prosecutor: User) -> None:
    prosecutor.is_active = False
    prosecutor.save()
    assert notify([prosecutor], _message()) == []


def test_an_unknown_preference_is_refused(prosecutor: User) -> None:
    from notifications.exceptions import NotificationError

    with pytest.raises(NotificationError):
        services.set_email_mode(prosecutor, "weekly")
