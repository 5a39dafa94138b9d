"""Every change to a prosecution file: HTTP-free, one transaction each, with the acting user.

Views (through forms), the demo seed and the tests all call these functions. Each one locks what it
changes, checks the rules, saves (so history records who and why) and keeps ``Case.last_activity_on``
current. A broken rule raises a named :class:`~prosecutions.exceptions.ProsecutionError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.access import has_role
from core.models import County
from core.numbering import calendar_year, next_reference
from core.roles import Role
from prosecutions.access import can_edit_case
from prosecutions.choices import (
    CONVICTIONS,
    AdjournmentReason,
    ClosureReason,
    CustodyStatus,
    Disposition,
    ExploitationType,
    FineRelation,
    HearingOutcome,
    HearingPurpose,
    NetworkRole,
    Plea,
    Scope,
    Sex,
    Stage,
)
from prosecutions.exceptions import (
    CaseClosed,
    CaseNotEditable,
    DateOutOfOrder,
    DispositionNotAllowed,
    DuplicateCount,
    FutureDate,
    HearingNotAllowed,
    IllegalStageMove,
    InvalidDetails,
    InvalidSentence,
    OffenceNotInForce,
    PleaNotAllowed,
    ReopenNotAllowed,
    SentenceNotAllowed,
    StageGuardFailed,
)
from prosecutions.models import (
    OPEN_STAGES,
    Accused,
    Case,
    Charge,
    Court,
    Hearing,
    Offence,
    Sentence,
    StageChange,
    Victim,
)

CASE_SERIES = "case"
CASE_TEMPLATE = "ODPP/CTIP/{period}/{number:04d}"
VICTIM_SERIES = "victim"
VICTIM_TEMPLATE = "V-{period}-{number:04d}"

# DESIGN §3: the only stage moves allowed (closing from any open stage is added below).
ALLOWED_MOVES: dict[Stage, frozenset[Stage]] = {
    Stage.INVESTIGATION: frozenset({Stage.CHARGING_DECISION}),
    Stage.CHARGING_DECISION: frozenset({Stage.PRE_TRIAL, Stage.INVESTIGATION}),
    Stage.PRE_TRIAL: frozenset({Stage.TRIAL}),
    Stage.TRIAL: frozenset({Stage.JUDGMENT}),
    Stage.JUDGMENT: frozenset({Stage.SENTENCING, Stage.APPEAL}),
    Stage.SENTENCING: frozenset({Stage.APPEAL}),
    Stage.APPEAL: frozenset({Stage.TRIAL}),
    Stage.CLOSED: frozenset(),
}
for _stage in OPEN_STAGES:
    ALLOWED_MOVES[Stage(_stage)] = ALLOWED_MOVES[Stage(_stage)] | {Stage.CLOSED}

# CPC s.205: adjournments of at most 30 clear days, 15 when an accused is remanded in custody.
ADJOURNMENT_LIMIT_DAYS = 30
ADJOURNMENT_LIMIT_REMANDED_DAYS = 15

# Where in the life of a case each count outcome may be recorded.
CHARGED_STAGES = frozenset({Stage.PRE_TRIAL, Stage.TRIAL, Stage.JUDGMENT})
DISPOSITION_STAGES: dict[Disposition, frozenset[Stage]] = {
    Disposition.CONVICTED_AFTER_TRIAL: frozenset({Stage.TRIAL, Stage.JUDGMENT}),
    Disposition.CONVICTED_OWN_PLEA: CHARGED_STAGES,
    Disposition.CONVICTED_PLEA_AGREEMENT: CHARGED_STAGES,
    Disposition.ACQUITTED_NO_CASE: frozenset({Stage.TRIAL, Stage.JUDGMENT}),
    Disposition.ACQUITTED_AFTER_DEFENCE: frozenset({Stage.TRIAL, Stage.JUDGMENT}),
    Disposition.ACQUITTED_WITHDRAWN: frozenset({Stage.TRIAL}),
    Disposition.DISCHARGED_WITHDRAWN: frozenset({Stage.PRE_TRIAL, Stage.TRIAL}),
    Disposition.DISCHARGED_NOLLE_PROSEQUI: frozenset({Stage.PRE_TRIAL, Stage.TRIAL, Stage.JUDGMENT}),
    Disposition.ABATED: frozenset({Stage.PRE_TRIAL, Stage.TRIAL, Stage.JUDGMENT, Stage.SENTENCING, Stage.APPEAL}),
}
NEEDS_PLEA = frozenset(
    {
        Disposition.CONVICTED_AFTER_TRIAL,
        Disposition.ACQUITTED_NO_CASE,
        Disposition.ACQUITTED_AFTER_DEFENCE,
        Disposition.ACQUITTED_WITHDRAWN,
    }
)
DEFENCE_HEARD = frozenset({HearingOutcome.PROCEEDED, HearingOutcome.PART_HEARD})


def today() -> dt.date:
    return timezone.localdate()


# --------------------------------------------------------------------------------------------------
# Shared checks


def _not_future(day: dt.date, what: str, field: str | None = None) -> None:
    if day > today():
        raise FutureDate(f"The {what} ({day:%d %b %Y}) is in the future. Record events once they have happened.", field)


def _not_before_opening(case: Case, day: dt.date, what: str, field: str | None = None) -> None:
    if day < case.opened_on:
        raise DateOutOfOrder(
            f"The {what} ({day:%d %b %Y}) is before the case was opened ({case.opened_on:%d %b %Y}).", field
        )


def _lock_case(case: Case) -> Case:
    """The case row, locked for the rest of the transaction; the caller's instance is refreshed too."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    for field in ("stage", "closed_on", "closure_reason", "last_activity_on", "court_id", "lead_prosecutor_id"):
        setattr(case, field, getattr(locked, field))
    return locked


