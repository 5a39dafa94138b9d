"""Two-factor sign-in (django-otp): a code from an authenticator app (TOTP), or a one-time recovery code.

Who must use it: holders of the roles in ``TWO_FACTOR_ROLES`` and staff users, while
``settings.TWO_FACTOR_REQUIRED`` is on (``DJANGO_2FA_REQUIRED``, on by default). Anyone else may enrol
from the "Two-factor sign-in" page, and once enrolled enters a code at every sign-in too.

After the password, ``core.middleware.TwoFactorMiddleware`` lets such a user open nothing but the code
page (or, without an authenticator yet, the enrolment page) until ``django_otp.login`` has marked the
session verified. These functions hold the rules and know nothing of HTTP; the views in
``core/views/twofactor.py`` call them.

Keys and recovery codes are django-otp's own models (``otp_totp``, ``otp_static``), one authenticator and
one set of ten recovery codes per user. A code is accepted once: TOTP codes not below the last one used,
recovery codes deleted when used; wrong codes slow the device down (django-otp's exponential throttle).
"""

from __future__ import annotations

import base64
import binascii
import io
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from core.access import AnyUser, roles_of
from core.labels import Label
from core.models import User
from core.roles import Role

# The roles whose holders must sign in with a second factor: they open protected identities, move the
# fund's money, run the unit, or give out roles.
TWO_FACTOR_ROLES: frozenset[str] = frozenset(
    {
        Role.WITNESS_LIAISON,
        Role.VICTIM_SERVICES_OFFICER,
        Role.FUND_ADMINISTRATOR,
        Role.FUND_APPROVER,
        Role.UNIT_HEAD,
        Role.ACCESS_ADMINISTRATOR,
    }
)

AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10
TOTP_DIGITS = 6
TOTP_STEP = 30
TOTP_TOLERANCE = 1  # steps either side: a phone clock up to 30 seconds off still works

# Development only (``seed_demo`` with DEBUG on): every demo login that must use two-factor sign-in gets
# an authenticator with this key, and the recovery code below. Documented in the README; never used live.
DEMO_TOTP_SECRET = "MN2GS4BNMRSW23ZNORXXI4BNGIYDENRB"  # base32 of b"ctip-demo-totp-2026!"
DEMO_RECOVERY_CODE = "ctip-demo-code"


# --- who --------------------------------------------------------------------------------------------------


def must_use_two_factor(user: AnyUser) -> bool:
    """Whether the requirement applies to ``user``: staff, or a holder of a role in ``TWO_FACTOR_ROLES``."""
    if not settings.TWO_FACTOR_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user.is_superuser or roles_of(user) & TWO_FACTOR_ROLES)


