"""Personal API tokens: made on the account page and shown once, stored as a digest, expiring, revocable,
their last use recorded; anything but a good token is a 401 with a message saying why."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from core.grants import services as grants
from core.models import RoleGrant, User
from core.roles import Role
from tests.api.conftest import client_with, token_for
from tests.factories import granting_officers

CASES = "/api/v1/cases/"


def _make_on_profile(client: Client, name: str = "Judiciary CTS", days: int = 30) -> tuple[str, object]:
    expires = timezone.localdate() + dt.timedelta(days=days)
    response = client.post(
        reverse("core:profile"), {"action": "create", "name": name, "expires_on": expires.isoformat()}
    )
    assert response.status_code == 200
    return response.context["new_token"], response


def test_the_account_page_shows_who_and_what_roles(client: Client, prosecutor: User) -> None:
    client.force_login(prosecutor)
    response = client.get(reverse("core:profile"))
    assert response.status_code == 200
    page = response.content.decode()
    assert prosecutor.username in page
    assert Role.PROSECUTOR in page
    assert 'href="/accounts/profile/"' in client.get(reverse("core:home")).content.decode()  # the user menu link


def test_a_token_is_shown_once_and_stored_only_as_a_digest(client: Client, prosecutor: User) -> None:
    client.force_login(prosecutor)
    secret, response = _make_on_profile(client)
    assert secret in response.content.decode()  # type: ignore[attr-defined]
    token = ApiToken.objects.get(user=prosecutor)
    tag, prefix, raw = secret.split("_", 2)
    assert (tag, prefix) == ("ctip", token.prefix)
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    stored = " ".join(str(value) for value in ApiToken.objects.filter(pk=token.pk).values_list().get())
    assert raw not in stored
    assert len(raw) >= 43  # 32 random bytes, URL-safe base64: 256 bits
    assert secret not in client.get(reverse("core:profile")).content.decode()  # never again
    assert "Judiciary CTS" in client.get(reverse("core:profile")).content.decode()


@pytest.mark.parametrize(
    ("days", "words"),
    [(0, "after today"), (-3, "after today"), (400, "at most a year")],
    ids=["today", "past", "too-long"],
)
def test_an_expiry_out_of_bounds_is_refused(client: Client, prosecutor: User, days: int, words: str) -> None:
    client.force_login(prosecutor)
    expires = timezone.localdate() + dt.timedelta(days=days)
    response = client.post(
        reverse("core:profile"), {"action": "create", "name": "x", "expires_on": expires.isoformat()}
    )
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_token_signs_its_owner_in_and_its_use_is_recorded_once_a_minute(prosecutor: User) -> None:
    secret = token_for(prosecutor)
    api = client_with(secret)
    assert api.get(CASES).status_code == 200
    token = ApiToken.objects.get(user=prosecutor)
    first = token.last_used_at
    assert first is not None
    assert api.get(CASES).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first  # not written again within the minute
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=2))
    assert api.get(CASES).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > first - dt.timedelta(minutes=2)


def _refused(api: APIClient, words: str) -> None:
    response = api.get(CASES)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["error"]["code"] == "authentication_failed"
    assert words in body["error"]["message"]


def test_expired_revoked_and_unknown_tokens_are_refused_with_a_reason(prosecutor: User) -> None:
    secret = token_for(prosecutor)
    token = ApiToken.objects.get(user=prosecutor)
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=timezone.now() - dt.timedelta(days=40), expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    _refused(client_with(secret), "expired")
    revoked = token_for(prosecutor, name="second")
    ApiToken.objects.filter(name="second").update(revoked_at=timezone.now())
    _refused(client_with(revoked), "revoked")
    tag, prefix, raw = revoked.split("_", 2)
    _refused(client_with(f"{tag}_{prefix}_{raw[::-1]}"), "not one this tracker issued")  # right prefix, wrong secret
    _refused(client_with("ctip_000000000000_nothing"), "not one this tracker issued")
    _refused(client_with("garbage"), "not one this tracker issued")


def test_no_credentials_is_a_401_in_json_never_a_redirect(db: None) -> None:
    response = APIClient().get(CASES)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "not_authenticated"


def test_revoking_on_the_account_page_asks_first_then_the_token_stops_working(client: Client, prosecutor: User) -> None:
    client.force_login(prosecutor)
    secret, _ = _make_on_profile(client)
    token = ApiToken.objects.get(user=prosecutor)
    api = client_with(secret)
    assert api.get(CASES).status_code == 200
    asked = client.post(reverse("core:profile"), {"action": "revoke", "token": token.pk})
    assert asked.status_code == 200
    assert "cannot be undone" in asked.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None  # not before the confirmation
    done = client.post(reverse("core:profile"), {"action": "revoke", "token": token.pk, "confirm": "yes"})
    assert done.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    _refused(api, "revoked")


def test_nobody_revokes_someone_elses_token(client: Client, prosecutor: User, other_prosecutor: User) -> None:
    secret = token_for(prosecutor)
    token = ApiToken.objects.get(user=prosecutor)
    client.force_login(other_prosecutor)
    client.post(reverse("core:profile"), {"action": "revoke", "token": token.pk, "confirm": "yes"})
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client_with(secret).get(CASES).status_code == 200


def test_a_token_carries_only_the_roles_its_owner_holds_now(prosecutor: User) -> None:
    api = client_with(token_for(prosecutor))
    assert api.get(CASES).status_code == 200
    asker, _approver = granting_officers()
    grant = RoleGrant.objects.get(user=prosecutor, role=Role.PROSECUTOR, status="approved")
    grants.revoke_grant(grant, asker, reason="Left the unit")
    response = api.get(CASES)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_a_switched_off_account_gets_nothing(prosecutor: User) -> None:
    api = client_with(token_for(prosecutor))
    User.objects.filter(pk=prosecutor.pk).update(is_active=False)
    _refused(api, "switched off")