def _require_editable(case: Case, user: Any) -> None:
    if case.stage == Stage.CLOSED:
        raise CaseClosed(f"{case.reference} is closed and read-only. Ask the unit head to reopen it.")
    if not can_edit_case(user, case):
        raise CaseNotEditable(
            f"You are not the lead prosecutor or on the team of {case.reference}, so you cannot change it."
        )


def _touch(case: Case, day: dt.date, user: Any) -> None:
    """Move ``last_activity_on`` forward to ``day`` (never back)."""
    if day > case.last_activity_on:
        case.last_activity_on = day
        case.save_as(user, f"Activity on {day:%d %b %Y}", update_fields=["last_activity_on", "updated_at"])


def _editable_locked_case(case: Case, user: Any) -> Case:
    locked = _lock_case(case)
    _require_editable(locked, user)
    return locked


# --------------------------------------------------------------------------------------------------
# Opening and editing a case


@transaction.atomic
def open_case(
    user: Any,
    *,
    title: str,
    county: County,
    opened_on: dt.date,
    lead_prosecutor: Any = None,
    team: Iterable[Any] = (),
    court: Court | None = None,
    court_case_type: str = "Criminal Case",
    court_case_serial: str = "",
    court_case_year: int | None = None,
    police_station: str = "",
    ob_number: str = "",
    ob_date: dt.date | None = None,
    dci_reference: str = "",
    scope: str = Scope.INTERNAL,
    exploitation_types: Sequence[str] = (),
    in_camera: bool = False,
    summary: str = "",
) -> Case:
    """Open a new case file in investigation, numbered ``ODPP/CTIP/{year}/{n}`` by the year it opened."""
    if not has_role(user, [Role.PROSECUTOR, Role.UNIT_HEAD]):
        raise CaseNotEditable("Only prosecutors and the unit head open cases.")
    _not_future(opened_on, "opening date", "opened_on")
    if ob_date is not None:
        _not_future(ob_date, "OB date", "ob_date")
    lead = lead_prosecutor or user
    if not has_role(lead, [Role.PROSECUTOR, Role.UNIT_HEAD]):
        raise InvalidDetails(f"{lead} is not a prosecutor and cannot lead a case.", "lead_prosecutor")
    unknown = set(exploitation_types) - set(ExploitationType.values)
    if unknown:
        raise InvalidDetails(f"Unknown exploitation type: {', '.join(sorted(unknown))}.", "exploitation_types")
    case = Case(
        reference=next_reference(CASE_SERIES, CASE_TEMPLATE, calendar_year(opened_on)),
        title=title.strip(),
        county=county,
        opened_on=opened_on,
        last_activity_on=opened_on,
        lead_prosecutor=lead,
        court=court,
        court_case_type=court_case_type,
        court_case_serial=court_case_serial.strip(),
        court_case_year=court_case_year,
        police_station=police_station,
        ob_number=ob_number.strip(),
        ob_date=ob_date,
        dci_reference=dci_reference,
        scope=scope,
        exploitation_types=list(exploitation_types),
        in_camera=in_camera,
        summary=summary,
        stage=Stage.INVESTIGATION,
    )
    case.save_as(user, "Case opened")
    members = [member for member in team if member.pk != lead.pk]
    if members:
        case.team.set(members)
    StageChange(
        case=case, from_stage="", to_stage=Stage.INVESTIGATION, effective_on=opened_on, changed_by=user, note="Opened"
    ).save_as(user, "Case opened")
    return case


