"""Who holds an asset, and the numbers that name it — normalised so that equal ones match across cases.

The same lorry, bank account or M-Pesa line recurs in several files written by different police stations:
"kda 123a" and "KDA-123A" are one registration, "0110 2345 6789 01" and "011023456789 01" one account.
The network of cases (``network``) joins cases through these normalised values.

- vehicle registration: letters and digits (at least one of each), spaces and dashes ignored; stored upper
  case without spaces (``KDA123A``);
- bank account number: 6 to 20 digits, spaces, dashes and dots ignored; stored as the digits;
- M-Pesa / phone number: as the index of persons accepts phones; stored in E.164 (``+254722418305``);
- land parcel number: letters, digits and "/" (at least one digit), a leading "LR No." dropped; stored upper
  case without spaces (``MOMBASA/BLOCKXX/123``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from assets.choices import AssetIdentifierKind
from assets.exceptions import AssetError
from assets.models import Asset, AssetIdentifier
from core.models import User
from prosecutions.exceptions import InvalidIdentifier
from prosecutions.models import Person
from prosecutions.services import normalise_phone

_SPACING = re.compile(r"[\s\-.]+")
_REGISTRATION = re.compile(r"[A-Z0-9]{3,10}")
_ACCOUNT = re.compile(r"\d{6,20}")
_LR_PREFIX = re.compile(r"^(L\.?R\.?\s*(NO\.?)?|TITLE\s*(NO\.?)?)\s*", re.IGNORECASE)
_PARCEL = re.compile(r"[A-Z0-9/]{2,40}")

# The form field each kind is entered in (the seizure form has one per kind).
IDENTIFIER_FIELDS = {
    AssetIdentifierKind.VEHICLE_REGISTRATION: "vehicle_registration",
    AssetIdentifierKind.BANK_ACCOUNT: "bank_account",
    AssetIdentifierKind.PHONE: "phone",
    AssetIdentifierKind.LAND_PARCEL: "land_parcel",
}


def normalise_registration(text: str) -> str:
    raw = (text or "").strip()
    value = _SPACING.sub("", raw).upper()
    if not _REGISTRATION.fullmatch(value) or not any(c.isdigit() for c in value) or value.isdigit():
        raise AssetError(
            _(
                "“%(raw)s” is not a vehicle registration: 3 to 10 letters and digits, with at least one of each "
                "(e.g. KDA 123A)."
            )
            % {"raw": raw},
            field="vehicle_registration",
        )
    return value


def normalise_account(text: str) -> str:
    raw = (text or "").strip()
    value = _SPACING.sub("", raw)
    if not _ACCOUNT.fullmatch(value):
        raise AssetError(
            _("“%(raw)s” is not a bank account number: 6 to 20 digits (spaces and dashes are ignored).") % {"raw": raw},
            field="bank_account",
        )
    return value


def normalise_parcel(text: str) -> str:
    raw = (text or "").strip()
    value = re.sub(r"\s+", "", _LR_PREFIX.sub("", raw)).upper()
    if not _PARCEL.fullmatch(value) or not any(c.isdigit() for c in value):
        raise AssetError(
            _(
                "“%(raw)s” is not a land parcel number: letters, digits and “/”, with at least one digit "
                "(e.g. Mombasa/Block XX/123 or LR No. 209/1234)."
            )
            % {"raw": raw},
            field="land_parcel",
        )
    return value


def normalise_asset_phone(text: str) -> str:
    try:
        return normalise_phone(text)
    except InvalidIdentifier as error:
        raise AssetError(error.message, field="phone") from None


NORMALISERS = {
    AssetIdentifierKind.VEHICLE_REGISTRATION: normalise_registration,
    AssetIdentifierKind.BANK_ACCOUNT: normalise_account,
    AssetIdentifierKind.PHONE: normalise_asset_phone,
    AssetIdentifierKind.LAND_PARCEL: normalise_parcel,
}


def normalise_asset_identifier(kind: str, text: str) -> str:
    """``text`` as stored for an identifier of ``kind``; ``AssetError`` (naming the form field) otherwise."""
    try:
        normalise = NORMALISERS[AssetIdentifierKind(kind)]
    except ValueError:
        raise AssetError(_("“%(kind)s” is not a kind of asset identifier.") % {"kind": kind}, field="kind") from None
    return normalise(text)


def normalised_identifiers(identifiers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Every (kind, text) given, blanks left out, normalised, each once; the first bad one is refused."""
    pairs: list[tuple[str, str]] = []
    for kind, text in identifiers:
        if not (text or "").strip():
            continue
        pair = (str(AssetIdentifierKind(kind)), normalise_asset_identifier(kind, text))
        if pair not in pairs:
            pairs.append(pair)
    return pairs


# The kind an asset's free-text identifier is read as, by the asset's type.
KIND_OF_TYPE = {
    "motor_vehicle": AssetIdentifierKind.VEHICLE_REGISTRATION,
    "bank_account": AssetIdentifierKind.BANK_ACCOUNT,
    "land": AssetIdentifierKind.LAND_PARCEL,
}


def identifiers_from_text(asset_type: str, text: str) -> list[tuple[str, str]]:
    """The (kind, text) an asset's free-text identifier reads as, given its type — or nothing when the type
    implies no kind or the text does not read as one."""
    kind = KIND_OF_TYPE.get(str(asset_type))
    if kind is None or not (text or "").strip():
        return []
    try:
        normalise_asset_identifier(kind, text)
    except AssetError:
        return []
    return [(str(kind), text)]


def check_holder(person: Person | None, company: str) -> str:
    """An asset is held by a person of the index or by a company, not both; the company name, trimmed."""
    company = (company or "").strip()
    if person is not None and company:
        raise AssetError(_("Give the holder as a person or as a company, not both."), field="holder_company")
    if person is not None and person.merged_into_id is not None:
        raise AssetError(
            _("%(reference)s was merged into another person: choose that person.") % {"reference": person.reference},
            "holder_person",
        )
    return company


def add_identifiers(asset: Asset, user: User, pairs: Iterable[tuple[str, str]]) -> list[AssetIdentifier]:
    """Record already-normalised identifiers on ``asset`` (those it holds already are skipped)."""
    held = set(AssetIdentifier.objects.filter(asset=asset).values_list("kind", "value"))
    added = []
    for kind, value in pairs:
        if (kind, value) in held:
            continue
        identifier = AssetIdentifier(asset=asset, kind=kind, value=value)
        identifier.save_as(user, "Asset identifier recorded")
        added.append(identifier)
    return added


@transaction.atomic
def record_asset_links(
    asset: Asset,
    user: User,
    *,
    holder_person: Person | None = None,
    holder_company: str = "",
    identifiers: Iterable[tuple[str, str]] = (),
) -> Asset:
    """Say who holds an asset and add the numbers that name it. Everything is checked before anything is
    saved; the holder given replaces the one recorded (blank both to clear it)."""
    pairs = normalised_identifiers(identifiers)
    company = check_holder(holder_person, holder_company)
    locked = Asset.objects.select_for_update().get(pk=asset.pk)
    new_holder = holder_person.pk if holder_person is not None else None
    if (locked.holder_person_id, locked.holder_company) != (new_holder, company):
        locked.holder_person = holder_person
        locked.holder_company = company
        locked.save_as(user, "Holder recorded", update_fields=["holder_person", "holder_company", "updated_at"])
    add_identifiers(locked, user, pairs)
    return locked
