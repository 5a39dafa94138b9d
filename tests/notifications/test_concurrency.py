"""Two workers (and more) running the same jobs at the same moment against one PostgreSQL: every
notification is made once and every e-mail sent once."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core import mail
from django.db import connection

from core.models import User
from core.roles import Role
from notifications import schedule
from notifications.models import Notification, OutboxEmail
from tests.assets.factories import preserve, seize
from tests.factories import UserFactory
from tests.helpers import run_at_once
from tests.prosecutions.factories import charged_case
from tests.trustfund.factories import request

WORKERS = 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_workers_at_once_tell_nobody_twice_and_send_nothing_twice(settings: Any) -> None:
    assert connection.vendor == "postgresql"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    lead: User = UserFactory.create(username="lead", roles=[Role.PROSECUTOR])
    admin: User = UserFactory.create(username="admin", roles=[Role.FUND_ADMINISTRATOR])
    approvers = [UserFactory.create(username=f"approver{n}", roles=[Role.FUND_APPROVER]) for n in range(2)]
    for granted_days_ago in (60, 83, 95):
        preserve(seize(charged_case(lead)), granted_days_ago=granted_days_ago)
    for _ in range(3):
        request(admin, "1000")
    Notification.objects.all().delete()  # the requests told the approvers as they committed: start afresh
    OutboxEmail.objects.all().delete()
    mail.outbox = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            schedule.preservation_alerts()
            schedule.approvals_waiting()
            schedule.send_outbox()
        except BaseException as error:  # noqa: BLE001 — recorded, then asserted empty
            with lock:
                errors.append(error)

    run_at_once(worker, WORKERS)
    schedule.send_outbox()  # whatever a worker skipped while another held it
    assert errors == []
    assert Notification.objects.filter(recipient=lead).count() == 3
    for approver in approvers:
        assert Notification.objects.filter(recipient=approver).count() == 3
    assert Notification.objects.count() == 9
    assert OutboxEmail.objects.count() == 9
    assert len(mail.outbox) == 9
    assert len({(m.to[0], m.subject) for m in mail.outbox}) == 9
