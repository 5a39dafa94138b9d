"""Lockout without denial of service: an account locks only where the failures came from, an address that
fails too often is paused, and a locked-out user unlocks themselves with a one-time e-mailed link.

Personas: Peter the approver at his desk (10.0.0.5), Mallory guessing his password from elsewhere
(203.0.113.9), and a colleague behind Mallory's address.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any
from unittest import mock
from urllib.parse import unquote

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client, RequestFactory

from core import lockout
from core.models import User
from tests.factories import UserFactory

PASSWORD = "a-long-test-password"  # tests/factories.py UserFactory
LOGIN = "/accounts/login/"
UNLOCK = "/accounts/unlock/"
DESK = "10.0.0.5"
MALLORY = "203.0.113.9"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()  # the unlock e-mail's once-every-few-minutes guard lives in the cache
    yield
    cache.clear()


@pytest.fixture
def peter(db: None) -> User:
    user = UserFactory.create(username="peter", first_name="Peter", last_name="Mwangi")
    mail.outbox.clear()
    return user


def _sign_in(client: Client, username: str, password: str, address: str) -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail(client: Client, username: str, address: str, times: int) -> Any:
    response = None
    for attempt in range(times):
        response = _sign_in(client, username, f"wrong-{attempt}", address)
    return response


def _lock(client: Client, username: str, address: str) -> Any:
    locked = _fail(client, username, address, settings.AXES_FAILURE_LIMIT)
    assert locked.status_code == 429
    return locked


# --- locking by username and address together -----------------------------------------------------------


def test_an_attacker_elsewhere_no_longer_locks_the_user_out(peter: User) -> None:
    _lock(Client(), "peter", MALLORY)
    _fail(Client(), "peter", MALLORY, 3)  # and keeps trying

    at_desk = _sign_in(Client(), "peter", PASSWORD, DESK)
    assert at_desk.status_code == 302 and at_desk["Location"] == "/"


def test_the_address_the_failures_came_from_is_locked_even_with_the_right_password(peter: User) -> None:
    locked = _lock(Client(), "peter", DESK)
    assert "This account is locked" in locked.content.decode()

    again = _sign_in(Client(), "peter", PASSWORD, DESK)
    assert again.status_code == 429
    assert "This account is locked" in again.content.decode()


def test_a_colleague_behind_the_same_address_still_signs_in(peter: User) -> None:
    UserFactory.create(username="brian")
    _lock(Client(), "peter", MALLORY)
    assert _sign_in(Client(), "brian", PASSWORD, MALLORY)["Location"] == "/"


def test_the_lockout_lasts_the_cool_off_only(peter: User) -> None:
    _lock(Client(), "peter", DESK)
    AccessAttempt.objects.filter(username="peter").update(
        attempt_time=AccessAttempt.objects.get(username="peter").attempt_time
        - lockout._cool_off()
        - lockout.dt.timedelta(seconds=1)
    )
    assert _sign_in(Client(), "peter", PASSWORD, DESK)["Location"] == "/"


def test_axes_own_security_checks_pass_without_silencing_any() -> None:
    from django.core import checks

    assert not [name for name in getattr(settings, "SILENCED_SYSTEM_CHECKS", []) if name.startswith("axes.")]
    assert [message.id for message in checks.run_checks() if str(message.id).startswith("axes.")] == []


# --- the per-address throttle ---------------------------------------------------------------------------


@pytest.fixture
def small_address_limit(settings: Any) -> int:
    settings.LOCKOUT_ADDRESS_FAILURES = 8
    return 8


def test_an_address_that_fails_many_usernames_is_paused(peter: User, small_address_limit: int) -> None:
    client = Client()
    # Two guesses each at four accounts: no account reaches its own limit of five.
    for name in ("alice", "bob", "carol"):
        UserFactory.create(username=name)
        for attempt in range(2):
            assert _sign_in(client, name, f"wrong-{attempt}", MALLORY).status_code == 200
    assert _sign_in(client, "dave", "wrong", MALLORY).status_code == 200
    paused = _sign_in(client, "erin", "wrong", MALLORY)
    assert paused.status_code == 429
    assert "Sign-in is paused from your network" in paused.content.decode()
    assert "unlock" not in paused.content.decode().lower()  # an unlock link would not lift a pause

    # Nobody signs in from that address now, not even with the right password ...
    assert _sign_in(Client(), "peter", PASSWORD, MALLORY).status_code == 429
    # ... while everyone elsewhere does.
    assert _sign_in(Client(), "peter", PASSWORD, DESK)["Location"] == "/"


def test_signing_in_to_an_own_account_does_not_lift_the_pause(peter: User, small_address_limit: int) -> None:
    UserFactory.create(username="mallory")
    client = Client()
    for name in ("alice", "bob", "carol", "dave"):
        _fail(client, name, MALLORY, 2)
    assert lockout.address_failures(MALLORY) == small_address_limit
    assert _sign_in(Client(), "mallory", PASSWORD, MALLORY).status_code == 429
    assert lockout.address_failures(MALLORY) >= small_address_limit


def test_below_the_address_limit_a_busy_office_is_not_paused(peter: User) -> None:
    assert settings.LOCKOUT_ADDRESS_FAILURES >= 20  # a few colleagues' typos never pause the office
    for n in range(6):
        UserFactory.create(username=f"colleague{n}")
        _fail(Client(), f"colleague{n}", MALLORY, 2)
    assert _sign_in(Client(), "peter", PASSWORD, MALLORY)["Location"] == "/"


# --- the client's address -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "10.0.0.5", "198.51.100.7", "10.0.0.5"),  # no proxy: X-Forwarded-For is the client's own claim
        (1, "10.9.9.9", "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # the entry our proxy appended
        (2, "10.9.9.9", "1.2.3.4, 198.51.100.7, 10.1.1.1", "198.51.100.7"),
        (1, "10.9.9.9", "", "10.9.9.9"),  # no header: the proxy's own address, never None
        (1, "10.9.9.9", "not-an-address", "10.9.9.9"),
    ],
)
def test_the_address_counted_is_the_one_the_trusted_proxies_saw(
    settings: Any, proxies: int, remote: str, forwarded: str, expected: str
) -> None:
    settings.LOCKOUT_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert lockout.client_address(request) == expected


# --- the unlock link ------------------------------------------------------------------------------------


def _ask_for_link(username: str, address: str) -> Any:
    return Client().post(UNLOCK, {"username": username}, REMOTE_ADDR=address)


def _link_in(message: mail.EmailMessage) -> str:
    found = re.search(r"https?://\S+/accounts/unlock/\?token=\S+", str(message.body))
    assert found, message.body
    return found.group(0).split("testserver", 1)[1]


def _token_in(message: mail.EmailMessage) -> str:
    return unquote(_link_in(message).split("token=", 1)[1])


def _visible_text(response: Any) -> str:
    """The page without its CSRF tokens (new on every response)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def test_the_locked_out_page_offers_an_unlock_link(peter: User) -> None:
    locked = _lock(Client(), "peter", DESK)
    html = locked.content.decode()
    assert 'data-testid="unlock-request"' in html
    assert 'name="username" value="peter"' in html


