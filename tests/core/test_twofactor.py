"""Two-factor sign-in: who must use it, enrolling an authenticator, the code after the password, recovery
codes, and what someone holding only the password cannot do.

Personas: Hassan the liaison (must use it), Achieng the prosecutor (may), Sam a staff user with no role
(must), and an intruder who knows Hassan's password but not his phone.
"""

from __future__ import annotations

import base64
import binascii
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import twofactor
from core.models import User
from core.roles import Role
from tests.factories import UserFactory

PASSWORD = "a-long-test-password"  # tests/factories.py UserFactory
LOGIN = "/accounts/login/"
VERIFY = "/accounts/two-factor/code/"
ENROL = "/accounts/two-factor/enrol/"
PAGE = "/accounts/two-factor/"


@pytest.fixture(autouse=True)
def _two_factor_required(settings: Any) -> Iterator[None]:
    """The requirement is on in every deployment; tests/conftest.py turns it off for the rest of the suite."""
    settings.TWO_FACTOR_REQUIRED = True
    cache.clear()
    yield


@pytest.fixture
def hassan(db: None) -> User:
    return UserFactory.create(username="hassan", first_name="Hassan", last_name="Abdi", roles=[Role.WITNESS_LIAISON])


@pytest.fixture
def achieng(db: None) -> User:
    return UserFactory.create(username="achieng", first_name="Achieng", last_name="Otieno", roles=[Role.PROSECUTOR])


