"""Every change to the victims register: identifying a victim (with or without a case), linking a victim
to a case in a role, and the vault of names and contact details (``core.vault``, as witness identities).
HTTP-free; each service is one transaction, checks before it writes, and raises a ``victims.exceptions``
error with a message for the user. Codes continue the series ``V-{year}-{n}``."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries

from core.access import has_role
from core.guards import not_in_future
from core.labels import Label
from core.models import County, User
from core.numbering import calendar_year, next_reference
from core.vault import Sealed, VaultError, cipher
from prosecutions.access import can_edit_case
from prosecutions.choices import ExploitationType, Sex
from prosecutions.models import Case
from prosecutions.services.victims import VICTIM_SERIES, VICTIM_TEMPLATE
from victims.access import CASE_LINKERS, can_read_identity, manages_register
from victims.choices import CHILD_BANDS, AgeBand, CaseRole, IdentifyingAgency, ReferralStatus, ServiceKind
from victims.exceptions import InvalidVictimDetails, NoIdentityOnFile, NotAllowed, PurposeRequired
from victims.models import (
    MAX_AGE,
    CaseVictim,
    Referral,
    ServiceDelivered,
    ServiceProvider,
    Victim,
    VictimIdentity,
    VictimIdentityAccess,
)

KENYA = "KE"
MIN_PURPOSE_LENGTH = 10
logger = logging.getLogger("victims")


def stored_label(label: Label) -> str:
    """A label as history keeps it: in the site's language, whoever made the change."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(label)


def _require_manager(user: User) -> None:
    if not manages_register(user):
        raise NotAllowed(_("Only a victim services officer manages the victims register."))


def _country(code: str, field: str, label: Label) -> str:
    code = (code or "").strip().upper()
    if code and code not in dict(countries):
        raise InvalidVictimDetails(_("Choose the %(what)s from the list of countries.") % {"what": label}, field)
    return code


def _forms(forms: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(forms))
    unknown = [form for form in chosen if form not in ExploitationType.values]
    if unknown:
        raise InvalidVictimDetails(_("Choose the forms of exploitation from the list."), "exploitation_forms")
    return chosen


@transaction.atomic
def identify_victim(
    user: User,
    *,
    identified_on: dt.date,
    identified_by: str,
    identified_in: County | None = None,
    sex: str = Sex.UNKNOWN,
    age: int | None = None,
    age_band: str = "",
    is_child: bool = False,
    country: str = KENYA,
    exploitation_forms: Iterable[str] = (),
    exploited_in_county: County | None = None,
    exploited_abroad: str = "",
    referral_consent_on: dt.date | None = None,
    prosecution_consent_on: dt.date | None = None,
) -> Victim:
    """Record a victim identified under the National Referral Mechanism — no case needed. The victim gets
    a code ``V-{year}-{n}`` by the year identified; no name is stored on the record (the vault keeps it)."""
    _require_manager(user)
    not_in_future(identified_on, _("date identified"), field="identified_on")
    if identified_by not in IdentifyingAgency.values:
        raise InvalidVictimDetails(_("Choose the agency that identified the victim."), "identified_by")
    if sex not in Sex.values:
        raise InvalidVictimDetails(_("Choose the sex (or 'Not recorded')."), "sex")
    if age is not None and not 0 <= age <= MAX_AGE:
        raise InvalidVictimDetails(_("An age must be between 0 and %(max)s.") % {"max": MAX_AGE}, "age")
    if age_band and age_band not in AgeBand.values:
        raise InvalidVictimDetails(_("Choose the age band from the list."), "age_band")
    abroad = _country(exploited_abroad, "exploited_abroad", _("country where the victim was exploited"))
    if abroad == KENYA:
        raise InvalidVictimDetails(_("For exploitation in Kenya, choose the county instead."), "exploited_abroad")
    if abroad and exploited_in_county is not None:
        raise InvalidVictimDetails(
            _("Give either the county in Kenya or the country abroad, not both."), "exploited_abroad"
        )
    for day, field, label in (
        (referral_consent_on, "referral_consent_on", _("date of consent to referral")),
        (prosecution_consent_on, "prosecution_consent_on", _("date of consent to prosecution")),
    ):
        if day is not None:
            not_in_future(day, label, field=field)
    if age is not None:
        child = age < 18
    elif age_band:
        child = age_band in CHILD_BANDS
    else:
        child = is_child
    victim = Victim(
        code=next_reference(VICTIM_SERIES, VICTIM_TEMPLATE, calendar_year(identified_on)),
        identified_on=identified_on,
        identified_by=identified_by,
        identified_in=identified_in,
        sex=sex,
        age_at_exploitation=age,
        age_band=age_band,
        is_child=child,
        country=_country(country, "country", _("nationality")),
        exploitation_forms=_forms(exploitation_forms),
        exploited_in_county=exploited_in_county,
        exploited_abroad=abroad,
        referral_consent_on=referral_consent_on,
        prosecution_consent_on=prosecution_consent_on,
    )
    victim.save_as(user, "Victim identified")
    return victim


