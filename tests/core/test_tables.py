"""Column specs: the same declaration shows a cell on screen and finds its value for the export."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from core.tables import Column, ColumnKind, format_value


def test_a_dotted_accessor_follows_relations_and_stops_at_none() -> None:
    column = Column("county", "County", accessor="court.county.name")
    court = SimpleNamespace(county=SimpleNamespace(name="Mombasa"))
    assert column.value(SimpleNamespace(court=court)) == "Mombasa"
    assert column.value(SimpleNamespace(court=None)) is None


def test_a_method_accessor_is_called() -> None:
    column = Column("stage", "Stage", accessor="get_stage_display")
    assert column.value(SimpleNamespace(get_stage_display=lambda: "Pre-trial")) == "Pre-trial"


def test_rows_may_be_mappings_such_as_values_rows() -> None:
    column = Column("county", "County", accessor="court.county")
    assert column.value({"court": {"county": "Kilifi"}}) == "Kilifi"


def test_a_misspelt_key_is_an_error_not_a_silent_blank() -> None:
    with pytest.raises(KeyError):
        Column("countyy", "County").value({"county": "Kilifi"})


@pytest.mark.parametrize(
    ("value", "kind", "shown"),
    [
        (Decimal("1250000.5"), ColumnKind.MONEY, "KES 1,250,000.50"),
        (None, ColumnKind.MONEY, "—"),
        ("", ColumnKind.TEXT, "—"),
        (True, ColumnKind.BOOLEAN, "Yes"),
        (False, ColumnKind.BOOLEAN, "No"),
        (dt.date(2026, 7, 1), ColumnKind.DATE, "01 Jul 2026"),
        (dt.datetime(2026, 7, 1, 6, 0, tzinfo=dt.UTC), ColumnKind.DATETIME, "01 Jul 2026 09:00"),
        (12345, ColumnKind.INTEGER, "12,345"),
    ],
)
def test_cells_are_shown_the_way_a_kenyan_reader_expects(value: object, kind: ColumnKind, shown: str) -> None:
    assert format_value(value, kind) == shown