CASE_DETAIL_FIELDS = frozenset(
    {
        "title",
        "court",
        "court_case_type",
        "court_case_serial",
        "court_case_year",
        "police_station",
        "ob_number",
        "ob_date",
        "dci_reference",
        "county",
        "scope",
        "exploitation_types",
        "in_camera",
        "summary",
    }
)


@transaction.atomic
def update_case_details(case: Case, user: Any, reason: str = "", **changes: Any) -> Case:
    """Change the case's descriptive details (not its stage, numbering or team)."""
    locked = _editable_locked_case(case, user)
    unknown = set(changes) - CASE_DETAIL_FIELDS
    if unknown:
        raise ValueError(f"Not case details: {', '.join(sorted(unknown))}")
    if changes.get("ob_date"):
        _not_future(changes["ob_date"], "OB date", "ob_date")
    for name, value in changes.items():
        setattr(locked, name, list(value) if name == "exploitation_types" else value)
    locked.save_as(user, reason or "Case details updated")
    return locked


@transaction.atomic
def assign_prosecutors(case: Case, user: Any, *, lead_prosecutor: Any, team: Iterable[Any], reason: str = "") -> Case:
    """The unit head assigns the lead prosecutor and the team."""
    if not has_role(user, [Role.UNIT_HEAD]):
        raise CaseNotEditable("Only the unit head assigns prosecutors to a case.")
    locked = _editable_locked_case(case, user)
    if not has_role(lead_prosecutor, [Role.PROSECUTOR, Role.UNIT_HEAD]):
        raise InvalidDetails(f"{lead_prosecutor} is not a prosecutor and cannot lead a case.", "lead_prosecutor")
    locked.lead_prosecutor = lead_prosecutor
    locked.save_as(user, reason or "Prosecutors assigned")
    locked.team.set([member for member in team if member.pk != lead_prosecutor.pk])
    return locked


# --------------------------------------------------------------------------------------------------
# Stages


def allowed_next_stages(case: Case) -> list[Stage]:
    """The stages this case may move to next, in the order of the stage list."""
    allowed = ALLOWED_MOVES[Stage(case.stage)]
    return [stage for stage in Stage if stage in allowed]


def _check_guards(case: Case, to_stage: Stage, closure_reason: str) -> None:
    if to_stage == Stage.PRE_TRIAL and not Charge.objects.filter(accused__case=case).exists():
        raise StageGuardFailed(
            "A case goes to pre-trial only once it is charged: add at least one accused with at least one count."
        )
    if (
        to_stage == Stage.SENTENCING
        and not Charge.objects.filter(accused__case=case, disposition__in=CONVICTIONS).exists()
    ):
        raise StageGuardFailed("Sentencing needs a conviction: record a conviction on at least one count first.")
    if to_stage == Stage.CLOSED:
        if not closure_reason:
            raise StageGuardFailed("Give the reason for closing the case.", "closure_reason")
        if closure_reason not in ClosureReason.values:
            raise StageGuardFailed("Unknown closure reason.", "closure_reason")
        if closure_reason == ClosureReason.CONCLUDED:
            pending = Charge.objects.filter(accused__case=case, disposition=Disposition.PENDING).count()
            if pending:
                raise StageGuardFailed(
                    f"A case closes as concluded only when every count has an outcome: {pending} count"
                    f"{'s are' if pending > 1 else ' is'} still pending.",
                    "closure_reason",
                )