def test_the_unlock_link_works_once(peter: User) -> None:
    _lock(Client(), "peter", DESK)
    asked = _ask_for_link("peter", DESK)
    assert asked.status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["peter@example.test"]
    assert DESK in str(mail.outbox[0].body)  # the owner sees where the request came from
    link = _link_in(mail.outbox[0])

    # Opening the link (as a mail scanner would) changes nothing; the button does.
    opened = Client().get(link, REMOTE_ADDR=DESK)
    assert 'data-testid="unlock-confirm"' in opened.content.decode()
    assert lockout.is_account_locked("peter", DESK)
    token = _token_in(mail.outbox[0])
    done = Client().post(UNLOCK, {"token": token}, REMOTE_ADDR=DESK)
    assert 'data-testid="unlocked"' in done.content.decode()
    assert _sign_in(Client(), "peter", PASSWORD, DESK)["Location"] == "/"

    # Spent: neither the page nor the button works again, even once the account is locked anew.
    assert 'data-testid="unlock-invalid"' in Client().get(link).content.decode()
    _lock(Client(), "peter", DESK)
    again = Client().post(UNLOCK, {"token": token}, REMOTE_ADDR=DESK)
    assert 'data-testid="unlock-invalid"' in again.content.decode()
    assert lockout.is_account_locked("peter", DESK)


def test_the_unlock_link_expires(peter: User, settings: Any) -> None:
    settings.LOCKOUT_UNLOCK_LINK_MINUTES = 5
    _lock(Client(), "peter", DESK)
    _ask_for_link("peter", DESK)
    token = _token_in(mail.outbox[0])
    later = time.time() + 6 * 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = Client().post(UNLOCK, {"token": token}, REMOTE_ADDR=DESK)
    assert 'data-testid="unlock-invalid"' in response.content.decode()
    assert lockout.is_account_locked("peter", DESK)


def test_a_forged_or_altered_token_does_nothing(peter: User) -> None:
    _lock(Client(), "peter", DESK)
    _ask_for_link("peter", DESK)
    token = _token_in(mail.outbox[0])
    for bad in (token[:-2] + "xx", "peter", lockout.signing.dumps({"u": peter.pk, "a": DESK, "s": "x"})):
        response = Client().post(UNLOCK, {"token": bad}, REMOTE_ADDR=DESK)
        assert 'data-testid="unlock-invalid"' in response.content.decode()
    assert lockout.is_account_locked("peter", DESK)


def test_the_link_unlocks_the_address_that_asked_for_it_only(peter: User) -> None:
    _lock(Client(), "peter", DESK)
    _lock(Client(), "peter", MALLORY)
    _ask_for_link("peter", DESK)
    token = _token_in(mail.outbox[0])
    Client().post(UNLOCK, {"token": token}, REMOTE_ADDR="192.0.2.1")  # opened on the phone: still the desk
    assert not lockout.is_account_locked("peter", DESK)
    assert lockout.is_account_locked("peter", MALLORY)


def test_asking_for_a_link_reveals_nothing(peter: User) -> None:
    UserFactory.create(username="noemail", email="")
    _lock(Client(), "noemail", DESK)
    _lock(Client(), "peter", DESK)
    mail.outbox.clear()
    answers = {name: _ask_for_link(name, DESK) for name in ("nobody-by-this-name", "noemail", "peter")}
    assert {response.status_code for response in answers.values()} == {200}
    assert len({_visible_text(response) for response in answers.values()}) == 1
    assert "peter" not in _visible_text(answers["peter"])
    assert [message.to for message in mail.outbox] == [["peter@example.test"]]  # only the locked owner's


def test_no_link_goes_out_for_an_account_that_is_not_locked_there(peter: User) -> None:
    _lock(Client(), "peter", MALLORY)
    _ask_for_link("peter", DESK)  # locked at Mallory's address, not here
    assert mail.outbox == []


def test_a_mailbox_cannot_be_flooded_with_links(peter: User) -> None:
    _lock(Client(), "peter", MALLORY)
    for _ in range(5):
        _ask_for_link("peter", MALLORY)
    assert len(mail.outbox) == 1


def test_the_unlock_page_is_open_without_signing_in_and_never_cached(db: None) -> None:
    page = Client().get(UNLOCK)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert 'name="username"' in page.content.decode()
