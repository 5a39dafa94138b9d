"""A small kind of register for the engine's tests — courts — registered only while a test uses it, so the
engine is tested without the real kinds (tests/imports/test_kind_*.py test those)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import openpyxl
import pytest

from core.channels import history_note
from core.exceptions import DomainError
from core.models import County, User
from core.roles import PROSECUTION_ROLES
from imports import values
from imports.kinds.base import KINDS, Action, Column, ImportKind, ParsedRow, RowError, RowPlan
from prosecutions.choices import CourtLevel
from prosecutions.models import Court

HEADERS = ["Court", "Level", "Station", "County", "Opened on", "Budget"]
REFUSED_NAME = "Refused Law Courts"


class CourtRegister(ImportKind):
    """Courts: one row per court. A court whose name is already in the tracker is a duplicate; a court named
    ``REFUSED_NAME`` is refused by the "service" when saved (a refusal the preview cannot foresee)."""

    slug = "courts"
    title = "Court register"
    allowed_roles = PROSECUTION_ROLES
    list_url_name = "core:county_list"
    columns = (
        Column("name", "Court", values.text_up_to(150), required=True),
        Column("level", "Level", values.choice(dict(CourtLevel.choices), "a level of court"), required=True),
        Column("station", "Station", values.text_up_to(100)),
        Column("county", "County", values.text, required=True),
        Column("opened_on", "Opened on", values.date),
        Column("budget", "Budget", values.money),
    )

    def plan(self, rows: Sequence[ParsedRow], user: User) -> list[RowPlan]:
        existing = set(Court.objects.values_list("name", flat=True))
        counties = {name.lower(): name for name in County.objects.values_list("name", flat=True)}
        plans = []
        for row in rows:
            errors = list(row.errors)
            county = row.values.get("county")
            if county and str(county).lower() not in counties:
                errors.append(RowError(row.row, "County", f"'{county}' is not a county"))
            action = Action.DUPLICATE if row.values.get("name") in existing else Action.CREATE
            plans.append(RowPlan(row.row, row.values, action, f"Court {row.values.get('name')}", errors))
        return plans

    def apply(self, plans: Sequence[RowPlan], user: User, *, file_name: str, progress: Callable[[int], None]) -> None:
        for done, plan in enumerate(plans, start=1):
            with history_note(f"imported from {file_name}, row {plan.row}"):
                if plan.action == Action.CREATE:
                    if plan.values["name"] == REFUSED_NAME:
                        raise DomainError(f"the court {REFUSED_NAME} cannot be registered")
                    court = Court(
                        name=str(plan.values["name"]),
                        level=str(plan.values["level"]),
                        station=str(plan.values.get("station") or ""),
                        county=County.objects.get(name__iexact=str(plan.values["county"])),
                    )
                    court.save_as(user, "court registered")
            progress(done)


@pytest.fixture
def court_kind() -> Iterator[type[ImportKind]]:
    KINDS[CourtRegister.slug] = CourtRegister
    yield CourtRegister
    KINDS.pop(CourtRegister.slug, None)


@pytest.fixture(autouse=True)
def _imports_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Registers a test uploads are kept in a folder of its own."""
    settings.IMPORT_ROOT = tmp_path / "imports"


def county() -> str:
    return str(County.objects.order_by("code").values_list("name", flat=True).first())


def court_rows(count: int, start: int = 1) -> list[list[Any]]:
    return [
        [f"Test Court {n}", "High Court", f"Station {n}", county(), "01/03/2024", "1,200"]
        for n in range(start, start + count)
    ]


def xlsx_bytes(rows: list[list[Any]], headers: list[str] = HEADERS, sheet: str = "Courts") -> bytes:
    workbook = openpyxl.Workbook()
    sheet_ = workbook.active
    assert sheet_ is not None
    sheet_.title = sheet
    sheet_.append(headers)
    for row in rows:
        sheet_.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[Any]], headers: list[str] = HEADERS, encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)
