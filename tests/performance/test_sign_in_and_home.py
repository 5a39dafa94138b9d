"""Sign-in at national scale (issue 20): Argon2id at OWASP's parameters, older hashes still accepted and
upgraded at sign-in, and a home page whose case panels count from the stage index."""

from __future__ import annotations

from typing import Any

import pytest
from argon2 import extract_parameters
from argon2.low_level import Type
from django.conf import settings as django_settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, identify_hasher, make_password
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import User
from core.passwords import OwaspArgon2idPasswordHasher
from tests.factories import UserFactory

PASSWORD = "correct-Horse-battery-9"

# The project's hashers, not the tests' fast MD5 (tests/conftest.py).
PRODUCTION_HASHERS = list(django_settings.PASSWORD_HASHERS)


@pytest.fixture
def real_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS


def test_passwords_are_hashed_with_argon2id_at_owasp_parameters(real_hashing: None) -> None:
    assert PRODUCTION_HASHERS[0] == "core.passwords.OwaspArgon2idPasswordHasher"
    encoded = make_password(PASSWORD)
    assert encoded.startswith("argon2$argon2id$")
    found = extract_parameters(encoded.removeprefix("argon2"))
    assert found.type is Type.ID
    assert (found.memory_cost, found.time_cost, found.parallelism) == (19_456, 2, 1)
    assert check_password(PASSWORD, encoded)
    assert not check_password(PASSWORD + "x", encoded)


def test_a_pbkdf2_hash_still_signs_in_and_is_upgraded_to_argon2id(real_hashing: None, db: None) -> None:
    user = UserFactory.create(username="wanjiru")
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user.save(update_fields=["password"])
    client = Client()
    response = client.post(reverse("login"), {"username": "wanjiru", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    user.refresh_from_db()
    assert isinstance(identify_hasher(user.password), OwaspArgon2idPasswordHasher)
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_an_argon2_hash_with_django_defaults_is_upgraded_too(real_hashing: None, db: None) -> None:
    from django.contrib.auth.hashers import Argon2PasswordHasher

    user = UserFactory.create(username="otieno")
    user.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    user.save(update_fields=["password"])
    assert "m=102400" in user.password
    response = Client().post(reverse("login"), {"username": "otieno", "password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert "m=19456,t=2,p=1" in user.password


def test_the_home_counts_cases_by_stage_without_reading_each_case_id(client: Client, unit_head: User) -> None:
    client.force_login(unit_head)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("core:home"))
    assert response.status_code == 200
    by_stage = [
        q["sql"]
        for q in captured.captured_queries
        if "GROUP BY" in q["sql"] and '"prosecutions_case"."stage"' in q["sql"]
    ]
    assert by_stage, "no cases-by-stage query"
    assert all("COUNT(*)" in sql for sql in by_stage), by_stage
