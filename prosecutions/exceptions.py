"""Named domain errors of the prosecutions app. Messages are written for the prosecutor who sees them.

An event dated after today is refused with core's shared :class:`~core.exceptions.InvalidDate`
(re-exported here), raised by ``core.guards.not_in_future``.
"""

from __future__ import annotations

from core.exceptions import DomainError, InvalidDate

__all__ = [
    "CaseClosed",
    "CaseNotEditable",
    "CorrectionNotAllowed",
    "CorrectionReasonMissing",
    "DateOutOfOrder",
    "DispositionNotAllowed",
    "DuplicateCount",
    "HearingNotAllowed",
    "IllegalStageMove",
    "InvalidDate",
    "InvalidDetails",
    "InvalidIdentifier",
    "InvalidSentence",
    "MergeNotAllowed",
    "OffenceNotInForce",
    "PleaNotAllowed",
    "ProsecutionError",
    "ReopenNotAllowed",
    "SentenceNotAllowed",
    "SentenceOutOfRange",
    "StageGuardFailed",
]


class ProsecutionError(DomainError):
    """Base of every prosecutions rule broken."""


class CaseNotEditable(ProsecutionError):
    """The user may not change this case (not on its team, or the case is closed)."""


class CaseClosed(CaseNotEditable):
    """A closed case is read-only until the unit head reopens it."""


class InvalidDetails(ProsecutionError):
    """A detail given is not acceptable (unknown choice, wrong person for the job)."""


class IllegalStageMove(ProsecutionError):
    """The move is not in the table of allowed stage moves."""

    field = "to_stage"


class StageGuardFailed(ProsecutionError):
    """The move is allowed in principle, but the case is not ready for it."""

    field = "to_stage"


class DateOutOfOrder(ProsecutionError):
    """A date falls before the event it must follow (e.g. before the case was opened)."""


class DuplicateCount(ProsecutionError):
    """The accused already has a count with this number."""

    field = "count_number"


class OffenceNotInForce(ProsecutionError):
    """No version of the offence applied on the offence date."""

    field = "offence"


class PleaNotAllowed(ProsecutionError):
    """A plea cannot be recorded now."""


class DispositionNotAllowed(ProsecutionError):
    """This outcome cannot be recorded on this count at this stage."""

    field = "disposition"


class SentenceNotAllowed(ProsecutionError):
    """A sentence is only passed on a convicted count, once."""


class InvalidSentence(ProsecutionError):
    """The sentence's parts do not fit together."""


class HearingNotAllowed(ProsecutionError):
    """The hearing cannot be recorded as given."""


class ReopenNotAllowed(ProsecutionError):
    """Only the unit head reopens a closed case, with a reason."""


class CorrectionNotAllowed(ProsecutionError):
    """A correction cannot be made as asked: nothing would change, or a later fact depends on the value
    (the message says what must be undone first)."""


class CorrectionReasonMissing(ProsecutionError):
    """Every correction gives its reason: it is kept in the case history."""

    field = "reason"


class SentenceOutOfRange(InvalidSentence):
    """The sentence lies below the mandatory minimum or above the maximum of the offence version in force,
    and no override ground and reason were given."""

    field = "override_ground"


class InvalidIdentifier(InvalidDetails):
    """A national ID, passport or phone number that cannot be read as one (wrong length, letters in an ID
    number, a phone number with no country that fits)."""


class MergeNotAllowed(ProsecutionError):
    """Two persons cannot be merged (or a merge undone) as asked: the message says why."""
