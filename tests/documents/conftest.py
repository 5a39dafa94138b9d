"""Documents fixtures: a case led by ``prosecutor`` with its accused, counts and a hearing; an asset with a
preservation order on it; a witness under protection; a disbursement request."""

from __future__ import annotations

from typing import Any

import pytest

from prosecutions import services as prosecution_services
from prosecutions.models import Case, Charge
from tests.assets.factories import preserve, seize
from tests.prosecutions.factories import charged_case, days_ago
from tests.trustfund.factories import receive, request
from tests.witnesses.factories import admitted, court_measures, witness_on
from witnesses.models import ProtectionMeasure


@pytest.fixture
def case(prosecutor) -> Case:
    return charged_case(prosecutor, title="Republic v. Juma Bakari")


@pytest.fixture
def other_case(other_prosecutor) -> Case:
    return charged_case(other_prosecutor, title="Republic v. Omar Salim")


@pytest.fixture
def count(case) -> Charge:
    found = Charge.objects.filter(accused__case=case).order_by("count_number").first()
    assert found is not None
    return found


@pytest.fixture
def hearing(case, prosecutor) -> Any:
    return prosecution_services.record_hearing(case, prosecutor, date=days_ago(-3), purpose="mention")


@pytest.fixture
def order(case, prosecutor) -> Any:
    return preserve(seize(case, prosecutor), prosecutor)


@pytest.fixture
def witness(case, prosecutor, liaison) -> Any:
    protected = admitted(witness_on(case, prosecutor), liaison)
    court_measures(protected, liaison)
    return protected


@pytest.fixture
def measure(witness) -> ProtectionMeasure:
    found = ProtectionMeasure.objects.filter(witness=witness).first()
    assert found is not None
    return found


@pytest.fixture
def disbursement(fund_admin) -> Any:
    receive(fund_admin, "500000.00", days_ago(10))
    return request(fund_admin, "45000.00", days_ago(2), service_provider="Kituo cha Sheria")