@transaction.atomic
def link_victim_to_case(victim: Victim, case: Case, user: User, *, role: str) -> CaseVictim:
    """Link a victim to a case in a role. The user must see the case and be allowed to change it."""
    if not has_role(user, CASE_LINKERS):
        raise NotAllowed(_("Only a victim services officer or the case's prosecutors link victims to cases."))
    if not Case.objects.visible_to(user).filter(pk=case.pk).exists():
        raise NotAllowed(_("No case you can see has that reference."), "case")
    if not can_edit_case(user, case):
        raise NotAllowed(
            _("You may not change %(case)s, so you cannot link a victim to it.") % {"case": case.reference}, "case"
        )
    if role not in CaseRole.values:
        raise InvalidVictimDetails(_("Choose the victim's role in the case."), "role")
    locked = Victim.objects.select_for_update().get(pk=victim.pk)
    if CaseVictim.objects.filter(victim=locked, case=case).exists():
        raise InvalidVictimDetails(
            _("%(code)s is already linked to %(case)s.") % {"code": locked.code, "case": case.reference}, "case"
        )
    link = CaseVictim(victim=locked, case=case, role=role)
    link.save_as(user, f"Linked to {case.reference}")
    return link


# --- The vault ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RevealedIdentity:
    """A victim's name and contact details in plaintext, for one response to the officer who asked."""

    full_name: str
    phone: str
    address: str
    contact_person: str


@transaction.atomic
def save_victim_identity(
    victim: Victim,
    user: User,
    *,
    full_name: str = "",
    phone: str = "",
    address: str = "",
    contact_person: str = "",
    reason: str = "",
) -> VictimIdentity:
    """Enter a victim's name and contact details, or correct them (blank fields keep their value; a reason
    is required). Only ciphertext reaches the database and the history table."""
    if not can_read_identity(user):
        raise NotAllowed(_("Only a victim services officer keeps victims' names and contact details."))
    cipher()  # no key configured: refuse clearly before anything is written
    locked = Victim.objects.select_for_update().get(pk=victim.pk)
    values = {
        "full_name": full_name.strip(),
        "phone": phone.strip(),
        "address": address.strip(),
        "contact_person": contact_person.strip(),
    }
    identity = VictimIdentity.objects.filter(victim=locked).first()
    if identity is None:
        if not values["full_name"]:
            raise InvalidVictimDetails(_("Enter the victim's name."), "full_name")
        identity = VictimIdentity(victim=locked, victim_code=locked.code, **values)
        identity.save_as(user, reason.strip() or "Identity entered")
    else:
        changed = [name for name, value in values.items() if value]
        if not changed:
            raise InvalidVictimDetails(_("Enter at least one corrected detail."))
        if not reason.strip():
            raise InvalidVictimDetails(_("Say why the identity is corrected."), "reason")
        for name in changed:
            setattr(identity, name, values[name])
        identity.save_as(user, reason.strip(), update_fields=[*changed, "updated_at"])
    identity.refresh_from_db()  # the instance holds sealed values again, not the plaintext just typed
    logger.info("Identity of victim %s saved by user %s", locked.code, user.pk)
    return identity


def record_identity_access(victim: Victim, user: User, purpose: str) -> VictimIdentityAccess:
    """Record who reads the victim's identity and why, in its own transaction, before any decryption."""
    if not can_read_identity(user):
        raise NotAllowed(_("Only a victim services officer may read a victim's identity."))
    purpose = (purpose or "").strip()
    if len(purpose) < MIN_PURPOSE_LENGTH:
        raise PurposeRequired(
            _("State the purpose of reading this identity (at least %(number)s characters).")
            % {"number": MIN_PURPOSE_LENGTH}
        )
    with transaction.atomic():
        if not VictimIdentity.objects.filter(victim=victim).exists():
            raise NoIdentityOnFile(_("No identity is on file for %(code)s.") % {"code": victim.code})
        entry = VictimIdentityAccess(victim=victim, accessed_by=user, accessed_at=timezone.now(), purpose=purpose)
        entry.save_as(user, "Identity read")
    logger.info("Identity of victim %s read by user %s", victim.code, user.pk)
    return entry


def reveal_victim_identity(victim: Victim, user: User, purpose: str) -> RevealedIdentity:
    """The identity in plaintext, for the officer who states a purpose. The access is recorded first."""
    record_identity_access(victim, user, purpose)
    identity = VictimIdentity.objects.get(victim=victim)

    def opened(value: Sealed | None) -> str:
        return value.open() if value is not None else ""

    try:
        return RevealedIdentity(**{name: opened(getattr(identity, name)) for name in VictimIdentity.ENCRYPTED_FIELDS})
    except VaultError:
        logger.error("Identity of victim %s could not be decrypted with the configured keys", victim.code)
        raise


# --- Service providers, referrals and services (CTIP s.15) ----------------------------------------

