"""Which rows of the case register are one case: the survey's typed arrays (each row's numbers as 64-bit hashes,
rows joined by sorting them), the full comparison that keeps two cases apart when their numbers share a hash,
and the cases and users already in the tracker, looked up a chunk at a time with only the matches kept."""

from __future__ import annotations

from array import array

import pytest

from core.models import User
from imports.kinds import case_drafts, common
from imports.kinds.base import ParsedRow
from imports.kinds.case_drafts import Survey, apart, grouped, survey
from imports.kinds.common import KnownCases, split_court_case
from tests.prosecutions.factories import make_case

pytestmark = pytest.mark.django_db

Numbers = tuple[str | None, str | None]


def rows_of(*numbers: Numbers, prosecutor: str | None = None) -> list[ParsedRow]:
    """Rows from the spreadsheet's row 2, each with its OB number and court case number (None for none)."""
    return [
        ParsedRow(index, {"ob_number": ob, "court_case": court, "prosecutor": prosecutor})
        for index, (ob, court) in enumerate(numbers, start=2)
    ]


def cases_of(rows: list[ParsedRow]) -> list[list[int]]:
    """The spreadsheet rows of each case, as ``grouped`` hands them on (each once its last row is read)."""
    found = survey(rows)
    return [[parsed.row for parsed in group] for group in grouped(rows, found)]


@pytest.fixture
def one_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every number hashes alike: the worst collision there can be."""
    monkeypatch.setattr(case_drafts, "number_hash", lambda key: 7)
    monkeypatch.setattr(common, "number_hash", lambda key: 7)


def test_the_rows_of_a_case_may_be_anywhere_in_the_file() -> None:
    rows = rows_of(
        ("OB 1", None),
        ("OB 2", None),
        ("OB 3", "E3 of 2021"),
        ("OB 2", None),
        (None, "E3 of 2021"),
        ("ob  1", None),  # OB numbers compared ignoring case and spaces
    )
    assert cases_of(rows) == [[3, 5], [4, 6], [2, 7]]


def test_an_ob_number_or_a_court_case_number_joins_rows_transitively() -> None:
    rows = rows_of(
        ("OB 1", None),
        ("OB 2", "E9 of 2020"),
        (None, "Criminal Case E 9 of 2020"),  # joins row 3 by its court number, written otherwise
        ("OB 3", "E10 of 2020"),
        ("OB 1", "e9/2020"),  # joins row 2 (OB 1) to rows 3 and 4 (E9 of 2020): one case of four rows
        ("OB 4", "E10 of 2021"),  # the same serial in another year: another case
    )
    assert cases_of(rows) == [[5], [2, 3, 4, 6], [7]]


def test_a_chain_closed_only_by_its_last_row_is_one_case() -> None:
    rows = rows_of(("OB 1", None), ("OB 2", None), ("OB 3", None), ("OB 3", "E1 of 2022"), ("OB 1", "E1 of 2022"))
    assert cases_of(rows) == [[3], [2, 4, 5, 6]]


def test_a_row_with_neither_number_is_a_case_of_its_own() -> None:
    rows = rows_of((None, None), ("OB 1", None), (None, None), ("OB 1", None), (None, "not a court number"))
    assert cases_of(rows) == [[2], [4], [3, 5], [6]]


def test_numbers_sharing_a_hash_never_join_two_cases(one_hash: None) -> None:
    rows = rows_of(
        ("OB 1", None),
        ("OB 2", "E5 of 2020"),
        (None, None),
        ("OB 1", None),
        (None, "E5 of 2020"),
        ("OB 3", "E6 of 2020"),
    )
    # Every numbered row is one case to the survey; compared in full, three, each in the order of its last row.
    assert cases_of(rows) == [[4], [2, 5], [3, 6], [7]]


def test_a_group_is_kept_whole_when_its_numbers_agree() -> None:
    rows = rows_of(("OB 1", None), ("OB 1", "E1 of 2020"), (None, "E1 of 2020"))
    assert apart(rows) == [rows]
    assert apart(rows[:1]) == [rows[:1]]


def test_the_layout_is_a_few_bytes_a_row() -> None:
    found = Survey()
    for parsed in rows_of(*[(f"OB {n // 2}", None) for n in range(1000)]):
        found.add(parsed)
    found.finish()
    assert isinstance(found.ob_of, array) and found.ob_of.itemsize == 8 and len(found.ob_of) == 1000
    cases, last = found.layout()
    assert isinstance(cases, array) and cases.itemsize == 4 and isinstance(last, bytearray)
    assert list(cases[:4]) == [0, 0, 2, 2] and list(last[:4]) == [0, 1, 0, 1]
    assert len(found.ob_of) == len(found.court_of) == 0  # the hashes are let go once laid out
    assert found.layout() == (cases, last)


def test_cases_already_in_the_tracker_are_found_by_either_number(prosecutor: User) -> None:
    by_ob = make_case(prosecutor, ob_number="OB 12/03/2021")
    by_court = make_case(prosecutor, court_case_serial="E99", court_case_year=2020)
    make_case(prosecutor, court_case_serial="E77", court_case_year=2019)
    found = survey(rows_of(("OB 12/03/2021", None), ("OB 2", "Criminal Case e 99 of 2020"), ("OB 3", "E77 of 2021")))
    known = found.known
    assert known.case_for("OB  12/03/2021", None) == by_ob
    assert known.case_for("OB 2", split_court_case("E99 of 2020")) == by_court
    assert known.case_for("OB 3", split_court_case("E77 of 2021")) is None  # E77 of 2019 is another case
    assert known.case_for("", None) is None


def test_a_number_sharing_a_hash_with_a_known_case_is_not_its_duplicate(prosecutor: User, one_hash: None) -> None:
    existing = make_case(prosecutor, ob_number="OB 1", court_case_serial="E1", court_case_year=2020)
    found = survey(rows_of(("OB 1", None), ("OB 2", "E2 of 2020"), (None, "E1 of 2020")))
    assert found.known.case_for("OB 1", None) == existing
    assert found.known.case_for("OB 2", split_court_case("E2 of 2020")) is None
    assert found.known.case_for("", split_court_case("E1 of 2020")) == existing


def test_numbers_and_names_are_looked_up_a_chunk_at_a_time(prosecutor: User, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "LOOKUP_CHUNK", 2)
    monkeypatch.setattr(case_drafts, "LOOKUP_CHUNK", 2)
    cases = [make_case(prosecutor, ob_number=f"OB {n}") for n in (1, 4)]
    numbers: list[Numbers] = [(f"OB {n}", f"E{n} of 2020") for n in range(1, 6)]
    found = survey(rows_of(*numbers, prosecutor=prosecutor.username))
    assert found.users == {prosecutor.username.casefold(): prosecutor}
    assert [found.known.case_for(f"OB {n}", None) for n in range(1, 6)] == [cases[0], None, None, cases[1], None]


def test_known_cases_keep_only_the_matches(prosecutor: User) -> None:
    existing = make_case(prosecutor, ob_number="OB 1")
    known = KnownCases()
    for n in range(1200):
        known.note(f"OB {n}", split_court_case(f"E{n} of 2020"))
    known.finish()
    assert len(known._ob_ids) == 1 and len(known._court_ids) == 0
    assert known.case_for("OB 1", None) == existing