def authenticator(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator, if they have enrolled one."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("-pk").first()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def is_enrolled(user: User) -> bool:
    """An authenticator or recovery codes on file: such a user enters a code at every sign-in."""
    return (
        TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()
        or StaticToken.objects.filter(device__user=user, device__confirmed=True).exists()
    )


# --- codes ------------------------------------------------------------------------------------------------


def normalise(code: str) -> str:
    """What the user typed, without spaces or dashes, lower case (recovery codes are case-blind)."""
    return "".join(ch for ch in code if ch.isalnum()).lower()


def _is_totp_code(code: str) -> bool:
    return len(code) == TOTP_DIGITS and code.isdigit()


def _new_recovery_code() -> str:
    """Eight characters of base32 (40 random bits), shown as ``abcd-efgh``; stored without the dash."""
    return base64.b32encode(secrets.token_bytes(5)).decode().lower()


def show_recovery_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


def replace_recovery_codes(user: User) -> list[str]:
    """Throw away the user's recovery codes and make ten new ones; returns them (shown once, never again)."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
        codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [show_recovery_code(code) for code in codes]


# --- enrolling --------------------------------------------------------------------------------------------


def new_key() -> str:
    """A new authenticator key (20 random bytes, hex, as django-otp stores it)."""
    return random_hex(20)


def key_as_text(key_hex: str) -> str:
    """The key as the base32 text an authenticator app asks for, in groups of four."""
    text = base64.b32encode(binascii.unhexlify(key_hex)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def provisioning_uri(user: User, key_hex: str) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    return TOTPDevice(user=user, key=key_hex, digits=TOTP_DIGITS, step=TOTP_STEP).config_url


def qr_code_data_uri(text: str) -> str | None:
    """``text`` as a QR code, an SVG image in a ``data:`` URI (allowed by the CSP's ``img-src``), or None
    when the ``qrcode`` package is not installed (the key is shown as text anyway)."""
    try:
        import qrcode
        import qrcode.image.svg
    except ImportError:  # pragma: no cover - qrcode is pinned in requirements/base.txt
        return None
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def _totp_matches(key_hex: str, code: str, *, min_t: int | None = None) -> tuple[bool, int, int]:
    """Whether ``code`` is the key's code now (give or take ``TOTP_TOLERANCE`` steps); with the time step
    it matched and the drift."""
    totp = TOTP(binascii.unhexlify(key_hex), step=TOTP_STEP, digits=TOTP_DIGITS)
    totp.time = time.time()
    matched = totp.verify(int(code), tolerance=TOTP_TOLERANCE, min_t=min_t)
    return matched, totp.t(), totp.drift


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    recovery_codes: list[str]


def enrol(user: User, key_hex: str, code: str) -> Enrolment | None:
    """Confirm a new authenticator with a code it shows; it replaces any earlier one, and the user gets
    ten new recovery codes. None when the code is not the key's current one."""
    code = normalise(code)
    if not _is_totp_code(code):
        return None
    matched, step, drift = _totp_matches(key_hex, code)
    if not matched:
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(
            user=user,
            name=AUTHENTICATOR_NAME,
            key=key_hex,
            digits=TOTP_DIGITS,
            step=TOTP_STEP,
            tolerance=TOTP_TOLERANCE,
            drift=drift,
            last_t=step,  # the code just used cannot be used again to sign in
            confirmed=True,
        )
        codes = replace_recovery_codes(user)
    _tell(user, SET_UP_NOTICE)
    return Enrolment(device=device, recovery_codes=codes)


def turn_off(user: User) -> None:
    """Remove the authenticator and recovery codes (only for users who need not use two-factor sign-in)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    _tell(user, TURNED_OFF_NOTICE)


SET_UP_NOTICE = gettext_lazy("An authenticator app was set up for two-factor sign-in to your account")
TURNED_OFF_NOTICE = gettext_lazy("Two-factor sign-in was turned off for your account")


def _tell(user: User, what: Label) -> None:
    """A security notice to the account's own e-mail address, so an unexpected change does not go unseen.
    In the account holder's language when they chose one (``User.language``)."""
    if not user.email:
        return
    with translation.override(getattr(user, "language", "") or translation.get_language()):
        when = dateformat.format(timezone.localtime(), "d M Y H:i")
        subject = _("CTIP Case Tracker: two-factor sign-in changed")
        body = _("%(what)s on %(when)s.\n\nIf this was not you, tell an access administrator at once.") % {
            "what": what,
            "when": when,
        }
    send_mail(subject, body, None, [user.email])


# --- checking a code at sign-in ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of a code: the device that accepted it (None: refused), whether it was a recovery code,
    and, when too many wrong codes came in a row, how many seconds to wait before the next try."""

    device: TOTPDevice | StaticDevice | None
    used_recovery_code: bool = False
    wait_seconds: int = 0


def check_code(user: User, code: str) -> CodeCheck:
    """Try ``code`` against the device it is meant for: six digits go to the authenticator, anything else to
    the recovery codes (a recovery code is used up when accepted)."""
    code = normalise(code)
    if not code:
        return CodeCheck(None)
    with transaction.atomic():
        devices: Iterable[TOTPDevice | StaticDevice]
        if _is_totp_code(code):
            devices = TOTPDevice.objects.devices_for_user(user, confirmed=True).select_for_update()
        else:
            devices = StaticDevice.objects.devices_for_user(user, confirmed=True).select_for_update()
        wait = 0
        for device in devices:
            allowed, details = device.verify_is_allowed()
            if not allowed:
                until = (details or {}).get("locked_until")
                wait = max(wait, int((until - timezone.now()).total_seconds()) + 1 if until else 1)
                continue
            if device.verify_token(code):
                return CodeCheck(device, used_recovery_code=isinstance(device, StaticDevice))
    return CodeCheck(None, wait_seconds=wait)


# --- the demo logins (development) ------------------------------------------------------------------------


def seed_demo_devices(users: dict[str, User], out: Callable[[str], None]) -> None:
    """``seed_demo``: every demo login that must use two-factor sign-in gets an authenticator with the
    documented development key and the recovery code ``ctip-demo-code`` (one use per seed). DEBUG only."""
    if not settings.DEBUG:
        out("Two-factor sign-in: demo authenticators are made only with DJANGO_DEBUG on; enrol at first sign-in.")
        return
    key_hex = binascii.hexlify(base64.b32decode(DEMO_TOTP_SECRET)).decode()
    code = normalise(DEMO_RECOVERY_CODE)
    names = []
    for username, user in sorted(users.items()):
        if not must_use_two_factor(user):
            continue
        with transaction.atomic():
            # Idempotent: a demo authenticator already in place is kept (sessions verified by it stay so).
            TOTPDevice.objects.filter(user=user).exclude(key=key_hex, confirmed=True).delete()
            if not TOTPDevice.objects.filter(user=user).exists():
                TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, key=key_hex, confirmed=True)
            StaticDevice.objects.filter(user=user).exclude(name=RECOVERY_NAME, confirmed=True).delete()
            device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME, defaults={"confirmed": True})
            device.token_set.exclude(token=code).delete()
            device.token_set.get_or_create(token=code)
        names.append(username)
    if names:
        out(
            f"Two-factor sign-in for {', '.join(names)}: add the key {DEMO_TOTP_SECRET} to an authenticator app "
            f'(or run `python -c "from django_otp.oath import totp; import base64; '
            f"print('%06d' % totp(base64.b32decode('{DEMO_TOTP_SECRET}')))\"`), "
            f"or use the recovery code {DEMO_RECOVERY_CODE} (once per seed)."
        )
