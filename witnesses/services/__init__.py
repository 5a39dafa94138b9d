"""Every change to a witness, as HTTP-free functions: each one transaction that locks, checks, writes and
records who did it. Forms, the seed and the key-rotation command call these.

Protection status moves (Witness Protection Act, DOMAIN.md §3; ``ALLOWED_MOVES``)::

    none → flagged → under_assessment → admitted | declined
    admitted → suspended → admitted          (s.11 suspension, then reinstatement)
    admitted | suspended → terminated        (s.10: on request, breach, threat, or need ceased)

A prosecutor who may change one of the witness's cases requests protection (none → flagged); a liaison
flags, assesses, admits, declines, suspends and terminates, records measures and holds the identity.
Reading an identity records an ``IdentityAccess`` (who, when, purpose) before anything is decrypted.

One module per section: ``appearances`` (witnesses on a case's witness list), ``protection`` (the
status and its moves), ``measures``, ``identities`` (the vault); ``common`` holds what they share.
Import from ``witnesses.services``: the errors are those of ``witnesses.exceptions``.
"""

from __future__ import annotations

from core.guards import today
from witnesses.exceptions import (
    IllegalProtectionMove,
    InvalidDate,
    InvalidWitnessDetails,
    MeasureNotAllowed,
    NoIdentityOnFile,
    NotAllowed,
    ProtectionGuardFailed,
    PurposeRequired,
    WitnessError,
)
from witnesses.services.appearances import WITNESS_SERIES, WITNESS_TEMPLATE, add_witness_to_case
from witnesses.services.identities import (
    MIN_PURPOSE_LENGTH,
    RevealedIdentity,
    identity_readable,
    record_identity_access,
    reveal_identity,
    rotate_identity_keys,
    save_identity,
)
from witnesses.services.measures import end_measure, record_measure
from witnesses.services.protection import (
    ALLOWED_MOVES,
    ASSESSED_RISKS,
    DECISION_MOVES,
    admit_witness,
    decide_protection,
    decline_witness,
    flag_witness,
    reinstate_protection,
    request_protection,
    start_assessment,
    suspend_protection,
    terminate_protection,
)

__all__ = [
    "ALLOWED_MOVES",
    "ASSESSED_RISKS",
    "DECISION_MOVES",
    "MIN_PURPOSE_LENGTH",
    "WITNESS_SERIES",
    "WITNESS_TEMPLATE",
    "IllegalProtectionMove",
    "InvalidDate",
    "InvalidWitnessDetails",
    "MeasureNotAllowed",
    "NoIdentityOnFile",
    "NotAllowed",
    "ProtectionGuardFailed",
    "PurposeRequired",
    "RevealedIdentity",
    "WitnessError",
    "add_witness_to_case",
    "admit_witness",
    "decide_protection",
    "decline_witness",
    "end_measure",
    "flag_witness",
    "identity_readable",
    "record_identity_access",
    "record_measure",
    "reinstate_protection",
    "request_protection",
    "reveal_identity",
    "rotate_identity_keys",
    "save_identity",
    "start_assessment",
    "suspend_protection",
    "terminate_protection",
    "today",
]
