"""Recording a seizure: the asset enters the register as ``seized``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from assets.choices import AssetStatus, AssetType, Currency, SeizingAgency
from assets.exceptions import AssetError
from assets.models import Asset, AssetStatusChange
from assets.services.common import rate_to_store, to_kes
from assets.services.identifiers import add_identifiers, check_holder, normalised_identifiers
from core import guards
from core.models import User
from core.numbering import calendar_year, next_reference
from prosecutions.models import Accused, Case, Person
from prosecutions.services import open_locked_case


@transaction.atomic
def record_seizure(
    case: Case,
    user: User,
    *,
    asset_type: str,
    description: str,
    seized_on: dt.date,
    seizing_agency: str,
    estimated_value: Decimal,
    currency: str = Currency.KES,
    exchange_rate: Decimal | None = None,
    owner: Accused | None = None,
    identifier: str = "",
    custodian: str = "",
    location: str = "",
    holder_person: Person | None = None,
    holder_company: str = "",
    identifiers: Iterable[tuple[str, str]] = (),
    today: dt.date | None = None,
) -> Asset:
    """Record an asset seized in ``case``; it gets the next ``AST/{year}/{n}`` reference. A closed case
    takes no new seizure (``CaseClosed``) until it is reopened; assets already recorded go on.

    The holder is a person of the index or a company (not both); with neither, the owner's person holds it.
    ``identifiers`` are (kind, text) pairs — registration, account, phone, parcel — normalised before
    anything is saved (``assets.services.identifiers``)."""
    open_locked_case(case)
    AssetType(asset_type)
    SeizingAgency(seizing_agency)
    if not description.strip():
        raise AssetError(_("Describe the asset."), field="description")
    guards.not_in_future(seized_on, "seizure date", field="seized_on", as_of=today)
    guards.positive(estimated_value, "estimated value", field="estimated_value")
    value_kes = to_kes(estimated_value, currency, exchange_rate)
    if owner is not None and owner.case_id != case.pk:
        raise AssetError(_("The owner must be one of the accused in this case."), field="owner")
    pairs = normalised_identifiers(identifiers)
    holder_company = check_holder(holder_person, holder_company)
    if holder_person is None and not holder_company and owner is not None and owner.person_id is not None:
        holder_person = owner.person
    reference = next_reference("asset", "AST/{period}/{number:04d}", calendar_year(today or guards.today()))
    asset = Asset(
        case=case,
        owner=owner,
        holder_person=holder_person,
        holder_company=holder_company,
        reference=reference,
        asset_type=asset_type,
        description=description.strip(),
        identifier=identifier.strip(),
        custodian=custodian.strip(),
        location=location.strip(),
        seized_on=seized_on,
        seizing_agency=seizing_agency,
        currency=currency,
        estimated_value=estimated_value,
        exchange_rate=rate_to_store(currency, exchange_rate),
        estimated_value_kes=value_kes,
        status=AssetStatus.SEIZED,
    )
    asset.save_as(user, "Seizure recorded")
    AssetStatusChange(
        asset=asset, from_status="", to_status=AssetStatus.SEIZED, effective_on=seized_on, changed_by=user
    ).save_as(user, "Seizure recorded")
    add_identifiers(asset, user, pairs)
    return asset