@transaction.atomic
def move_stage(
    case: Case,
    user: Any,
    to_stage: str,
    *,
    effective_on: dt.date | None = None,
    closure_reason: str = "",
    note: str = "",
) -> StageChange:
    """Move the case to ``to_stage`` if the move is allowed and its guards pass; records a StageChange."""
    locked = _editable_locked_case(case, user)
    effective_on = effective_on or today()
    try:
        target = Stage(to_stage)
    except ValueError:
        raise IllegalStageMove(f"“{to_stage}” is not a stage.") from None
    current = Stage(locked.stage)
    if target not in ALLOWED_MOVES[current]:
        legal = ", ".join(str(s.label) for s in allowed_next_stages(locked)) or "none"
        raise IllegalStageMove(
            f"A case cannot go from {current.label} to {target.label}. From {current.label} it can go to: {legal}."
        )
    _not_future(effective_on, "date of the move", "effective_on")
    _not_before_opening(locked, effective_on, "date of the move", "effective_on")
    last_move = locked.stage_changes.order_by("-effective_on", "-id").first()
    if last_move is not None and effective_on < last_move.effective_on:
        raise DateOutOfOrder(
            f"The date of the move ({effective_on:%d %b %Y}) is before the last stage move "
            f"({last_move.effective_on:%d %b %Y}).",
            "effective_on",
        )
    if target != Stage.CLOSED:
        closure_reason = ""
    _check_guards(locked, target, closure_reason)

    locked.stage = target
    update_fields = ["stage", "updated_at", "last_activity_on"]
    if target == Stage.CLOSED:
        locked.closed_on = effective_on
        locked.closure_reason = closure_reason
        update_fields += ["closed_on", "closure_reason"]
    locked.last_activity_on = max(locked.last_activity_on, effective_on)
    locked.save_as(user, note or f"Moved to {target.label}", update_fields=update_fields)
    change = StageChange(
        case=locked,
        from_stage=current,
        to_stage=target,
        effective_on=effective_on,
        changed_by=user,
        closure_reason=closure_reason,
        note=note,
    )
    change.save_as(user, note or f"Moved to {target.label}")
    case.stage, case.closed_on, case.closure_reason = locked.stage, locked.closed_on, locked.closure_reason
    case.last_activity_on = locked.last_activity_on
    return change


@transaction.atomic
def reopen_case(case: Case, user: Any, *, reason: str, effective_on: dt.date | None = None) -> StageChange:
    """The unit head reopens a closed case, back to the stage it was closed from, with a reason."""
    locked = _lock_case(case)
    if locked.stage != Stage.CLOSED:
        raise ReopenNotAllowed(f"{locked.reference} is not closed.")
    if not has_role(user, [Role.UNIT_HEAD]):
        raise ReopenNotAllowed("Only the unit head can reopen a closed case.")
    if not reason.strip():
        raise ReopenNotAllowed("Give the reason for reopening the case.", "reason")
    effective_on = effective_on or today()
    _not_future(effective_on, "reopening date", "effective_on")
    if locked.closed_on and effective_on < locked.closed_on:
        raise DateOutOfOrder(
            f"The reopening date is before the case was closed ({locked.closed_on:%d %b %Y}).", "effective_on"
        )
    closing = locked.stage_changes.filter(to_stage=Stage.CLOSED).order_by("-effective_on", "-id").first()
    back_to = Stage(closing.from_stage) if closing and closing.from_stage else Stage.INVESTIGATION
    locked.stage = back_to
    locked.closed_on = None
    locked.closure_reason = ""
    locked.last_activity_on = max(locked.last_activity_on, effective_on)
    locked.save_as(user, f"Reopened: {reason}")
    change = StageChange(
        case=locked,
        from_stage=Stage.CLOSED,
        to_stage=back_to,
        effective_on=effective_on,
        changed_by=user,
        note=f"Reopened: {reason}",
    )
    change.save_as(user, reason)
    case.stage, case.closed_on, case.closure_reason = locked.stage, None, ""
    case.last_activity_on = locked.last_activity_on
    return change


# --------------------------------------------------------------------------------------------------
# Accused, counts, victims


@transaction.atomic
def add_accused(
    case: Case,
    user: Any,
    *,
    name: str,
    sex: str = Sex.UNKNOWN,
    date_of_birth: dt.date | None = None,
    age: int | None = None,
    nationality: str = "",
    id_number: str = "",
    network_role: str = NetworkRole.OTHER,
    custody_status: str = CustodyStatus.REMANDED,
    bail_terms: str = "",
) -> Accused:
    locked = _editable_locked_case(case, user)
    if date_of_birth is not None:
        _not_future(date_of_birth, "date of birth", "date_of_birth")
    accused = Accused(
        case=locked,
        name=name.strip(),
        sex=sex,
        date_of_birth=date_of_birth,
        age=age,
        nationality=nationality,
        id_number=id_number,
        network_role=network_role,
        custody_status=custody_status,
        bail_terms=bail_terms,
    )
    accused.save_as(user, "Accused added")
    return accused


ACCUSED_FIELDS = frozenset(
    {"name", "sex", "date_of_birth", "age", "nationality", "id_number", "network_role", "custody_status", "bail_terms"}
)


