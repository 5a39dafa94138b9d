"""Excel in the language of the person who asked: a list's workbook (headers, yes/no, the About sheet, the
printed footer) and a report's workbook (its sheet names and labels), read back with openpyxl."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext_lazy

from core.exporter import ABOUT_SHEET, DATA_SHEET, AboutExport, PrintFooter, write_workbook
from core.models import User
from core.reports.registry import reports_for
from core.reports.workbook import SUMMARY_SHEET
from core.tables import Column, ColumnKind
from core.translations import compile_catalogues


@pytest.fixture(scope="module", autouse=True)
def _catalogues() -> None:
    compile_catalogues()


def _sw(text: object) -> str:
    with translation.override("sw"):
        return str(text)


COLUMNS = [
    Column("reference", gettext_lazy("Reference")),
    Column("closed", gettext_lazy("Closed"), kind=ColumnKind.BOOLEAN),
    Column("on", gettext_lazy("Date"), kind=ColumnKind.DATE),
]
ROWS = [{"reference": "ODPP/CTIP/2026/0001", "closed": True, "on": dt.date(2026, 3, 5)}]


def _list_workbook(language: str) -> openpyxl.Workbook:
    target = io.BytesIO()
    with translation.override(language):
        about = AboutExport(title=str(gettext_lazy("Cases")), exported_by="Achieng Otieno (prosecutor)")
        write_workbook(target, COLUMNS, ROWS, about)
    target.seek(0)
    return openpyxl.load_workbook(target)


def test_a_list_workbook_in_kiswahili_names_its_sheets_headers_and_about_labels_in_kiswahili() -> None:
    book = _list_workbook("sw")
    about, data = _sw(ABOUT_SHEET), _sw(DATA_SHEET)
    assert about == "Kuhusu upakuaji huu"
    assert book.sheetnames == [data, about]
    header = [cell.value for cell in book[data][1]]
    assert header == [_sw(column.label) for column in COLUMNS]
    assert header[0] != "Reference" and header[2] == "Tarehe"
    assert book[data]["B2"].value == "Ndiyo"  # yes/no in the reader's language
    assert book[data]["A2"].value == "ODPP/CTIP/2026/0001"  # references as written
    labels = [row[0] for row in book[about].iter_rows(values_only=True) if row[0]]
    assert labels[:5] == ["Upakuaji", "Imepakuliwa na", _sw(gettext_lazy("Exported at")), "Safu", "Vichujio"]
    assert book[about]["B5"].value == "Hakuna (safu zote unazoruhusiwa kuona)"
    footer: Any = book[data].oddFooter
    assert "Ukurasa &P kati ya &N" in footer.right.text


def test_the_same_workbook_in_english_is_unchanged() -> None:
    book = _list_workbook("en-gb")
    assert book.sheetnames == ["Data", "About this export"]
    assert [cell.value for cell in book["Data"][1]] == ["Reference", "Closed", "Date"]
    assert book["Data"]["B2"].value == "Yes"
    footer: Any = book["Data"].oddFooter
    assert footer.right.text == "Page &P of &N"


def test_the_footer_finds_the_period_filter_in_either_language() -> None:
    with translation.override("sw"):
        about = AboutExport(title="Kesi", exported_by="x", filters=[(str(gettext_lazy("Period")), "2025-26")])
        assert PrintFooter.for_export(about).period == "2025-26"
        undated = AboutExport(title="Kesi", exported_by="x", exported_at=dt.datetime(2026, 3, 5, 9, 30, tzinfo=dt.UTC))
        assert PrintFooter.for_export(undated).period.startswith("Imepakuliwa 05 ")


@pytest.mark.django_db
def test_a_report_workbook_comes_in_the_language_of_the_request(client: Client, auditor: User) -> None:
    client.force_login(auditor)
    report = reports_for(auditor)[0]
    response: Any = client.get(report.url, {"export": "xlsx"}, HTTP_ACCEPT_LANGUAGE="sw")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert book.sheetnames[0] == _sw(SUMMARY_SHEET) != "Summary"
    assert book.sheetnames[-1] == _sw(ABOUT_SHEET)
    summary = [row[0] for row in book[book.sheetnames[0]].iter_rows(values_only=True) if row[0]]
    assert _sw(report.title) == summary[0] and _sw(gettext_lazy("Report period")) in summary
    assert "Report period" not in summary
