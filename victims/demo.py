"""Demo data for the victims register, through the services: service providers, victims identified by the
NRM without a case (beside those on the demo cases), referrals in every state and services delivered.
The trust fund's demo then pays some providers, citing the referrals (``trustfund.demo.pay_for_referrals``)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from core.models import County, User
from core.roles import Role
from victims import services
from victims.choices import AgeBand, IdentifyingAgency, ReferralStatus, ServiceKind
from victims.models import ServiceProvider, Victim

SEED = 22
PROVIDERS: tuple[tuple[str, tuple[str, ...], str, int | None], ...] = (
    ("Tumaini Safe House", (ServiceKind.SHELTER, ServiceKind.PSYCHOSOCIAL), "Mombasa", 24),
    ("Nairobi Women's Hospital GVRC", (ServiceKind.MEDICAL, ServiceKind.PSYCHOSOCIAL), "Nairobi", None),
    ("Haki Legal Aid Clinic", (ServiceKind.LEGAL_AID,), "Nairobi", None),
    ("IOM Assisted Return Programme", (ServiceKind.REPATRIATION, ServiceKind.REINTEGRATION), "Nairobi", None),
    ("Kisumu Children's Rescue Centre", (ServiceKind.SHELTER, ServiceKind.EDUCATION), "Kisumu", 40),
)
# (target status, the moves that get there)
PATHS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (ReferralStatus.REFERRED, ()),
    (ReferralStatus.ACCEPTED, (ReferralStatus.ACCEPTED,)),
    (ReferralStatus.IN_SERVICE, (ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE)),
    (ReferralStatus.COMPLETED, (ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE, ReferralStatus.COMPLETED)),
    (ReferralStatus.DECLINED, (ReferralStatus.DECLINED,)),
    (ReferralStatus.WITHDRAWN, (ReferralStatus.ACCEPTED, ReferralStatus.WITHDRAWN)),
)
LONE_VICTIMS = 24


def _officer(users: dict[str, User]) -> User | None:
    return users.get("victimservices") or User.objects.holding([Role.VICTIM_SERVICES_OFFICER]).order_by("pk").first()


def seed_victims(users: dict[str, User], out: Callable[[str], None], today: dt.date | None = None) -> int:
    """Providers, victims without a case, and referrals in every state; returns the referrals made."""
    officer = _officer(users)
    if officer is None:
        out("Victims register: no victim services officer, skipped.")
        return 0
    if ServiceProvider.objects.exists():
        out("Victims register: already has providers, left alone.")
        return 0
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    counties = {county.name: county for county in County.objects.all()}
    all_counties = list(counties.values())
    with transaction.atomic():
        providers = [
            services.add_provider(officer, name=name, kinds=kinds, county=counties.get(county), capacity=capacity)
            for name, kinds, county, capacity in PROVIDERS
        ]
        lone = [_lone_victim(officer, rng, today, all_counties) for _ in range(LONE_VICTIMS)]
        on_cases = list(Victim.objects.filter(case__isnull=False).order_by("-identified_on")[:12])
        referrals = 0
        for n, victim in enumerate([*lone, *on_cases]):
            _target, moves = PATHS[n % len(PATHS)]
            provider = providers[n % len(providers)]
            kind = provider.kinds[n % len(provider.kinds)]
            start = max(victim.identified_on, today - dt.timedelta(days=120))
            referral = services.refer_victim(victim, provider, officer, kind=kind, referred_on=start)
            day = start
            for move in moves:
                day = min(today, day + dt.timedelta(days=rng.randint(1, 10)))
                referral = services.move_referral(referral, officer, to_status=move, on=day)
                if move == ReferralStatus.IN_SERVICE:
                    services.record_service(
                        referral, officer, delivered_on=day, description=f"{referral.get_kind_display()}: first session"
                    )
            referrals += 1
    out(
        f"Victims register: {len(providers)} providers, {LONE_VICTIMS} victims identified without a case, "
        f"{referrals} referrals (every state)."
    )
    return referrals


def _lone_victim(officer: User, rng: random.Random, today: dt.date, counties: list[County]) -> Victim:
    abroad = rng.random() < 0.3
    age = rng.choice([None, 14, 16, 19, 23, 27, 34, 41])
    return services.identify_victim(
        officer,
        identified_on=today - dt.timedelta(days=rng.randint(30, 700)),
        identified_by=rng.choice(IdentifyingAgency.values),
        identified_in=rng.choice(counties) if counties else None,
        sex=rng.choice(["female", "female", "male", "unknown"]),
        age=age,
        age_band="" if age is not None else rng.choice(["", AgeBand.TEEN, AgeBand.YOUNG_ADULT]),
        country=rng.choice(["KE", "KE", "KE", "UG", "ET", "TZ", "BI", ""]),
        exploitation_forms=rng.choice(
            [[], ["forced_labour"], ["sexual_exploitation"], ["forced_labour", "servitude"], ["child_labour"]]
        ),
        exploited_in_county=None if abroad else (rng.choice(counties) if counties else None),
        exploited_abroad=rng.choice(["SA", "AE", "QA", "OM", "LB"]) if abroad else "",
        referral_consent_on=today - dt.timedelta(days=rng.randint(1, 29)) if rng.random() < 0.8 else None,
    )
