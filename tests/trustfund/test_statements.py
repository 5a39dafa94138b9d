"""Bank statements: preview, all-or-nothing import, duplicates refused, matching by amount, reference and
date, by hand and undone — and the reconciliation they feed."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import table_counts
from tests.trustfund.conftest import statement_csv
from tests.trustfund.factories import days_ago, paid, realisation, receive
from trustfund import matching, reports, statements
from trustfund.choices import MatchMethod, ReceiptSource
from trustfund.exceptions import DuplicateStatement, MatchError, StatementFileError
from trustfund.models import BankStatement, StatementLine

pytestmark = pytest.mark.django_db
D = Decimal


def test_csv_and_excel_files_parse_alike() -> None:
    csv_bytes = statement_csv(
        [("31/07/2026", "RTGS", "EXCHQ-1", '"1,000.50"'), ("2026-08-01", "Charges", "CHG", "(25.00)")],
        header="Date,Narrative,Ref,Amount",
    )
    parsed = statements.parse_statement("july.csv", csv_bytes)
    assert parsed.ok
    assert [(ln.row, ln.date.isoformat(), ln.reference, ln.amount) for ln in parsed.lines] == [
        (2, "2026-07-31", "EXCHQ-1", D("1000.50")),
        (3, "2026-08-01", "CHG", D("-25.00")),
    ]
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Date", "Description", "Reference", "Money in", "Money out", "Balance"])
    sheet.append(["2026-07-31", "RTGS", "EXCHQ-1", "1000.50", "", "1000.50"])
    sheet.append(["2026-08-01", "Charges", "CHG", "", "25", "975.50"])
    buffer = io.BytesIO()
    book.save(buffer)
    excel = statements.parse_statement("july.xlsx", buffer.getvalue())
    assert excel.ok
    assert [(ln.amount, ln.balance) for ln in excel.lines] == [(D("1000.50"), D("1000.50")), (D("-25.00"), D("975.50"))]


def test_missing_columns_are_named() -> None:
    with pytest.raises(StatementFileError, match="missing the columns: Date, Amount"):
        statements.parse_statement("x.csv", b"When,What\n2026-07-01,1\n")


def test_bad_dates_and_amounts_are_listed_with_their_rows(fund_admin) -> None:
    content = statement_csv(
        [
            ("2026-07-01", "ok", "A", "10.00"),
            ("31/31/2026", "bad date", "B", "5"),
            ("2026-07-02", "bad", "C", "ten"),
            ("2026-07-03", "zero", "D", "0"),
        ]
    )
    parsed = statements.parse_statement("x.csv", content)
    assert parsed.errors == [
        "Row 3: the date “31/31/2026” is not a date (use e.g. 2026-07-31 or 31/07/2026).",
        "Row 4: the amount is not a number in shillings and cents.",
        "Row 5: the amount is missing or zero.",
    ]
    before = table_counts("trustfund")
    with pytest.raises(StatementFileError, match="3 row errors; nothing was imported"):
        statements.import_statement(fund_admin, name="x.csv", content=content)
    assert table_counts("trustfund") == before


def test_the_same_file_twice_is_refused(fund_admin) -> None:
    content = statement_csv([("2026-07-01", "ok", "A", "10.00")])
    statements.import_statement(fund_admin, name="a.csv", content=content)
    before = table_counts("trustfund")
    with pytest.raises(DuplicateStatement, match="already imported"):
        statements.import_statement(fund_admin, name="renamed.csv", content=content)
    assert table_counts("trustfund") == before


def test_lines_match_by_amount_reference_and_date_window(fund_admin, fund_approver) -> None:
    first = receive(fund_admin, "500.00", days_ago(20), payer_reference="TRSY-1")
    second = receive(fund_admin, "500.00", days_ago(19), payer_reference="TRSY-2")
    payment = paid(fund_admin, fund_approver, "120.00", days_ago(10), requested_on=days_ago(12))
    content = statement_csv(
        [
            (days_ago(18).isoformat(), "RTGS", "TRSY-2", "500.00"),  # two candidates: the reference decides
            (days_ago(9).isoformat(), "EFT", "X", "-120.00"),  # one candidate: amount and date decide
            (days_ago(1).isoformat(), "RTGS", "TRSY-1", "500.00"),  # outside the window
            (days_ago(5).isoformat(), "Charges", "CHG", "-35.00"),  # matches nothing
        ]
    )
    statement = statements.import_statement(fund_admin, name="s.csv", content=content)
    by_ref = {line.reference: line for line in statement.lines.select_related("matched_entry")}
    assert by_ref["TRSY-2"].matched_entry == second.entry
    assert by_ref["X"].matched_entry == payment.payment_entry
    assert by_ref["X"].match_method == MatchMethod.AUTOMATIC
    assert by_ref["TRSY-1"].matched_entry is None and by_ref["CHG"].matched_entry is None

    # By hand: the amounts must agree; then the match can be undone, with the reason kept.
    with pytest.raises(MatchError, match="amounts differ"):
        matching.match_line(by_ref["CHG"], first.entry, fund_admin)
    matching.match_line(by_ref["TRSY-1"], first.entry, fund_admin)
    with pytest.raises(MatchError, match="already matched"):
        matching.match_line(by_ref["TRSY-1"], first.entry, fund_admin)
    line = matching.unmatch_line(by_ref["TRSY-1"], fund_admin, reason="Wrong receipt")
    assert line.matched_entry is None
    assert "undone: Wrong receipt" in line.history.first().history_change_reason


def test_the_bank_reconciliation_explains_the_difference(fund_admin, fund_approver) -> None:
    receive(fund_admin, "1000.00", days_ago(20), payer_reference="T1")
    paid(fund_admin, fund_approver, "300.00", days_ago(10), requested_on=days_ago(12))  # not yet on the statement
    content = statement_csv(
        [
            (days_ago(19).isoformat(), "RTGS", "T1", "1000.00", "1000.00"),
            (days_ago(5).isoformat(), "Fees", "CHG", "-50.00", "950.00"),
        ],
        header="Date,Description,Reference,Amount,Balance",
    )
    statements.import_statement(fund_admin, name="s.csv", content=content)
    rec = reports.bank_reconciliation(days_ago(1))
    assert rec.ledger_balance == D("700.00")
    assert rec.statement_balance == D("950.00")
    assert rec.difference == D("250.00")
    assert len(rec.matched) == 1
    assert rec.unmatched_lines_total == D("-50.00")
    assert rec.unmatched_entries_total == D("-300.00")
    # bank − ledger = what only the bank shows − what only the ledger shows
    assert rec.difference == rec.unmatched_lines_total - rec.unmatched_entries_total


def test_asset_register_against_fund(fund_admin) -> None:
    full = realisation(D("1000.00"), realised_on=days_ago(30))
    part = realisation(D("2000.00"), realised_on=days_ago(30))
    over = realisation(D("500.00"), realised_on=days_ago(30))
    realisation(D("900.00"), destination="carf")  # not the fund's
    kwargs: dict[str, Any] = {"source": ReceiptSource.FORFEITED_PROCEEDS, "payer": "ARA"}
    receive(fund_admin, "1000.00", realisation=full, **kwargs)
    receive(fund_admin, "500.00", realisation=part, **kwargs)
    receive(fund_admin, "600.00", realisation=over, over_receipt_reason="Interest", **kwargs)
    rows = {r.pk: (r.received, r.outstanding, r.over_received) for r in reports.proceeds_due()}
    assert rows == {
        full.pk: (D("1000.00"), D("0.00"), D("0.00")),
        part.pk: (D("500.00"), D("1500.00"), D("0.00")),
        over.pk: (D("600.00"), D("0.00"), D("100.00")),
    }
    assert reports.proceeds_totals() == {
        "expected": D("3500.00"),
        "received": D("2100.00"),
        "outstanding": D("1500.00"),
        "over": D("100.00"),
    }


def upload(client: Client, name: str, content: bytes):
    return client.post(reverse("trustfund:statement_import"), {"file": io.BytesIO(content) and _named(name, content)})


def _named(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_the_import_page_previews_then_imports(client: Client, fund_admin) -> None:
    client.force_login(fund_admin)
    receive(fund_admin, "1000.00", days_ago(3), payer_reference="T1")
    content = statement_csv(
        [(days_ago(2).isoformat(), "RTGS", "T1", "1000.00"), (days_ago(1).isoformat(), "Fees", "CHG", "-5")]
    )
    before = table_counts("trustfund")
    preview = upload(client, "nov.csv", content)
    assert preview.status_code == 200
    assert "2 lines read" in preview.content.decode()
    assert table_counts("trustfund") == before  # a preview saves nothing
    token = preview.context["confirm"].initial["token"]
    done = client.post(reverse("trustfund:statement_import"), {"token": token, "name": "nov.csv"})
    statement = BankStatement.objects.get()
    assert done.status_code == 302 and done["Location"] == statement.get_absolute_url()
    assert StatementLine.objects.filter(matched_entry__isnull=False).count() == 1
    # The same file again: refused at the preview, with no import button.
    again = upload(client, "nov-copy.csv", content)
    assert "already imported" in again.content.decode() and "confirm" not in again.context


def test_the_import_page_shows_row_errors_and_missing_columns(client: Client, fund_admin) -> None:
    client.force_login(fund_admin)
    before = table_counts("trustfund")
    bad_rows = upload(client, "bad.csv", statement_csv([("2026-13-01", "x", "y", "abc")]))
    page = bad_rows.content.decode()
    assert "Row 2: the date “2026-13-01” is not a date" in page
    assert "the amount is not a number" in page
    assert "confirm" not in bad_rows.context
    missing = upload(client, "cols.csv", b"Day,Value\n2026-07-01,5\n")
    assert "missing the columns: Date, Amount (or Money in and Money out)" in missing.content.decode()
    assert table_counts("trustfund") == before
