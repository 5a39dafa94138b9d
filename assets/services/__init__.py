"""Every change to an asset, as HTTP-free functions: each one transaction that locks, checks, writes
and records who did it. Forms, the seed, the deadline command and the trust fund call these.

The status moves an asset may make (``ALLOWED_MOVES``)::

    seized ─→ preserved ─→ forfeiture_applied ─→ forfeited ─→ realised ─→ transferred
      │           │               │
      │           ├─→ lapsed ─→ preserved (a fresh preservation order) | released
      ├─→ forfeited (criminal forfeiture on conviction, CTIP s.17, without preservation)
      └─ seized, preserved, forfeiture_applied, lapsed ─→ released (to the owner)
         seized, preserved, forfeiture_applied, forfeited, lapsed ─→ written_off

Guards: ``preserved`` needs a preservation order in force; ``forfeited`` a forfeiture or
confiscation order; ``realised`` a realisation; ``lapsed`` an expired preservation order;
``released`` and ``written_off`` a note saying why; ``transferred`` is set only by
``mark_transferred``, which the trust fund calls when it has received the net proceeds.

One module per section: ``seizure``, ``valuations``, ``orders`` (court orders and the preservation
deadline), ``moves`` (the table, the guards and the status moves), ``realisation``; ``common`` holds
what they share. Import from ``assets.services``: the errors are those of ``assets.exceptions``.
"""

from __future__ import annotations

from assets.exceptions import (
    AssetError,
    AssetGuardFailed,
    IllegalAssetMove,
    InvalidAmount,
    InvalidDate,
    MissingExchangeRate,
    NotForfeited,
    TransferOnlyByTrustFund,
)
from assets.services.common import CENT, current_preservation_order, to_kes
from assets.services.identifiers import (
    normalise_asset_identifier,
    normalised_identifiers,
    record_asset_links,
)
from assets.services.moves import (
    ALLOWED_MOVES,
    MANUAL_MOVES,
    NOTE_REQUIRED,
    mark_transferred,
    move_asset,
    record_lapse,
    release_to_owner,
)
from assets.services.orders import (
    FORFEITABLE,
    PRESERVABLE,
    preservation_expiry,
    record_court_order,
    record_gazettement,
)
from assets.services.realisation import record_realisation
from assets.services.seizure import record_seizure
from assets.services.valuations import add_valuation

__all__ = [
    "ALLOWED_MOVES",
    "CENT",
    "FORFEITABLE",
    "MANUAL_MOVES",
    "NOTE_REQUIRED",
    "PRESERVABLE",
    "AssetError",
    "AssetGuardFailed",
    "IllegalAssetMove",
    "InvalidAmount",
    "InvalidDate",
    "MissingExchangeRate",
    "NotForfeited",
    "TransferOnlyByTrustFund",
    "add_valuation",
    "current_preservation_order",
    "mark_transferred",
    "move_asset",
    "normalise_asset_identifier",
    "normalised_identifiers",
    "preservation_expiry",
    "record_asset_links",
    "record_court_order",
    "record_gazettement",
    "record_lapse",
    "record_realisation",
    "record_seizure",
    "release_to_owner",
    "to_kes",
]
