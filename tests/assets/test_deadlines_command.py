"""``manage.py asset_deadlines``: the printed list, the emails to lead prosecutors, recorded lapses."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command

from assets.choices import AssetStatus
from assets.deadlines import deadline_orders
from assets.models import AssetStatusChange
from tests.assets.factories import CaseFactory, forfeit, preserve, seize
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deadlines(case, prosecutor, other_prosecutor):
    soon = seize(case, description="Probox expiring soon")
    preserve(soon, granted_days_ago=80)  # 10 days left
    expired = seize(case, description="Cash whose order expired")
    preserve(expired, granted_days_ago=95)  # expired 5 days ago
    far = seize(case, description="Land preserved lately")
    preserve(far, granted_days_ago=5)  # 85 days left
    applied = seize(case, description="Lorry with an application")
    preserve(applied, granted_days_ago=89)
    forfeit(applied)  # no longer a deadline
    other_case = CaseFactory.create(lead_prosecutor=other_prosecutor)
    theirs = seize(other_case, description="Bank balance elsewhere")
    preserve(theirs, granted_days_ago=85)
    return {"soon": soon, "expired": expired, "far": far, "applied": applied, "theirs": theirs}


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("asset_deadlines", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_prints_orders_expiring_within_n_days_and_expired_ones(deadlines) -> None:
    out, _ = run("--within", "14", "--no-email")
    for key in ("soon", "expired", "theirs"):
        assert deadlines[key].reference in out
    for key in ("far", "applied"):
        assert deadlines[key].reference not in out
    assert "EXPIRED 5 day(s) ago" in out
    assert "10 day(s) left" in out


def test_a_shorter_window_leaves_out_the_later_orders(deadlines) -> None:
    out, _ = run("--within", "7", "--no-email")
    assert deadlines["soon"].reference not in out
    assert deadlines["theirs"].reference in out and deadlines["expired"].reference in out


def test_each_lead_prosecutor_gets_their_own_deadlines_by_email(deadlines, prosecutor, other_prosecutor) -> None:
    run("--within", "14")
    assert len(mail.outbox) == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    mine = by_recipient[prosecutor.email]
    assert "2 preservation deadline(s)" in mine.subject
    assert deadlines["soon"].reference in mine.body and deadlines["expired"].reference in mine.body
    assert deadlines["theirs"].reference not in mine.body
    assert deadlines["theirs"].reference in by_recipient[other_prosecutor.email].body


def test_a_prosecutor_without_email_is_reported_not_mailed(deadlines, prosecutor) -> None:
    prosecutor.email = ""
    prosecutor.save()
    _, err = run("--within", "14")
    assert len(mail.outbox) == 1
    assert "No email address" in err


def test_record_lapses_moves_only_the_expired_assets(deadlines) -> None:
    out, _ = run("--within", "14", "--record-lapses", "--no-email")
    assert f"Recorded the lapse of {deadlines['expired'].reference}" in out
    for key, status in [("expired", AssetStatus.LAPSED), ("soon", AssetStatus.PRESERVED)]:
        deadlines[key].refresh_from_db()
        assert deadlines[key].status == status
    change = AssetStatusChange.objects.filter(asset=deadlines["expired"]).latest("id")
    assert change.to_status == AssetStatus.LAPSED and change.changed_by is None
    # Recorded lapses leave the list.
    assert deadlines["expired"].pk not in {o.asset_id for o in deadline_orders(14)}


def test_nothing_due_says_so_and_sends_nothing(case) -> None:
    out, _ = run("--within", "14")
    assert "No preservation order expires" in out
    assert mail.outbox == []


def test_the_latest_preservation_order_governs(case) -> None:
    asset = seize(case)
    preserve(asset, granted_days_ago=85)
    preserve(asset, granted_days_ago=1, order_number="Extension E2")
    assert not deadline_orders(14).exists()
    UserFactory.create()  # unrelated users change nothing
    out, _ = run("--within", "100", "--no-email")
    assert "Extension E2" in out and "E001" not in out