@transaction.atomic
def update_accused(accused: Accused, user: Any, reason: str = "", **changes: Any) -> Accused:
    _editable_locked_case(accused.case, user)
    unknown = set(changes) - ACCUSED_FIELDS
    if unknown:
        raise ValueError(f"Not accused details: {', '.join(sorted(unknown))}")
    if changes.get("date_of_birth"):
        _not_future(changes["date_of_birth"], "date of birth", "date_of_birth")
    for name, value in changes.items():
        setattr(accused, name, value)
    accused.save_as(user, reason or "Accused details updated")
    return accused


def offence_in_force(offence: Offence, on: dt.date) -> Offence:
    """The version of ``offence`` (same statute and section) that applied on ``on``."""
    version = (
        Offence.objects.filter(statute=offence.statute, section=offence.section, effective_from__lte=on)
        .exclude(effective_to__lt=on)
        .order_by("-effective_from")
        .first()
    )
    if version is None:
        raise OffenceNotInForce(
            f"{offence.short_statute} s.{offence.section} was not in force on {on:%d %b %Y}; check the offence date."
        )
    return version


@transaction.atomic
def add_charge(
    accused: Accused,
    user: Any,
    *,
    count_number: int,
    offence: Offence,
    offence_date: dt.date | None = None,
    particulars: str = "",
    penalty_section: str = "",
) -> Charge:
    """Add a count against ``accused``; the offence version is the one in force on the offence date."""
    case = _editable_locked_case(accused.case, user)
    if Stage(case.stage) not in (Stage.INVESTIGATION, Stage.CHARGING_DECISION, Stage.PRE_TRIAL, Stage.TRIAL):
        raise CaseNotEditable(
            f"Counts can be added up to the trial (CPC s.214); this case is at {Stage(case.stage).label}."
        )
    if count_number < 1:
        raise DuplicateCount("Count numbers start at 1.")
    if offence_date is not None:
        _not_future(offence_date, "offence date", "offence_date")
    if Charge.objects.filter(accused=accused, count_number=count_number).exists():
        raise DuplicateCount(f"{accused.name} already has a count {count_number}. Use the next free count number.")
    version = offence_in_force(offence, offence_date or today())
    charge = Charge(
        accused=accused,
        count_number=count_number,
        offence=version,
        penalty_section=penalty_section or version.penalty_section,
        particulars=particulars,
        offence_date=offence_date,
    )
    charge.save_as(user, "Count added")
    return charge


def next_count_number(accused: Accused) -> int:
    numbers = list(accused.charges.values_list("count_number", flat=True))
    return max(numbers, default=0) + 1


@transaction.atomic
def record_plea(charge: Charge, user: Any, *, plea: str, plea_date: dt.date | None = None) -> Charge:
    """Record the accused's plea to one count (taken once the case is in court)."""
    case = _editable_locked_case(charge.accused.case, user)
    plea_date = plea_date or today()
    if Stage(case.stage) not in (Stage.PRE_TRIAL, Stage.TRIAL):
        raise PleaNotAllowed(
            f"Pleas are taken once the accused is charged in court (pre-trial or trial); "
            f"this case is at {Stage(case.stage).label}."
        )
    if plea not in Plea.values or plea == Plea.NOT_TAKEN:
        raise PleaNotAllowed("Choose the plea the accused entered.", "plea")
    if charge.disposition != Disposition.PENDING:
        raise PleaNotAllowed(f"{charge} already has an outcome; the plea can no longer change.")
    _not_future(plea_date, "plea date", "plea_date")
    _not_before_opening(case, plea_date, "plea date", "plea_date")
    charge.plea = plea
    charge.plea_date = plea_date
    charge.save_as(user, "Plea recorded", update_fields=["plea", "plea_date", "updated_at"])
    _touch(case, plea_date, user)
    return charge


def _defence_opened(case: Case, on: dt.date) -> bool:
    """Whether the accused had been put on their defence by ``on`` (a defence hearing proceeded)."""
    return case.hearings.filter(
        purpose=HearingPurpose.DEFENCE_HEARING, outcome__in=DEFENCE_HEARD, date__lte=on
    ).exists()


