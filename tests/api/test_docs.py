"""The schema and its viewers: the schema for signed-in users and tokens (401 in JSON for anonymous), the
viewers for people (the sign-in page for anonymous), served from the sidecar package under the site's CSP."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import User
from tests.api.conftest import client_with, token_for


def test_the_schema_answers_a_token_and_refuses_anonymous(prosecutor: User) -> None:
    assert APIClient().get(reverse("api-schema")).status_code == 401
    response = client_with(token_for(prosecutor)).get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/cases/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"
    post = schema["paths"]["/api/v1/cases/{id}/hearings/"]["post"]
    assert "Idempotency-Key" in [parameter["name"] for parameter in post["parameters"]]
    assert {"201", "400", "409"} <= set(post["responses"])


def test_the_viewers_are_pages_behind_sign_in(client: Client, prosecutor: User) -> None:
    for name in ("api-docs", "api-redoc"):
        anonymous = client.get(reverse(name))
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith("/accounts/login/")


def test_the_viewers_load_only_the_sites_own_files_with_no_inline_script(client: Client, prosecutor: User) -> None:
    client.force_login(prosecutor)
    for name in ("api-docs", "api-redoc"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        page = response.content.decode()
        scripts = re.findall(r"<script([^>]*)>", page)
        assert scripts and all("src=" in attributes for attributes in scripts), scripts  # none inline
        assert "<style" not in page and "googleapis" not in page and "cdn" not in page.lower()
        assert all(src.startswith("/") for src in re.findall(r'(?:src|href)="([^"]+)"', page))
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy
    initialiser = client.get(reverse("api-docs"), {"script": ""})
    assert initialiser.status_code == 200
    assert initialiser["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in initialiser.content.decode()
    redoc_policy = client.get(reverse("api-redoc"))["Content-Security-Policy"]
    assert "worker-src 'self' blob:" in redoc_policy
    assert "script-src 'self';" in redoc_policy  # styles only: never inline script
    assert "unsafe-inline" not in client.get(reverse("api-docs"))["Content-Security-Policy"]


def test_an_unknown_api_address_is_a_json_404(prosecutor: User) -> None:
    api = client_with(token_for(prosecutor))
    for url in ("/api/v1/nothing/", "/api/v1/counts/-5/plea/", "/api/v1/witnesses/a.b/"):
        response = api.get(url)
        assert response.status_code == 404, url
        assert response.json()["error"]["code"] == "not_found"
    assert APIClient().get("/api/v1/nothing/").status_code == 401
