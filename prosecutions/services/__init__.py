"""Every change to a prosecution file: HTTP-free, one transaction each, with the acting user.

Views (through forms), the demo seed and the tests all call these functions. Each one locks what it
changes, checks the rules, saves (so history records who and why) and keeps ``Case.last_activity_on``
current. A broken rule raises a named :class:`~prosecutions.exceptions.ProsecutionError` (or core's
shared :class:`~core.exceptions.InvalidDate` for an event dated after today).

One module per part of the file, all re-exported here (``from prosecutions import services``):
``cases`` (opening, details, prosecutors), ``stages`` (moves, closing, reopening), ``accused``,
``counts`` (charges, pleas, outcomes, sentences), ``victims`` and ``hearings``; ``shared`` holds the
checks they all make.
"""

from __future__ import annotations

from core.guards import today
from prosecutions.services.accused import ACCUSED_FIELDS, add_accused, update_accused
from prosecutions.services.cases import (
    CASE_DETAIL_FIELDS,
    CASE_SERIES,
    CASE_TEMPLATE,
    assign_prosecutors,
    open_case,
    update_case_details,
)
from prosecutions.services.counts import (
    CHARGED_STAGES,
    DEFENCE_HEARD,
    DISPOSITION_STAGES,
    NEEDS_PLEA,
    add_charge,
    can_add_count,
    can_record_outcome,
    can_sentence,
    can_take_plea,
    next_count_number,
    offence_in_force,
    record_disposition,
    record_plea,
    record_sentence,
)
from prosecutions.services.hearings import (
    ADJOURNMENT_LIMIT_DAYS,
    ADJOURNMENT_LIMIT_REMANDED_DAYS,
    HEARING_STAGES,
    adjournment_limit,
    can_schedule_hearing,
    clear_days,
    hearing_refusal,
    issue_calendar_feed,
    record_hearing,
    record_hearing_outcome,
    revoke_calendar_feed,
)
from prosecutions.services.person_matching import DuplicatePair, PersonMatch, person_matches, possible_duplicates
from prosecutions.services.persons import (
    PERSON_SERIES,
    PERSON_TEMPLATE,
    create_person,
    link_accused,
    merge_persons,
    normalise_national_id,
    normalise_passport,
    normalise_phone,
    split_id_number,
    undo_merge,
)
from prosecutions.services.pleas import can_convict_on_own_plea, convict_on_own_plea, own_plea_refusal
from prosecutions.services.shared import open_locked_case
from prosecutions.services.stages import (
    ALLOWED_MOVES,
    allowed_moves,
    allowed_next_stages,
    blocked_moves,
    move_refusal,
    move_stage,
    reopen_case,
)
from prosecutions.services.victims import VICTIM_SERIES, VICTIM_TEMPLATE, add_victim

__all__ = [
    "ACCUSED_FIELDS",
    "ADJOURNMENT_LIMIT_DAYS",
    "ADJOURNMENT_LIMIT_REMANDED_DAYS",
    "ALLOWED_MOVES",
    "CASE_DETAIL_FIELDS",
    "CASE_SERIES",
    "CASE_TEMPLATE",
    "CHARGED_STAGES",
    "DEFENCE_HEARD",
    "DISPOSITION_STAGES",
    "HEARING_STAGES",
    "NEEDS_PLEA",
    "PERSON_SERIES",
    "PERSON_TEMPLATE",
    "VICTIM_SERIES",
    "VICTIM_TEMPLATE",
    "DuplicatePair",
    "PersonMatch",
    "add_accused",
    "add_charge",
    "add_victim",
    "adjournment_limit",
    "allowed_moves",
    "allowed_next_stages",
    "assign_prosecutors",
    "blocked_moves",
    "can_add_count",
    "can_convict_on_own_plea",
    "can_record_outcome",
    "can_schedule_hearing",
    "can_sentence",
    "can_take_plea",
    "clear_days",
    "convict_on_own_plea",
    "create_person",
    "hearing_refusal",
    "issue_calendar_feed",
    "link_accused",
    "merge_persons",
    "move_refusal",
    "move_stage",
    "next_count_number",
    "normalise_national_id",
    "normalise_passport",
    "normalise_phone",
    "offence_in_force",
    "open_case",
    "open_locked_case",
    "own_plea_refusal",
    "person_matches",
    "possible_duplicates",
    "record_disposition",
    "record_hearing",
    "record_hearing_outcome",
    "record_plea",
    "record_sentence",
    "reopen_case",
    "revoke_calendar_feed",
    "split_id_number",
    "today",
    "undo_merge",
    "update_accused",
    "update_case_details",
]
