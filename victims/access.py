"""Who may see and change what in the victims register. Decided here once, applied by
``Victim.objects.visible_to`` (and ``CaseVictim``'s) to every page, export, report and search.

- The victim services officer (the NRM focal person) sees and manages every victim, with or without a case.
- The case readers (prosecutors, the unit head, liaisons, auditors) see, by code, the victims linked to a
  case — they see every case; a victim with no case is not theirs to see.
- The fund roles see victims by code (a disbursement names its beneficiary by code) and nothing more.
- Anyone else sees no victim (404).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from core.access import AnyUser, has_role
from core.querysets import scope_rule
from core.roles import FUND_ROLES, Role
from prosecutions.access import CASE_READERS, CASE_WRITERS, can_read_cases
from victims.models import (
    CaseVictim,
    Referral,
    ServiceDelivered,
    ServiceProvider,
    Victim,
    VictimIdentity,
    VictimIdentityAccess,
)

REGISTER_MANAGERS = frozenset({Role.VICTIM_SERVICES_OFFICER})
VICTIM_READERS = REGISTER_MANAGERS | CASE_READERS | FUND_ROLES
CASE_LINKERS = REGISTER_MANAGERS | CASE_WRITERS


def manages_register(user: AnyUser) -> bool:
    return has_role(user, REGISTER_MANAGERS)


def can_read_victims(user: AnyUser) -> bool:
    return has_role(user, VICTIM_READERS)


def on_a_case() -> Q:
    """Victims linked to a case (through the register's links, or recorded on a case file)."""
    return Q(case__isnull=False) | Q(Exists(CaseVictim.objects.filter(victim=OuterRef("pk"))))


@scope_rule(Victim)
def _visible_victims(victims: QuerySet[Victim], user: AnyUser) -> QuerySet[Victim]:
    if manages_register(user) or has_role(user, FUND_ROLES):
        return victims
    if can_read_cases(user):
        return victims.filter(on_a_case())
    return victims.none()


@scope_rule(CaseVictim)
def _visible_links(links: QuerySet[CaseVictim], user: AnyUser) -> QuerySet[CaseVictim]:
    """A victim's link to a case is seen by who sees the case, and by the victim services officer."""
    return links if manages_register(user) or can_read_cases(user) else links.none()


def can_read_identity(user: AnyUser) -> bool:
    """Only the victim services officer reads (and writes) a victim's name and contact details."""
    return manages_register(user)


@scope_rule(VictimIdentity)
def _visible_identities(identities: QuerySet[VictimIdentity], user: AnyUser) -> QuerySet[VictimIdentity]:
    return identities if can_read_identity(user) else identities.none()


@scope_rule(VictimIdentityAccess)
def _visible_accesses(accesses: QuerySet[VictimIdentityAccess], user: AnyUser) -> QuerySet[VictimIdentityAccess]:
    """Who read an identity, and why: the officer and the auditors."""
    return accesses if can_read_identity(user) or has_role(user, {Role.AUDITOR}) else accesses.none()


# Providers are a public register; referrals and services follow their victim: the officer and the fund roles
# (codes and the services paid), and the case readers for victims on cases.
REFERRAL_READERS = REGISTER_MANAGERS | FUND_ROLES


@scope_rule(ServiceProvider)
def _visible_providers(providers: QuerySet[ServiceProvider], user: AnyUser) -> QuerySet[ServiceProvider]:
    return providers if can_read_victims(user) else providers.none()


@scope_rule(Referral)
def _visible_referrals(referrals: QuerySet[Referral], user: AnyUser) -> QuerySet[Referral]:
    if has_role(user, REFERRAL_READERS):
        return referrals
    if can_read_cases(user):
        return referrals.filter(victim__in=Victim.objects.filter(on_a_case()))
    return referrals.none()


@scope_rule(ServiceDelivered)
def _visible_services(services: QuerySet[ServiceDelivered], user: AnyUser) -> QuerySet[ServiceDelivered]:
    return services.filter(referral__in=Referral.objects.visible_to(user))
