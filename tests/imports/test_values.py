"""The shared cell readers: every kind reads its cells through them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from imports import values
from imports.kinds.base import CellError

SECTIONS = {"s3_1": "CTIP s.3(1)", "s3_6": "CTIP s.3(6)", "s4": "CTIP s.4", "s10": "CTIP s.10"}


@pytest.mark.parametrize(
    "written",
    [
        "2024-03-01",
        "01/03/2024",
        "1/3/2024",
        "01-03-2024",
        "01.03.2024",
        "1-Mar-2024",
        "1 Mar 2024",
        "1 March 2024",
        "1st March 2024",
        "2024-03-01 00:00:00",
        "2024/03/01",
    ],
)
def test_a_date_is_read_in_the_formats_people_write(written: str) -> None:
    assert values.date(written) == dt.date(2024, 3, 1)


def test_an_excel_date_cell_is_its_date() -> None:
    assert values.date(dt.datetime(2024, 3, 1, 0, 0)) == dt.date(2024, 3, 1)
    assert values.date(dt.date(2024, 3, 1)) == dt.date(2024, 3, 1)


def test_a_month_day_date_is_refused_saying_dates_are_day_first() -> None:
    with pytest.raises(CellError) as refused:
        values.date("03/25/2024")
    assert "day first" in refused.value.message
    assert "01/03/2024" in refused.value.message  # the formats accepted


@pytest.mark.parametrize("written", ["31/02/2024", "hello", "2024-13-01"])
def test_an_impossible_date_is_refused_with_the_formats_accepted(written: str) -> None:
    with pytest.raises(CellError) as refused:
        values.date(written)
    assert written in refused.value.message and "1 March 2024" in refused.value.message


def test_a_number_is_not_taken_for_a_date() -> None:
    with pytest.raises(CellError, match="a number, not a date"):
        values.date(45000)


@pytest.mark.parametrize(
    ("written", "amount"),
    [
        ("1,200,000.50", Decimal("1200000.50")),
        ("KES 1,200", Decimal("1200.00")),
        ("KSh 1,200/=", Decimal("1200.00")),
        ("Ksh. 99", Decimal("99.00")),
        (1200.5, Decimal("1200.50")),
        (7, Decimal("7.00")),
        ("0", Decimal("0.00")),
    ],
)
def test_money_is_read_as_shillings_and_cents(written: object, amount: Decimal) -> None:
    assert values.money(written) == amount  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("-5", "negative"),
        ("1.005", "fractions of a cent"),
        ("abc", "not an amount"),
        ("1e30", "not an amount"),
        ("9" * 20, "too large"),
    ],
)
def test_bad_money_is_refused_saying_why(written: str, why: str) -> None:
    with pytest.raises(CellError, match=why):
        values.money(written)


def test_whole_numbers_and_text() -> None:
    assert values.integer("1,200") == 1200
    assert values.integer(12.0) == 12
    with pytest.raises(CellError):
        values.integer("12.5")
    assert values.text(1234.0) == "1234"  # a court number typed as a number
    with pytest.raises(CellError, match="control character"):
        values.text("a\x00b")
    with pytest.raises(CellError, match="at most 5"):
        values.text_up_to(5)("abcdefg")


@pytest.mark.parametrize(
    ("written", "meaning"), [("Yes", True), ("n", False), (True, False), ("TRUE", True), ("0", False)]
)
def test_yes_or_no(written: object, meaning: bool) -> None:
    expected = meaning if written is not True else True
    assert values.yes_no(written) is expected  # type: ignore[arg-type]


def test_yes_or_no_refuses_maybe() -> None:
    with pytest.raises(CellError, match="not yes or no"):
        values.yes_no("maybe")


@pytest.mark.parametrize("written", ["CTIP s.3(1)", "ctip S 3 (1)", "s3_1", "CTIP  s.3(1) ", "ctips31"])
def test_a_choice_is_read_from_its_code_or_label_ignoring_case_and_punctuation(written: str) -> None:
    assert values.choice(SECTIONS, "a section of the Act")(written) == "s3_1"


def test_a_misspelled_choice_is_refused_with_the_closest_option() -> None:
    with pytest.raises(CellError) as refused:
        values.choice(SECTIONS, "a section of the Act")("CTIP 3")
    assert refused.value.message == "'CTIP 3' is not a section of the Act; did you mean CTIP s.3(1)?"


def test_a_choice_far_from_every_option_lists_them() -> None:
    with pytest.raises(CellError) as refused:
        values.choice(SECTIONS, "a section of the Act")("Penal Code")
    assert "write one of: CTIP s.3(1), CTIP s.3(6), CTIP s.4, CTIP s.10" in refused.value.message
