"""The counts against an accused and what becomes of them: the charge, the plea, the outcome under the
CPC rules for the case's stage, and the sentence on a conviction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from core.guards import not_in_future, today
from core.models import User
from prosecutions.choices import (
    CONVICTIONS,
    Disposition,
    FineRelation,
    HearingOutcome,
    HearingPurpose,
    Plea,
    Stage,
)
from prosecutions.exceptions import (
    CaseNotEditable,
    DateOutOfOrder,
    DispositionNotAllowed,
    DuplicateCount,
    InvalidSentence,
    OffenceNotInForce,
    PleaNotAllowed,
    SentenceNotAllowed,
)
from prosecutions.models import Accused, Case, Charge, Offence, Sentence, Victim
from prosecutions.services.shared import editable_locked_case, not_before_opening, touch

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
    user: User,
    *,
    count_number: int,
    offence: Offence,
    offence_date: dt.date | None = None,
    particulars: str = "",
    penalty_section: str = "",
) -> Charge:
    """Add a count against ``accused``; the offence version is the one in force on the offence date."""
    case = editable_locked_case(accused.case, user)
    if Stage(case.stage) not in (Stage.INVESTIGATION, Stage.CHARGING_DECISION, Stage.PRE_TRIAL, Stage.TRIAL):
        raise CaseNotEditable(
            f"Counts can be added up to the trial (CPC s.214); this case is at {Stage(case.stage).label}."
        )
    if count_number < 1:
        raise DuplicateCount("Count numbers start at 1.")
    if offence_date is not None:
        not_in_future(offence_date, "offence date", field="offence_date")
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
def record_plea(charge: Charge, user: User, *, plea: str, plea_date: dt.date | None = None) -> Charge:
    """Record the accused's plea to one count (taken once the case is in court)."""
    case = editable_locked_case(charge.accused.case, user)
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
    not_in_future(plea_date, "plea date", field="plea_date")
    not_before_opening(case, plea_date, "plea date", "plea_date")
    charge.plea = plea
    charge.plea_date = plea_date
    charge.save_as(user, "Plea recorded", update_fields=["plea", "plea_date", "updated_at"])
    touch(case, plea_date, user)
    return charge


def _defence_opened(case: Case, on: dt.date) -> bool:
    """Whether the accused had been put on their defence by ``on`` (a defence hearing proceeded)."""
    return case.hearings.filter(
        purpose=HearingPurpose.DEFENCE_HEARING, outcome__in=DEFENCE_HEARD, date__lte=on
    ).exists()


@transaction.atomic
def record_disposition(
    charge: Charge, user: User, *, disposition: str, disposition_date: dt.date | None = None, note: str = ""
) -> Charge:
    """Record the outcome of one count, under the CPC rules for the case's stage."""
    case = editable_locked_case(charge.accused.case, user)
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
    not_in_future(day, "date of the outcome", field="disposition_date")
    not_before_opening(case, day, "date of the outcome", "disposition_date")
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
    _check_defence(case, outcome, day)
    charge.disposition = outcome
    charge.disposition_date = day
    charge.save_as(
        user, note or f"Outcome: {outcome.label}", update_fields=["disposition", "disposition_date", "updated_at"]
    )
    touch(case, day, user)
    return charge


def _check_defence(case: Case, outcome: Disposition, day: dt.date) -> None:
    """Withdrawals and acquittals depend on whether the accused had been put on their defence by ``day``."""
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


def _retried_since(case: Case, charge: Charge) -> bool:
    """A retrial ordered on appeal after the count's outcome lets the outcome be recorded again."""
    return (
        charge.disposition_date is not None
        and case.stage == Stage.TRIAL
        and case.stage_changes.filter(
            from_stage=Stage.APPEAL, to_stage=Stage.TRIAL, effective_on__gte=charge.disposition_date
        ).exists()
    )


def _check_sentence_allowed(case: Case, charge: Charge, day: dt.date) -> None:
    """A sentence is passed once, on a convicted count, at judgment or sentencing, after the conviction."""
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
    not_in_future(day, "sentence date", field="sentenced_on")
    if charge.disposition_date and day < charge.disposition_date:
        raise DateOutOfOrder("The sentence is dated before the conviction.", "sentenced_on")


def _check_sentence_parts(
    case: Case,
    *,
    relation: FineRelation,
    custodial_months: int | None,
    life_imprisonment: bool,
    fine_amount: Decimal | None,
    compensation_amount: Decimal | None,
    compensation_victim: Victim | None,
    deportation: bool,
) -> None:
    """The term, the fine and the compensation fit together and name a victim of this case."""
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


@transaction.atomic
def record_sentence(
    charge: Charge,
    user: User,
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
    case = editable_locked_case(charge.accused.case, user)
    day = sentenced_on or today()
    _check_sentence_allowed(case, charge, day)
    relation = FineRelation(fine_relation)
    _check_sentence_parts(
        case,
        relation=relation,
        custodial_months=custodial_months,
        life_imprisonment=life_imprisonment,
        fine_amount=fine_amount,
        compensation_amount=compensation_amount,
        compensation_victim=compensation_victim,
        deportation=deportation,
    )
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
    touch(case, day, user)
    return sentence