def code_for(key_hex: str, *, steps_ahead: int = 0) -> str:
    totp = TOTP(binascii.unhexlify(key_hex), step=30, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def sign_in(client: Client, username: str, password: str = PASSWORD) -> Any:
    return client.post(LOGIN, {"username": username, "password": password})


def key_on_page(response: Any) -> str:
    """The key the enrolment page shows as text, back in django-otp's hex form."""
    found = re.search(r'data-testid="two-factor-key">([A-Z2-7 ]+)<', response.content.decode())
    assert found, "the enrolment page shows the key as text"
    return binascii.hexlify(base64.b32decode(found.group(1).replace(" ", ""))).decode()


def enrolled(user: User) -> tuple[str, list[str]]:
    """Enrol ``user`` directly (as if done earlier): the key and the recovery codes."""
    key = twofactor.new_key()
    enrolment = twofactor.enrol(user, key, code_for(key))
    assert enrolment is not None
    return key, enrolment.recovery_codes


def reset_throttle(user: User) -> None:
    """Wrong codes slow the next try by a second or more; tests that go on at once clear that."""
    for device in [*TOTPDevice.objects.filter(user=user), *StaticDevice.objects.filter(user=user)]:
        device.throttle_reset()


# --- who must use it ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role), ids=[role.name for role in Role])
def test_the_roles_that_require_two_factor_sign_in(db: None, role: Role) -> None:
    user = UserFactory.create(username=f"only-{role.name.lower()}", roles=[role])
    required = role in {
        Role.WITNESS_LIAISON,
        Role.VICTIM_SERVICES_OFFICER,
        Role.FUND_ADMINISTRATOR,
        Role.FUND_APPROVER,
        Role.UNIT_HEAD,
        Role.ACCESS_ADMINISTRATOR,
    }
    assert twofactor.must_use_two_factor(user) is required


def test_staff_users_must_use_it_whatever_their_roles(db: None) -> None:
    assert twofactor.must_use_two_factor(UserFactory.create(username="sam", is_staff=True))
    assert not twofactor.must_use_two_factor(UserFactory.create(username="nobody"))


def test_the_requirement_can_be_switched_off(hassan: User, settings: Any) -> None:
    settings.TWO_FACTOR_REQUIRED = False
    assert not twofactor.must_use_two_factor(hassan)
    client = Client()
    sign_in(client, "hassan")
    assert client.get("/").status_code == 200


# --- first sign-in: enrolling ---------------------------------------------------------------------------


def test_a_liaison_without_an_authenticator_is_sent_to_set_one_up_before_any_page(hassan: User) -> None:
    client = Client()
    assert sign_in(client, "hassan")["Location"] == "/"
    for path in ("/", "/counties/", "/witnesses/", "/accounts/password/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(ENROL + "?next="), path


def test_enrolling_shows_the_key_and_a_qr_code_then_the_recovery_codes_once(hassan: User) -> None:
    client = Client()
    sign_in(client, "hassan")
    page = client.get(ENROL + "?next=/counties/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html  # the QR code, an image the CSP allows
    assert "Your roles require two-factor sign-in" in html
    key = key_on_page(page)

    wrong = client.post(ENROL, {"code": "000000" if code_for(key) != "000000" else "111111", "next": "/counties/"})
    assert "That code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=hassan).exists()
    assert key_on_page(wrong) == key  # the same key until it is confirmed

    done = client.post(ENROL, {"code": code_for(key), "next": "/counties/"})
    assert done.status_code == 200
    codes = re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", done.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert 'href="/counties/"' in done.content.decode()
    assert client.get("/counties/").status_code == 200  # this session is verified now
    assert TOTPDevice.objects.get(user=hassan).key == key
    # Told by e-mail, so an enrolment by someone else does not go unseen.
    assert any("two-factor" in message.subject for message in mail.outbox if message.to == [hassan.email])
    # Shown once: the codes are in no later page.
    assert codes[0] not in client.get(PAGE).content.decode()


# --- every later sign-in: the code --------------------------------------------------------------------


def test_after_the_password_an_enrolled_user_enters_a_code_before_any_page(hassan: User) -> None:
    key, _ = enrolled(hassan)
    client = Client()
    sign_in(client, "hassan")
    blocked = client.get("/witnesses/")
    assert blocked.status_code == 302 and blocked["Location"] == VERIFY + "?next=%2Fwitnesses%2F"
    assert client.get(ENROL).status_code == 302  # nor may the password alone swap the authenticator

    refused = client.post(VERIFY, {"code": "12345x", "next": "/witnesses/"})
    assert refused.status_code == 200 and "That code is not right" in refused.content.decode()
    assert client.get("/witnesses/").status_code == 302
    reset_throttle(hassan)

    accepted = client.post(VERIFY, {"code": code_for(key, steps_ahead=1), "next": "/witnesses/"})
    assert accepted.status_code == 302 and accepted["Location"] == "/witnesses/"
    assert client.get("/witnesses/").status_code == 200


def test_a_code_is_accepted_once(hassan: User) -> None:
    key, _ = enrolled(hassan)
    code = code_for(key, steps_ahead=1)
    first = Client()
    sign_in(first, "hassan")
    assert first.post(VERIFY, {"code": code})["Location"] == "/"
    second = Client()
    sign_in(second, "hassan")
    assert "That code is not right" in second.post(VERIFY, {"code": code}).content.decode()


def test_wrong_codes_slow_the_next_tries_down(hassan: User) -> None:
    key, _ = enrolled(hassan)
    client = Client()
    sign_in(client, "hassan")
    for _ in range(3):
        client.post(VERIFY, {"code": "000000"})
    slowed = client.post(VERIFY, {"code": code_for(key, steps_ahead=1)})
    assert "Too many wrong codes. Wait" in slowed.content.decode()
    assert client.get("/").status_code == 302


def test_a_recovery_code_signs_in_once(hassan: User) -> None:
    _, codes = enrolled(hassan)
    client = Client()
    sign_in(client, "hassan")
    response = client.post(VERIFY, {"code": codes[3].upper().replace("-", " ")}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "You signed in with a recovery code; 9 left" in response.content.decode()

    again = Client()
    sign_in(again, "hassan")
    assert "That code is not right" in again.post(VERIFY, {"code": codes[3]}).content.decode()
    assert StaticToken.objects.filter(device__user=hassan).count() == 9


def test_the_code_page_never_sends_you_to_another_site(hassan: User) -> None:
    key, _ = enrolled(hassan)
    client = Client()
    sign_in(client, "hassan")
    response = client.post(VERIFY, {"code": code_for(key, steps_ahead=1), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_staff_signing_in_through_the_admin_still_need_the_code(db: None) -> None:
    staff = UserFactory.create(username="sam", is_staff=True)
    enrolled(staff)
    client = Client()
    client.post("/admin/login/", {"username": "sam", "password": PASSWORD})
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


# --- optional for the others ----------------------------------------------------------------------------


def test_a_prosecutor_need_not_use_it_but_may_turn_it_on_and_off(achieng: User) -> None:
    client = Client()
    sign_in(client, "achieng")
    assert client.get("/").status_code == 200
    page = client.get(PAGE)
    assert 'data-testid="two-factor-off"' in page.content.decode()

    key = key_on_page(client.get(ENROL))
    client.post(ENROL, {"code": code_for(key)})
    assert 'data-testid="two-factor-on"' in client.get(PAGE).content.decode()

    # Once on, the next sign-in asks for a code too.
    later = Client()
    sign_in(later, "achieng")
    assert later.get("/")["Location"].startswith(VERIFY)

    client.post(PAGE, {"action": "off"})
    assert not TOTPDevice.objects.filter(user=achieng).exists()
    assert not StaticToken.objects.filter(device__user=achieng).exists()
    fresh = Client()
    sign_in(fresh, "achieng")
    assert fresh.get("/").status_code == 200


def test_a_liaison_cannot_turn_it_off(hassan: User) -> None:
    key, _ = enrolled(hassan)
    client = Client()
    sign_in(client, "hassan")
    client.post(VERIFY, {"code": code_for(key, steps_ahead=1)})
    response = client.post(PAGE, {"action": "off"}, follow=True)
    assert "cannot be turned off" in response.content.decode()
    assert TOTPDevice.objects.filter(user=hassan).exists()


def test_new_recovery_codes_replace_the_old_ones(hassan: User) -> None:
    key, old = enrolled(hassan)
    client = Client()
    sign_in(client, "hassan")
    client.post(VERIFY, {"code": code_for(key, steps_ahead=1)})
    response = client.post(PAGE, {"action": "codes"})
    new = re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert twofactor.check_code(hassan, old[0]).device is None
    reset_throttle(hassan)
    assert twofactor.check_code(hassan, new[0]).device is not None


def test_the_user_menu_leads_to_the_two_factor_page(achieng: User) -> None:
    client = Client()
    client.force_login(achieng)
    assert f'href="{PAGE}"' in client.get("/").content.decode()


# --- sensitive values stay out of error reports ---------------------------------------------------------


@pytest.mark.parametrize("path", [LOGIN, VERIFY, ENROL, PAGE, "/accounts/password/"])
def test_the_password_and_code_pages_hide_their_posted_values_from_error_reports(
    hassan: User, achieng: User, path: str
) -> None:
    client = Client()
    if path == VERIFY:
        enrolled(hassan)
        sign_in(client, "hassan")  # password given, code not yet
    elif path == ENROL:
        sign_in(client, "hassan")  # no authenticator yet
    elif path != LOGIN:
        client.force_login(achieng)
    response = client.post(path, {"code": "123456", "password": "x", "old_password": "y"})
    assert response.wsgi_request.sensitive_post_parameters == "__ALL__"  # type: ignore[attr-defined]


def test_the_unlock_page_hides_its_token_from_error_reports(db: None) -> None:
    response = Client().post("/accounts/unlock/", {"token": "abc"})
    assert response.wsgi_request.sensitive_post_parameters == ("token",)  # type: ignore[attr-defined]


# --- the demo logins ------------------------------------------------------------------------------------


def test_the_demo_logins_that_need_it_get_the_documented_development_key(
    hassan: User, achieng: User, settings: Any
) -> None:
    settings.DEBUG = True
    lines: list[str] = []
    twofactor.seed_demo_devices({"liaison": hassan, "prosecutor": achieng}, lines.append)
    assert twofactor.DEMO_TOTP_SECRET in lines[0] and twofactor.DEMO_RECOVERY_CODE in lines[0]
    assert not twofactor.is_enrolled(achieng)  # optional for a prosecutor: the demo leaves it off

    key = binascii.hexlify(base64.b32decode(twofactor.DEMO_TOTP_SECRET)).decode()
    client = Client()
    sign_in(client, "hassan")
    assert client.post(VERIFY, {"code": code_for(key)})["Location"] == "/"
    other = Client()
    sign_in(other, "hassan")
    assert other.post(VERIFY, {"code": twofactor.DEMO_RECOVERY_CODE})["Location"] == "/"

    # Seeding again keeps the authenticator (and the sessions it verified) and puts the recovery code back.
    device = TOTPDevice.objects.get(user=hassan)
    twofactor.seed_demo_devices({"liaison": hassan}, lines.append)
    assert TOTPDevice.objects.get(user=hassan) == device
    assert client.get("/").status_code == 200
    third = Client()
    sign_in(third, "hassan")
    assert third.post(VERIFY, {"code": twofactor.DEMO_RECOVERY_CODE})["Location"] == "/"


def test_without_debug_the_demo_makes_no_authenticators(hassan: User, settings: Any) -> None:
    settings.DEBUG = False
    lines: list[str] = []
    twofactor.seed_demo_devices({"liaison": hassan}, lines.append)
    assert not twofactor.is_enrolled(hassan)
    assert "only with DJANGO_DEBUG on" in lines[0]