@transaction.atomic
def record_disposition(
    charge: Charge, user: Any, *, disposition: str, disposition_date: dt.date | None = None, note: str = ""
) -> Charge:
    """Record the outcome of one count, under the CPC rules for the case's stage."""
    case = _editable_locked_case(charge.accused.case, user)
    day = disposition_date or today()
    try:
        outcome = Disposition(disposition)
    except ValueError:
        raise DispositionNotAllowed(f"“{disposition}” is not a count outcome.") from None
    if outcome == Disposition.PENDING:
        raise DispositionNotAllowed("Choose the outcome of the count.")
    stage = Stage(case.stage)
    if stage not in DISPOSITION_STAGES[outcome]:
        allowed = ", ".join(str(s.label) for s in Stage if s in DISPOSITION_STAGES[outcome])
        hint = ""
        if outcome == Disposition.ACQUITTED_NO_CASE:
            hint = " No case to answer (s.210) is ruled only at the close of the prosecution case, at trial."
        raise DispositionNotAllowed(
            f"“{outcome.label}” cannot be recorded while the case is at {stage.label} (only at: {allowed}).{hint}"
        )
    _not_future(day, "date of the outcome", "disposition_date")
    _not_before_opening(case, day, "date of the outcome", "disposition_date")
    if charge.plea_date and day < charge.plea_date:
        raise DateOutOfOrder("The outcome is dated before the plea was taken.", "disposition_date")
    if charge.disposition != Disposition.PENDING and not _retried_since(case, charge):
        raise DispositionNotAllowed(f"{charge} already has an outcome: {charge.get_disposition_display()}.")
    if outcome in NEEDS_PLEA and charge.plea == Plea.NOT_TAKEN:
        raise DispositionNotAllowed("Record the accused's plea to this count before a verdict.")
    if outcome == Disposition.CONVICTED_OWN_PLEA and charge.plea != Plea.GUILTY:
        raise DispositionNotAllowed("A conviction on own plea needs a plea of guilty on this count.")
    if outcome == Disposition.CONVICTED_PLEA_AGREEMENT and charge.plea != Plea.GUILTY_PLEA_AGREEMENT:
        raise DispositionNotAllowed("A conviction on a plea agreement needs a guilty plea under a plea agreement.")
    defence = _defence_opened(case, day)
    if outcome == Disposition.DISCHARGED_WITHDRAWN and defence:
        raise DispositionNotAllowed(
            "The accused has been put on their defence: a withdrawal now is an acquittal under s.87(b), "
            "not a discharge under s.87(a)."
        )
    if outcome == Disposition.ACQUITTED_WITHDRAWN and not defence:
        raise DispositionNotAllowed(
            "The accused has not been put on their defence: a withdrawal now is a discharge under s.87(a), "
            "not an acquittal under s.87(b)."
        )
    if outcome == Disposition.ACQUITTED_AFTER_DEFENCE and not defence:
        raise DispositionNotAllowed(
            "An acquittal after defence (s.215) needs a defence hearing on record; "
            "at the close of the prosecution case it is no case to answer (s.210)."
        )
    charge.disposition = outcome
    charge.disposition_date = day
    charge.save_as(
        user, note or f"Outcome: {outcome.label}", update_fields=["disposition", "disposition_date", "updated_at"]
    )
    _touch(case, day, user)
    return charge


def _retried_since(case: Case, charge: Charge) -> bool:
    """A retrial ordered on appeal after the count's outcome lets the outcome be recorded again."""
    return (
        charge.disposition_date is not None
        and case.stage == Stage.TRIAL
        and case.stage_changes.filter(
            from_stage=Stage.APPEAL, to_stage=Stage.TRIAL, effective_on__gte=charge.disposition_date
        ).exists()
    )


