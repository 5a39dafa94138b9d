"""The statement preview refuses, line by line, exactly what the database would refuse or cut (issue 13):
an amount beyond the money precision (18 digits, 2 places), a NUL byte or another control character, a
description over 255 or a reference over 100 characters. Before, such lines passed the preview and the
import then failed with a 500 (a 20-digit amount on SQLite and PostgreSQL, a NUL byte on PostgreSQL) or
cut the text silently. Run on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.helpers import table_counts
from trustfund import statements
from trustfund.exceptions import StatementFileError
from trustfund.models import BankStatement, StatementLine

pytestmark = pytest.mark.django_db

LONGEST_DESCRIPTION = "Malipo ya huduma — " + "x" * (255 - 19)
LONGEST_REFERENCE = "R" * 100
# 16 digits before the point, 2 after: 18 in all, and below 10^16 as SQLite reads it back (15 digits).
LARGEST_AMOUNT = "9999999999999994.99"


def _csv(rows: list[list[str]]) -> bytes:
    """A statement CSV with quoted cells (so a cell may hold commas, quotes or control characters)."""
    lines = ["Date,Description,Reference,Amount,Balance"]
    lines += [",".join('"' + cell.replace('"', '""') + '"' for cell in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


BAD_ROWS = [
    ["2026-07-01", "RTGS credit", "OK-1", "100.00", ""],  # row 2: fine
    ["2026-07-02", "Twenty digits", "BIG", "12345678901234567890", ""],  # row 3
    ["2026-07-03", "Nul\x00byte", "NUL", "5.00", ""],  # row 4
    ["2026-07-04", "x" * 256, "LONG-DESC", "5.00", ""],  # row 5
    ["2026-07-05", "Long reference", "R" * 101, "5.00", ""],  # row 6
    ["2026-07-06", "Bell in the reference", "BEL\x07", "5.00", ""],  # row 7
    ["2026-07-07", "Balance too large", "BAL", "5.00", "99999999999999999999.00"],  # row 8
    ["2026-07-08", "Exponent", "EXP", "1E+30", ""],  # row 9
    ["2026-07-09", "A hair below 10^16", "HAIR", "9999999999999995.00", ""],  # row 10
]


def test_the_preview_reports_each_line_the_database_would_refuse_with_its_row_and_why() -> None:
    parsed = statements.parse_statement("july.csv", _csv(BAD_ROWS))
    assert [line.reference for line in parsed.lines] == ["OK-1"]
    assert parsed.errors == [
        "Row 3: the amount is larger than the ledger keeps (at most 16 digits before the point).",
        "Row 4: the description holds a control character (such as a NUL byte) that cannot be stored.",
        "Row 5: the description is 256 characters long; at most 255 are kept.",
        "Row 6: the reference is 101 characters long; at most 100 are kept.",
        "Row 7: the reference holds a control character (such as a NUL byte) that cannot be stored.",
        "Row 8: the balance is larger than the ledger keeps (at most 16 digits before the point).",
        "Row 9: the amount is larger than the ledger keeps (at most 16 digits before the point).",
        "Row 10: the amount is larger than the ledger keeps (at most 16 digits before the point).",
    ]
    assert not parsed.ok


def test_the_preview_reads_the_limits_from_the_model() -> None:
    amount = StatementLine._meta.get_field("amount")
    assert amount.max_digits - amount.decimal_places == statements.MONEY_INTEGER_DIGITS
    assert statements.DESCRIPTION_LENGTH == StatementLine._meta.get_field("description").max_length == 255
    assert statements.REFERENCE_LENGTH == StatementLine._meta.get_field("reference").max_length == 100


def test_an_import_of_such_a_file_is_refused_whole_and_saves_nothing(fund_admin: Any) -> None:
    before = table_counts("trustfund")
    with pytest.raises(StatementFileError, match="8 row errors; nothing was imported") as caught:
        statements.import_statement(fund_admin, name="july.csv", content=_csv(BAD_ROWS))
    assert len(caught.value.problems) == 8
    assert table_counts("trustfund") == before


def test_the_largest_amount_and_the_longest_texts_the_database_keeps_are_imported(fund_admin: Any) -> None:
    content = _csv(
        [
            ["2026-07-01", LONGEST_DESCRIPTION, LONGEST_REFERENCE, LARGEST_AMOUNT, LARGEST_AMOUNT],
            ["2026-07-02", "Tab\tand new\nline are text", "TAB", "-" + LARGEST_AMOUNT, ""],
        ]
    )
    parsed = statements.parse_statement("edge.csv", content)
    assert parsed.ok, parsed.errors
    statement = statements.import_statement(fund_admin, name="edge.csv", content=content)
    line = statement.lines.get(line_number=2)
    assert line.description == LONGEST_DESCRIPTION
    assert line.reference == LONGEST_REFERENCE
    if connection.vendor == "postgresql":  # SQLite keeps decimals as floating point: 15 significant digits
        assert line.amount == line.balance == Decimal(LARGEST_AMOUNT)
        assert statement.lines.get(line_number=3).amount == -Decimal(LARGEST_AMOUNT)
    assert statement.lines.get(line_number=3).description == "Tab\tand new\nline are text"


def test_a_file_name_with_control_characters_is_kept_without_them(fund_admin: Any) -> None:
    content = _csv([["2026-07-01", "RTGS", "R1", "10.00", ""]])
    statement = statements.import_statement(fund_admin, name="july\x00\x1b.csv", content=content)
    assert BankStatement.objects.get(pk=statement.pk).original_name == "july.csv"


# ---------------------------------------------------------------------------------------------------------
# Through the page.


def _upload(client: Client, name: str, content: bytes) -> Any:
    return client.post(
        reverse("trustfund:statement_import"), {"file": SimpleUploadedFile(name, content, content_type="text/csv")}
    )


def test_the_preview_page_lists_the_lines_and_offers_no_import(client: Client, fund_admin: Any) -> None:
    client.force_login(fund_admin)
    before = table_counts("trustfund")
    response = _upload(client, "july.csv", _csv(BAD_ROWS))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Row 3: the amount is larger than the ledger keeps" in page
    assert "Row 4: the description holds a control character" in page
    assert "Row 6: the reference is 101 characters long; at most 100 are kept." in page
    assert "confirm" not in response.context
    assert table_counts("trustfund") == before


def test_confirming_a_file_with_such_lines_shows_them_and_never_fails(client: Client, fund_admin: Any) -> None:
    """A file waiting from a preview made before the preview checked these lines: the import refuses it
    with the lines listed, rather than a 500."""
    content = _csv(BAD_ROWS)
    token = statements.file_hash(content)
    default_storage.save(f"trustfund/pending/{token}", ContentFile(content))
    client.force_login(fund_admin)
    before = table_counts("trustfund")

    response = client.post(reverse("trustfund:statement_import"), {"token": token, "name": "july.csv"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "8 row errors; nothing was imported" in page
    assert "Row 3: the amount is larger than the ledger keeps" in page
    assert table_counts("trustfund") == before


def test_a_file_imported_by_someone_else_after_the_preview_is_refused_at_confirm(
    client: Client, fund_admin: Any, fund_approver: Any
) -> None:
    content = _csv([["2026-07-01", "RTGS", "R1", "10.00", ""]])
    client.force_login(fund_admin)
    token = _upload(client, "july.csv", content).context["confirm"].initial["token"]
    statements.import_statement(fund_admin, name="july-by-a-colleague.csv", content=content)
    before = table_counts("trustfund")

    response = client.post(reverse("trustfund:statement_import"), {"token": token, "name": "july.csv"})

    assert response.status_code == 200
    assert "This file was already imported" in response.content.decode()
    assert table_counts("trustfund") == before
