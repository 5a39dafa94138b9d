"""A closed case takes no new seizure until it is reopened (issue 13); the proceedings on assets already
recorded — orders, valuations, the sale — go on after closure, as ``assets/access.py`` explains."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assets import services
from prosecutions import services as prosecution_services
from prosecutions.exceptions import CaseClosed
from prosecutions.models import Case
from tests.assets.factories import seize
from tests.helpers import table_counts
from tests.prosecutions.factories import charged_case

pytestmark = pytest.mark.django_db


def _close(case: Case) -> None:
    prosecution_services.move_stage(
        case, case.lead_prosecutor, "closed", closure_reason="withdrawn", effective_on=timezone.localdate()
    )


def test_a_new_seizure_on_a_closed_case_is_refused_but_recorded_assets_go_on(prosecutor: Any, unit_head: Any) -> None:
    case = charged_case(prosecutor, title="Republic v. Seized Mutua")
    asset = seize(case, prosecutor)
    _close(case)
    before = table_counts("assets")
    for user in (prosecutor, unit_head):
        with pytest.raises(CaseClosed, match="is closed and read-only"):
            seize(case, user, description="Toyota Hiace")
    assert table_counts("assets") == before
    valuation = services.add_valuation(
        asset, prosecutor, valued_on=timezone.localdate() - dt.timedelta(days=1), amount=Decimal("900000"), valuer="X"
    )
    assert valuation.asset_id == asset.pk


def test_the_seizure_page_of_a_closed_case_is_refused_and_saves_nothing(client: Client, prosecutor: Any) -> None:
    case = charged_case(prosecutor, title="Republic v. Page Mutua")
    _close(case)
    client.force_login(prosecutor)
    before = table_counts("assets")
    response = client.post(
        reverse("assets:asset_create", args=[case.pk]),
        {"asset_type": "motor_vehicle", "description": "Hiace", "seized_on": "2026-01-01", "seizing_agency": "dci"},
    )
    assert response.status_code == 403
    assert table_counts("assets") == before
