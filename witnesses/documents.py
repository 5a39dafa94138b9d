"""The witness records that take documents — the witness and a protection measure — for witness protection
liaisons only: nobody else sees that such papers exist, and their titles never leave the liaisons' pages
(the audit log names them by number). Another liaison than the one who attached it withdraws a document."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from documents.choices import DocumentType as T
from documents.registry import RecordKind, register_record_kind
from witnesses.access import LIAISONS, can_manage_protection
from witnesses.models import ProtectionMeasure, Witness


def _measures(witness: Witness) -> list[Any]:
    return list(witness.measures.select_related("witness").order_by("-starts_on", "-id"))


def _kind(**fields: Any) -> RecordKind:
    """A kind of this app's records, with the access its records share."""
    return RecordKind(
        readers=LIAISONS,
        attachers=LIAISONS,
        withdrawers=LIAISONS,
        withdraw_four_eyes=True,
        withdrawn_by=_("another witness protection liaison"),
        confidential=True,
        **fields,
    )


register_record_kind(
    _kind(
        slug="witness",
        model=Witness,
        noun=_("witness"),
        types=(T.WITNESS_STATEMENT, T.IDENTITY_DOCUMENT, T.COURT_ORDER, T.OTHER),
        can_attach=lambda user, witness: can_manage_protection(user),
        describe=lambda witness: witness.code,
        record_url=lambda witness: witness.get_absolute_url(),
        parts=_measures,
    )
)
register_record_kind(
    _kind(
        slug="measure",
        model=ProtectionMeasure,
        noun=_("protection measure"),
        types=(T.COURT_ORDER, T.OTHER),
        can_attach=lambda user, measure: can_manage_protection(user),
        describe=lambda m: (
            _("%(measure)s for %(witness)s") % {"measure": m.get_kind_display(), "witness": m.witness.code}
        ),
        record_url=lambda m: reverse("witnesses:witness_detail", args=[m.witness_id]) + "?tab=protection",
        select_related=("witness",),
    )
)
