"""Demo assets for ``manage.py seed_demo``, recorded through the services.

About 40% of the demo cases get one to three assets, cycling through every type and every status;
some are in US dollars; several preservation orders expire within the next 14 days and some have
lapsed; forfeited assets are sold. Deterministic (one seeded random generator), idempotent (a case
that already has assets is left alone), and no date lies in the future.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from assets import services
from assets.choices import (
    AssetStatus,
    AssetType,
    Currency,
    Destination,
    LegalBasis,
    OrderType,
    RealisationMethod,
    SeizingAgency,
)
from assets.models import Asset
from assets.services.identifiers import identifiers_from_text
from core.models import User
from prosecutions.choices import CourtLevel
from prosecutions.models import Case, Court

SEED = 20260417
SHARE_OF_CASES = 0.4
USD_RATE = Decimal("129.35")
DEFAULT_COURT_NAME = "High Court at Nairobi (Anti-Corruption and Economic Crimes Division)"

SCENARIOS: tuple[str, ...] = (
    "preserved_soon",
    "seized",
    "forfeited",
    "realised",
    "preserved_soon",
    "lapsed",
    "preserved_far",
    "transferred",
    "forfeiture_applied",
    "preserved_expired",
    "released",
    "forfeited",
    "written_off",
    "realised",
)

DESCRIPTIONS: dict[str, list[tuple[str, str, int, int]]] = {
    # asset type → (description, identifier pattern, lowest, highest value in KES)
    AssetType.CASH: [("Cash found at the safe house", "", 150_000, 2_500_000)],
    AssetType.BANK_ACCOUNT: [("Balance in Equity Bank account", "0{n}2998877", 400_000, 12_000_000)],
    AssetType.MOTOR_VEHICLE: [
        ("Toyota Probox, white", "KD{l} {n}3X", 600_000, 1_400_000),
        ("Isuzu NQR lorry", "KC{l} {n}1T", 2_500_000, 5_500_000),
    ],
    AssetType.LAND: [("Plot with a residential house", "Nairobi/Block {n}/117", 4_000_000, 25_000_000)],
    AssetType.BUSINESS: [("Employment agency and its goodwill", "PVT-{n}AB", 1_000_000, 8_000_000)],
    AssetType.ELECTRONICS: [("Laptops and mobile phones", "", 80_000, 450_000)],
    AssetType.JEWELLERY: [("Gold jewellery", "", 200_000, 1_800_000)],
    AssetType.CRYPTO: [("USDT held in a hardware wallet", "0x{n}f3a9", 300_000, 6_000_000)],
    AssetType.OTHER: [("Forged travel documents printer", "", 50_000, 300_000)],
}


def _court() -> tuple[Court | None, str]:
    court = Court.objects.filter(level=CourtLevel.HIGH_COURT).order_by("name").first()
    return (court, "") if court else (None, DEFAULT_COURT_NAME)


class _Seeder:
    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self.court, self.court_name = _court()
        self.order_serial = 0
        self.counter = 0

    def days_ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    def order_number(self, kind: str, day: dt.date) -> str:
        self.order_serial += 1
        return f"HCACEC {kind} E{self.order_serial:03d} of {day.year}"

    def order(self, asset: Asset, user: User, order_type: str, granted: dt.date, **extra: Any) -> None:
        basis = {
            OrderType.PRESERVATION: LegalBasis.POCAMLA_S82,
            OrderType.FORFEITURE: LegalBasis.POCAMLA_S90_92,
            OrderType.CONFISCATION: LegalBasis.CTIP_S17,
        }[OrderType(order_type)]
        services.record_court_order(
            asset,
            user,
            order_type=order_type,
            legal_basis=basis,
            order_number=self.order_number("Misc. Appl." if order_type == OrderType.PRESERVATION else "OM", granted),
            granted_on=granted,
            court=self.court,
            court_name=self.court_name,
            today=self.today,
            **extra,
        )

    def seize(self, case: Case, seized_on: dt.date) -> Asset:
        asset_type = list(AssetType)[self.counter % len(AssetType)]
        self.counter += 1
        description, pattern, low, high = self.rng.choice(DESCRIPTIONS[asset_type])
        value_kes = Decimal(self.rng.randrange(low, high, 1000))
        in_usd = asset_type in (AssetType.CASH, AssetType.BANK_ACCOUNT, AssetType.CRYPTO) and self.rng.random() < 0.5
        identifier = pattern.format(n=self.rng.randrange(100, 999), l=self.rng.choice("ABCDEFGH"))
        owner = case.accused.order_by("id").first()
        return services.record_seizure(
            case,
            case.lead_prosecutor,
            asset_type=asset_type,
            description=description + (" (US dollars)" if in_usd else ""),
            identifier=identifier,
            identifiers=identifiers_from_text(asset_type, identifier),
            owner=owner,
            seized_on=seized_on,
            seizing_agency=self.rng.choice([SeizingAgency.DCI, SeizingAgency.ARA, SeizingAgency.NPS]),
            custodian=self.rng.choice(["DCI exhibits store", "Assets Recovery Agency", "Central Bank escrow"]),
            location=case.county.name,
            currency=Currency.USD if in_usd else Currency.KES,
            estimated_value=(value_kes / USD_RATE).quantize(Decimal("0.01")) if in_usd else value_kes,
            exchange_rate=USD_RATE if in_usd else None,
            today=self.today,
        )

    def forfeit(self, asset: Asset, user: User, start: int) -> str:
        """Preserve ``start`` days ago, gazette, then forfeit 100 days later (or earlier if recent); returns
        where the proceeds go."""
        self.order(asset, user, OrderType.PRESERVATION, self.days_ago(start), gazetted_on=self.days_ago(start - 10))
        services.move_asset(
            asset, user, AssetStatus.FORFEITURE_APPLIED, effective_on=self.days_ago(start - 80), today=self.today
        )
        destination = self.rng.choice([Destination.TRUST_FUND, Destination.CARF, Destination.TRUST_FUND])
        order_type = OrderType.CONFISCATION if destination == Destination.TRUST_FUND else OrderType.FORFEITURE
        self.order(asset, user, order_type, self.days_ago(start - 100), destination=destination)
        return destination

    def sell(self, asset: Asset, user: User, on: dt.date) -> None:
        gross = (asset.estimated_value * Decimal(self.rng.choice(["0.85", "0.95", "1.00", "1.10"]))).quantize(
            Decimal("0.01")
        )
        cash = asset.asset_type in (AssetType.CASH, AssetType.BANK_ACCOUNT)
        costs = Decimal("0") if cash else (gross * Decimal("0.07")).quantize(Decimal("0.01"))
        services.record_realisation(
            asset,
            user,
            realised_on=on,
            method=RealisationMethod.CASH_AS_IS if cash else RealisationMethod.AUCTION,
            gross_proceeds=gross,
            costs=costs,
            currency=asset.currency,
            exchange_rate=asset.exchange_rate,
            buyer="" if cash else "Highest bidder at public auction",
            today=self.today,
        )

    def run(self, case: Case, scenario: str) -> None:
        user = case.lead_prosecutor
        r = self.rng.randrange
        if scenario == "seized":
            self.seize(case, self.days_ago(r(5, 60)))
        elif scenario == "preserved_soon":
            left = r(1, 14)
            granted = self.days_ago(settings.PRESERVATION_ORDER_DAYS - left)
            asset = self.seize(case, granted - dt.timedelta(days=r(1, 10)))
            self.order(asset, user, OrderType.PRESERVATION, granted)
        elif scenario == "preserved_far":
            asset = self.seize(case, self.days_ago(40))
            self.order(asset, user, OrderType.PRESERVATION, self.days_ago(30), gazetted_on=self.days_ago(18))
        elif scenario == "preserved_expired":
            asset = self.seize(case, self.days_ago(settings.PRESERVATION_ORDER_DAYS + 20))
            self.order(asset, user, OrderType.PRESERVATION, self.days_ago(settings.PRESERVATION_ORDER_DAYS + r(3, 10)))
        elif scenario == "lapsed":
            asset = self.seize(case, self.days_ago(170))
            self.order(asset, user, OrderType.PRESERVATION, self.days_ago(160), gazetted_on=self.days_ago(150))
            services.record_lapse(asset, user)
        elif scenario == "forfeiture_applied":
            asset = self.seize(case, self.days_ago(75))
            self.order(asset, user, OrderType.PRESERVATION, self.days_ago(70), gazetted_on=self.days_ago(60))
            services.move_asset(
                asset, user, AssetStatus.FORFEITURE_APPLIED, effective_on=self.days_ago(12), today=self.today
            )
        elif scenario in ("forfeited", "realised", "transferred"):
            asset = self.seize(case, self.days_ago(320))
            destination = self.forfeit(asset, user, 300)
            if scenario != "forfeited":
                self.sell(asset, user, self.days_ago(r(40, 150)))
            # Proceeds bound for the trust fund are transferred by the fund's own seed, when it records
            # their receipt; only those paid to another fund are marked transferred here.
            if scenario == "transferred" and destination != Destination.TRUST_FUND:
                services.mark_transferred(
                    asset, user, receipt_reference=f"DEMO-TRANSFER-{asset.reference}", transferred_on=self.days_ago(20)
                )
        elif scenario == "released":
            asset = self.seize(case, self.days_ago(130))
            self.order(asset, user, OrderType.PRESERVATION, self.days_ago(120), gazetted_on=self.days_ago(110))
            services.release_to_owner(
                asset,
                user,
                released_on=self.days_ago(25),
                note="Preservation order rescinded on the owner's application (POCAMLA s.89).",
                today=self.today,
            )
        elif scenario == "written_off":
            asset = self.seize(case, self.days_ago(200))
            services.move_asset(
                asset,
                user,
                AssetStatus.WRITTEN_OFF,
                effective_on=self.days_ago(30),
                note="Destroyed in a fire at the exhibits store; nothing to realise.",
                today=self.today,
            )


def seed_assets(users: dict[str, User], out: Callable[[str], None], today: dt.date | None = None) -> int:
    """Add demo assets to about 40% of the open cases (a closed case takes no new seizure until reopened);
    returns how many assets were created."""
    today = today or timezone.localdate()
    cases = list(Case.objects.open().select_related("lead_prosecutor", "county").order_by("reference"))
    if not cases:
        out("Assets: no cases yet, so no demo assets.")
        return 0
    rng = random.Random(SEED)
    chosen = [case for case in cases if rng.random() < SHARE_OF_CASES] or cases[:1]
    already = set(Asset.objects.filter(case__in=chosen).values_list("case_id", flat=True).distinct())
    seeder = _Seeder(rng, today)
    created = 0
    scenario_index = 0
    for case in chosen:
        count = rng.choice([1, 1, 2, 2, 3])
        picks = [SCENARIOS[(scenario_index + i) % len(SCENARIOS)] for i in range(count)]
        scenario_index += count
        if case.pk in already:
            continue
        for scenario in picks:
            seeder.run(case, scenario)
            created += 1
    out(f"Assets: {created} demo assets on {len(chosen) - len(already)} cases ({len(already)} already had assets).")
    return created


# The organiser's network (docs/network.md): the lorry, the bank account and the M-Pesa line of Salim Bakari
# Mwinyi recur across his open cases (JKIA, Busia), written differently each time, and his M-Pesa number turns
# up on a phone seized from a transporter in a small-fish case (Malindi) that does not name him.
ORGANISER_PHONE = "0722 418 305"
SHARED_ASSETS: tuple[tuple[str, str, str, list[tuple[str, str]], str, int], ...] = (
    # (case station, type, description, identifiers, holder, value KES)
    (
        "JKIA",
        AssetType.MOTOR_VEHICLE,
        "Isuzu FRR lorry, white",
        [("vehicle_registration", "KCB 482M")],
        "organiser",
        3_200_000,
    ),
    (
        "JKIA",
        AssetType.BANK_ACCOUNT,
        "Equity Bank account",
        [("bank_account", "0110 2934 5512 01")],
        "organiser",
        1_850_000,
    ),
    ("JKIA", AssetType.CASH, "M-Pesa float", [("phone", ORGANISER_PHONE)], "organiser", 240_000),
    (
        "Busia",
        AssetType.MOTOR_VEHICLE,
        "Isuzu lorry KCB-482M",
        [("vehicle_registration", "kcb-482m")],
        "company",
        2_900_000,
    ),
    (
        "Busia",
        AssetType.BANK_ACCOUNT,
        "Equity Bank account (Busia branch)",
        [("bank_account", "011029345512-01")],
        "organiser",
        620_000,
    ),
    (
        "Malindi",
        AssetType.ELECTRONICS,
        "Tecno mobile phone with M-Pesa line",
        [("phone", "+254 722 418305")],
        "accused",
        15_000,
    ),
)


def seed_shared_assets(users: dict[str, User], out: Callable[[str], None], today: dt.date | None = None) -> int:
    """Seize the organiser's shared assets on the demo cases naming the recurring persons (once)."""
    from prosecutions.demo.persons import recurring_cases

    today = today or timezone.localdate()
    cases = {case.court.station if case.court else "": case for case in recurring_cases()}
    if not cases or Asset.objects.filter(identifiers__value="KCB482M").exists():
        return 0
    created = 0
    for station, asset_type, description, identifiers, holder, value in SHARED_ASSETS:
        case = cases.get(station)
        if case is None or case.is_closed:
            continue
        accused = list(case.accused.select_related("person").order_by("id"))
        organiser = next((a for a in accused if a.network_role == "organiser"), None)
        owner = organiser if holder == "organiser" else accused[0] if holder == "accused" and accused else None
        services.record_seizure(
            case,
            case.lead_prosecutor,
            asset_type=asset_type,
            description=description,
            identifier=identifiers[0][1],
            identifiers=identifiers,
            owner=owner,
            holder_company="Mwinyi Transporters Ltd" if holder == "company" else "",
            seized_on=max(case.opened_on, today - dt.timedelta(days=30)),
            seizing_agency=SeizingAgency.DCI,
            custodian="DCI exhibits store",
            location=case.county.name,
            estimated_value=Decimal(value),
            today=today,
        )
        created += 1
    out(f"Assets: {created} assets of the demo organiser's network (shared lorry, bank account, M-Pesa line).")
    return created