REFERRAL_SERIES = "referral"
REFERRAL_TEMPLATE = "REF-{period}-{number:04d}"
REFERRAL_MOVES: dict[str, frozenset[str]] = {
    ReferralStatus.REFERRED: frozenset({ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN}),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.IN_SERVICE, ReferralStatus.WITHDRAWN}),
    ReferralStatus.IN_SERVICE: frozenset({ReferralStatus.COMPLETED, ReferralStatus.WITHDRAWN}),
    ReferralStatus.COMPLETED: frozenset(),
    ReferralStatus.DECLINED: frozenset(),
    ReferralStatus.WITHDRAWN: frozenset(),
}
_DATE_OF_MOVE: dict[str, str] = {
    ReferralStatus.ACCEPTED: "accepted_on",
    ReferralStatus.IN_SERVICE: "started_on",
    ReferralStatus.COMPLETED: "ended_on",
    ReferralStatus.DECLINED: "ended_on",
    ReferralStatus.WITHDRAWN: "ended_on",
}


@transaction.atomic
def add_provider(
    user: User, *, name: str, kinds: Iterable[str], county: County | None = None, capacity: int | None = None
) -> ServiceProvider:
    """Add a service provider to the register (shelter, clinic, legal aid …)."""
    _require_manager(user)
    name = name.strip()
    chosen = list(dict.fromkeys(kinds))
    if not name:
        raise InvalidVictimDetails(_("Give the provider's name."), "name")
    if not chosen or any(kind not in ServiceKind.values for kind in chosen):
        raise InvalidVictimDetails(_("Tick the services the provider offers."), "kinds")
    if ServiceProvider.objects.filter(name__iexact=name).exists():
        raise InvalidVictimDetails(_("A provider named %(name)s is already registered.") % {"name": name}, "name")
    provider = ServiceProvider(name=name, kinds=chosen, county=county, capacity=capacity)
    provider.save_as(user, "Provider registered")
    return provider


@transaction.atomic
def refer_victim(
    victim: Victim, provider: ServiceProvider, user: User, *, kind: str, referred_on: dt.date, note: str = ""
) -> Referral:
    """Refer a victim to a provider for one kind of service. The provider must offer that kind."""
    _require_manager(user)
    if kind not in ServiceKind.values:
        raise InvalidVictimDetails(_("Choose the service the victim is referred for."), "kind")
    not_in_future(referred_on, _("referral date"), field="referred_on")
    if referred_on < victim.identified_on:
        raise InvalidVictimDetails(_("A referral cannot predate the victim's identification."), "referred_on")
    if not provider.active:
        raise InvalidVictimDetails(
            _("%(provider)s no longer takes referrals.") % {"provider": provider.name}, "provider"
        )
    if not provider.offers(kind):
        label = ServiceKind(kind).label
        raise InvalidVictimDetails(
            _("%(provider)s does not offer %(service)s (it offers %(offered)s).")
            % {"provider": provider.name, "service": str(label).lower(), "offered": provider.kinds_display().lower()},
            "provider",
        )
    locked = Victim.objects.select_for_update().get(pk=victim.pk)
    referral = Referral(
        reference=next_reference(REFERRAL_SERIES, REFERRAL_TEMPLATE, calendar_year(referred_on)),
        victim=locked,
        provider=provider,
        kind=kind,
        referred_on=referred_on,
        note=note.strip(),
    )
    referral.save_as(user, f"Referred to {provider.name}")
    if not locked.referred_to_services:
        locked.referred_to_services = True
        locked.save_as(user, "Referred to services", update_fields=["referred_to_services", "updated_at"])
    return referral


@transaction.atomic
def move_referral(referral: Referral, user: User, *, to_status: str, on: dt.date, note: str = "") -> Referral:
    """Move a referral on (accepted, in service, completed) or close it (declined, withdrawn), dated."""
    _require_manager(user)
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if to_status not in REFERRAL_MOVES.get(locked.status, frozenset()):
        raise InvalidVictimDetails(
            _("A referral that is %(from_status)s cannot become %(to_status)s.")
            % {
                "from_status": locked.get_status_display().lower(),
                "to_status": str(ReferralStatus(to_status).label).lower()
                if to_status in ReferralStatus.values
                else to_status,
            },
            "to_status",
        )
    not_in_future(on, _("date"), field="on")
    if on < locked.referred_on:
        raise InvalidVictimDetails(_("The date cannot be before the referral."), "on")
    locked.status = to_status
    setattr(locked, _DATE_OF_MOVE[to_status], on)
    if note.strip():
        locked.note = f"{locked.note}\n{note.strip()}".strip()
    locked.save_as(user, f"Referral {stored_label(ReferralStatus(to_status).label).lower()}")
    return locked


@transaction.atomic
def record_service(referral: Referral, user: User, *, delivered_on: dt.date, description: str) -> ServiceDelivered:
    """Record a service delivered under a referral that is in service (or completed, for late records)."""
    _require_manager(user)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status not in (ReferralStatus.IN_SERVICE, ReferralStatus.COMPLETED):
        raise InvalidVictimDetails(_("Services are recorded once the referral is in service."), "delivered_on")
    not_in_future(delivered_on, _("date delivered"), field="delivered_on")
    if not description.strip():
        raise InvalidVictimDetails(_("Say what service was delivered."), "description")
    service = ServiceDelivered(referral=referral, delivered_on=delivered_on, description=description.strip())
    service.save_as(user, "Service delivered")
    return service
