"""What can go wrong with an asset record. Every error is a ``core.exceptions.DomainError``: the message
is written for the user, ``field`` names the form field it belongs to.

A date in the future and an amount that is not above zero are the errors every app shares
(``core.exceptions``); they are named here too, so ``except assets.exceptions.InvalidDate`` still reads.
"""

from __future__ import annotations

from core.exceptions import DomainError, InvalidAmount, InvalidDate

__all__ = [
    "AssetError",
    "AssetGuardFailed",
    "IllegalAssetMove",
    "InvalidAmount",
    "InvalidDate",
    "MissingExchangeRate",
    "NotForfeited",
    "TransferOnlyByTrustFund",
]


class AssetError(DomainError):
    """Something about an asset record is not acceptable."""


class MissingExchangeRate(AssetError):
    """A foreign-currency amount came without a rate to KES."""

    field = "exchange_rate"


class IllegalAssetMove(AssetError):
    """The asset may not move from its status to the one asked for."""


class AssetGuardFailed(AssetError):
    """The move is in the table, but what it needs (an order, a realisation, a note) is missing."""


class TransferOnlyByTrustFund(IllegalAssetMove):
    """``transferred`` is recorded by the trust fund when it receives the proceeds, never by hand."""


class NotForfeited(AssetError):
    """A realisation was recorded for an asset the state does not (yet) own."""
