"""A notification arrives and is read: the unit head closes a case a prosecutor leads; the prosecutor's bell
shows one unread notification, the list names the case, opening it marks it read and lands on the case."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from notifications.models import Notification, OutboxEmail
from notifications.services import send_outbox
from tests.e2e.conftest import login
from tests.prosecutions.factories import charged_case

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-test-password"


def test_a_notification_arrives_and_is_read(page, live_server, prosecutor, unit_head, browser_log, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    case = charged_case(prosecutor, title="Republic v. Juma Said")
    case_path = f"/cases/{case.pk}/"

    # The prosecutor has nothing yet.
    login(page, live_server, prosecutor.username, PASSWORD)
    expect(page.get_by_test_id("notification-bell")).to_be_visible()
    expect(page.get_by_test_id("notification-count")).to_have_count(0)
    page.context.clear_cookies()

    # The event: the unit head closes the case.
    login(page, live_server, unit_head.username, PASSWORD)
    page.goto(f"{live_server.url}{case_path}")
    page.get_by_test_id("move-stage").click()
    page.select_option("#id_to_stage", "closed")
    page.select_option("#id_closure_reason", "withdrawn")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(rf"{case_path}\?tab=timeline"))
    page.context.clear_cookies()

    # It arrives: the bell counts it, the list names the case.
    login(page, live_server, prosecutor.username, PASSWORD)
    expect(page.get_by_test_id("notification-count")).to_have_text("1")
    page.get_by_test_id("notification-bell").click()
    page.wait_for_url(re.compile(r"/notifications/$"))
    item = page.locator("[data-notification]")
    expect(item).to_have_count(1)
    expect(item).to_have_attribute("data-read", "no")
    expect(item).to_contain_text(f"{case.reference} moved to Closed by {unit_head}")

    # Opened: read, and the case is on screen.
    item.get_by_test_id("open-notification").click()
    page.wait_for_url(re.compile(rf"{case_path}$"))
    expect(page.locator("h1")).to_contain_text(case.reference)
    expect(page.get_by_test_id("notification-count")).to_have_count(0)
    page.get_by_test_id("notification-bell").click()
    page.wait_for_url(re.compile(r"/notifications/$"))
    expect(page.locator("[data-notification]")).to_have_attribute("data-read", "yes")

    # And by e-mail, once, with the link to the case.
    note = Notification.objects.get(recipient=prosecutor)
    assert note.read_at is not None and OutboxEmail.objects.count() == 1
    send_outbox()
    [email] = mail.outbox
    assert email.to == [prosecutor.email] and case_path in email.body
    assert browser_log.failed == [] and browser_log.off_site == [] and browser_log.page_errors == []
