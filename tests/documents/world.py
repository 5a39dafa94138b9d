"""The documents pages in the generated access test (``tests/core/test_access_generated.py``): for each kind
of record, the record of one side of the test's world (on a case the prosecutor persona leads, or one another
prosecutor leads) and a document on it, attached through the service by someone who may. Built inside each
test, so its rollback takes them away."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from assets import services as asset_services
from assets.models import Asset, Realisation
from core.models import User
from core.roles import Role
from documents import services
from documents.choices import DocumentType
from documents.demo import sample_pdf
from documents.registry import kind_by_slug, record_kinds
from prosecutions.models import Accused, Hearing
from tests.assets.factories import days_ago, forfeit, seize
from tests.documents.factories import upload
from trustfund.models import AdjustmentProposal, BankStatement

if TYPE_CHECKING:
    from tests.core.test_access_generated import Side


def _valuation(side: Side) -> Any:
    asset = Asset.objects.get(pk=side.asset_pk)
    return asset_services.add_valuation(
        asset, asset.case.lead_prosecutor, valued_on=days_ago(2), amount=Decimal("1200000"), valuer="Regent Valuers"
    )


def _realisation(side: Side) -> Realisation:
    lead = side.case.lead_prosecutor
    asset = seize(side.case, lead, description="Isuzu lorry")
    forfeit(asset, lead)
    return asset_services.record_realisation(
        asset, lead, realised_on=days_ago(1), method="auction", gross_proceeds=Decimal("900000")
    )


RECORDS: dict[str, Callable[[Side], Any]] = {
    "case": lambda s: s.case,
    "accused": lambda s: Accused.objects.get(pk=s.charge.accused_id),
    "count": lambda s: s.charge,
    "hearing": lambda s: Hearing.objects.get(pk=s.hearing_pk),
    "asset": lambda s: Asset.objects.get(pk=s.asset_pk),
    "valuation": _valuation,
    "order": lambda s: s.order,
    "realisation": _realisation,
    "receipt": lambda s: s.receipt,
    "disbursement": lambda s: s.disbursement,
    "statement": lambda s: BankStatement.objects.get(pk=s.statement_pk),
    "adjustment": lambda s: AdjustmentProposal.objects.get(pk=s.proposal_pk),
    "witness": lambda s: s.witness,
    "measure": lambda s: s.measure,
}

# Who attaches a side's document of each kind: the case's lead prosecutor, else a holder of the role.
ATTACHING_ROLE = {"receipt": Role.FUND_ADMINISTRATOR, "disbursement": Role.FUND_ADMINISTRATOR}
ATTACHING_ROLE |= {"statement": Role.FUND_ADMINISTRATOR, "witness": Role.WITNESS_LIAISON}
ATTACHING_ROLE |= {"measure": Role.WITNESS_LIAISON, "adjustment": Role.FUND_ADMINISTRATOR}


def _attacher(slug: str, side: Side) -> User:
    role = ATTACHING_ROLE.get(slug)
    if role is None:
        return side.case.lead_prosecutor
    user = User.objects.holding([role]).order_by("pk").first()
    assert user is not None
    return user


def document_on(slug: str, side: Side) -> int:
    kind = kind_by_slug(slug)
    assert kind is not None
    record = RECORDS[slug](side)
    document = services.upload_document(
        record,
        _attacher(slug, side),
        document_type=next(t for t in kind.types if t != DocumentType.OTHER),
        title=f"A {kind.noun}'s paper",
        document_date=timezone.localdate(),
        upload=upload("paper.pdf", sample_pdf(f"{slug} {record.pk} {uuid.uuid4()}")),
    )
    return document.pk


def _record_pk(slug: str) -> Callable[[Side], dict[str, int]]:
    return lambda side: {"pk": RECORDS[slug](side).pk}


def _document_pk(slug: str) -> Callable[[Side], dict[str, int]]:
    return lambda side: {"pk": document_on(slug, side)}


def document_route_args() -> dict[str, Callable[[Side], dict[str, int]]]:
    """``ROUTE_ARGS`` entries for every documents page of every registered kind."""
    found: dict[str, Callable[[Side], dict[str, int]]] = {}
    for kind in record_kinds():
        assert kind.slug in RECORDS, f"tests/documents/world.py: add a record of kind {kind.slug!r}"
        found[f"documents:{kind.slug}_upload"] = _record_pk(kind.slug)
        for page in ("detail", "download", "supersede", "withdraw"):
            found[f"documents:{kind.slug}_{page}"] = _document_pk(kind.slug)
    return found
