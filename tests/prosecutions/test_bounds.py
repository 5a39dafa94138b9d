"""Numbers beyond the database's integer range in an id field are a form error, never a 500 (issue 13):
``POST /cases/<pk>/team/`` with ``team=99999999999999999999`` crashed on SQLite ("Python int too large to
convert to SQLite INTEGER"). Counts and months beyond their columns are refused the same way."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from core.roles import Role
from prosecutions.models import Case, Charge
from tests.factories import UserFactory
from tests.helpers import post_refused

pytestmark = pytest.mark.django_db
TWENTY_DIGITS = "99999999999999999999"


def shown_form(client: Client, url: str) -> dict[str, Any]:
    """The hidden fields of the form as the page shows it (its optimistic-lock version among them)."""
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    hidden = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html)
    return {name: value for name, value in hidden if name != "csrfmiddlewaretoken"}


def test_a_team_member_id_beyond_the_integer_range_is_a_form_error(client: Client, case: Case, unit_head: Any) -> None:
    other = UserFactory.create(username="kiptoo", roles=[Role.PROSECUTOR])
    client.force_login(unit_head)
    url = reverse("prosecutions:case_team", args=[case.pk])
    data = shown_form(client, url) | {"lead_prosecutor": case.lead_prosecutor_id}
    for team in ([TWENTY_DIGITS], [str(other.pk), TWENTY_DIGITS], ["-" + TWENTY_DIGITS]):
        post_refused(client, url, data | {"team": team}, "team", "is not one of the available choices", "prosecutions")
    post_refused(
        client, url, data | {"lead_prosecutor": TWENTY_DIGITS}, "lead_prosecutor", "valid choice", "prosecutions"
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("count_number", "40000"), ("count_number", TWENTY_DIGITS)],
)
def test_a_count_number_beyond_its_column_is_a_form_error(
    client: Client, case: Case, prosecutor: Any, field: str, value: str
) -> None:
    charge = Charge.objects.filter(accused__case=case).first()
    assert charge is not None
    client.force_login(prosecutor)
    url = reverse("prosecutions:charge_create", args=[case.pk, charge.accused_id])
    data = shown_form(client, url) | {"offence": "ctip:7", "offence_date": "2025-01-10", field: value}
    post_refused(client, url, data, field, "less than or equal to", "prosecutions")
