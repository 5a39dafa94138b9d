"""The API in Kiswahili: a system that sends ``Accept-Language: sw`` gets the messages of its refusals and the
``<field>_label`` values in Kiswahili, while the codes (error codes, choice values) stay the same English
ones. Without the header the answers are English (the default)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from core.models import User
from core.translations import compile_catalogues
from tests.api.conftest import World, client_with
from tests.helpers import table_counts

ApiAs = Callable[[User], APIClient]
SW = {"HTTP_ACCEPT_LANGUAGE": "sw"}  # as a Kiswahili-speaking system asks


@pytest.fixture(autouse=True)
def _catalogues() -> None:
    compile_catalogues()


def _post(api: APIClient, url: str, body: dict[str, Any], **headers: str) -> Any:
    # The language comes from the request alone: the test's own language (English) is put back afterwards.
    with translation.override("en-gb"):
        return api.post(url, body, format="json", **headers)


def test_a_write_returns_its_labels_in_kiswahili_and_a_refusal_says_why_in_kiswahili(
    api_as: ApiAs, world: World, prosecutor: User
) -> None:
    api = api_as(prosecutor)
    charge = world.charges[0]
    response = _post(api, f"/api/v1/counts/{charge.pk}/plea/", {"plea": "not_guilty"}, **SW)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["plea"] == "not_guilty"  # the code stays
    assert body["plea_label"] == "Amekana kosa"  # the label is translated
    assert response["Content-Language"] == "sw"

    before = table_counts("prosecutions")
    refused = _post(api, f"/api/v1/counts/{charge.pk}/outcome/", {"disposition": "convicted_trial"}, **SW)
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "disposition_not_allowed"  # never translated
    assert "haiwezi kurekodiwa" in error["message"]
    assert "Kabla ya usikilizaji" in error["message"]  # the stage's label, in Kiswahili too
    assert "cannot be recorded" not in error["message"]
    assert table_counts("prosecutions") == before

    in_english = _post(api, f"/api/v1/counts/{charge.pk}/outcome/", {"disposition": "convicted_trial"})
    assert in_english.json()["error"]["code"] == "disposition_not_allowed"
    assert "cannot be recorded while the case is at Pre-trial" in in_english.json()["error"]["message"]


def test_the_apis_own_refusals_are_in_kiswahili_with_their_english_codes(api_as: ApiAs, prosecutor: User) -> None:
    with translation.override("en-gb"):
        missing = api_as(prosecutor).get("/api/v1/cases/999999/", **SW)
        stranger = client_with("ctip_000000000000_notatoken").get("/api/v1/cases/", **SW)
        english = api_as(prosecutor).get("/api/v1/cases/999999/")
    assert missing.status_code == 404
    not_found = {"code": "not_found", "message": "Haipatikani, au huruhusiwi kuiona.", "field": None}
    assert missing.json()["error"] == not_found
    assert stranger.status_code == 401
    assert stranger.json()["error"]["code"] == "authentication_failed"
    assert stranger.json()["error"]["message"] == "Tokeni hii haikutolewa na mfumo huu."
    assert english.json()["error"]["message"] == "Not found, or not yours to see."
