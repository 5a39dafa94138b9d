"""The notification centre in the browser's terms: the bell, the list, opening an item, the settings."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import User
from notifications.choices import EmailMode, Event
from notifications.models import NotificationPreference
from notifications.services import Message, notify
from tests.notifications.conftest import told

pytestmark = pytest.mark.django_db
LIST = "notifications:notification_list"


def _tell(user: User, n: int = 1, url: str = "/cases/7/") -> None:
    for i in range(n):
        notify(
            [user],
            Message(event=Event.CASE_MOVED, key=f"k{i}", title=f"ODPP/CTIP/2026/{i:04d} moved", reference="R", url=url),
        )


def test_the_bell_counts_my_unread(client: Any, prosecutor: User, other_prosecutor: User) -> None:
    _tell(prosecutor, 3)
    _tell(other_prosecutor, 5)
    client.force_login(prosecutor)
    page = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="notification-count">3<' in page


def test_the_bell_costs_one_query_per_page(client: Any, prosecutor: User) -> None:
    _tell(prosecutor, 2)
    client.force_login(prosecutor)
    client.get(reverse("core:home"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("core:home"))
    assert len([q for q in queries.captured_queries if "notifications_" in q["sql"]]) == 1


def test_the_list_shows_mine_only_and_opening_one_marks_it_read_and_goes_to_the_record(
    client: Any, prosecutor: User, other_prosecutor: User
) -> None:
    _tell(prosecutor, 2)
    _tell(other_prosecutor, 1)
    client.force_login(prosecutor)
    page = client.get(reverse(LIST)).content.decode()
    assert page.count('data-testid="open-notification"') == 2
    first = told(prosecutor)[0]
    response = client.post(reverse(LIST), {"action": "open", "id": first.pk})
    assert response.status_code == 302 and response["Location"] == "/cases/7/"
    first.refresh_from_db()
    assert first.is_read
    unread = client.get(reverse(LIST), {"show": "unread"}).content.decode()
    assert unread.count('data-testid="open-notification"') == 1


def test_someone_elses_notification_cannot_be_opened(client: Any, prosecutor: User, other_prosecutor: User) -> None:
    _tell(other_prosecutor)
    theirs = told(other_prosecutor)[0]
    client.force_login(prosecutor)
    assert client.post(reverse(LIST), {"action": "open", "id": theirs.pk}).status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_a_link_off_the_site_is_never_followed(client: Any, prosecutor: User) -> None:
    _tell(prosecutor, url="//evil.example/")
    client.force_login(prosecutor)
    response = client.post(reverse(LIST), {"action": "open", "id": told(prosecutor)[0].pk})
    assert response["Location"] == reverse(LIST)


def test_mark_all_read(client: Any, prosecutor: User) -> None:
    _tell(prosecutor, 3)
    client.force_login(prosecutor)
    client.post(reverse(LIST), {"action": "read_all"})
    assert all(n.is_read for n in told(prosecutor))
    assert 'data-testid="notification-count"' not in client.get(reverse(LIST)).content.decode()


# The list page's queries, whatever the number of notifications: the session, the user (with their roles and
# the bell's count), the page of notifications and its count, the delayed e-mails.
LIST_QUERIES = 5


def test_the_list_runs_a_fixed_number_of_queries(client: Any, prosecutor: User) -> None:
    client.force_login(prosecutor)
    counts = []
    for rows in (1, 30):
        _tell(prosecutor, rows)
        client.get(reverse(LIST))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(LIST)).status_code == 200
        counts.append(len(queries))
    assert counts == [LIST_QUERIES, LIST_QUERIES]


def test_preferences_are_saved_and_the_deadline_rule_is_said(client: Any, prosecutor: User) -> None:
    client.force_login(prosecutor)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "reach you by e-mail even if you turn e-mail off" in page
    response = client.post(reverse("notifications:preferences"), {"email_mode": EmailMode.DIGEST})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=prosecutor).email_mode == EmailMode.DIGEST
    refused = client.post(reverse("notifications:preferences"), {"email_mode": "weekly"})
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()


def test_the_delivery_page_is_the_unit_heads(client: Any, prosecutor: User, unit_head: User, auditor: User) -> None:
    for user, status in ((prosecutor, 403), (auditor, 403), (unit_head, 200)):
        client.force_login(user)
        assert client.get(reverse("notifications:delivery")).status_code == status