@transaction.atomic
def record_sentence(
    charge: Charge,
    user: Any,
    *,
    sentenced_on: dt.date | None = None,
    custodial_months: int | None = None,
    life_imprisonment: bool = False,
    fine_amount: Decimal | None = None,
    fine_default_months: int | None = None,
    fine_relation: str = FineRelation.NONE,
    compensation_amount: Decimal | None = None,
    compensation_victim: Victim | None = None,
    deportation: bool = False,
    forfeiture_ordered: bool = False,
    notes: str = "",
) -> Sentence:
    """Record the sentence passed on a convicted count."""
    case = _editable_locked_case(charge.accused.case, user)
    day = sentenced_on or today()
    if charge.disposition not in CONVICTIONS:
        raise SentenceNotAllowed(
            f"{charge} is {charge.get_disposition_display().lower()}: a sentence is passed only on a conviction."
        )
    if Sentence.objects.filter(charge=charge).exists():
        raise SentenceNotAllowed(f"{charge} has already been sentenced.")
    if Stage(case.stage) not in (Stage.JUDGMENT, Stage.SENTENCING):
        raise SentenceNotAllowed(
            f"Sentences are recorded at judgment or sentencing; this case is at {Stage(case.stage).label}."
        )
    _not_future(day, "sentence date", "sentenced_on")
    if charge.disposition_date and day < charge.disposition_date:
        raise DateOutOfOrder("The sentence is dated before the conviction.", "sentenced_on")
    relation = FineRelation(fine_relation)
    if life_imprisonment and custodial_months:
        raise InvalidSentence("Give either a term in months or life imprisonment, not both.", "custodial_months")
    custodial = life_imprisonment or bool(custodial_months)
    if relation == FineRelation.NONE and fine_amount:
        raise InvalidSentence("Say how the fine stands beside imprisonment.", "fine_relation")
    if relation != FineRelation.NONE and not fine_amount:
        raise InvalidSentence("Give the amount of the fine.", "fine_amount")
    if fine_amount is not None and fine_amount <= 0:
        raise InvalidSentence("The fine must be more than zero.", "fine_amount")
    if relation in (FineRelation.ALTERNATIVE, FineRelation.CUMULATIVE) and not custodial:
        raise InvalidSentence("A fine alongside imprisonment needs the custodial term.", "custodial_months")
    if relation == FineRelation.FINE_ONLY and custodial:
        raise InvalidSentence("A fine-only sentence has no custodial term.", "fine_relation")
    if not custodial and not fine_amount and not compensation_amount and not deportation:
        raise InvalidSentence("The sentence has no term, fine, compensation or deportation.")
    if compensation_amount is not None and compensation_amount <= 0:
        raise InvalidSentence("Compensation must be more than zero.", "compensation_amount")
    if compensation_amount and compensation_victim is None:
        raise InvalidSentence("Name the victim (by code) the compensation is ordered to.", "compensation_victim")
    if compensation_victim is not None and compensation_victim.case_id != case.pk:
        raise InvalidSentence("The compensated victim must be a victim in this case.", "compensation_victim")
    sentence = Sentence(
        charge=charge,
        sentenced_on=day,
        custodial_months=None if life_imprisonment else custodial_months,
        life_imprisonment=life_imprisonment,
        fine_amount=fine_amount,
        fine_default_months=fine_default_months,
        fine_relation=relation,
        compensation_amount=compensation_amount,
        compensation_victim=compensation_victim,
        deportation=deportation,
        forfeiture_ordered=forfeiture_ordered,
        notes=notes,
    )
    sentence.save_as(user, "Sentence recorded")
    _touch(case, day, user)
    return sentence


@transaction.atomic
def add_victim(
    case: Case,
    user: Any,
    *,
    exploitation_type: str,
    identified_on: dt.date,
    sex: str = Sex.UNKNOWN,
    age_at_exploitation: int | None = None,
    is_child: bool = False,
    nationality: str = "",
    referred_to_services: bool = False,
) -> Victim:
    """Add a victim, known by a code ``V-{year}-{n}`` issued by the year identified. No name is stored."""
    locked = _editable_locked_case(case, user)
    _not_future(identified_on, "date identified", "identified_on")
    if exploitation_type not in ExploitationType.values:
        raise InvalidDetails("Choose the form of exploitation.", "exploitation_type")
    child = age_at_exploitation < 18 if age_at_exploitation is not None else is_child
    victim = Victim(
        case=locked,
        code=next_reference(VICTIM_SERIES, VICTIM_TEMPLATE, calendar_year(identified_on)),
        sex=sex,
        age_at_exploitation=age_at_exploitation,
        is_child=child,
        nationality=nationality,
        exploitation_type=exploitation_type,
        identified_on=identified_on,
        referred_to_services=referred_to_services,
    )
    victim.save_as(user, "Victim added")
    return victim


# --------------------------------------------------------------------------------------------------
# Hearings


def adjournment_limit(case: Case) -> int:
    """Clear days CPC s.205 allows for this case now: 15 if any accused is remanded, else 30."""
    remanded = case.accused.filter(custody_status=CustodyStatus.REMANDED).exists()
    return ADJOURNMENT_LIMIT_REMANDED_DAYS if remanded else ADJOURNMENT_LIMIT_DAYS


def clear_days(start: dt.date, end: dt.date) -> int:
    """Days strictly between two dates (neither counted), as the CPC counts "clear days"."""
    return max((end - start).days - 1, 0)


