"""The assets register: seizures in cases already in the tracker, with valuations and court orders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from assets import services as asset_services
from assets.choices import AssetStatus
from assets.models import Asset, AssetIdentifier, CourtOrder, Valuation
from core.audit.chain_verify import verify_chain
from core.models import County, User
from imports.kinds.assets import AssetRegister
from imports.kinds.base import KINDS, Action, RowPlan
from prosecutions.models import Case
from tests.imports.kind_rows import parsed_rows
from tests.prosecutions.factories import make_accused, make_case

pytestmark = pytest.mark.django_db

FILE = "assets.xlsx"
HEADINGS = {column.key: column.header for column in AssetRegister.columns}


def ago(days: int) -> str:
    return (dt.date.today() - dt.timedelta(days=days)).strftime("%d/%m/%Y")


def day(days: int) -> dt.date:
    return dt.date.today() - dt.timedelta(days=days)


@pytest.fixture
def case(prosecutor: User) -> Case:
    case = make_case(prosecutor, ob_number="OB 5/6/2023", court_case_serial="E12", court_case_year=2023)
    make_accused(case, prosecutor, name="Juma Ali")
    return case


def row(**cells: Any) -> dict[str, Any]:
    base = {
        "ob_number": "OB 5/6/2023",
        "description": "Toyota Probox, white",
        "asset_type": "Motor vehicle",
        "identifier": "KDA 123A",
        "seized_on": ago(150),
        "seizing_agency": "dci",
        "estimated_value": "1,200,000",
    }
    base.update(cells)
    return {HEADINGS[key]: value for key, value in base.items() if value is not None}


def plan(rows: list[dict[str, Any]], user: User) -> list[RowPlan]:
    return AssetRegister().plan(parsed_rows(AssetRegister, rows), user)


def messages(plans: list[RowPlan]) -> list[str]:
    return [str(error) for p in plans for error in p.errors]


def save(plans: list[RowPlan], user: User) -> list[int]:
    assert messages(plans) == []
    done: list[int] = []
    AssetRegister().apply(plans, user, file_name=FILE, progress=done.append)
    return done


def test_the_kind_is_registered_for_the_asset_writers() -> None:
    assert KINDS["assets"] is AssetRegister
    assert AssetRegister.allowed_roles == {"Prosecutor", "Unit head"}


def test_an_asset_with_its_valuations_and_orders_follows_them_to_forfeiture(case: Case, prosecutor: User) -> None:
    rows = [
        row(
            owner="juma ali", custodian="DCI Mombasa", valued_on=ago(140), valuation="1,100,000", valuer="Kenya Valuers"
        ),
        row(
            identifier="kda-123a",
            order_type="Forfeiture order",
            legal_basis="CTIP Act s.17 — confiscation and forfeiture to the Fund",
            order_number="HCACEC Misc. E12 of 2023",
            granted_on=ago(60),
            order_court="High Court at Nairobi (Milimani), Criminal Division",
            gazetted_on=ago(50),
            gazette_notice="GN 1234",
            destination="Victims' Trust Fund (CTIP s.17)",
        ),
        row(
            identifier="KDA123A",
            order_type="Preservation order",
            legal_basis="POCAMLA s.82 — preservation order",
            order_number="Misc. E5 of 2023",
            granted_on=ago(120),
            order_court="Milimani Chief Magistrate's Court",
        ),
        row(identifier="0722 418 305", asset_type="Cash", description="Cash in a bag", estimated_value="45000"),
    ]
    plans = plan(rows, prosecutor)
    assert [p.action for p in plans] == [Action.CREATE] * 4
    assert plans[0].summary == f"New asset on {case.reference}: Toyota Probox, white: valuation of 1,100,000.00"
    assert plans[2].summary == "Same asset as row 2: Preservation order"

    assert save(plans, prosecutor) == [3, 4]

    vehicle = Asset.objects.get(case=case, asset_type="motor_vehicle")
    assert vehicle.status == AssetStatus.FORFEITED and vehicle.destination == "trust_fund"
    assert vehicle.owner is not None and vehicle.owner.name == "Juma Ali"
    assert vehicle.estimated_value == Decimal("1100000.00")
    assert list(AssetIdentifier.objects.filter(asset=vehicle).values_list("kind", "value")) == [
        ("vehicle_registration", "KDA123A")
    ]
    orders = list(CourtOrder.objects.filter(asset=vehicle).order_by("granted_on"))
    assert [o.order_type for o in orders] == ["preservation", "forfeiture"]
    assert orders[1].gazetted_on == day(50) and orders[1].court is not None
    valuation = Valuation.objects.get(asset=vehicle)
    assert valuation.history.get().history_change_reason == f"Valuation by Kenya Valuers (imported from {FILE}, row 2)"
    assert orders[0].history.get().history_change_reason == f"Preservation order recorded (imported from {FILE}, row 4)"
    assert Asset.objects.filter(case=case).count() == 2
    assert verify_chain().ok


def test_an_asset_already_recorded_on_the_case_is_reported_not_seized_twice(case: Case, prosecutor: User) -> None:
    existing = asset_services.record_seizure(
        case,
        prosecutor,
        asset_type="motor_vehicle",
        description="Probox",
        seized_on=day(150),
        seizing_agency="dci",
        estimated_value=Decimal("1000000"),
        identifiers=[("vehicle_registration", "kda123a")],
    )
    other = make_case(prosecutor, ob_number="OB 9/9/2023")
    plans = plan([row(identifier="KDA-123A"), row(ob_number="OB 9/9/2023")], prosecutor)
    assert [p.action for p in plans] == [Action.DUPLICATE, Action.CREATE]  # the same lorry on another case is new
    assert plans[0].summary == f"Already in the tracker as {existing.reference} on {case.reference}: not imported again"
    save(plans, prosecutor)
    assert Asset.objects.filter(case=case).count() == 1
    assert Asset.objects.filter(case=other).count() == 1


def test_an_ob_number_two_stations_share_needs_the_county(case: Case, prosecutor: User) -> None:
    make_case(prosecutor, ob_number="OB 5/6/2023", county=County.objects.get(name="Kisumu"))
    assert "give the county or the court case number" in messages(plan([row()], prosecutor))[0]
    plans = plan([row(county="Nairobi City")], prosecutor)
    assert messages(plans) == [] and case.reference in plans[0].summary


@pytest.mark.parametrize(
    ("cells", "column", "words"),
    [
        ({"ob_number": "OB 404"}, "OB number", "no case in the tracker has the OB number OB 404"),
        ({"ob_number": None}, "OB number", "give the case's OB number or court case number"),
        ({"asset_type": "Motorbike"}, "Type", "is not a type of asset"),
        ({"seizing_agency": "DCII"}, "Seizing agency", "did you mean"),
        ({"estimated_value": "-5"}, "Estimated value", "negative"),
        ({"currency": "USD"}, "Exchange rate", "needs the exchange rate"),
        ({"owner": "Omar Said"}, "Owner (accused)", "is not an accused in"),
        ({"valuation": "5000"}, "Valued by", "a valuation needs its date, amount and valuer"),
        ({"order_type": "Forfeiture order"}, "Legal basis", "a court order needs"),
        (
            {
                "order_type": "Forfeiture order",
                "legal_basis": "ctip_s17",
                "order_number": "1",
                "granted_on": ago(10),
                "order_court": "Mombasa Chief Magistrate's Court",
            },
            "Destination",
            "say where the proceeds",
        ),
        ({"valued_on": ago(200), "valuation": "10", "valuer": "X"}, "Valuation date", "before the asset was seized"),
        ({"seized_on": ago(-1)}, "Date seized", "in the future"),
        ({"description": "Probox", "identifier": None}, "", None),
    ],
)
def test_each_mistake_is_said_by_row_and_column(
    case: Case, prosecutor: User, cells: dict[str, Any], column: str, words: str | None
) -> None:
    plans = plan([row(**cells)], prosecutor)
    if words is None:
        assert messages(plans) == []
        return
    found = [error for error in plans[0].errors if error.column == column]
    assert found and words in found[0].message, messages(plans)


def test_rows_of_one_asset_that_disagree_are_refused(case: Case, prosecutor: User) -> None:
    plans = plan([row(), row(estimated_value="900000")], prosecutor)
    assert messages(plans) == [
        "row 3, Estimated value: row 2 says otherwise of the same asset: give one Estimated value"
    ]


def test_a_preservation_after_forfeiture_is_refused_before_saving(case: Case, prosecutor: User) -> None:
    forfeit = {"order_type": "forfeiture", "legal_basis": "ctip_s17", "order_number": "F1", "granted_on": ago(100)}
    preserve = {"order_type": "preservation", "legal_basis": "pocamla_s82", "order_number": "P1", "granted_on": ago(50)}
    court = {"order_court": "Mombasa Chief Magistrate's Court"}
    plans = plan([row(**forfeit, **court, destination="trust_fund"), row(**preserve, **court)], prosecutor)
    assert messages(plans) == [
        "row 3, Order type: a preservation order cannot follow a forfeiture of the same asset (order dates)"
    ]


def test_a_prosecutor_not_on_the_case_may_not_import_its_assets(case: Case, other_prosecutor: User) -> None:
    assert "not the lead prosecutor or on the team" in messages(plan([row()], other_prosecutor))[0]
