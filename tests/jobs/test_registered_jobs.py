"""The jobs the apps put on the schedule: each runs through the scheduler and records what it found."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from jobs.choices import RunOutcome
from jobs.registry import scheduled_jobs
from jobs.scheduler import run_now
from prosecutions.models import Case
from tests.assets.factories import preserve, seize
from tests.core.audit_tampering import run_sql, table
from tests.prosecutions.factories import charged_case
from tests.trustfund.conftest import statement_csv
from tests.trustfund.factories import approved, receive, request
from trustfund import schedule as fund_schedule
from trustfund import statements

pytestmark = pytest.mark.django_db


def test_the_schedule_holds_the_jobs_the_unit_asked_for() -> None:
    names = {job.name for job in scheduled_jobs()}
    assert {
        "assets.preservation_deadlines",
        "trustfund.awaiting_approval",
        "trustfund.approved_unpaid",
        "trustfund.unmatched_lines",
        "core.verify_audit",
        "documents.verify_documents",
    } <= names


def test_preservation_deadlines_email_the_lead_prosecutor(prosecutor, mailoutbox) -> None:
    case = charged_case(prosecutor)
    preserve(seize(case, prosecutor), prosecutor, granted_days_ago=85)  # expires in about 5 days
    run = run_now("assets.preservation_deadlines", "w1")
    assert run is not None and run.outcome == RunOutcome.SUCCEEDED, run and run.error
    assert "lead prosecutors e-mailed: 1." in run.get_message_display()
    assert [prosecutor.email] in [message.to for message in mailoutbox]


def test_the_fund_checks_count_what_waits(fund_admin, fund_approver, monkeypatch) -> None:
    receive(fund_admin, "500000.00", timezone.localdate() - dt.timedelta(days=60), payer_reference="EXCHQ-9")
    request(fund_admin, "10000.00")
    approved(fund_admin, fund_approver, "20000.00")
    run = run_now("trustfund.awaiting_approval", "w1")
    assert run is not None and run.get_message_display() == "1 disbursement request awaiting a fund approver."
    # The approval is today: unpaid "since before" tomorrow, as it will be once FUND_UNPAID_ALERT_DAYS pass.
    monkeypatch.setattr(fund_schedule, "unpaid_alert_cutoff", lambda: timezone.localdate() + dt.timedelta(days=1))
    run = run_now("trustfund.approved_unpaid", "w1")
    assert run is not None and run.get_message_display().startswith("1 approved disbursement unpaid")


def test_the_unmatched_lines_check_counts_only_lines_older_than_a_month(fund_admin) -> None:
    today = timezone.localdate()
    statements.import_statement(
        fund_admin,
        name="old.csv",
        content=statement_csv(
            [
                ((today - dt.timedelta(days=45)).isoformat(), "Bank charges", "CHG-OLD", "-150.00"),
                ((today - dt.timedelta(days=3)).isoformat(), "Bank charges", "CHG-NEW", "-150.00"),
            ]
        ),
    )
    run = run_now("trustfund.unmatched_lines", "w1")
    assert run is not None and run.outcome == RunOutcome.SUCCEEDED, run and run.error
    assert run.get_message_display().startswith("1 bank statement line older than a month")


def test_the_nightly_audit_verification_writes_a_checkpoint(prosecutor, settings) -> None:
    charged_case(prosecutor)
    run = run_now("core.verify_audit", "w1")
    assert run is not None and run.outcome == RunOutcome.SUCCEEDED, run and run.error
    assert run.get_message_display().startswith("Audit chain intact")
    assert any(Path(settings.AUDIT_CHECKPOINT_DIR).iterdir())


def test_a_broken_audit_chain_shows_as_a_failed_run(prosecutor) -> None:
    case = charged_case(prosecutor)
    run_sql(f"UPDATE {table(Case.history.model)} SET title = %s WHERE id = %s", ["Republic v. Nobody", case.pk])
    run = run_now("core.verify_audit", "w1")
    assert run is not None and run.outcome == RunOutcome.FAILED
    assert "CheckFailed" in run.error


def test_document_verification_waits_for_documents() -> None:
    run = run_now("documents.verify_documents", "w1")
    assert run is not None and run.outcome == RunOutcome.SUCCEEDED
    assert run.get_message_display() == "No documents stored yet: nothing to verify."