HEARING_STAGES = frozenset({Stage.PRE_TRIAL, Stage.TRIAL, Stage.JUDGMENT, Stage.SENTENCING, Stage.APPEAL})


def _apply_outcome(
    case: Case,
    hearing: Hearing,
    *,
    outcome: str,
    adjournment_reason: str,
    next_date: dt.date | None,
) -> None:
    result = HearingOutcome(outcome)
    if result != HearingOutcome.SCHEDULED:
        _not_future(hearing.date, "hearing date", "date")
    if next_date is not None and next_date <= hearing.date:
        raise HearingNotAllowed("The next date must be after the hearing date.", "next_date")
    if result == HearingOutcome.ADJOURNED:
        if not adjournment_reason:
            raise HearingNotAllowed("Give the reason the hearing was adjourned.", "adjournment_reason")
        if next_date is None:
            raise HearingNotAllowed("Give the date the hearing was adjourned to.", "next_date")
    elif adjournment_reason:
        raise HearingNotAllowed("An adjournment reason goes only with an adjourned hearing.", "adjournment_reason")
    if adjournment_reason and adjournment_reason not in AdjournmentReason.values:
        raise HearingNotAllowed("Unknown adjournment reason.", "adjournment_reason")
    hearing.outcome = result
    hearing.adjournment_reason = adjournment_reason
    hearing.next_date = next_date
    if next_date is not None:
        hearing.adjournment_clear_days = clear_days(hearing.date, next_date)
        hearing.exceeds_adjournment_limit = hearing.adjournment_clear_days > adjournment_limit(case)
    else:
        hearing.adjournment_clear_days = None
        hearing.exceeds_adjournment_limit = False


def _schedule_follow_up(case: Case, hearing: Hearing, user: Any) -> None:
    """The next date given in court becomes the next scheduled hearing (once)."""
    if hearing.next_date is None or case.hearings.filter(date=hearing.next_date).exists():
        return
    Hearing(case=case, date=hearing.next_date, court=hearing.court, purpose=hearing.purpose).save_as(
        user, f"Next date given on {hearing.date:%d %b %Y}"
    )


@transaction.atomic
def record_hearing(
    case: Case,
    user: Any,
    *,
    date: dt.date,
    purpose: str,
    court: Court | None = None,
    outcome: str = HearingOutcome.SCHEDULED,
    adjournment_reason: str = "",
    next_date: dt.date | None = None,
    notes: str = "",
) -> Hearing:
    """Schedule a hearing, or record one that took place with its outcome and the next date given."""
    locked = _editable_locked_case(case, user)
    if Stage(locked.stage) not in HEARING_STAGES:
        raise HearingNotAllowed(
            f"Court hearings start once the case is charged (pre-trial); this case is at {Stage(locked.stage).label}."
        )
    court = court or locked.court
    if court is None:
        raise HearingNotAllowed("Choose the court sitting.", "court")
    _not_before_opening(locked, date, "hearing date", "date")
    if purpose not in HearingPurpose.values:
        raise HearingNotAllowed("Choose the purpose of the hearing.", "purpose")
    hearing = Hearing(case=locked, date=date, court=court, purpose=purpose, notes=notes)
    _apply_outcome(locked, hearing, outcome=outcome, adjournment_reason=adjournment_reason, next_date=next_date)
    hearing.save_as(user, "Hearing recorded")
    _schedule_follow_up(locked, hearing, user)
    if hearing.outcome != HearingOutcome.SCHEDULED:
        _touch(locked, date, user)
        case.last_activity_on = locked.last_activity_on
    return hearing


@transaction.atomic
def record_hearing_outcome(
    hearing: Hearing,
    user: Any,
    *,
    outcome: str,
    adjournment_reason: str = "",
    next_date: dt.date | None = None,
    notes: str = "",
) -> Hearing:
    """Record what happened at a scheduled hearing."""
    case = _editable_locked_case(hearing.case, user)
    hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
    if outcome == HearingOutcome.SCHEDULED:
        raise HearingNotAllowed("Choose what happened at the hearing.", "outcome")
    _apply_outcome(case, hearing, outcome=outcome, adjournment_reason=adjournment_reason, next_date=next_date)
    if notes:
        hearing.notes = notes
    hearing.save_as(user, "Hearing outcome recorded")
    _schedule_follow_up(case, hearing, user)
    _touch(case, hearing.date, user)
    return hearing
