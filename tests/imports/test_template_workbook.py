"""The downloadable template of each register, read back as Excel reads it."""

from __future__ import annotations

import io

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from imports.kinds.base import KINDS
from imports.kinds.cases import CaseRegister
from imports.template_workbook import INLINE_LIST_LIMIT, build_template, inline_list_fits
from prosecutions.choices import Stage
from prosecutions.models import Court

pytestmark = pytest.mark.django_db


def open_template(slug: str) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(build_template(KINDS[slug])))


def validations(book: openpyxl.Workbook) -> dict[str, str]:
    """The register sheet's drop-downs: column letter → the list's source."""
    sheet = book["Register"]
    found = {}
    for rule in sheet.data_validations.dataValidation:
        assert rule.type == "list"
        for cell_range in rule.sqref.ranges:
            found[cell_range.coord.split(":")[0].rstrip("0123456789")] = rule.formula1
    return found


@pytest.mark.parametrize("slug", ["cases", "assets", "hearings"])
def test_the_header_row_is_the_kinds_columns_with_required_ones_marked(slug: str) -> None:
    book = open_template(slug)
    assert book.sheetnames == ["Register", "Instructions", "Lists"]
    headings = [cell.value for cell in book["Register"][1]]
    expected = [c.header + (" *" if c.required else "") for c in KINDS[slug].columns]
    assert headings == expected
    assert book["Lists"].sheet_state == "hidden"


def test_the_instructions_say_each_column_with_what_it_takes() -> None:
    sheet = open_template("cases")["Instructions"]
    rows = {str(row[0]): [str(cell) for cell in row[1:]] for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert set(rows) == {column.header for column in CaseRegister.columns}
    assert rows["Date reported"][0] == "Yes" and rows["OB number"][0] == "No"
    assert "01/03/2024 (day first)" in rows["Date reported"][2]
    assert "Pre-trial" in rows["Stage"][2] and "Closed" in rows["Stage"][2]
    assert "The OB date" in rows["Date reported"][1]
    assert "drop-down list (sheet Lists" in rows["Court"][2]
    assert "Organiser / financier" in rows["Network role"][2]


def words_of(book: openpyxl.Workbook, source: str) -> list[str]:
    """The words a drop-down offers: written out in the rule, or read from its range on the Lists sheet."""
    if source.startswith('"'):
        return source.strip('"').split(",")
    assert source.startswith("Lists!$"), source
    start, end = source.removeprefix("Lists!").replace("$", "").split(":")
    return [str(cell.value) for row in book["Lists"][f"{start}:{end}"] for cell in row]


def test_short_lists_are_written_in_the_rule_and_long_ones_point_at_the_hidden_sheet() -> None:
    book = open_template("cases")
    letters = {column.key: get_column_letter(i) for i, column in enumerate(CaseRegister.columns, 1)}
    rules = validations(book)
    stage = rules[letters["stage"]]
    assert stage.startswith('"') and len(stage) - 2 <= INLINE_LIST_LIMIT
    assert words_of(book, stage) == [str(label) for _value, label in Stage.choices]
    for key in ("court", "county"):
        assert rules[letters[key]].startswith("Lists!$"), key
    courts = words_of(book, rules[letters["court"]])
    assert set(courts) == set(Court.objects.filter(is_active=True).values_list("name", flat=True))
    counties = words_of(book, rules[letters["county"]])
    assert len(counties) == 47 and "Mombasa" in counties
    offences = words_of(book, rules[letters["offence"]])
    assert offences[:3] == ["CTIP s.3(1)", "CTIP s.3(6)", "CTIP s.4"] and "Penal Code s.264" in offences
    assert letters["accused"] not in rules  # free text has no drop-down
    assert words_of(book, rules[letters["plea"]])[0] == "Not guilty"  # "not yet taken" is no plea to import


def test_a_list_with_commas_or_longer_than_excel_allows_goes_to_the_hidden_sheet() -> None:
    assert inline_list_fits(("Yes", "No"))
    assert not inline_list_fits(("Organiser, financier", "Recruiter"))
    assert not inline_list_fits(tuple(f"Court number {n}" for n in range(30)))
