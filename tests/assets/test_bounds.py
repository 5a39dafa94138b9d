"""``GET /assets/?expiring_within=99999999999999999999`` was a 500 on every database (a date 10^20 days
ahead); now the filter says what it accepts, and the list shows no rows rather than the wrong ones."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
TWENTY_DIGITS = "99999999999999999999"


@pytest.mark.parametrize("value", [TWENTY_DIGITS, "3651", "-1", "1.5", "1e400"])
def test_the_asset_list_refuses_an_expiry_window_it_cannot_compute(client: Client, prosecutor: Any, value: str) -> None:
    client.force_login(prosecutor)
    response = client.get(reverse("assets:asset_list"), {"expiring_within": value})
    assert response.status_code == 200
    assert response.context["filter"].errors["expiring_within"]
    assert "0 assets" in response.content.decode() or not response.context["object_list"]


@pytest.mark.parametrize("field", ["value_min", "value_max"])
def test_the_asset_list_refuses_an_amount_beyond_the_money_precision(
    client: Client, prosecutor: Any, field: str
) -> None:
    client.force_login(prosecutor)
    response = client.get(reverse("assets:asset_list"), {field: TWENTY_DIGITS})
    assert response.status_code == 200
    assert response.context["filter"].errors[field]


def test_a_window_within_bounds_still_filters(client: Client, prosecutor: Any) -> None:
    client.force_login(prosecutor)
    response = client.get(reverse("assets:asset_list"), {"expiring_within": "3650"})
    assert response.status_code == 200
    assert not response.context["filter"].errors
